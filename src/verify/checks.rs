//! The checks of `aitls verify`, one small function each, run in the order of [`ALL`].
//!
//! A check looks at the [`Context`] and reports zero or more [`Check`]s. Each says what it
//! found in words and, when something is wrong, the [`Fix`] chosen from the situation: an
//! `aitls server` command only for a certificate aitls manages, `aitls ca --force` only for
//! aitls's own CA.

use time::OffsetDateTime;
use webpki::EndEntityCert;

use super::ca::assess_ca;
use super::{Check, CheckName, Context, Nearby};
use crate::cert::{self, CertInfo};
use crate::fix::{Fix, Need, Reissue};
use crate::names::SanName;

/// A check: what it reports for one verification.
pub(super) type CheckFn = fn(&Context<'_>) -> Vec<Check>;

/// Every check, in report order.
pub(super) const ALL: [CheckFn; 12] = [
    order,
    chain,
    ca,
    validity,
    usage,
    san,
    host,
    key,
    key_mode,
    ca_key,
    dir_mode,
    ca_key_mode,
];

/// The largest certificate rustls-webpki reads: its DER parser takes lengths of at most
/// two octets, so a certificate of 64 KiB or more is "bad DER" to it.
const MAX_CERT_LEN: usize = 0xFFFF;

/// keyUsage bit of keyCertSign (RFC 5280 §4.2.1.3).
pub(super) const KEY_CERT_SIGN: u16 = 5;

pub(super) fn describe_name(info: &CertInfo) -> String {
    info.common_name
        .as_ref()
        .map_or_else(|| "(no common name)".to_owned(), |cn| format!("{cn:?}"))
}

fn names_list(names: &[SanName]) -> String {
    names
        .iter()
        .map(|n| match n {
            SanName::Dns(d) => format!("DNS:{d}"),
            SanName::Ip(ip) => format!("IP:{ip}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn paths(found: &[&Nearby]) -> String {
    found
        .iter()
        .map(|n| n.path.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The fix that reissues the certificate checked: an `aitls server` command when aitls
/// manages it.
fn reissue(ctx: &Context<'_>, names: Vec<String>, need: Need) -> Fix {
    Fix::Reissue(Reissue {
        stem: ctx.req.stem.clone(),
        key_type: ctx.leaf().key_type,
        names,
        need,
    })
}

pub(super) fn ku_bit(info: &CertInfo, bit: u16) -> Option<bool> {
    info.key_usage.map(|flags| (flags >> bit) & 1 == 1)
}

/// Why leaf checks cannot run on a CA certificate.
const IS_THE_CA: &str = "this is a CA certificate, not a server certificate";

/// Whether the certificate checked is a CA and not meant as a server certificate at all
/// (CA:TRUE and no names): `aitls verify ai/certs/ca.crt`. A CA:TRUE certificate with
/// names is a server certificate issued wrongly, and is checked as one.
fn is_the_ca(ctx: &Context<'_>) -> bool {
    ctx.leaf().is_ca && ctx.leaf().names.is_empty()
}

/// A bundle holds the server certificate first, as a TLS server must send it.
fn order(ctx: &Context<'_>) -> Vec<Check> {
    if ctx.req.chain.len() < 2 {
        return Vec::new();
    }
    let Some(at) = ctx.moved_from else {
        return vec![Check::pass(
            CheckName::Order,
            format!(
                "the server certificate comes first, then {} more",
                ctx.req.chain.len() - 1
            ),
        )];
    };
    let n = at + 1;
    let why = match &ctx.req.key {
        Some(key) if key.facts.spki_der.as_deref() == Some(ctx.leaf().spki_der.as_slice()) => {
            format!("certificate {n} matches the key")
        }
        _ => format!("certificate {n} is the server certificate (CA:FALSE)"),
    };
    vec![Check::fail(
        CheckName::Order,
        format!("the bundle is in the wrong order: {why}; put it first"),
        Some(Fix::ReorderBundle { index: n }),
    )]
}

/// rustls-webpki builds a path from the certificate to a CA it trusts.
fn chain(ctx: &Context<'_>) -> Vec<Check> {
    let leaf = ctx.leaf();
    let err = match &ctx.path {
        Ok(path) => {
            let mut via = String::new();
            for i in &path.intermediates {
                via.push_str(&format!(" via {}", describe_name(ctx.chain[*i])));
            }
            return vec![Check::pass(
                CheckName::Chain,
                format!(
                    "signed by CA {} ({}){via}; rustls accepts the path",
                    describe_name(&ctx.req.anchors[path.anchor]),
                    ctx.req.ca_path
                ),
            )];
        }
        Err(e) => e,
    };
    let (detail, fix) = if is_the_ca(ctx) {
        the_ca_instead(ctx)
    } else if !leaf.duplicate_extensions.is_empty() {
        (
            format!(
                "rustls cannot read the certificate: {}",
                unreadable(ctx, err)
            ),
            Some(reissue(ctx, Vec::new(), Need::Renewal)),
        )
    } else if leaf.der.len() > MAX_CERT_LEN {
        (
            unreadable(ctx, err),
            Some(reissue(ctx, Vec::new(), Need::FewerNames)),
        )
    } else if let (Some(unfit), false) = (
        assess_ca(ctx).filter(|a| !a.problems.is_empty()),
        ctx.ee.is_err(),
    ) {
        (
            format!("rustls rejects the chain: {}", unfit.problems.join("; ")),
            Some(unfit.fix),
        )
    } else if ctx.ee.is_err() {
        (
            format!(
                "rustls cannot read the certificate ({})",
                webpki_reason(err)
            ),
            Some(reissue(ctx, Vec::new(), Need::Renewal)),
        )
    } else if let Some((top, other)) = {
        let top = ctx.chain.last().copied().unwrap_or(leaf);
        cert::same_name_other_key(top, &ctx.req.anchors).map(|other| (top, other))
    } {
        other_ca_same_name(ctx, top, other)
    } else if matches!(err, webpki::Error::UnknownIssuer) {
        let top = ctx.chain.last().copied().unwrap_or(leaf);
        (
            format!(
                "no path to the CA in {}: the chain ends at an issuer named {:?} that {} does not hold (or a signature does not verify)",
                ctx.req.ca_path,
                issuer_cn(top),
                ctx.req.ca_path
            ),
            Some(reissue(ctx, Vec::new(), Need::SignedByCa)),
        )
    } else if let Some(why) =
        constraint_violation(ctx).filter(|_| matches!(err, webpki::Error::NameConstraintViolation))
    {
        (why, Some(Fix::PermittedNamesOnly))
    } else {
        let fix = match err {
            webpki::Error::InvalidSignatureForPublicKey => {
                Some(reissue(ctx, Vec::new(), Need::SignedByCa))
            }
            webpki::Error::CertExpired { .. } | webpki::Error::CertNotValidYet { .. } => None,
            _ => Some(reissue(ctx, Vec::new(), Need::Renewal)),
        };
        (
            format!("rustls rejects the chain: {}", webpki_reason(err)),
            fix,
        )
    };
    vec![Check::fail(CheckName::Chain, detail, fix)]
}

/// `--ca` is a different CA of the issuer's name (same name, another key): say so, and
/// point at the CA nearby that does sign the certificate (`DIR/ca.crt`), if one does.
fn other_ca_same_name(
    ctx: &Context<'_>,
    top: &CertInfo,
    other: &CertInfo,
) -> (String, Option<Fix>) {
    let signer = ctx.req.nearby.iter().find(|n| {
        n.cert.is_ca
            && n.cert.subject_raw == top.issuer_raw
            && cert::is_signed_by(top, &n.cert.spki_der)
    });
    let mut detail = format!(
        "{} is a different CA than the one that signed the certificate: same name {}, {}",
        ctx.req.ca_path,
        describe_name(other),
        cert::key_difference(top, other)
    );
    if let Some(n) = signer {
        detail.push_str(&format!("; {} signed it", n.path.display()));
    }
    let fix = Some(match signer {
        Some(n) => Fix::UseCa {
            path: n.path.clone(),
        },
        None => Fix::GiveCa,
    });
    (detail, fix)
}

/// Which of the leaf's names a CA's name constraints refuse, in words (SPEC §7: `verify`
/// names the violating name).
fn constraint_violation(ctx: &Context<'_>) -> Option<String> {
    let leaf = ctx.leaf();
    let issuers = ctx.chain.iter().skip(1).copied();
    issuers.chain(&ctx.req.anchors).find_map(|ca| {
        let constraints = crate::constraints::of_cert(&ca.der).ok().flatten()?;
        let outside = constraints.outside(&leaf.names);
        (!outside.is_empty()).then(|| {
            let names: Vec<String> = outside.iter().map(ToString::to_string).collect();
            format!(
                "{} {} outside the name constraints of CA {}, which permits only {}",
                names.join(", "),
                if names.len() == 1 { "is" } else { "are" },
                describe_name(ca),
                constraints.describe()
            )
        })
    })
}

/// Why rustls cannot read the certificate, in the words that point at the cause.
fn unreadable(ctx: &Context<'_>, err: &webpki::Error) -> String {
    let leaf = ctx.leaf();
    if let Some(ext) = leaf.duplicate_extensions.first() {
        format!("duplicate extension {ext}")
    } else if leaf.der.len() > MAX_CERT_LEN {
        format!(
            "the certificate is {} bytes; rustls reads certificates of at most 64 KiB ({MAX_CERT_LEN} bytes)",
            leaf.der.len()
        )
    } else {
        webpki_reason(err)
    }
}

/// The certificate given is a CA: say so, and name the server certificates it issued.
fn the_ca_instead(ctx: &Context<'_>) -> (String, Option<Fix>) {
    let ca = ctx.leaf();
    let mut servers: Vec<&Nearby> = ctx
        .req
        .nearby
        .iter()
        .filter(|n| !n.cert.is_ca && n.cert.issuer_raw == ca.subject_raw)
        .collect();
    // `aitls server`'s default stem first: the one meant when nothing else is said.
    let default = crate::store::cert_file(crate::store::DEFAULT_STEM);
    servers.sort_by_key(|n| n.path.file_name() != Some(default.as_ref()));
    let detail = match servers.len() {
        0 => format!("{IS_THE_CA}; give the server certificate it issued"),
        1 => format!("{IS_THE_CA}; the server certificate is {}", paths(&servers)),
        _ => format!(
            "{IS_THE_CA}; its server certificates are {}",
            paths(&servers)
        ),
    };
    let fix = servers.first().map(|n| Fix::VerifyCert {
        path: n.path.clone(),
    });
    (detail, fix)
}

fn issuer_cn(info: &CertInfo) -> String {
    x509_parser::parse_x509_certificate(&info.der)
        .ok()
        .and_then(|(_, x)| {
            x.tbs_certificate
                .issuer
                .iter_common_name()
                .next()
                .and_then(|cn| cn.as_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "(no common name)".into())
}

/// The CA's own constraints, and keyCertSign on intermediates: webpki takes a trust
/// anchor as a bare name and key, and ignores keyUsage; OpenSSL and browsers do not.
fn ca(ctx: &Context<'_>) -> Vec<Check> {
    let Some(a) = assess_ca(ctx) else {
        return Vec::new();
    };
    if !a.problems.is_empty() {
        return vec![Check::fail(
            CheckName::Ca,
            a.problems.join("; "),
            Some(a.fix),
        )];
    }

    let ca = a.ca;
    let name = describe_name(ca);
    let days = cert::days_between(ctx.req.at, ca.not_after);
    // Every certificate it signed dies with it, and reissuing them cannot help.
    let check = if days < cert::EXPIRY_WARNING_DAYS {
        Check::warn(
            CheckName::Ca,
            format!(
                "CA {name} expires in {}, on {}; every certificate it signed ends then",
                cert::days(days),
                ca.not_after.date()
            ),
            a.fix,
        )
    } else if ca.key_usage.is_none() {
        // `openssl req -x509` (the seed recipe) makes such CAs. rustls and plain
        // `openssl verify` accept them; OpenSSL's X509_V_FLAG_X509_STRICT, which
        // Python 3.13+ sets in its default context, refuses them (error 92).
        Check::warn(
            CheckName::Ca,
            format!(
                "CA {name} has no keyUsage: rustls and openssl verify accept it, Python 3.13+ and openssl -x509_strict refuse every certificate it signs"
            ),
            a.fix,
        )
    } else {
        Check::pass(
            CheckName::Ca,
            format!(
                "CA {name} is a CA fit to sign (CA:TRUE, keyCertSign), valid until {} ({} left)",
                ca.not_after.date(),
                cert::days(days)
            ),
        )
    };
    vec![check]
}

/// The certificate is valid at the time checked; a warning within 30 days of its end.
fn validity(ctx: &Context<'_>) -> Vec<Check> {
    let leaf = ctx.leaf();
    let at: OffsetDateTime = ctx.req.at;
    let days = cert::days_between(at, leaf.not_after);
    let check = if at < leaf.not_before {
        Check::fail(
            CheckName::Validity,
            format!(
                "not valid until {} (notBefore is in the future)",
                cert::when(leaf.not_before)
            ),
            Some(Fix::CheckClock),
        )
    } else if at > leaf.not_after {
        Check::fail(
            CheckName::Validity,
            format!(
                "expired on {} ({} ago)",
                leaf.not_after.date(),
                cert::days(-days)
            ),
            Some(reissue(ctx, Vec::new(), Need::Renewal)),
        )
    } else if days < cert::EXPIRY_WARNING_DAYS {
        // A certificate that ends with aitls's own CA cannot be renewed for longer until
        // the CA is: renewing the CA (same key) comes first.
        let ends_with_ca = ctx.req.own_ca
            && ctx
                .req
                .anchors
                .iter()
                .any(|a| a.subject_raw == leaf.issuer_raw && a.not_after <= leaf.not_after);
        let fix = match (&ctx.req.stem, ends_with_ca) {
            (Some(stem), true) => Fix::RenewCaAndServer { stem: stem.clone() },
            _ => reissue(ctx, Vec::new(), Need::Renewal),
        };
        Check::warn(
            CheckName::Validity,
            format!(
                "valid, but expires in {}, on {}",
                cert::days(days),
                leaf.not_after.date()
            ),
            fix,
        )
    } else {
        Check::pass(
            CheckName::Validity,
            format!(
                "valid until {} ({} left)",
                leaf.not_after.date(),
                cert::days(days)
            ),
        )
    };
    vec![check]
}

/// extendedKeyUsage and keyUsage allow a TLS server.
fn usage(ctx: &Context<'_>) -> Vec<Check> {
    let leaf = ctx.leaf();
    if is_the_ca(ctx) {
        return vec![Check::skip(CheckName::Usage, IS_THE_CA)];
    }
    // keyUsage bits a TLS server key needs one of (OpenSSL's KU_TLS): digitalSignature,
    // keyEncipherment, keyAgreement.
    let tls_ku = leaf.key_usage.is_none_or(|flags| flags & 0b1_0101 != 0);
    let eku_ok = !leaf.eku_present || leaf.server_auth;
    let check = match (eku_ok, tls_ku) {
        (true, true) => Check::pass(
            CheckName::Usage,
            if leaf.eku_present {
                "allowed for TLS servers (extendedKeyUsage serverAuth)".into()
            } else {
                "allowed for TLS servers (no extendedKeyUsage restriction)".into()
            },
        ),
        (false, _) => Check::fail(
            CheckName::Usage,
            "extendedKeyUsage does not include serverAuth: clients refuse it for a TLS server".into(),
            Some(reissue(ctx, Vec::new(), Need::ServerAuth)),
        ),
        (true, false) => Check::fail(
            CheckName::Usage,
            "keyUsage allows neither digitalSignature nor keyEncipherment: the key cannot be used in a TLS handshake".into(),
            Some(reissue(ctx, Vec::new(), Need::DigitalSignature)),
        ),
    };
    vec![check]
}

/// The certificate names its hosts in subjectAltName, once.
fn san(ctx: &Context<'_>) -> Vec<Check> {
    let leaf = ctx.leaf();
    if is_the_ca(ctx) {
        return vec![Check::skip(CheckName::San, IS_THE_CA)];
    }
    let check = if leaf
        .duplicate_extensions
        .iter()
        .any(|e| e == "subjectAltName")
    {
        Check::fail(
            CheckName::San,
            "duplicate extension subjectAltName: rustls, OpenSSL and browsers refuse a certificate that repeats an extension".into(),
            Some(reissue(ctx, Vec::new(), Need::Renewal)),
        )
    } else if leaf.names.is_empty() {
        let suggestion = leaf.common_name.clone().unwrap_or_else(|| "NAME".into());
        Check::fail(
            CheckName::San,
            format!(
                "no DNS or IP subjectAltName: rustls, Go, Chromium and Apple ignore the common name {}",
                describe_name(leaf)
            ),
            Some(reissue(ctx, vec![suggestion], Need::SubjectAltName)),
        )
    } else {
        Check::pass(CheckName::San, names_list(&leaf.names))
    };
    vec![check]
}

/// Each `--host` matches the certificate's names as rustls and browsers match them.
fn host(ctx: &Context<'_>) -> Vec<Check> {
    ctx.req
        .hosts
        .iter()
        .map(|h| match ctx.ee {
            _ if is_the_ca(ctx) => Check::skip(CheckName::Host, IS_THE_CA),
            Err(e) => Check::skip(
                CheckName::Host,
                &format!(
                    "{h}: rustls cannot read the certificate ({})",
                    unreadable(ctx, e)
                ),
            ),
            Ok(ee) => host_matches(ctx, ee, h),
        })
        .collect()
}

fn host_matches(ctx: &Context<'_>, ee: &EndEntityCert<'_>, host: &SanName) -> Check {
    use rustls_pki_types::ServerName;
    let leaf = ctx.leaf();
    let server_name: Option<ServerName<'static>> = match host {
        SanName::Ip(ip) => Some(ServerName::from(*ip)),
        SanName::Dns(d) => ServerName::try_from(d.clone()).ok(),
    };
    if server_name.is_some_and(|sn| ee.verify_is_valid_for_subject_name(&sn).is_ok()) {
        return Check::pass(
            CheckName::Host,
            format!("{host} matches the certificate's names"),
        );
    }
    let mut wanted: Vec<String> = leaf.names.iter().map(ToString::to_string).collect();
    wanted.push(host.to_string());
    let why = match host {
        SanName::Dns(d)
            if leaf.names.iter().any(
                |n| matches!(n, SanName::Dns(w) if w.starts_with("*.") && d.ends_with(&w[1..])),
            ) =>
        {
            " (a wildcard covers exactly one label)"
        }
        SanName::Dns(d)
            if leaf.names.iter().any(
                |n| matches!(n, SanName::Dns(w) if w.strip_prefix("*.") == Some(d.as_str())),
            ) =>
        {
            " (*.domain does not cover domain itself)"
        }
        _ => "",
    };
    let names = if leaf.names.is_empty() {
        "none".to_owned()
    } else {
        names_list(&leaf.names)
    };
    Check::fail(
        CheckName::Host,
        format!("{host} is not among the certificate's names ({names}){why}"),
        Some(reissue(ctx, wanted, Need::Name(host.to_string()))),
    )
}

/// What the servers of the stack do with an encrypted key (SPEC §2 verify: "the key that
/// is encrypted"): uvicorn's `ssl_keyfile_password`, llama-server's lack of any password
/// option, nginx's `ssl_password_file`.
const ENCRYPTED_KEY_SERVERS: &str = "uvicorn (YOLO26) starts only with ssl_keyfile_password set, llama-server (Nemotron) cannot be given a password and fails to start, nginx needs ssl_password_file";

/// The private key loads as the servers load it, and is the certificate's.
fn key(ctx: &Context<'_>) -> Vec<Check> {
    use crate::keyfile::{KeyAlgorithm, KeyEncoding};
    let Some(key) = &ctx.req.key else {
        return Vec::new();
    };
    let facts = &key.facts;
    let reissue_or = |otherwise: Fix| {
        if ctx.req.stem.is_some() {
            reissue(ctx, Vec::new(), Need::Renewal)
        } else {
            otherwise
        }
    };
    vec![if facts.encrypted {
        Check::fail(
            CheckName::Key,
            format!(
                "{} is encrypted ({}): {ENCRYPTED_KEY_SERVERS}; aitls cannot check that it matches the certificate",
                key.path,
                facts.encryption.as_deref().unwrap_or(facts.encoding.name())
            ),
            Some(Fix::DecryptKey {
                path: key.path.clone().into(),
                in_place: false,
            }),
        )
    } else if facts.encoding == KeyEncoding::Pkcs8V2
        && facts.algorithm == Some(KeyAlgorithm::Ed25519)
    {
        Check::fail(
            CheckName::Key,
            format!(
                "{} is an Ed25519 key in PKCS#8 v2 (RFC 5958), which OpenSSL 3.0 (uvicorn, nginx, llama-server), GnuTLS, node and Python's cryptography cannot load",
                key.path
            ),
            Some(reissue_or(Fix::RewriteKeyPkcs8V1)),
        )
    } else {
        match &facts.spki_der {
            None => Check::fail(
                CheckName::Key,
                format!(
                    "{} is a {} key whose public half aitls cannot compute, so it cannot tell whether it matches the certificate",
                    key.path,
                    facts.algorithm.as_ref().map_or("", |a| a.name())
                ),
                None,
            ),
            Some(spki) if *spki == ctx.leaf().spki_der => Check::pass(
                CheckName::Key,
                format!("{} matches the certificate", key.path),
            ),
            Some(_) => Check::fail(
                CheckName::Key,
                format!(
                    "{} does not match the certificate: a server using the pair fails every handshake",
                    key.path
                ),
                Some(reissue_or(Fix::UseIssuedKey)),
            ),
        }
    }]
}

/// In DIR, the CA pair: `ca.key` is the unencrypted key of `ca.crt`, so `aitls server`
/// can sign (SPEC §2 verify).
fn ca_key(ctx: &Context<'_>) -> Vec<Check> {
    let (Some(key), Some(ca)) = (&ctx.req.ca_key, ctx.req.anchors.first()) else {
        return Vec::new();
    };
    let facts = &key.facts;
    vec![if facts.encrypted {
        Check::fail(
            CheckName::CaKey,
            format!(
                "{} is encrypted ({}): aitls server signs unattended and cannot use it",
                key.path,
                facts.encryption.as_deref().unwrap_or(facts.encoding.name())
            ),
            Some(Fix::DecryptKey {
                path: key.path.clone().into(),
                in_place: true,
            }),
        )
    } else {
        match &facts.spki_der {
            // The key file's mode is the `ca_key_mode` check's (the DIR-permissions half
            // of #9); this one is about the pair.
            Some(spki) if *spki == ca.spki_der => Check::pass(
                CheckName::CaKey,
                format!(
                    "{} matches the CA certificate {}",
                    key.path, ctx.req.ca_path
                ),
            ),
            Some(_) => Check::fail(
                CheckName::CaKey,
                format!(
                    "{} does not match the CA certificate {}: aitls server refuses to sign until the pair is whole again",
                    key.path, ctx.req.ca_path
                ),
                Some(Fix::RestoreCaPair),
            ),
            None => Check::fail(
                CheckName::CaKey,
                format!(
                    "{} is a key whose public half aitls cannot compute, so aitls server cannot sign with it",
                    key.path
                ),
                None,
            ),
        }
    }]
}

/// The key file is readable by its owner only.
fn key_mode(ctx: &Context<'_>) -> Vec<Check> {
    let Some(key) = &ctx.req.key else {
        return Vec::new();
    };
    vec![if crate::store::is_owner_only(key.mode) {
        Check::pass(
            CheckName::KeyMode,
            format!("{} is owner-only (mode {:04o})", key.path, key.mode),
        )
    } else {
        Check::fail(
            CheckName::KeyMode,
            format!(
                "{} is readable by group or others (mode {:04o})",
                key.path, key.mode
            ),
            Some(Fix::Chmod {
                path: key.path.clone().into(),
            }),
        )
    }]
}

/// A warning (never a failure: verify only reads) when DIR, whose CA is trusted, is
/// writable by its group or every user: they could swap the CA (SPEC §4).
fn dir_mode(ctx: &Context<'_>) -> Vec<Check> {
    let Some(dir) = ctx.req.dir.as_ref().filter(|d| d.mode & 0o022 != 0) else {
        return Vec::new();
    };
    let others = dir.mode & 0o002 != 0;
    let who = if others { "every user" } else { "its group" };
    vec![Check::warn(
        CheckName::DirMode,
        format!(
            "{} is writable by {who} (mode {:04o}): they could swap the CA or the keys",
            dir.path.display(),
            dir.mode
        ),
        Fix::ChmodDir {
            path: dir.path.clone(),
            others,
        },
    )]
}

/// A warning when `DIR/ca.key`, the key of the CA trusted, is readable by others.
fn ca_key_mode(ctx: &Context<'_>) -> Vec<Check> {
    let Some((path, mode)) = ctx.req.dir.as_ref().and_then(|d| d.ca_key.as_ref()) else {
        return Vec::new();
    };
    if crate::store::is_owner_only(*mode) {
        return Vec::new();
    }
    vec![Check::warn(
        CheckName::CaKeyMode,
        format!(
            "{} is readable by group or others (mode {mode:04o})",
            path.display()
        ),
        Fix::Chmod { path: path.clone() },
    )]
}

/// The webpki error in words (see [`crate::webpki_error`]).
pub(crate) fn webpki_reason(e: &webpki::Error) -> String {
    crate::webpki_error::reason(e)
}

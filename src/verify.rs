//! `aitls verify` as data: would a TLS client accept this certificate?
//!
//! Path building, signatures, validity of every certificate, basicConstraints of the
//! issuers, extendedKeyUsage and name matching are decided by rustls-webpki, the code every
//! rustls client runs, so "valid" here means "a rustls client would connect". Around it
//! come the checks webpki leaves to others, each made so that the verdict also agrees with
//! `openssl verify -purpose sslserver`: the CA's own constraints (CA:TRUE, keyCertSign,
//! validity, pathLenConstraint), keyUsage fit for TLS, a subjectAltName present, the key
//! loading as the servers load it, matching the certificate and being owner-only, and in
//! DIR the CA pair itself.
//!
//! Each check is a small function in `verify/checks.rs` with a [`CheckName`]; adding one is a
//! variant and a function in the list `checks::ALL`. A check that cannot run (the
//! certificate is a CA, rustls cannot read it) is reported as not checked, never dropped.
//!
//! Takes parsed values, returns a [`VerifyReport`]; never reads files, never prints. The
//! fixes it returns are data ([`Fix`]), worded by the binary.

mod ca;
mod checks;

// `aitls probe` words a served chain's rejection the same way.
pub(crate) use checks::webpki_reason;

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use rustls_pki_types::{CertificateDer, TrustAnchor, UnixTime};
use serde::Serialize;
use time::OffsetDateTime;
use webpki::{EndEntityCert, KeyUsage};

use crate::cert::{self, CertInfo};
use crate::clients::{self, Client, KeyFile, PemQuirks, Verdict};
use crate::fix::Fix;
use crate::inspect::{self, Block};
use crate::names::SanName;

/// The verdict: the wire format of `aitls verify --json`.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    /// Whether every check passed (warnings do not count against it).
    pub valid: bool,
    /// Every check made, in order.
    pub checks: Vec<Check>,
    /// Each target client family's verdict (SPEC §6), in the order asked.
    pub clients: Vec<Verdict>,
}

/// Which check: the `name` of `--json`, stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckName {
    /// A bundle holds the server certificate first.
    Order,
    /// rustls-webpki builds a path to the CA.
    Chain,
    /// The CA is fit to sign.
    Ca,
    /// The certificate is valid at the time checked.
    Validity,
    /// The certificate may be used by a TLS server.
    Usage,
    /// The certificate has DNS or IP subjectAltNames.
    San,
    /// A `--host` matches the certificate's names.
    Host,
    /// The private key matches the certificate.
    Key,
    /// The key file is owner-only.
    KeyMode,
    /// `DIR/ca.key` is the unencrypted key of `DIR/ca.crt`.
    CaKey,
    /// DIR is writable by its owner only (a warning, when verifying against DIR's CA).
    DirMode,
    /// `DIR/ca.key` is owner-only (a warning, when verifying against DIR's CA).
    CaKeyMode,
}

impl CheckName {
    /// The name as `--json` and the text output show it.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckName::Order => "order",
            CheckName::Chain => "chain",
            CheckName::Ca => "ca",
            CheckName::Validity => "validity",
            CheckName::Usage => "usage",
            CheckName::San => "san",
            CheckName::Host => "host",
            CheckName::Key => "key",
            CheckName::KeyMode => "key_mode",
            CheckName::CaKey => "ca_key",
            CheckName::DirMode => "dir_mode",
            CheckName::CaKeyMode => "ca_key_mode",
        }
    }
}

impl fmt::Display for CheckName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// One named check and its result.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Which check.
    pub name: CheckName,
    /// Whether it passed (`false` too when it could not be made).
    pub ok: bool,
    /// Passed, but with something to act on soon (expiry within 30 days).
    pub warning: bool,
    /// It could not be made (the detail says why); omitted when `false`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub skipped: bool,
    /// What was found, in words.
    pub detail: String,
    /// What fixes a failure or warning; absent when all is well. The binary words it
    /// (`fix` in `--json` is that text).
    #[serde(skip)]
    pub fix: Option<Fix>,
    /// The client families of the target set that a failure makes refuse (SPEC §6):
    /// `rustls` alone for webpki's own view, every family for a shared failure, none for
    /// the key file's mode; omitted when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub refused_by: Vec<&'static str>,
}

impl Check {
    fn pass(name: CheckName, detail: String) -> Self {
        Check {
            name,
            ok: true,
            warning: false,
            skipped: false,
            detail,
            fix: None,
            refused_by: Vec::new(),
        }
    }

    fn warn(name: CheckName, detail: String, fix: Fix) -> Self {
        Check {
            warning: true,
            fix: Some(fix),
            ..Check::pass(name, detail)
        }
    }

    fn fail(name: CheckName, detail: String, fix: Option<Fix>) -> Self {
        Check {
            name,
            ok: false,
            warning: false,
            skipped: false,
            detail,
            fix,
            refused_by: Vec::new(),
        }
    }

    fn skip(name: CheckName, why: &str) -> Self {
        Check {
            skipped: true,
            ..Check::fail(name, format!("not checked: {why}"), None)
        }
    }
}

/// The private key to check against the certificate.
#[derive(Debug, Clone)]
pub struct KeyInput {
    /// The key's file, as shown to the user.
    pub path: String,
    /// What the key file holds (encoding, encryption, public half).
    pub facts: crate::keyfile::KeyFileFacts,
    /// The file's permission bits.
    pub mode: u32,
}

/// A certificate near the one checked (in its directory or DIR), so that a fix can name
/// the right file: the issuer of a `--ca` that is not a CA, the server certificate of a CA.
#[derive(Debug, Clone)]
pub struct Nearby {
    /// The file, as shown to the user.
    pub path: PathBuf,
    /// Its first certificate.
    pub cert: CertInfo,
}

/// Everything `verify` looks at.
#[derive(Debug, Clone)]
pub struct Request {
    /// The certificate to check, then any intermediates (a bundle: leaf first).
    pub chain: Vec<CertInfo>,
    /// The trusted CA certificate(s).
    pub anchors: Vec<CertInfo>,
    /// The CA file, as shown to the user.
    pub ca_path: String,
    /// The private key, when there is one to check.
    pub key: Option<KeyInput>,
    /// The CA's private key (`DIR/ca.key`), when verifying against `DIR/ca.crt`: the CA
    /// pair itself is checked too.
    pub ca_key: Option<KeyInput>,
    /// Names a client will connect to; each must match as a browser matches it.
    pub hosts: Vec<SanName>,
    /// The time to check validity at.
    pub at: OffsetDateTime,
    /// The stem when the certificate is `DIR/STEM.crt`, which `aitls server --out STEM`
    /// reissues; fixes then are that command.
    pub stem: Option<String>,
    /// Whether the CA is aitls's own (`DIR/ca.crt`): only then may a fix replace it.
    pub own_ca: bool,
    /// Certificates nearby, which fixes may point to.
    pub nearby: Vec<Nearby>,
    /// The client families whose verdict counts (SPEC §6); empty means none.
    pub clients: Vec<Client>,
    /// Quirks of the CA file's PEM (some clients cannot read a BOM, UTF-16).
    pub ca_pem: PemQuirks,
    /// Quirks of the certificate file's PEM (some servers cannot read a BOM).
    pub cert_pem: PemQuirks,
    /// What decides whether a server loads the key file.
    pub key_file: Option<KeyFile>,
    /// Facts about the certificate directory, when the CA checked against is its own.
    pub dir: Option<DirFacts>,
}

/// What `verify` warns about in the certificate directory whose CA it uses (SPEC §4): a
/// directory others can write, a CA key others can read.
#[derive(Debug, Clone)]
pub struct DirFacts {
    /// The directory.
    pub path: PathBuf,
    /// Its permission bits.
    pub mode: u32,
    /// `DIR/ca.key` and its permission bits, when it exists.
    pub ca_key: Option<(PathBuf, u32)>,
}

/// Parses a certificate file: a PEM bundle (leaf first, then intermediates) or one DER
/// certificate. Anything but certificates in it is refused.
pub fn parse_certs(bytes: &[u8]) -> Result<Vec<CertInfo>, String> {
    let blocks = inspect::decode(bytes)?;
    let several = blocks.len() > 1;
    let mut certs = Vec::with_capacity(blocks.len());
    for (i, block) in blocks.into_iter().enumerate() {
        match block {
            Block::Certificate(der) => {
                let info = cert::parse_der(&der).map_err(|e| {
                    if several {
                        format!("holds a certificate {} that {e}", i + 1)
                    } else {
                        e
                    }
                })?;
                certs.push(info);
            }
            Block::CertificateRequest(_) => {
                return Err("holds a certificate request, not a certificate".into());
            }
            Block::PrivateKey(_) => {
                return Err("holds a private key, not a certificate".into());
            }
            Block::PublicKey(_) => return Err("holds a public key, not a certificate".into()),
        }
    }
    Ok(certs)
}

/// Parses the `--host` value: a DNS name or an IP address a client connects to.
pub fn parse_host(host: &str) -> crate::error::Result<SanName> {
    // A URL or host:port: the fix is the host alone, for --host (not a name to issue for).
    let name = crate::names::parse(host).map_err(|e| match e {
        crate::Error::InvalidName { name, reason, .. } => crate::Error::InvalidName {
            fixes: match crate::names::host_in(&name) {
                Some(host) => vec![Fix::UseHost { host }],
                None => vec![Fix::NameSyntax],
            },
            name,
            reason,
        },
        e => e,
    })?;
    if matches!(&name, SanName::Dns(d) if d.starts_with("*.")) {
        return Err(crate::Error::InvalidValue {
            what: "--host",
            value: host.to_owned(),
            reason: "a client connects to a host name, not a wildcard; give a name the wildcard should cover".into(),
        });
    }
    Ok(name)
}

/// The path rustls-webpki built: which anchor, and which certificates of the chain as
/// intermediates (indexes into [`Context::chain`]).
#[derive(Debug, Clone)]
struct PathUsed {
    anchor: usize,
    intermediates: Vec<usize>,
}

/// What every check may look at, worked out once.
struct Context<'a> {
    req: &'a Request,
    /// The chain with the server certificate first (a bundle in the wrong order is
    /// checked as it should have been).
    chain: Vec<&'a CertInfo>,
    /// Where the server certificate was in the bundle, from 0, when not first.
    moved_from: Option<usize>,
    /// The certificate as rustls reads it.
    ee: &'a Result<EndEntityCert<'a>, webpki::Error>,
    /// The path to the CA, or why there is none.
    path: Result<PathUsed, webpki::Error>,
}

impl<'a> Context<'a> {
    fn leaf(&self) -> &'a CertInfo {
        self.chain[0]
    }
}

/// Where the server certificate is in a bundle: the one the key matches, else the first
/// that is not a CA when the bundle starts with a CA.
fn server_position(chain: &[CertInfo], key: Option<&KeyInput>) -> usize {
    if let Some(spki) = key.and_then(|k| k.facts.spki_der.as_deref())
        && chain[0].spki_der != spki
        && let Some(i) = chain.iter().position(|c| c.spki_der == spki)
    {
        return i;
    }
    if chain[0].is_ca
        && let Some(i) = chain.iter().position(|c| !c.is_ca)
    {
        return i;
    }
    0
}

/// Runs every check.
pub fn verify(req: &Request) -> VerifyReport {
    if req.chain.is_empty() {
        return VerifyReport {
            valid: false,
            checks: vec![Check::fail(
                CheckName::Chain,
                "no certificate given".into(),
                None,
            )],
            clients: Vec::new(),
        };
    }
    let lead = server_position(&req.chain, req.key.as_ref());
    let mut chain: Vec<&CertInfo> = vec![&req.chain[lead]];
    chain.extend(
        req.chain
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != lead)
            .map(|(_, c)| c),
    );

    let leaf_der = CertificateDer::from(chain[0].der.as_slice());
    let intermediates: Vec<CertificateDer<'_>> = chain[1..]
        .iter()
        .map(|c| CertificateDer::from(c.der.as_slice()))
        .collect();
    let anchor_ders: Vec<CertificateDer<'_>> = req
        .anchors
        .iter()
        .map(|c| CertificateDer::from(c.der.as_slice()))
        .collect();
    // Anchors rustls can take, with their index in `req.anchors`.
    let anchors: Vec<(usize, TrustAnchor<'_>)> = anchor_ders
        .iter()
        .enumerate()
        .filter_map(|(i, d)| webpki::anchor_from_trusted_cert(d).ok().map(|a| (i, a)))
        .collect();
    let anchor_list: Vec<TrustAnchor<'_>> = anchors.iter().map(|(_, a)| a.clone()).collect();
    let at = UnixTime::since_unix_epoch(Duration::from_secs(
        u64::try_from(req.at.unix_timestamp()).unwrap_or(0),
    ));
    let ee = EndEntityCert::try_from(&leaf_der);
    let path = match &ee {
        Err(e) => Err(e.clone()),
        Ok(ee) => ee
            .verify_for_usage(
                webpki::ALL_VERIFICATION_ALGS,
                &anchor_list,
                &intermediates,
                at,
                KeyUsage::server_auth(),
                None,
                None,
            )
            .map(|path| PathUsed {
                anchor: anchor_list
                    .iter()
                    .position(|a| std::ptr::eq(a, path.anchor()))
                    .map_or(0, |i| anchors[i].0),
                intermediates: path
                    .intermediate_certificates()
                    .filter_map(|c| {
                        chain[1..]
                            .iter()
                            .position(|x| x.der == c.der().as_ref())
                            .map(|i| i + 1)
                    })
                    .collect(),
            }),
    };
    let ctx = Context {
        req,
        moved_from: (lead != 0).then_some(lead),
        chain,
        ee: &ee,
        path,
    };
    let mut checks: Vec<Check> = checks::ALL.iter().flat_map(|check| check(&ctx)).collect();
    let clients = clients_of(&ctx, &checks);
    for c in &mut checks {
        if c.ok || c.skipped || c.name == CheckName::KeyMode {
            continue;
        }
        c.refused_by = if model_only(&ctx, c) {
            // The families' own rules say who refuses (for the key, or the CA's extension).
            let about = if c.name == CheckName::Key {
                "private key"
            } else {
                "critical extension"
            };
            clients
                .iter()
                .filter(|v| !v.accepts && v.reason.as_deref().is_some_and(|r| r.contains(about)))
                .map(|v| v.name)
                .collect()
        } else {
            let rustls = rustls_only(&ctx, c);
            req.clients
                .iter()
                .filter(|f| !rustls || **f == Client::Rustls)
                .map(|f| f.name())
                .collect()
        };
    }
    let valid = checks
        .iter()
        .all(|c| c.ok || rustls_only(&ctx, c) || model_only(&ctx, c))
        && clients.iter().all(|v| v.accepts);
    VerifyReport {
        valid,
        checks,
        clients,
    }
}

/// Whether a failed check is rustls's own view, which the other families decide by their
/// own rules (SPEC §6): webpki's algorithms, critical extensions, EKU and name constraints,
/// its name matching, and aitls's demand of a subjectAltName. Every other failure is every
/// client's.
#[allow(deprecated)]
fn rustls_only(ctx: &Context<'_>, check: &Check) -> bool {
    use webpki::Error as E;
    let leaf = ctx.leaf();
    match check.name {
        CheckName::San | CheckName::Host => true,
        CheckName::Usage => leaf.eku_present && !leaf.server_auth,
        // A CA of the issuer's name with another key signed nothing here: whatever webpki
        // calls it (an algorithm that does not fit that key, a bad signature), every
        // client refuses.
        CheckName::Chain
            if crate::cert::same_name_other_key(
                ctx.chain.last().copied().unwrap_or(leaf),
                &ctx.req.anchors,
            )
            .is_some() =>
        {
            false
        }
        CheckName::Chain => matches!(
            ctx.path,
            Err(E::UnsupportedSignatureAlgorithm
                | E::UnsupportedSignatureAlgorithmContext(_)
                | E::UnsupportedSignatureAlgorithmForPublicKey
                | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_)
                | E::UnsupportedCriticalExtension
                | E::RequiredEkuNotFound
                | E::RequiredEkuNotFoundContext(_)
                | E::NameConstraintViolation
                | E::BadDer
                | E::TrailingData(_))
        ),
        _ => false,
    }
}

/// Whether a failed check is one the families' own rules decide (so it counts only through
/// the clients): a PKCS#8 v2 key, which Go and rustls load and OpenSSL 3.0 and GnuTLS do not.
/// So is a CA whose only defect is an unknown critical extension: OpenSSL, Go, Chromium and
/// GnuTLS refuse it; rustls, Java and NSS do not process a trust anchor's extensions.
fn model_only(ctx: &Context<'_>, check: &Check) -> bool {
    match check.name {
        CheckName::Key => ctx.req.key_file.is_some_and(|k| k.pkcs8_v2 && !k.encrypted),
        CheckName::Ca => the_ca(ctx).is_some_and(|ca| {
            let defects = crate::ca_fitness::ca_defects(ca, ctx.req.at);
            !defects.is_empty()
                && defects.iter().all(|d| {
                    matches!(d, crate::ca_fitness::CaDefect::UnknownCriticalExtension { .. })
                })
                // …and nothing else is wrong with the CA (problems are joined by "; ").
                && check.detail.matches("; ").count() + 1 == defects.len()
        }),
        _ => false,
    }
}

/// The CA of the path webpki used; else the one named as the top certificate's issuer.
fn the_ca<'a>(ctx: &Context<'a>) -> Option<&'a CertInfo> {
    let req = ctx.req;
    match &ctx.path {
        Ok(p) => req.anchors.get(p.anchor),
        Err(_) => {
            let top = ctx.chain.last()?;
            req.anchors
                .iter()
                .position(|a| a.subject_raw == top.issuer_raw)
                .or_else(|| (req.anchors.len() == 1).then_some(0))
                .and_then(|a| req.anchors.get(a))
        }
    }
}

/// The model's consumer (SPEC §6): the path's certificates, what webpki refused (rustls's
/// verdict) and what every client refuses go to [`clients::judge_all`].
fn clients_of(ctx: &Context<'_>, checks: &[Check]) -> Vec<Verdict> {
    let req = ctx.req;
    if req.clients.is_empty() {
        return Vec::new();
    }
    let leaf = ctx.leaf();
    // The path webpki used; else the bundle up to the CA named as the top's issuer.
    let (anchor, inter): (Option<usize>, Vec<usize>) = match &ctx.path {
        Ok(p) => (Some(p.anchor), p.intermediates.clone()),
        Err(_) => {
            let top = ctx.chain.last().copied().unwrap_or(leaf);
            let a = req
                .anchors
                .iter()
                .position(|a| a.subject_raw == top.issuer_raw)
                .or_else(|| (req.anchors.len() == 1).then_some(0));
            (a, (1..ctx.chain.len()).collect())
        }
    };
    let mut issuers: Vec<&[u8]> = inter.iter().map(|i| ctx.chain[*i].der.as_slice()).collect();
    issuers.extend(
        anchor
            .and_then(|a| req.anchors.get(a))
            .map(|a| a.der.as_slice()),
    );
    let facts =
        clients::facts::path_facts(&leaf.der, &issuers, &req.hosts, req.ca_pem, req.key_file);
    let mut facts = match facts {
        Ok(f) => clients::Facts {
            cert_pem: req.cert_pem,
            ..f
        },
        Err(e) => return clients::refuse_all(&req.clients, &format!("a certificate {e}")),
    };
    let failed = |c: &&Check| !c.ok && !c.skipped;
    facts.webpki = checks
        .iter()
        .filter(failed)
        .find(|c| rustls_only(ctx, c))
        .map(|c| c.detail.clone());
    facts.universal = checks
        .iter()
        .filter(failed)
        .find(|c| !rustls_only(ctx, c) && !model_only(ctx, c) && c.name != CheckName::KeyMode)
        .map(|c| c.detail.clone());
    clients::judge_all(&req.clients, &facts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue::{self, CaProfile};
    use crate::key_type::KeyType;

    #[test]
    fn an_ed25519_pkcs8_v2_key_fails_the_key_check() {
        // OpenSSL 3.0 cannot load it, so uvicorn, nginx and llama-server cannot start.
        let key = issue::generate_key(KeyType::Ed25519).unwrap();
        let profile = CaProfile {
            common_name: "x".into(),
            days: 30,
            pathlen: 0,
            name_constraints: None,
        };
        let now = OffsetDateTime::now_utc();
        let leaf = issue::issue_ca(&profile, &key, now).unwrap();
        let leaf = cert::parse_pem(leaf.cert_pem.as_bytes()).unwrap();
        let key_input = |pem: &str| KeyInput {
            path: "k.key".into(),
            facts: crate::keyfile::read_file_bytes(pem.as_bytes()).unwrap(),
            mode: 0o600,
        };
        let mut req = Request {
            chain: vec![leaf.clone()],
            anchors: vec![leaf],
            ca_path: "ca.crt".into(),
            key: Some(key_input(&crate::keyfile::tests::ed25519_v2_pem())),
            ca_key: None,
            hosts: Vec::new(),
            at: now,
            stem: None,
            own_ca: false,
            nearby: Vec::new(),
            dir: None,
            clients: Vec::new(),
            ca_pem: PemQuirks::default(),
            cert_pem: PemQuirks::default(),
            key_file: None,
        };
        let key_check = |req: &Request| {
            verify(req)
                .checks
                .into_iter()
                .find(|c| c.name == CheckName::Key)
                .unwrap()
        };
        let check = key_check(&req);
        assert!(!check.ok);
        assert!(check.detail.contains("PKCS#8 v2"), "{}", check.detail);
        assert!(check.detail.contains("OpenSSL 3.0"), "{}", check.detail);
        // The same algorithm as PKCS#8 v1 is judged by whether it matches.
        req.key = Some(key_input(&key.serialize_pem()));
        assert!(key_check(&req).ok);
    }
}

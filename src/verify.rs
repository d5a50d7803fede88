//! `aitls verify` as data: would a TLS client accept this certificate?
//!
//! Path building, signatures, validity of every certificate, basicConstraints of the
//! issuers, extendedKeyUsage and name matching are decided by rustls-webpki, the code every
//! rustls client runs, so "valid" here means "a rustls client would connect". Around it
//! come the checks webpki leaves to others, each made so that the verdict also agrees with
//! `openssl verify -purpose sslserver`: the CA's own constraints (CA:TRUE, keyCertSign,
//! validity, pathLenConstraint), keyUsage fit for TLS, a subjectAltName present, the key
//! matching the certificate and the key file being owner-only.
//!
//! Takes parsed values, returns a [`VerifyReport`]; never reads files, never prints.

use std::time::Duration;

use rustls_pki_types::{CertificateDer, ServerName, TrustAnchor, UnixTime};
use serde::Serialize;
use time::OffsetDateTime;
use webpki::{EndEntityCert, KeyUsage};

use crate::cert::{self, CertInfo};
use crate::fix::{Fix, Need, Reissue};
use crate::inspect::{self, Block};
use crate::names::SanName;

/// The verdict: the wire format of `aitls verify --json`.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    /// Whether every check passed (warnings do not count against it).
    pub valid: bool,
    /// Every check made, in order.
    pub checks: Vec<Check>,
}

/// One named check and its result.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Stable name: `chain`, `ca`, `validity`, `usage`, `san`, `host`, `key` or `key_mode`.
    pub name: &'static str,
    /// Whether it passed.
    pub ok: bool,
    /// Passed, but with something to act on soon (expiry within 30 days).
    pub warning: bool,
    /// What was found, in words.
    pub detail: String,
    /// What fixes a failure or warning; absent when all is well. The binary words it
    /// (`fix` in `--json` is that text).
    #[serde(skip)]
    pub fix: Option<Fix>,
}

impl Check {
    fn pass(name: &'static str, detail: String) -> Self {
        Check {
            name,
            ok: true,
            warning: false,
            detail,
            fix: None,
        }
    }

    fn fail(name: &'static str, detail: String, fix: Option<Fix>) -> Self {
        Check {
            name,
            ok: false,
            warning: false,
            detail,
            fix,
        }
    }
}

/// The private key to check against the certificate.
#[derive(Debug, Clone)]
pub struct KeyInput {
    /// The key's file, as shown to the user.
    pub path: String,
    /// The key's public half (SubjectPublicKeyInfo, DER).
    pub spki_der: Vec<u8>,
    /// The file's permission bits.
    pub mode: u32,
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
    /// Names a client will connect to; each must match as a browser matches it.
    pub hosts: Vec<SanName>,
    /// The time to check validity at.
    pub at: OffsetDateTime,
    /// The stem when the certificate is `DIR/STEM.crt`, which `aitls server --out STEM`
    /// reissues; fixes then are that command.
    pub stem: Option<String>,
    /// Whether the CA is aitls's own (`DIR/ca.crt`): only then may a fix replace it.
    pub own_ca: bool,
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
            Block::PrivateKey { .. } | Block::EncryptedPrivateKey => {
                return Err("holds a private key, not a certificate".into());
            }
            Block::PublicKey(_) => return Err("holds a public key, not a certificate".into()),
        }
    }
    Ok(certs)
}

/// Parses the `--host` value: a DNS name or an IP address a client connects to.
pub fn parse_host(host: &str) -> crate::error::Result<SanName> {
    let name = crate::names::parse(host)?;
    if matches!(&name, SanName::Dns(d) if d.starts_with("*.")) {
        return Err(crate::Error::InvalidValue {
            what: "--host",
            value: host.to_owned(),
            reason: "a client connects to a host name, not a wildcard; give a name the wildcard should cover".into(),
        });
    }
    Ok(name)
}

fn describe_name(info: &CertInfo) -> String {
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

/// Runs every check.
pub fn verify(req: &Request) -> VerifyReport {
    let mut checks = Vec::new();
    let Some(leaf) = req.chain.first() else {
        checks.push(Check::fail("chain", "no certificate given".into(), None));
        return VerifyReport {
            valid: false,
            checks,
        };
    };
    let reissue = |need: Need| reissue(req, leaf, Vec::new(), need);

    // The path, as a rustls client builds it.
    let leaf_der = CertificateDer::from(leaf.der.as_slice());
    let intermediates: Vec<CertificateDer<'_>> = req.chain[1..]
        .iter()
        .map(|c| CertificateDer::from(c.der.as_slice()))
        .collect();
    let anchor_ders: Vec<CertificateDer<'_>> = req
        .anchors
        .iter()
        .map(|c| CertificateDer::from(c.der.as_slice()))
        .collect();
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
    // Which anchor and how many intermediates the verified path used.
    let mut used: Option<(usize, Vec<usize>)> = None;
    match &ee {
        Err(e) => checks.push(Check::fail(
            "chain",
            format!("rustls cannot read the certificate ({})", webpki_reason(e)),
            Some(reissue(Need::Renewal)),
        )),
        Ok(ee) => {
            let result = ee.verify_for_usage(
                webpki::ALL_VERIFICATION_ALGS,
                &anchor_list,
                &intermediates,
                at,
                KeyUsage::server_auth(),
                None,
                None,
            );
            match result {
                Ok(path) => {
                    let anchor_idx = anchor_list
                        .iter()
                        .position(|a| std::ptr::eq(a, path.anchor()))
                        .map_or(0, |i| anchors[i].0);
                    let inter_idx: Vec<usize> = path
                        .intermediate_certificates()
                        .filter_map(|c| {
                            req.chain[1..]
                                .iter()
                                .position(|x| x.der == c.der().as_ref())
                                .map(|i| i + 1)
                        })
                        .collect();
                    let mut via = String::new();
                    for i in &inter_idx {
                        via.push_str(&format!(" via {}", describe_name(&req.chain[*i])));
                    }
                    checks.push(Check::pass(
                        "chain",
                        format!(
                            "signed by CA {} ({}){via}; rustls accepts the path",
                            describe_name(&req.anchors[anchor_idx]),
                            req.ca_path
                        ),
                    ));
                    used = Some((anchor_idx, inter_idx));
                }
                Err(e) => {
                    let fix = match e {
                        webpki::Error::UnknownIssuer
                        | webpki::Error::InvalidSignatureForPublicKey => {
                            Some(reissue(Need::SignedByCa))
                        }
                        webpki::Error::CertExpired { .. }
                        | webpki::Error::CertNotValidYet { .. } => None,
                        _ => Some(reissue(Need::Renewal)),
                    };
                    let detail = if matches!(e, webpki::Error::UnknownIssuer) {
                        let top = req.chain.last().unwrap_or(leaf);
                        format!(
                            "no path to the CA in {}: the chain ends at an issuer named {:?} that {} does not hold (or a signature does not verify)",
                            req.ca_path,
                            issuer_cn(top),
                            req.ca_path
                        )
                    } else {
                        format!("rustls rejects the chain: {}", webpki_reason(&e))
                    };
                    checks.push(Check::fail("chain", detail, fix));
                }
            }
        }
    }

    checks.extend(ca_check(req, used.as_ref()));
    checks.push(validity_check(leaf, req.at, &reissue));
    checks.push(usage_check(leaf, &reissue));
    checks.push(san_check(leaf, req));
    if let Ok(ee) = &ee {
        for host in &req.hosts {
            checks.push(host_check(ee, leaf, host, req));
        }
    }
    if let Some(key) = &req.key {
        checks.push(if key.spki_der == leaf.spki_der {
            Check::pass("key", format!("{} matches the certificate", key.path))
        } else {
            Check::fail(
                "key",
                format!("{} does not match the certificate: a server using the pair fails every handshake", key.path),
                Some(if req.stem.is_some() {
                    reissue(Need::Renewal)
                } else {
                    Fix::UseIssuedKey
                }),
            )
        });
        checks.push(if crate::store::is_owner_only(key.mode) {
            Check::pass(
                "key_mode",
                format!("{} is owner-only (mode {:04o})", key.path, key.mode),
            )
        } else {
            Check::fail(
                "key_mode",
                format!(
                    "{} is readable by group or others (mode {:04o})",
                    key.path, key.mode
                ),
                Some(Fix::Chmod {
                    path: key.path.clone().into(),
                }),
            )
        });
    }
    let valid = checks.iter().all(|c| c.ok);
    VerifyReport { valid, checks }
}

/// The fix that reissues `leaf`: an `aitls server` command when aitls manages it.
fn reissue(req: &Request, leaf: &CertInfo, names: Vec<String>, need: Need) -> Fix {
    Fix::Reissue(Reissue {
        stem: req.stem.clone(),
        key_type: leaf.key_type,
        names,
        need,
    })
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

/// The webpki error in words. The deprecated variants are still produced by some paths.
#[allow(deprecated)]
fn webpki_reason(e: &webpki::Error) -> String {
    use webpki::Error as E;
    match e {
        E::CertExpired { .. } => "a certificate in the chain has expired".into(),
        E::CertNotValidYet { .. } => "a certificate in the chain is not valid yet".into(),
        E::InvalidCertValidity => "a certificate's notBefore is after its notAfter".into(),
        E::CaUsedAsEndEntity => "the certificate is a CA certificate (CA:TRUE), not a server certificate".into(),
        E::EndEntityUsedAsCa => "an issuer in the chain is not a CA (basicConstraints CA:FALSE or missing)".into(),
        E::RequiredEkuNotFound | E::RequiredEkuNotFoundContext(_) => {
            "a certificate in the chain does not allow TLS server use (extendedKeyUsage without serverAuth)".into()
        }
        E::EmptyEkuExtension => "a certificate has an empty extendedKeyUsage".into(),
        E::PathLenConstraintViolated => "the chain is longer than an issuer's pathLenConstraint allows".into(),
        E::NameConstraintViolation => "a name violates the CA's name constraints".into(),
        E::InvalidSignatureForPublicKey => "a signature does not verify with its issuer's key".into(),
        E::UnsupportedSignatureAlgorithm
        | E::UnsupportedSignatureAlgorithmContext(_)
        | E::UnsupportedSignatureAlgorithmForPublicKey
        | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => {
            "a certificate is signed with an algorithm rustls does not accept".into()
        }
        E::UnsupportedCertVersion => "a certificate is not X.509 version 3".into(),
        E::UnsupportedCriticalExtension => "a certificate has a critical extension rustls does not know".into(),
        E::CertDistrusted => "a certificate in the chain is distrusted".into(),
        E::MaximumPathDepthExceeded | E::MaximumPathBuildCallsExceeded | E::MaximumSignatureChecksExceeded => {
            "the chain is too long or too tangled to build".into()
        }
        E::BadDer | E::BadDerTime | E::TrailingData(_) | E::MalformedExtensions | E::ExtensionValueInvalid => {
            "a certificate is malformed DER".into()
        }
        other => format!("rejected ({other:?})"),
    }
}

fn ku_bit(info: &CertInfo, bit: u16) -> Option<bool> {
    info.key_usage.map(|flags| (flags >> bit) & 1 == 1)
}

/// The CA's own constraints, and keyCertSign on intermediates: webpki takes a trust
/// anchor as a bare name and key, and ignores keyUsage; OpenSSL and browsers do not.
fn ca_check(req: &Request, used: Option<&(usize, Vec<usize>)>) -> Option<Check> {
    const KEY_CERT_SIGN: u16 = 5;
    let new_ca = if req.own_ca {
        Fix::RenewCa
    } else {
        Fix::UseFitCa
    };
    let (ca_idx, inter_idx): (usize, Vec<usize>) = match used {
        Some((a, i)) => (*a, i.clone()),
        None => {
            let top = req.chain.last()?;
            let idx = req
                .anchors
                .iter()
                .position(|a| a.subject_raw == top.issuer_raw)
                .or_else(|| (req.anchors.len() == 1).then_some(0))?;
            (idx, Vec::new())
        }
    };
    let ca = req.anchors.get(ca_idx)?;
    let name = describe_name(ca);
    let mut problems = Vec::new();
    if !ca.is_ca {
        problems.push(format!(
            "CA {name} is not a CA certificate (basicConstraints CA:TRUE missing)"
        ));
    }
    if ku_bit(ca, KEY_CERT_SIGN) == Some(false) {
        problems.push(format!(
            "CA {name} has keyUsage without keyCertSign, so it may not sign certificates"
        ));
    }
    if ca.eku_present && !ca.server_auth {
        problems.push(format!(
            "CA {name} has an extendedKeyUsage without serverAuth"
        ));
    }
    if req.at < ca.not_before {
        problems.push(format!(
            "CA {name} is not valid until {}",
            ca.not_before.date()
        ));
    } else if req.at > ca.not_after {
        problems.push(format!("CA {name} expired on {}", ca.not_after.date()));
    }
    if let Some(len) = ca.path_len.filter(|len| inter_idx.len() > *len as usize) {
        problems.push(format!(
            "CA {name} allows {len} intermediate(s) (pathLenConstraint), the chain has {}",
            inter_idx.len()
        ));
    }
    for i in &inter_idx {
        if let Some(inter) = req
            .chain
            .get(*i)
            .filter(|c| ku_bit(c, KEY_CERT_SIGN) == Some(false))
        {
            problems.push(format!(
                "intermediate {} has keyUsage without keyCertSign, so it may not sign certificates",
                describe_name(inter)
            ));
        }
    }
    Some(if problems.is_empty() {
        let days = cert::days_between(req.at, ca.not_after);
        let mut check = Check::pass(
            "ca",
            format!(
                "CA {name} is a CA fit to sign (CA:TRUE, keyCertSign), valid until {} ({days} days left)",
                ca.not_after.date()
            ),
        );
        let renew = Fix::RenewCa;
        // Every certificate it signed dies with it, and reissuing them cannot help.
        if days < cert::EXPIRY_WARNING_DAYS {
            check.warning = true;
            check.detail = format!(
                "CA {name} expires in {days} days, on {}; every certificate it signed ends then",
                ca.not_after.date()
            );
            check.fix = Some(renew.clone());
        } else if ca.key_usage.is_none() {
            // `openssl req -x509` (the seed recipe) makes such CAs. rustls and plain
            // `openssl verify` accept them; OpenSSL's X509_V_FLAG_X509_STRICT, which
            // Python 3.13+ sets in its default context, refuses them (error 92).
            check.warning = true;
            check.detail = format!(
                "CA {name} has no keyUsage: rustls and openssl verify accept it, Python 3.13+ and openssl -x509_strict refuse every certificate it signs"
            );
            check.fix = Some(renew.clone());
        }
        check
    } else {
        Check::fail("ca", problems.join("; "), Some(new_ca))
    })
}

fn validity_check(leaf: &CertInfo, at: OffsetDateTime, reissue: &dyn Fn(Need) -> Fix) -> Check {
    let days = cert::days_between(at, leaf.not_after);
    if at < leaf.not_before {
        Check::fail(
            "validity",
            format!(
                "not valid until {} (notBefore is in the future)",
                leaf.not_before
            ),
            Some(Fix::CheckClock),
        )
    } else if at > leaf.not_after {
        Check::fail(
            "validity",
            format!("expired on {} ({} days ago)", leaf.not_after.date(), -days),
            Some(reissue(Need::Renewal)),
        )
    } else if days < cert::EXPIRY_WARNING_DAYS {
        Check {
            name: "validity",
            ok: true,
            warning: true,
            detail: format!(
                "valid, but expires in {days} days, on {}",
                leaf.not_after.date()
            ),
            fix: Some(reissue(Need::Renewal)),
        }
    } else {
        Check::pass(
            "validity",
            format!("valid until {} ({days} days left)", leaf.not_after.date()),
        )
    }
}

fn usage_check(leaf: &CertInfo, reissue: &dyn Fn(Need) -> Fix) -> Check {
    // keyUsage bits a TLS server key needs one of (OpenSSL's KU_TLS): digitalSignature,
    // keyEncipherment, keyAgreement.
    let tls_ku = leaf.key_usage.is_none_or(|flags| flags & 0b1_0101 != 0);
    let eku_ok = !leaf.eku_present || leaf.server_auth;
    match (eku_ok, tls_ku) {
        (true, true) => Check::pass(
            "usage",
            if leaf.eku_present {
                "allowed for TLS servers (extendedKeyUsage serverAuth)".into()
            } else {
                "allowed for TLS servers (no extendedKeyUsage restriction)".into()
            },
        ),
        (false, _) => Check::fail(
            "usage",
            "extendedKeyUsage does not include serverAuth: clients refuse it for a TLS server".into(),
            Some(reissue(Need::ServerAuth)),
        ),
        (true, false) => Check::fail(
            "usage",
            "keyUsage allows neither digitalSignature nor keyEncipherment: the key cannot be used in a TLS handshake".into(),
            Some(reissue(Need::DigitalSignature)),
        ),
    }
}

fn san_check(leaf: &CertInfo, req: &Request) -> Check {
    if leaf.names.is_empty() {
        let suggestion = leaf.common_name.clone().unwrap_or_else(|| "NAME".into());
        Check::fail(
            "san",
            format!(
                "no DNS or IP subjectAltName: rustls, browsers and Python ignore the common name {}",
                describe_name(leaf)
            ),
            Some(reissue(req, leaf, vec![suggestion], Need::SubjectAltName)),
        )
    } else {
        Check::pass("san", names_list(&leaf.names))
    }
}

fn host_check(ee: &EndEntityCert<'_>, leaf: &CertInfo, host: &SanName, req: &Request) -> Check {
    let server_name: Option<ServerName<'static>> = match host {
        SanName::Ip(ip) => Some(ServerName::from(*ip)),
        SanName::Dns(d) => ServerName::try_from(d.clone()).ok(),
    };
    let matched = server_name.is_some_and(|sn| ee.verify_is_valid_for_subject_name(&sn).is_ok());
    if matched {
        return Check::pass("host", format!("{host} matches the certificate's names"));
    }
    let mut wanted: Vec<String> = leaf.names.iter().map(ToString::to_string).collect();
    wanted.push(host.to_string());
    let hint = match host {
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
    Check::fail(
        "host",
        format!(
            "{host} is not among the certificate's names ({}){hint}",
            if leaf.names.is_empty() {
                "none".to_owned()
            } else {
                names_list(&leaf.names)
            }
        ),
        Some(reissue(req, leaf, wanted, Need::Name(host.to_string()))),
    )
}

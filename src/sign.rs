//! `aitls sign`: a certificate for a key aitls never sees, from its certificate signing
//! request (PKCS#10, RFC 2986).
//!
//! The CSR is read strictly (one request, nothing after it, a signature made by the key it
//! holds), but only its public key, its subject and the names it asks for are taken from
//! it: the profile (leaf or subordinate CA, usages, validity) is decided here, never by the
//! extensions a CSR requests. The pipeline takes the directory lock, loads the CA, issues
//! and writes `DIR/STEM.crt` only, through [`crate::store`].

use std::path::{Path, PathBuf};

use ::time::{Duration, OffsetDateTime};
use rcgen::{DistinguishedName, DnType, DnValue};
use serde::Serialize;
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::error::X509Error;
use x509_parser::prelude::*;

use crate::cert::days_between;
use crate::error::{Error, Result};
use crate::fix::{Fix, Warning};
use crate::inspect::{self, Block};
use crate::issue::{self, IntermediateProfile, MAX_CA_DAYS, MAX_SERVER_DAYS, ServerProfile};
use crate::names::{self, SanName};
use crate::plan::Action;
use crate::provision;
use crate::store::{CA_CERT, CERT_MODE, NewFile, Store};

/// What a CSR says, as far as aitls uses it.
#[derive(Debug, Clone)]
pub struct Csr {
    /// The requester's SubjectPublicKeyInfo, DER.
    pub spki_der: Vec<u8>,
    /// The subject's attributes, for a subordinate CA's subject.
    pub subject: DistinguishedName,
    /// The subject's common name, if any.
    pub common_name: Option<String>,
    /// The DNS names and IP addresses requested in subjectAltName, as text.
    pub names: Vec<String>,
    /// subjectAltNames of other kinds (email, URI ...), which aitls does not issue.
    pub other_names: Vec<String>,
    /// Whether the request asks for basicConstraints CA:TRUE (reported, never obeyed).
    pub requests_ca: bool,
    /// The subject name, DER, as the CSR has it.
    pub subject_raw: Vec<u8>,
}

/// Reads a CSR, PEM (`CERTIFICATE REQUEST`) or DER. Errors are verb phrases to follow the
/// file name: "has a bad signature ...".
pub fn parse_csr(bytes: &[u8]) -> std::result::Result<Csr, String> {
    let blocks = inspect::decode(bytes)?;
    let der = match blocks.as_slice() {
        [Block::CertificateRequest(der)] => der,
        [_] => return Err("is not a certificate signing request".into()),
        _ => {
            return Err("holds more than one object; give one certificate signing request".into());
        }
    };
    if text_after_pem_end(bytes) {
        return Err("has data after the END CERTIFICATE REQUEST line".into());
    }
    let (rest, csr) = X509CertificationRequest::from_der(der)
        .map_err(|_| "is not a valid certificate signing request (malformed DER)".to_owned())?;
    if !rest.is_empty() {
        return Err("has data after the certificate signing request".into());
    }
    // Checked before the signature: the verifier rejects short RSA keys outright, which
    // would read as a bad signature.
    if let Some(bits) =
        rsa_bits(csr.certification_request_info.subject_pki.raw).filter(|&b| b < 2048)
    {
        return Err(format!(
            "holds a {bits}-bit RSA key; TLS clients refuse RSA keys under 2048 bits"
        ));
    }
    csr.verify_signature().map_err(|e| match e {
        X509Error::SignatureUnsupportedAlgorithm => {
            "is signed with an algorithm aitls cannot check".to_owned()
        }
        _ => "has a bad signature: it was not signed by the key it holds (altered or corrupt)"
            .to_owned(),
    })?;
    let info = &csr.certification_request_info;
    let mut names = Vec::new();
    let mut other_names = Vec::new();
    let mut requests_ca = false;
    if let Some(extensions) = csr.requested_extensions() {
        for ext in extensions {
            match ext {
                ParsedExtension::SubjectAlternativeName(san) => {
                    for name in &san.general_names {
                        match name {
                            GeneralName::DNSName(dns) => names.push((*dns).to_owned()),
                            GeneralName::IPAddress(raw) => match raw.len() {
                                4 => names.push(
                                    std::net::IpAddr::from(
                                        <[u8; 4]>::try_from(*raw).unwrap_or_default(),
                                    )
                                    .to_string(),
                                ),
                                16 => names.push(
                                    std::net::IpAddr::from(
                                        <[u8; 16]>::try_from(*raw).unwrap_or_default(),
                                    )
                                    .to_string(),
                                ),
                                _ => other_names.push("a malformed IP address".into()),
                            },
                            other => other_names.push(other.to_string()),
                        }
                    }
                }
                ParsedExtension::BasicConstraints(bc) => requests_ca |= bc.ca,
                _ => {}
            }
        }
    }
    Ok(Csr {
        spki_der: info.subject_pki.raw.to_vec(),
        subject: subject_of(&info.subject)?,
        common_name: info
            .subject
            .iter_common_name()
            .next()
            .and_then(|cn| cn.as_str().ok())
            .map(str::to_owned),
        names,
        other_names,
        requests_ca,
        subject_raw: info.subject.as_raw().to_vec(),
    })
}

/// Whether anything but whitespace follows the last PEM END line. The pem crate ignores
/// such text, but a file with something appended is not the file that was signed for.
fn text_after_pem_end(bytes: &[u8]) -> bool {
    let marker = b"-----END ";
    let Some(end) = bytes.windows(marker.len()).rposition(|w| w == marker) else {
        return false;
    };
    let after_marker = &bytes[end + marker.len()..];
    // The END line closes with its own run of five dashes.
    let Some(close) = after_marker.windows(5).position(|w| w == b"-----") else {
        return false;
    };
    !after_marker[close + 5..]
        .iter()
        .all(u8::is_ascii_whitespace)
}

/// The CSR's subject as rcgen writes it: every attribute with a string value, in order.
fn subject_of(name: &X509Name<'_>) -> std::result::Result<DistinguishedName, String> {
    let mut dn = DistinguishedName::new();
    for attr in name.iter_attributes() {
        let oid: Vec<u64> = attr
            .attr_type()
            .iter()
            .ok_or_else(|| "has a subject attribute aitls cannot read".to_owned())?
            .collect();
        let text = attr
            .as_str()
            .map_err(|_| "has a subject attribute that is not text".to_owned())?;
        let value = match attr.attr_value().header.tag() {
            x509_parser::der_parser::asn1_rs::Tag::PrintableString => DnValue::PrintableString(
                text.try_into()
                    .map_err(|_| "has a malformed PrintableString in its subject".to_owned())?,
            ),
            _ => DnValue::Utf8String(text.to_owned()),
        };
        dn.push(DnType::from_oid(&oid), value);
    }
    Ok(dn)
}

/// What `aitls sign` is asked for.
#[derive(Debug, Clone)]
pub struct SignRequest {
    /// Where the CSR came from (`-` for stdin), for messages.
    pub csr_path: PathBuf,
    /// The names given on the command line; empty: the CSR's own.
    pub names: Vec<SanName>,
    /// File stem: writes `DIR/STEM.crt`.
    pub stem: String,
    /// Validity in days.
    pub days: u32,
    /// Add clientAuth (leaf only).
    pub client_auth: bool,
    /// Sign a subordinate CA instead of a leaf.
    pub intermediate: bool,
}

/// What `aitls sign` did: the wire format of its `--json` output.
#[derive(Debug, Clone, Serialize)]
pub struct SignOutcome {
    /// `created`, or `replaced` when `STEM.crt` existed.
    pub action: Action,
    /// Path of the certificate written.
    pub cert: PathBuf,
    /// `server` (a leaf) or `intermediate` (a subordinate CA).
    pub profile: &'static str,
    /// Subject common name.
    pub common_name: String,
    /// The subjectAltNames of a leaf (`null` for an intermediate).
    pub names: Option<Vec<SanName>>,
    /// End of validity, RFC 3339.
    #[serde(with = "::time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    /// Whole days from now until `not_after`.
    pub days_left: i64,
    /// Things the user should know that did not stop the command. The binary words them
    /// with their fixes, also in `--json` (an array of strings).
    #[serde(skip)]
    pub warnings: Vec<Warning>,
}

fn malformed(path: &Path, reason: String, fixes: Vec<Fix>) -> Error {
    Error::Malformed {
        path: path.to_owned(),
        reason,
        fixes,
    }
}

/// The names a leaf gets: those given, else the CSR's, each checked like `server`'s.
fn leaf_names(req: &SignRequest, csr: &Csr) -> Result<Vec<SanName>> {
    if !req.names.is_empty() {
        return Ok(req.names.clone());
    }
    if let Some(other) = csr.other_names.first() {
        return Err(malformed(
            &req.csr_path,
            format!("requests a subjectAltName aitls does not issue ({other})"),
            vec![Fix::SignWithNames {
                csr: req.csr_path.clone(),
            }],
        ));
    }
    if csr.names.is_empty() {
        return Err(malformed(
            &req.csr_path,
            "requests no DNS name or IP address (no subjectAltName)".into(),
            vec![Fix::SignWithNames {
                csr: req.csr_path.clone(),
            }],
        ));
    }
    names::parse_all(&csr.names)
}

/// Signs the CSR in `csr_bytes` with the CA in `store` and writes `DIR/STEM.crt`
/// (SPEC §10). Nothing is written when any check fails.
pub fn sign(
    store: &Store,
    req: &SignRequest,
    csr_bytes: &[u8],
    now: OffsetDateTime,
) -> Result<SignOutcome> {
    let now = now.replace_nanosecond(0).unwrap_or(now);
    crate::store::check_stem(&req.stem)?;
    let csr = parse_csr(csr_bytes).map_err(|r| malformed(&req.csr_path, r, Vec::new()))?;
    let public_key = rcgen::SubjectPublicKeyInfo::from_der(&csr.spki_der).map_err(|_| {
        malformed(
            &req.csr_path,
            "holds a public key of a type aitls cannot certify (use RSA, ECDSA P-256/P-384 or Ed25519)".into(),
            Vec::new(),
        )
    })?;
    let mut warnings = Vec::new();
    let names = if req.intermediate {
        issue::check_days(req.days, MAX_CA_DAYS)?;
        None
    } else {
        if req.days == 0 {
            issue::check_days(req.days, MAX_SERVER_DAYS)?;
        }
        if req.days > MAX_SERVER_DAYS {
            return Err(Error::InvalidValue {
                what: "--days",
                value: req.days.to_string(),
                reason: format!(
                    "a server certificate is valid for at most {MAX_SERVER_DAYS} days (Apple platforms reject longer)"
                ),
            });
        }
        Some(leaf_names(req, &csr)?)
    };
    let cert_file = crate::store::cert_file(&req.stem);
    let key_file = crate::store::key_file(&req.stem);

    let lock = store.lock()?;
    let ca = provision::load_ca(store, &lock, now, &mut warnings)?;
    // A key already under this stem must be the CSR's: otherwise STEM.crt and STEM.key
    // would not match (SPEC §4).
    if let Some(key_file_read) = lock.read(&key_file)? {
        let same = issue::load_key(&key_file_read.bytes)
            .is_ok_and(|k| rcgen::PublicKeyData::subject_public_key_info(&k) == csr.spki_der);
        if !same {
            return Err(Error::Refused {
                message: format!(
                    "{} exists and is not the key of this CSR; {} would not match it",
                    store.path(&key_file).display(),
                    store.path(&cert_file).display()
                ),
                fixes: vec![Fix::OtherStem],
            });
        }
    }
    let existed = lock.exists(&cert_file)?;

    let (cert_pem, not_after, common_name, profile) = match &names {
        None => {
            if ca.cert.path_len == Some(0) {
                return Err(Error::Refused {
                    message: format!(
                        "the CA {} has pathlen:0: it may sign certificates for servers, not for another CA",
                        store.path(CA_CERT).display()
                    ),
                    fixes: vec![Fix::RenewCaPathlen { pathlen: 1 }],
                });
            }
            // Clients find a certificate's issuer by name: a subordinate CA without a name,
            // or with its root's name, would make chains ambiguous.
            if csr
                .common_name
                .as_deref()
                .is_none_or(|cn| cn.trim().is_empty())
            {
                return Err(malformed(
                    &req.csr_path,
                    "has no subject common name; an intermediate CA needs a name".into(),
                    Vec::new(),
                ));
            }
            if csr.subject_raw == ca.cert.subject_raw {
                return Err(malformed(
                    &req.csr_path,
                    "asks for the root CA's own name; an intermediate needs a name of its own"
                        .into(),
                    Vec::new(),
                ));
            }
            let profile = IntermediateProfile {
                subject: csr.subject.clone(),
                days: req.days,
                not_after_cap: Some(ca.cert.not_after),
            };
            let (pem, not_after) = issue::issue_intermediate(&ca, &profile, &public_key, now)?;
            let cn = csr.common_name.clone().unwrap_or_default();
            (pem, not_after, cn, "intermediate")
        }
        Some(names) => {
            // Whoever made the CA (aitls --permit, openssl), never issue what clients refuse.
            crate::constraints::ensure_permitted(&ca.cert.der, &store.path(CA_CERT), names)?;
            let common_name = match &csr.common_name {
                Some(cn)
                    if names
                        .iter()
                        .any(|n| n.to_string() == cn.to_ascii_lowercase()) =>
                {
                    cn.to_ascii_lowercase()
                }
                _ => names::default_common_name(names).unwrap_or_default(),
            };
            if csr.requests_ca {
                warnings.push(Warning::from(
                    "the CSR asks for CA:TRUE; it gets a server certificate (CA:FALSE): use --intermediate for a subordinate CA",
                ));
            }
            let profile = ServerProfile {
                common_name: common_name.clone(),
                names: names.clone(),
                days: req.days,
                client_auth: req.client_auth,
                not_after_cap: Some(ca.cert.not_after),
                window: None,
            };
            let (pem, not_after) = issue::issue_server_for(&ca, &profile, &public_key, now)?;
            (pem, not_after, common_name, "server")
        }
    };
    lock.write_all(&[NewFile {
        name: cert_file.clone(),
        contents: cert_pem.as_bytes(),
        mode: CERT_MODE,
    }])?;
    let asked_end = crate::clock::add_days(now, req.days, "the certificate").ok();
    if asked_end.is_some_and(|end| end - not_after > Duration::days(1)) {
        warnings.push(Warning::from(format!(
            "the certificate ends on {}, when the CA expires, not after {} days as asked",
            not_after.date(),
            req.days
        )));
    }
    Ok(SignOutcome {
        action: if existed {
            Action::Replaced
        } else {
            Action::Created
        },
        cert: store.path(&cert_file),
        profile,
        common_name,
        names,
        not_after,
        days_left: days_between(now, not_after),
        warnings,
    })
}

/// The modulus size of an RSA SubjectPublicKeyInfo; `None` for other keys.
fn rsa_bits(spki_der: &[u8]) -> Option<usize> {
    let (_, spki) = SubjectPublicKeyInfo::from_der(spki_der).ok()?;
    match spki.parsed().ok()? {
        x509_parser::public_key::PublicKey::RSA(rsa) => Some(rsa.key_size()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_after_the_end_line_is_found() {
        let pem = b"-----BEGIN X-----\nAAAA\n-----END X-----\n";
        assert!(!text_after_pem_end(pem));
        assert!(!text_after_pem_end(
            b"-----BEGIN X-----\nAAAA\n-----END X-----\n\n  \n"
        ));
        assert!(text_after_pem_end(
            b"-----BEGIN X-----\nAAAA\n-----END X-----\ngarbage"
        ));
        assert!(!text_after_pem_end(b"\x30\x03\x02\x01\x00"));
    }

    #[test]
    fn a_csr_is_read_and_its_names_taken() {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params =
            rcgen::CertificateParams::new(vec!["api.test".into(), "10.0.0.5".into()]).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let pem = params.serialize_request(&key).unwrap().pem().unwrap();
        let csr = parse_csr(pem.as_bytes()).unwrap();
        assert_eq!(csr.names, ["api.test", "10.0.0.5"]);
        assert!(csr.requests_ca);
        assert!(parse_csr(b"garbage").is_err());
    }
}

//! Reading any certificate-shaped input (certificates and whole bundles, CSRs, private and
//! public keys; PEM or DER) into plain, serialisable views for `aitls inspect`, and the
//! decoding step that `aitls verify` shares.
//!
//! Takes bytes and returns values; never reads files, never prints. Errors are short
//! phrases that the caller prefixes with the file they came from. Private keys are parsed
//! only to derive their public half: no view holds or shows secret material.
//!
//! The field doc comments of [`Item`] and the views it holds are the JSON schema of
//! `aitls inspect --json` (see `docs/json.md`).

mod decode;
mod keys;

use std::net::IpAddr;

use ::time::OffsetDateTime;
use serde::Serialize;
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::prelude::*;

use crate::cert;
use keys::colon_hex;

pub use decode::{Block, decode};
pub use keys::{KeyFacts, fingerprint_sha256, key_facts, pin_sha256, public_key_of_private};

/// One thing found in an input: the wire format of one element of `aitls inspect --json`.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// The file it came from, as given (`-` for stdin).
    pub file: String,
    /// Its position in that file, from 1 (bundles hold many certificates).
    pub index: usize,
    /// What it is, and what it says.
    #[serde(flatten)]
    pub body: Body,
}

/// The kinds of item; `type` in JSON.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Body {
    /// An X.509 certificate.
    Certificate(Box<CertView>),
    /// A PKCS#10 certificate signing request.
    CertificateRequest(CsrView),
    /// A private key (only public facts about it).
    PrivateKey(KeyView),
    /// A password-protected private key.
    EncryptedPrivateKey(EncryptedKeyView),
    /// A public key.
    PublicKey(PublicKeyView),
}

/// Validity of a certificate at the time of inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Within its validity period.
    Valid,
    /// notAfter has passed.
    Expired,
    /// notBefore is still in the future.
    NotYetValid,
}

/// basicConstraints as the certificate states it.
#[derive(Debug, Clone, Serialize)]
pub struct BasicConstraintsView {
    /// cA.
    pub ca: bool,
    /// pathLenConstraint.
    pub path_len: Option<u32>,
    /// Whether the extension is marked critical.
    pub critical: bool,
}

/// Everything `inspect` shows about a certificate.
#[derive(Debug, Clone, Serialize)]
pub struct CertView {
    /// Subject name, as `CN=…, O=…` in certificate order.
    pub subject: String,
    /// Issuer name, same form.
    pub issuer: String,
    /// Whether subject and issuer are the same name (a root or a self-signed certificate).
    pub self_issued: bool,
    /// Serial number, uppercase hex, as `openssl x509 -noout -serial` prints it (a
    /// negative one as `-` and its magnitude).
    pub serial: String,
    /// Start of validity, RFC 3339.
    #[serde(with = "::time::serde::rfc3339")]
    pub not_before: OffsetDateTime,
    /// End of validity, RFC 3339.
    #[serde(with = "::time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    /// Whole days from now until `not_after` (negative once expired).
    pub days_left: i64,
    /// `valid`, `expired` or `not_yet_valid`, now.
    pub status: Status,
    /// The subject public key.
    #[serde(flatten)]
    pub key: KeyFacts,
    /// Signature algorithm, by OpenSSL's name (`sha256WithRSAEncryption`, `ecdsa-with-SHA256`).
    pub signature_algorithm: String,
    /// subjectAltNames.
    #[serde(flatten)]
    pub names: SanView,
    /// basicConstraints; `null` when absent.
    pub basic_constraints: Option<BasicConstraintsView>,
    /// nameConstraints (`aitls ca --permit`); `null` when absent.
    pub name_constraints: Option<crate::constraints::Constraints>,
    /// keyUsage bits by their RFC 5280 names (`digitalSignature`, `keyCertSign` …); `null`
    /// when absent.
    pub key_usage: Option<Vec<String>>,
    /// extendedKeyUsage purposes (`serverAuth`, `clientAuth`, … or an OID); `null` when
    /// absent.
    pub extended_key_usage: Option<Vec<String>>,
    /// subjectKeyIdentifier, uppercase hex with colons.
    pub subject_key_id: Option<String>,
    /// authorityKeyIdentifier keyIdentifier, uppercase hex with colons.
    pub authority_key_id: Option<String>,
    /// SHA-256 of the whole certificate, exactly as `openssl x509 -noout -fingerprint
    /// -sha256` prints it (uppercase hex with colons).
    pub fingerprint_sha256: String,
    /// In a directory listing: the file of the certificate that signed this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued_by: Option<String>,
    /// The client families (SPEC §6) that refuse this certificate for what it says
    /// itself (a CA: as the root of a sound server certificate), with the reason each.
    pub refused_by: Vec<crate::clients::Verdict>,
    #[serde(skip)]
    der: Vec<u8>,
}

/// Everything `inspect` shows about a certificate signing request.
#[derive(Debug, Clone, Serialize)]
pub struct CsrView {
    /// Requested subject name.
    pub subject: String,
    /// The public key to be certified.
    #[serde(flatten)]
    pub key: KeyFacts,
    /// Signature algorithm, by OpenSSL's name.
    pub signature_algorithm: String,
    /// Requested subjectAltNames.
    #[serde(flatten)]
    pub names: SanView,
}

/// What `inspect` shows about a private key: public facts only.
#[derive(Debug, Clone, Serialize)]
pub struct KeyView {
    /// `pkcs8` (`BEGIN PRIVATE KEY`), `pkcs1` (`BEGIN RSA PRIVATE KEY`), `sec1`
    /// (`BEGIN EC PRIVATE KEY`) or `dsa` (`BEGIN DSA PRIVATE KEY`).
    pub format: String,
    /// The exact encoding: `pkcs8-v1`, `pkcs8-v2` (RFC 5958, which OpenSSL 3.0 cannot
    /// read for Ed25519), `pkcs1`, `sec1` or `dsa`.
    pub encoding: crate::keyfile::KeyEncoding,
    /// Always `false` here (an encrypted key is an `encrypted_private_key` item).
    pub encrypted: bool,
    /// The public half.
    #[serde(flatten)]
    pub key: KeyFacts,
    /// File permission bits in octal (`0600`); `null` for stdin.
    pub mode: Option<String>,
    /// Whether only the owner can read the file (no group or other bits); `null` for stdin.
    pub owner_only: Option<bool>,
    /// In a directory listing: the certificate file whose public key this key holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<String>,
}

/// What `inspect` shows about an encrypted private key.
#[derive(Debug, Clone, Serialize)]
pub struct EncryptedKeyView {
    /// `encrypted-pkcs8` (`BEGIN ENCRYPTED PRIVATE KEY`) or `legacy-encrypted-pem`
    /// (`Proc-Type: 4,ENCRYPTED` in an RSA, EC or DSA block).
    pub encoding: crate::keyfile::KeyEncoding,
    /// Always `true`.
    pub encrypted: bool,
    /// The encryption in words (`PBES2 PBKDF2-HMAC-SHA256 AES-256-CBC`, `AES-256-CBC`);
    /// `null` when not recognised.
    pub encryption: Option<String>,
    /// `rsa`, `ecdsa` or `dsa` for legacy encrypted PEM (its label says); `null` for
    /// encrypted PKCS#8, which hides the algorithm.
    pub key_algorithm: Option<String>,
    /// File permission bits in octal; `null` for stdin.
    pub mode: Option<String>,
    /// Whether only the owner can read the file; `null` for stdin.
    pub owner_only: Option<bool>,
}

/// What `inspect` shows about a public key.
#[derive(Debug, Clone, Serialize)]
pub struct PublicKeyView {
    /// The key.
    #[serde(flatten)]
    pub key: KeyFacts,
}

/// Looks at every object in one input. `file` is how the input is named in the result;
/// `mode` its permission bits, when it is a file; `now` decides validity and days left.
pub fn inspect(
    file: &str,
    bytes: &[u8],
    mode: Option<u32>,
    now: OffsetDateTime,
) -> Result<Vec<Item>, String> {
    let blocks = decode(bytes)?;
    let several = blocks.len() > 1;
    let mut items = Vec::with_capacity(blocks.len());
    for (i, block) in blocks.into_iter().enumerate() {
        // "certificate 3 is …" in a bundle; just "is …" for a file of one item.
        let which = |what: &str| {
            if several {
                format!("{what} {} ", i + 1)
            } else {
                String::new()
            }
        };
        let body = match block {
            Block::Certificate(der) => Body::Certificate(Box::new(
                cert_view(der, now).map_err(|e| format!("{}{e}", which("certificate")))?,
            )),
            Block::CertificateRequest(der) => Body::CertificateRequest(
                csr_view(&der).map_err(|e| format!("{}{e}", which("request")))?,
            ),
            Block::PrivateKey(raw) => {
                let facts =
                    crate::keyfile::read(&raw).map_err(|e| format!("{}{e}", which("key")))?;
                private_key_body(&facts, mode)
            }
            Block::PublicKey(der) => Body::PublicKey(PublicKeyView {
                key: key_facts(&der).map_err(|e| format!("{}{e}", which("public key")))?,
            }),
        };
        items.push(Item {
            file: file.to_owned(),
            index: i + 1,
            body,
        });
    }
    Ok(items)
}

/// In a directory listing, ties keys to their certificates and certificates to the CA
/// certificate that signed them (by public key and signature, not by file name).
///
/// Linear in the number of items: keys find their certificate through an index by SPKI
/// pin, and a certificate's signature is checked only against CA certificates whose
/// subject is its issuer and whose subjectKeyIdentifier does not contradict its
/// authorityKeyIdentifier (as OpenSSL's `X509_check_issued` decides), once per distinct
/// CA key. A directory of many CA certificates with one subject (every `aitls ca --force`
/// kept as a copy) was quadratic in signature checks before.
pub fn link(items: &mut [Item]) {
    use std::collections::{HashMap, HashSet};

    struct Issuer {
        file: String,
        spki_der: Vec<u8>,
        key_id: Option<String>,
    }
    // Where a certificate is in several files (the guide's CA rotation keeps ca.crt,
    // ca-old.crt and ca-bundle.crt), name a file holding it alone over a bundle, and
    // ca.crt first: that is the file to give to --ca or to a client.
    let mut certs_in: HashMap<String, usize> = HashMap::new();
    for item in items.iter() {
        if matches!(item.body, Body::Certificate(_)) {
            *certs_in.entry(item.file.clone()).or_default() += 1;
        }
    }
    let rank = |file: &str| {
        let bundle = certs_in.get(file).copied().unwrap_or(0) > 1;
        let not_ca_crt = std::path::Path::new(file)
            .file_name()
            .is_none_or(|n| n != crate::store::CA_CERT);
        (bundle, not_ca_crt)
    };
    let mut by_pin: HashMap<String, String> = HashMap::new();
    let mut by_subject: HashMap<Vec<u8>, Vec<Issuer>> = HashMap::new();
    let mut parsed: Vec<Option<cert::CertInfo>> = Vec::with_capacity(items.len());
    for item in items.iter() {
        let Body::Certificate(c) = &item.body else {
            parsed.push(None);
            continue;
        };
        let info = cert::parse_der(&c.der).ok();
        if let Some(pin) = &c.key.pin_sha256 {
            let best = by_pin
                .entry(pin.clone())
                .or_insert_with(|| item.file.clone());
            if rank(&item.file) < rank(best) {
                best.clone_from(&item.file);
            }
        }
        if let Some(ca) = info.as_ref().filter(|i| i.is_ca) {
            by_subject
                .entry(ca.subject_raw.clone())
                .or_default()
                .push(Issuer {
                    file: item.file.clone(),
                    spki_der: ca.spki_der.clone(),
                    key_id: c.subject_key_id.clone(),
                });
        }
        parsed.push(info);
    }
    for candidates in by_subject.values_mut() {
        candidates.sort_by_key(|ca| rank(&ca.file));
    }
    for (item, info) in items.iter_mut().zip(parsed) {
        match &mut item.body {
            Body::PrivateKey(key) => {
                key.certificate = key
                    .key
                    .pin_sha256
                    .as_ref()
                    .and_then(|pin| by_pin.get(pin))
                    .cloned();
            }
            Body::Certificate(view) => {
                let Some(this) = info else { continue };
                let Some(candidates) = by_subject.get(&this.issuer_raw) else {
                    continue;
                };
                let mut tried: HashSet<&[u8]> = HashSet::new();
                let mut signed_by: HashSet<&[u8]> = HashSet::new();
                // A self-signed certificate (a root) is issued by its own key: only copies
                // of that key can be its issuer, so one signature check settles it.
                let self_signed = this.issuer_raw == this.subject_raw
                    && cert::is_signed_by(&this, &this.spki_der);
                if self_signed {
                    tried.insert(&this.spki_der);
                    signed_by.insert(&this.spki_der);
                }
                view.issued_by = candidates
                    .iter()
                    .filter(|ca| ca.file != item.file)
                    .filter(|ca| !self_signed || ca.spki_der == this.spki_der)
                    .filter(|ca| match (&ca.key_id, &view.authority_key_id) {
                        (Some(ski), Some(aki)) => ski == aki,
                        _ => true,
                    })
                    .find(|ca| {
                        let key = ca.spki_der.as_slice();
                        if tried.insert(key) && cert::is_signed_by(&this, key) {
                            signed_by.insert(key);
                        }
                        signed_by.contains(key)
                    })
                    .map(|ca| ca.file.clone());
            }
            _ => {}
        }
    }
}

fn oid_name(oid: &x509_parser::der_parser::oid::Oid<'_>) -> String {
    x509_parser::objects::oid2sn(oid, x509_parser::objects::oid_registry())
        .map_or_else(|_| oid.to_id_string(), str::to_owned)
}

/// The signature algorithm by the name OpenSSL prints.
fn signature_name(alg: &AlgorithmIdentifier<'_>) -> String {
    match alg.algorithm.to_id_string().as_str() {
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption".into(),
        "1.2.840.113549.1.1.10" => "rsassaPss".into(),
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption".into(),
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption".into(),
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption".into(),
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256".into(),
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384".into(),
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512".into(),
        "1.3.101.112" => "ED25519".into(),
        "1.3.101.113" => "ED448".into(),
        _ => oid_name(&alg.algorithm),
    }
}

/// The inspect item for a private key's facts: public facts only.
fn private_key_body(facts: &crate::keyfile::KeyFileFacts, mode: Option<u32>) -> Body {
    use crate::keyfile::KeyEncoding;
    let mode_text = mode.map(|m| format!("{m:04o}"));
    let owner_only = mode.map(crate::store::is_owner_only);
    if facts.encrypted {
        return Body::EncryptedPrivateKey(EncryptedKeyView {
            encoding: facts.encoding,
            encrypted: true,
            encryption: facts.encryption.clone(),
            key_algorithm: facts.algorithm.as_ref().map(|a| a.name().to_owned()),
            mode: mode_text,
            owner_only,
        });
    }
    let format = match facts.encoding {
        KeyEncoding::Pkcs1 => "pkcs1",
        KeyEncoding::Sec1 => "sec1",
        KeyEncoding::Dsa => "dsa",
        _ => "pkcs8",
    };
    Body::PrivateKey(KeyView {
        format: format.to_owned(),
        encoding: facts.encoding,
        encrypted: false,
        key: KeyFacts {
            key_algorithm: facts
                .algorithm
                .as_ref()
                .map_or_else(|| "unknown".to_owned(), |a| a.name().to_owned()),
            key_bits: facts.bits,
            key_curve: facts.curve.clone(),
            key_type: facts
                .spki_der
                .as_deref()
                .and_then(crate::key_type::key_type_of_spki),
            pin_sha256: facts.spki_der.as_deref().map(pin_sha256),
        },
        mode: mode_text,
        owner_only,
        certificate: None,
    })
}

/// The subjectAltNames of a certificate or request, by kind.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SanView {
    /// DNS names.
    pub dns_names: Vec<String>,
    /// IP addresses.
    pub ip_addresses: Vec<String>,
    /// Other names (`email:…`, `URI:…`, `dirName:…`, `othername:OID`).
    pub other_names: Vec<String>,
}

fn split_names(names: &[GeneralName<'_>]) -> SanView {
    let (mut dns, mut ips, mut other) = (Vec::new(), Vec::new(), Vec::new());
    for name in names {
        match name {
            GeneralName::DNSName(d) => dns.push((*d).to_owned()),
            GeneralName::IPAddress(bytes) => match bytes.len() {
                4 | 16 => {
                    let ip = <[u8; 4]>::try_from(*bytes)
                        .map(IpAddr::from)
                        .or_else(|_| <[u8; 16]>::try_from(*bytes).map(IpAddr::from));
                    match ip {
                        Ok(ip) => ips.push(ip.to_string()),
                        Err(_) => other.push(format!("IP:{}", hex::encode(bytes))),
                    }
                }
                _ => other.push(format!("IP:{}", hex::encode(bytes))),
            },
            GeneralName::RFC822Name(e) => other.push(format!("email:{e}")),
            GeneralName::URI(u) => other.push(format!("URI:{u}")),
            GeneralName::DirectoryName(n) => other.push(format!("dirName:{n}")),
            GeneralName::OtherName(oid, _) => {
                other.push(format!("othername:{}", oid.to_id_string()))
            }
            GeneralName::RegisteredID(oid) => other.push(format!("RID:{}", oid.to_id_string())),
            _ => other.push("other".into()),
        }
    }
    SanView {
        dns_names: dns,
        ip_addresses: ips,
        other_names: other,
    }
}

const KEY_USAGE_NAMES: [&str; 9] = [
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly",
];

fn eku_names(eku: &ExtendedKeyUsage<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for (set, name) in [
        (eku.any, "anyExtendedKeyUsage"),
        (eku.server_auth, "serverAuth"),
        (eku.client_auth, "clientAuth"),
        (eku.code_signing, "codeSigning"),
        (eku.email_protection, "emailProtection"),
        (eku.time_stamping, "timeStamping"),
        (eku.ocsp_signing, "OCSPSigning"),
    ] {
        if set {
            out.push(name.to_owned());
        }
    }
    out.extend(eku.other.iter().map(|o| o.to_id_string()));
    out
}

fn cert_view(der: Vec<u8>, now: OffsetDateTime) -> Result<CertView, String> {
    let (rest, x509) = X509Certificate::from_der(&der)
        .map_err(|_| "is not a valid certificate (malformed DER)".to_owned())?;
    // `TRUSTED CERTIFICATE` blocks carry OpenSSL's trust settings after the certificate;
    // the certificate itself is what is shown and hashed.
    let cert_len = der.len() - rest.len();
    let tbs = &x509.tbs_certificate;
    let not_before = tbs.validity.not_before.to_datetime();
    let not_after = tbs.validity.not_after.to_datetime();
    let status = if now < not_before {
        Status::NotYetValid
    } else if now > not_after {
        Status::Expired
    } else {
        Status::Valid
    };
    let names = match tbs.subject_alternative_name() {
        Ok(Some(san)) => split_names(&san.value.general_names),
        Ok(None) => SanView::default(),
        Err(X509Error::DuplicateExtensions) => {
            return Err(
                "has the subjectAltName extension twice (duplicate extension subjectAltName)"
                    .into(),
            );
        }
        Err(_) => return Err("has a malformed subjectAltName".into()),
    };
    let basic_constraints = match tbs.basic_constraints() {
        Ok(bc) => bc.map(|bc| BasicConstraintsView {
            ca: bc.value.ca,
            path_len: bc.value.path_len_constraint,
            critical: bc.critical,
        }),
        Err(_) => return Err("has malformed basicConstraints".into()),
    };
    let key_usage = match tbs.key_usage() {
        Ok(ku) => ku.map(|ku| {
            KEY_USAGE_NAMES
                .iter()
                .enumerate()
                .filter(|(bit, _)| (ku.value.flags >> bit) & 1 == 1)
                .map(|(_, name)| (*name).to_owned())
                .collect()
        }),
        Err(_) => return Err("has a malformed keyUsage".into()),
    };
    let extended_key_usage = match tbs.extended_key_usage() {
        Ok(eku) => eku.map(|eku| eku_names(eku.value)),
        Err(_) => return Err("has a malformed extendedKeyUsage".into()),
    };
    let mut subject_key_id = None;
    let mut authority_key_id = None;
    for ext in tbs.extensions() {
        match ext.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(id) => subject_key_id = Some(colon_hex(id.0)),
            ParsedExtension::AuthorityKeyIdentifier(aki) => {
                authority_key_id = aki.key_identifier.as_ref().map(|id| colon_hex(id.0));
            }
            _ => {}
        }
    }
    let serial = serial_text(tbs.raw_serial());
    let view = CertView {
        subject: tbs.subject.to_string(),
        issuer: tbs.issuer.to_string(),
        self_issued: tbs.subject.as_raw() == tbs.issuer.as_raw(),
        serial,
        not_before,
        not_after,
        days_left: cert::days_between(now, not_after),
        status,
        key: key_facts(tbs.subject_pki.raw)?,
        signature_algorithm: signature_name(&x509.signature_algorithm),
        names,
        basic_constraints,
        name_constraints: crate::constraints::of_cert(&der[..cert_len])?,
        key_usage,
        extended_key_usage,
        subject_key_id,
        authority_key_id,
        fingerprint_sha256: fingerprint_sha256(&der[..cert_len]),
        issued_by: None,
        refused_by: crate::clients::judge_alone(&der[..cert_len]),
        der: Vec::new(),
    };
    Ok(CertView {
        der: der[..cert_len].to_vec(),
        ..view
    })
}

/// A serial number as `openssl x509 -serial` prints it: uppercase hex of whole bytes,
/// and a negative one (RFC 5280 forbids them, some tools make them) as `-` and its
/// magnitude, since DER INTEGERs are two's complement (X.690 §8.3.3).
fn serial_text(raw: &[u8]) -> String {
    let negative = raw.first().is_some_and(|b| b & 0x80 != 0);
    let magnitude: Vec<u8> = if negative {
        // Two's complement negation: invert every bit, then add one.
        let mut m: Vec<u8> = raw.iter().map(|b| !b).collect();
        for byte in m.iter_mut().rev() {
            let (sum, carry) = byte.overflowing_add(1);
            *byte = sum;
            if !carry {
                break;
            }
        }
        m
    } else {
        raw.to_vec()
    };
    let start = magnitude
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(magnitude.len().saturating_sub(1));
    let digits = match magnitude.get(start..) {
        Some(rest) if !rest.is_empty() => hex::encode_upper(rest),
        _ => "00".to_owned(),
    };
    if negative {
        format!("-{digits}")
    } else {
        digits
    }
}

fn csr_view(der: &[u8]) -> Result<CsrView, String> {
    let (_, csr) = X509CertificationRequest::from_der(der)
        .map_err(|_| "is not a valid certificate request (malformed DER)".to_owned())?;
    let info = &csr.certification_request_info;
    let mut names = SanView::default();
    if let Some(exts) = csr.requested_extensions() {
        for ext in exts {
            if let ParsedExtension::SubjectAlternativeName(san) = ext {
                names = split_names(&san.general_names);
            }
        }
    }
    Ok(CsrView {
        subject: info.subject.to_string(),
        key: key_facts(info.subject_pki.raw)?,
        signature_algorithm: signature_name(&csr.signature_algorithm),
        names,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_print_as_openssl_prints_them() {
        // Each pair: the DER INTEGER's content octets, `openssl x509 -serial`'s output.
        for (raw, text) in [
            (&[0xBC, 0xDE, 0x67, 0x89, 0xAC][..], "-4321987654"),
            (&[0xFF], "-01"),
            (&[0x80], "-80"),
            (&[0xFF, 0x00], "-0100"),
            (&[0x80, 0, 0, 0, 0, 0, 0, 0], "-8000000000000000"),
            (&[0x00], "00"),
            (&[0x00, 0x80], "80"),
            (&[0x01, 0x00], "0100"),
            (&[], "00"),
        ] {
            assert_eq!(serial_text(raw), text, "{raw:02X?}");
        }
    }

    #[test]
    fn a_block_that_is_not_der_is_refused_not_panicked_on() {
        let garbage_der = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert!(inspect("x", garbage_der, None, OffsetDateTime::now_utc()).is_err());
    }
}

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

use std::net::IpAddr;

use ::time::OffsetDateTime;
use aws_lc_rs::digest;
use base64::Engine as _;
use rcgen::{KeyPair, PublicKeyData};
use rustls_pki_types::PrivateKeyDer;
use serde::Serialize;
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::prelude::*;

use crate::cert;
use crate::key_type::KeyType;

/// One decoded object of an input, before it is looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// An X.509 certificate, DER.
    Certificate(Vec<u8>),
    /// A PKCS#10 certificate signing request, DER.
    CertificateRequest(Vec<u8>),
    /// An unencrypted private key, DER, in the named format.
    PrivateKey {
        /// The key, DER.
        der: Vec<u8>,
        /// `pkcs8`, `pkcs1` or `sec1`.
        format: &'static str,
    },
    /// A password-protected PKCS#8 private key; aitls cannot look inside.
    EncryptedPrivateKey,
    /// A SubjectPublicKeyInfo, DER.
    PublicKey(Vec<u8>),
}

/// PEM labels that carry nothing aitls shows, and are skipped without complaint
/// (`openssl ecparam -genkey` writes the curve before the key).
const SKIPPED_TAGS: [&str; 1] = ["EC PARAMETERS"];

/// Splits an input into its objects: every PEM block aitls understands, in order, or a
/// single DER object (certificate, CSR, private key or public key).
///
/// Fails when the input is neither, when a PEM block is truncated or its base64 is
/// broken, or when it holds no object aitls understands.
pub fn decode(bytes: &[u8]) -> Result<Vec<Block>, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("is empty".into());
    }
    if contains(bytes, b"-----BEGIN") {
        return decode_pem(bytes);
    }
    decode_der(bytes).map(|block| vec![block])
}

/// The pem crate's error in words, without its type names.
fn pem_reason(e: &::pem::PemError) -> &'static str {
    match e {
        ::pem::PemError::MismatchedTags(..) => "BEGIN and END labels differ",
        ::pem::PemError::MissingBeginTag | ::pem::PemError::MissingEndTag => {
            "a BEGIN or END label is missing"
        }
        ::pem::PemError::InvalidData(_) => "the base64 inside is broken",
        ::pem::PemError::NotUtf8(_) => "not text",
        _ => "malformed framing",
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

fn decode_pem(bytes: &[u8]) -> Result<Vec<Block>, String> {
    let pems =
        ::pem::parse_many(bytes).map_err(|e| format!("is not valid PEM ({})", pem_reason(&e)))?;
    // The pem crate silently drops a block without its END line; a truncated file must
    // not look like a shorter bundle.
    if pems.len() < count(bytes, b"-----BEGIN") {
        return Err("is not valid PEM (a block is truncated or has no END line)".into());
    }
    let mut blocks = Vec::with_capacity(pems.len());
    let mut skipped = Vec::new();
    for pem in pems {
        let tag = pem.tag();
        let block = match tag {
            "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
                Block::Certificate(pem.into_contents())
            }
            "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => {
                Block::CertificateRequest(pem.into_contents())
            }
            "PRIVATE KEY" => Block::PrivateKey {
                der: pem.into_contents(),
                format: "pkcs8",
            },
            "RSA PRIVATE KEY" => Block::PrivateKey {
                der: pem.into_contents(),
                format: "pkcs1",
            },
            "EC PRIVATE KEY" => Block::PrivateKey {
                der: pem.into_contents(),
                format: "sec1",
            },
            "ENCRYPTED PRIVATE KEY" => Block::EncryptedPrivateKey,
            "PUBLIC KEY" => Block::PublicKey(pem.into_contents()),
            _ => {
                if !SKIPPED_TAGS.contains(&tag) {
                    skipped.push(tag.to_owned());
                }
                continue;
            }
        };
        blocks.push(block);
    }
    if blocks.is_empty() {
        return Err(if skipped.is_empty() {
            "holds no certificate, certificate request or key".into()
        } else {
            format!(
                "holds no certificate, certificate request or key (found {})",
                skipped.join(", ")
            )
        });
    }
    Ok(blocks)
}

fn decode_der(bytes: &[u8]) -> Result<Block, String> {
    // Every DER object aitls reads is a SEQUENCE; anything else is not DER at all.
    if bytes.first() != Some(&0x30) {
        return Err("is neither PEM nor DER".into());
    }
    if matches!(X509Certificate::from_der(bytes), Ok((rest, _)) if rest.is_empty()) {
        return Ok(Block::Certificate(bytes.to_vec()));
    }
    if matches!(X509CertificationRequest::from_der(bytes), Ok((rest, _)) if rest.is_empty()) {
        return Ok(Block::CertificateRequest(bytes.to_vec()));
    }
    if matches!(SubjectPublicKeyInfo::from_der(bytes), Ok((rest, _)) if rest.is_empty()) {
        return Ok(Block::PublicKey(bytes.to_vec()));
    }
    if let Ok(key) = PrivateKeyDer::try_from(bytes) {
        let format = match key {
            PrivateKeyDer::Pkcs1(_) => "pkcs1",
            PrivateKeyDer::Sec1(_) => "sec1",
            _ => "pkcs8",
        };
        return Ok(Block::PrivateKey {
            der: bytes.to_vec(),
            format,
        });
    }
    Err("is DER, but not a certificate, certificate request or key".into())
}

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

/// The public half of a key pair.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct KeyFacts {
    /// `rsa`, `ecdsa`, `ed25519`, `ed448`, `dsa`, or the algorithm's OID.
    pub key_algorithm: String,
    /// Key size in bits (RSA modulus, EC field size); `null` when unknown.
    pub key_bits: Option<u32>,
    /// Named curve (`P-256`, `P-384`, `P-521`) for ECDSA keys.
    pub key_curve: Option<String>,
    /// The `--key-type` name when it is one aitls generates (`rsa2048`, `ecdsa-p256` ...).
    pub key_type: Option<KeyType>,
    /// SHA-256 of the SubjectPublicKeyInfo, as `curl --pinnedpubkey` takes it:
    /// `sha256//` and base64. `null` only for a private key whose public half aitls cannot
    /// compute (an algorithm its crypto library lacks, such as Ed448).
    pub pin_sha256: Option<String>,
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
    /// Serial number, uppercase hex, as `openssl x509 -noout -serial` prints it.
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
    /// subjectAltName DNS names.
    pub dns_names: Vec<String>,
    /// subjectAltName IP addresses.
    pub ip_addresses: Vec<String>,
    /// Other subjectAltNames (`email:…`, `URI:…`, `dirName:…`, `other:OID`).
    pub other_names: Vec<String>,
    /// basicConstraints; `null` when absent.
    pub basic_constraints: Option<BasicConstraintsView>,
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
    /// Requested subjectAltName DNS names.
    pub dns_names: Vec<String>,
    /// Requested subjectAltName IP addresses.
    pub ip_addresses: Vec<String>,
    /// Other requested subjectAltNames.
    pub other_names: Vec<String>,
}

/// What `inspect` shows about a private key: public facts only.
#[derive(Debug, Clone, Serialize)]
pub struct KeyView {
    /// `pkcs8` (`BEGIN PRIVATE KEY`), `pkcs1` (`BEGIN RSA PRIVATE KEY`) or `sec1`
    /// (`BEGIN EC PRIVATE KEY`).
    pub format: String,
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
            Block::PrivateKey { der, format } => Body::PrivateKey(KeyView {
                format: format.to_owned(),
                key: private_key_facts(&der).map_err(|e| format!("{}{e}", which("key")))?,
                mode: mode.map(|m| format!("{m:04o}")),
                owner_only: mode.map(crate::store::is_owner_only),
                certificate: None,
            }),
            Block::EncryptedPrivateKey => Body::EncryptedPrivateKey(EncryptedKeyView {
                mode: mode.map(|m| format!("{m:04o}")),
                owner_only: mode.map(crate::store::is_owner_only),
            }),
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
pub fn link(items: &mut [Item]) {
    let certs: Vec<(String, Option<cert::CertInfo>, Option<String>)> = items
        .iter()
        .filter_map(|item| match &item.body {
            Body::Certificate(c) => Some((
                item.file.clone(),
                cert::parse_der(&c.der).ok(),
                c.key.pin_sha256.clone(),
            )),
            _ => None,
        })
        .collect();
    for item in items.iter_mut() {
        match &mut item.body {
            Body::PrivateKey(key) => {
                key.certificate = certs
                    .iter()
                    .find(|(_, _, pin)| pin.is_some() && *pin == key.key.pin_sha256)
                    .map(|(file, _, _)| file.clone());
            }
            Body::Certificate(view) => {
                let Ok(this) = cert::parse_der(&view.der) else {
                    continue;
                };
                view.issued_by = certs
                    .iter()
                    .filter(|(file, _, _)| *file != item.file)
                    .find(|(_, info, _)| {
                        info.as_ref().is_some_and(|ca| {
                            ca.is_ca
                                && ca.subject_raw == this.issuer_raw
                                && cert::is_signed_by(&this, &ca.spki_der)
                        })
                    })
                    .map(|(file, _, _)| file.clone());
            }
            _ => {}
        }
    }
}

/// Colon-separated uppercase hex, as OpenSSL prints fingerprints and key identifiers.
fn colon_hex(bytes: &[u8]) -> String {
    let hex = hex::encode_upper(bytes);
    let mut out = String::with_capacity(hex.len() + hex.len() / 2);
    for (i, pair) in hex.as_bytes().chunks(2).enumerate() {
        if i > 0 {
            out.push(':');
        }
        // Hex digits are ASCII, so every chunk is valid UTF-8.
        out.push_str(std::str::from_utf8(pair).unwrap_or_default());
    }
    out
}

/// The SHA-256 fingerprint of a DER certificate, as `openssl x509 -fingerprint -sha256`
/// prints it.
pub fn fingerprint_sha256(der: &[u8]) -> String {
    colon_hex(digest::digest(&digest::SHA256, der).as_ref())
}

/// The pin of a SubjectPublicKeyInfo (DER), as `curl --pinnedpubkey` takes it.
pub fn pin_sha256(spki_der: &[u8]) -> String {
    let hash = digest::digest(&digest::SHA256, spki_der);
    format!(
        "sha256//{}",
        base64::engine::general_purpose::STANDARD.encode(hash.as_ref())
    )
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

/// Bits in a big-endian unsigned integer, ignoring leading zero bytes.
fn bit_length(bytes: &[u8]) -> u32 {
    let trimmed: &[u8] = match bytes.iter().position(|&b| b != 0) {
        Some(i) => &bytes[i..],
        None => &[],
    };
    match trimmed.first() {
        Some(first) => {
            u32::try_from(trimmed.len())
                .unwrap_or(u32::MAX / 8)
                .saturating_mul(8)
                - first.leading_zeros()
        }
        None => 0,
    }
}

/// The public facts of a SubjectPublicKeyInfo (DER).
pub fn key_facts(spki_der: &[u8]) -> Result<KeyFacts, String> {
    let (_, spki) = SubjectPublicKeyInfo::from_der(spki_der)
        .map_err(|_| "has an unreadable public key".to_owned())?;
    let (oid, curve_oid) = crate::key_type::spki_oids(&spki);
    let (algorithm, bits, curve) = match oid.as_str() {
        "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => {
            let bits = match spki.parsed() {
                Ok(x509_parser::public_key::PublicKey::RSA(rsa)) => Some(bit_length(rsa.modulus)),
                _ => None,
            };
            ("rsa".to_owned(), bits, None)
        }
        "1.2.840.10045.2.1" => {
            let (bits, curve) = match curve_oid.as_deref() {
                Some("1.2.840.10045.3.1.7") => (Some(256), Some("P-256")),
                Some("1.3.132.0.34") => (Some(384), Some("P-384")),
                Some("1.3.132.0.35") => (Some(521), Some("P-521")),
                Some("1.3.132.0.10") => (Some(256), Some("secp256k1")),
                _ => (None, None),
            };
            ("ecdsa".to_owned(), bits, curve.map(str::to_owned))
        }
        "1.3.101.112" => ("ed25519".to_owned(), Some(256), None),
        "1.3.101.113" => ("ed448".to_owned(), Some(456), None),
        "1.2.840.10040.4.1" => ("dsa".to_owned(), None, None),
        _ => (oid, None, None),
    };
    Ok(KeyFacts {
        key_algorithm: algorithm,
        key_bits: bits,
        key_curve: curve,
        key_type: crate::key_type::key_type_of_spki(spki_der),
        pin_sha256: Some(pin_sha256(spki_der)),
    })
}

/// The public facts of a private key (DER, any of PKCS#8, PKCS#1, SEC1). The key is parsed
/// only to derive its public half, which is all that leaves this function.
pub fn private_key_facts(der: &[u8]) -> Result<KeyFacts, String> {
    let parsed =
        PrivateKeyDer::try_from(der).map_err(|_| "is not a valid private key".to_owned())?;
    match KeyPair::try_from(&parsed) {
        Ok(key) => key_facts(&key.subject_public_key_info()),
        Err(_) => pkcs8_algorithm(der)
            .map(|oid| {
                let (name, bits) = match oid.as_str() {
                    "1.3.101.113" => ("ed448".to_owned(), Some(456)),
                    "1.3.101.110" => ("x25519".to_owned(), Some(253)),
                    "1.3.101.111" => ("x448".to_owned(), Some(448)),
                    "1.2.840.10040.4.1" => ("dsa".to_owned(), None),
                    _ => (oid, None),
                };
                KeyFacts {
                    key_algorithm: name,
                    key_bits: bits,
                    key_curve: None,
                    key_type: None,
                    pin_sha256: None,
                }
            })
            .ok_or_else(|| "is not a valid private key".to_owned()),
    }
}

/// The algorithm OID of a PKCS#8 PrivateKeyInfo (RFC 5208 §5: SEQUENCE { version,
/// AlgorithmIdentifier, … }), for keys whose algorithm the crypto library lacks.
fn pkcs8_algorithm(der: &[u8]) -> Option<String> {
    use x509_parser::asn1_rs::{Integer, Sequence};
    let (_, seq) = Sequence::from_der(der).ok()?;
    let (rest, _version) = Integer::from_der(&seq.content).ok()?;
    let (_, alg) = AlgorithmIdentifier::from_der(rest).ok()?;
    Some(alg.algorithm.to_id_string())
}

/// The public key (SubjectPublicKeyInfo, DER) of a private key given as PEM or DER.
pub fn public_key_of_private(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let blocks = decode(bytes)?;
    let mut keys = blocks.into_iter().filter_map(|b| match b {
        Block::PrivateKey { der, .. } => Some(Ok(der)),
        Block::EncryptedPrivateKey => Some(Err(
            "holds an encrypted private key; aitls needs it unencrypted".to_owned(),
        )),
        _ => None,
    });
    let der = keys
        .next()
        .ok_or_else(|| "holds no private key".to_owned())??;
    let parsed = PrivateKeyDer::try_from(der.as_slice())
        .map_err(|_| "is not a valid private key".to_owned())?;
    let key =
        KeyPair::try_from(&parsed).map_err(|_| "is not a private key aitls can read".to_owned())?;
    Ok(key.subject_public_key_info())
}

fn split_names(names: &[GeneralName<'_>]) -> (Vec<String>, Vec<String>, Vec<String>) {
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
    (dns, ips, other)
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
    let (dns_names, ip_addresses, other_names) = match tbs.subject_alternative_name() {
        Ok(Some(san)) => split_names(&san.value.general_names),
        Ok(None) => Default::default(),
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
    let serial = tbs.raw_serial();
    let serial = match serial.iter().position(|&b| b != 0) {
        Some(i) => &serial[i..],
        None => &serial[serial.len().saturating_sub(1)..],
    };
    let serial = if serial.is_empty() {
        "00".to_owned()
    } else {
        hex::encode_upper(serial)
    };
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
        dns_names,
        ip_addresses,
        other_names,
        basic_constraints,
        key_usage,
        extended_key_usage,
        subject_key_id,
        authority_key_id,
        fingerprint_sha256: fingerprint_sha256(&der[..cert_len]),
        issued_by: None,
        der: Vec::new(),
    };
    Ok(CertView {
        der: der[..cert_len].to_vec(),
        ..view
    })
}

fn csr_view(der: &[u8]) -> Result<CsrView, String> {
    let (_, csr) = X509CertificationRequest::from_der(der)
        .map_err(|_| "is not a valid certificate request (malformed DER)".to_owned())?;
    let info = &csr.certification_request_info;
    let mut names = (Vec::new(), Vec::new(), Vec::new());
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
        dns_names: names.0,
        ip_addresses: names.1,
        other_names: names.2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colon_hex_matches_openssl_style() {
        assert_eq!(colon_hex(&[0x0a, 0xff, 0x00]), "0A:FF:00");
        assert_eq!(colon_hex(&[]), "");
    }

    #[test]
    fn bit_length_ignores_sign_padding() {
        assert_eq!(bit_length(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bit_length(&[0x01]), 1);
        assert_eq!(bit_length(&[]), 0);
        assert_eq!(bit_length(&[0, 0]), 0);
    }

    #[test]
    fn garbage_is_refused_not_panicked_on() {
        for input in [
            &b""[..],
            b"   \n",
            b"hello",
            b"\x30",
            b"\x30\x82\xff\xff",
            b"-----BEGIN CERTIFICATE-----\nAAAA",
        ] {
            assert!(decode(input).is_err(), "{input:?}");
        }
        let bad_base64 = b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
        assert!(decode(bad_base64).is_err());
        let garbage_der = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert!(inspect("x", garbage_der, None, OffsetDateTime::now_utc()).is_err());
    }

    #[test]
    fn unknown_blocks_alone_are_an_error() {
        let crl = b"-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n";
        let err = decode(crl).unwrap_err();
        assert!(err.contains("X509 CRL"), "{err}");
    }
}

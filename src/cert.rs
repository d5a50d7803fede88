//! Reading existing certificates: the facts aitls decides on (names, validity, key type,
//! usages, issuer) and the two checks that need key material (does a key match a
//! certificate, was a certificate signed by a given key).
//!
//! Takes bytes, returns plain values; errors are short phrases that the caller prefixes
//! with the file they came from.

use std::net::IpAddr;

use ::time::OffsetDateTime;
use aws_lc_rs::signature::{self, UnparsedPublicKey, VerificationAlgorithm};
use rcgen::{KeyPair, PublicKeyData};
use x509_parser::prelude::*;

use crate::key_type::{
    KeyType, OID_EC, OID_ED25519, OID_P256, OID_P384, OID_RSA, key_type_of_spki, spki_oids,
};
use crate::names::SanName;

/// What aitls needs to know about a certificate, copied out of the parse.
#[derive(Debug, Clone)]
pub struct CertInfo {
    /// The whole certificate, DER.
    pub der: Vec<u8>,
    /// Subject name, DER, as it appears in the certificate.
    pub subject_raw: Vec<u8>,
    /// Issuer name, DER, as it appears in the certificate.
    pub issuer_raw: Vec<u8>,
    /// Whether every RDN of the subject holds exactly one attribute (what rcgen can copy
    /// into the issuer field of certificates it signs).
    pub subject_is_simple: bool,
    /// The subject's common name, if any.
    pub common_name: Option<String>,
    /// The DNS and IP subjectAltNames, in order.
    pub names: Vec<SanName>,
    /// Start of validity.
    pub not_before: OffsetDateTime,
    /// End of validity.
    pub not_after: OffsetDateTime,
    /// The subject public key's type, when aitls knows it.
    pub key_type: Option<KeyType>,
    /// SubjectPublicKeyInfo, DER.
    pub spki_der: Vec<u8>,
    /// basicConstraints cA.
    pub is_ca: bool,
    /// Whether the certificate has a basicConstraints extension at all.
    pub has_basic_constraints: bool,
    /// extendedKeyUsage holds serverAuth.
    pub server_auth: bool,
    /// extendedKeyUsage holds clientAuth.
    pub client_auth: bool,
    /// Whether the certificate has an extendedKeyUsage extension at all (without one, it
    /// is good for every purpose, RFC 5280 §4.2.1.12).
    pub eku_present: bool,
    /// keyUsage bits (bit 0 digitalSignature … bit 5 keyCertSign), when the extension is
    /// present.
    pub key_usage: Option<u16>,
    /// basicConstraints pathLenConstraint.
    pub path_len: Option<u32>,
    /// keyUsage is present and holds keyCertSign (strict verifiers, such as Python 3.13's
    /// default context, require it of a CA).
    pub key_cert_sign: bool,
    /// The X.509 version as printed (1, 2 or 3).
    pub version: u32,
    /// OIDs (dotted) of the critical extensions OpenSSL does not know, which make it
    /// refuse the certificate (`crypto/x509/v3_purp.c`, `X509_supported_extension`).
    pub unknown_critical: Vec<String>,
    /// Extensions that appear more than once, by name (`subjectAltName`): RFC 5280 §4.2
    /// forbids it, and rustls, OpenSSL and browsers refuse such a certificate.
    pub duplicate_extensions: Vec<String>,
    /// The serial number's content octets, big-endian, as encoded.
    pub serial: Vec<u8>,
    tbs_raw: Vec<u8>,
    signature_oid: String,
    signature: Vec<u8>,
}

/// `t` as RFC 3339 (`2027-01-01T00:00:00Z`), for messages and JSON.
pub fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&::time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.to_string())
}

/// A certificate is reported as expiring when it has fewer days left than this: the
/// window in which `ca`, `server`, `verify` and `inspect` warn (SPEC §2).
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// A date and time as aitls shows them: `2027-11-27 15:19:24 UTC`.
pub fn when(t: OffsetDateTime) -> String {
    let t = t.to_offset(::time::UtcOffset::UTC);
    format!(
        "{} {:02}:{:02}:{:02} UTC",
        t.date(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `1 day`, `N days`: a count of days in words.
pub fn days(n: i64) -> String {
    if n.abs() == 1 {
        format!("{n} day")
    } else {
        format!("{n} days")
    }
}

/// Whole days from `now` until `until`, counted between their UTC dates (negative when
/// past): the one rule for every "days left", so it agrees with the date printed beside
/// it, and a certificate created now and kept a second later show the same number.
/// Rounded down to the date: 23:00 on the last day is 0 days left.
pub fn days_between(now: OffsetDateTime, until: OffsetDateTime) -> i64 {
    let utc = ::time::UtcOffset::UTC;
    (until.to_offset(utc).date() - now.to_offset(utc).date()).whole_days()
}

/// The extensions OpenSSL 3 accepts as critical (`X509_supported_extension` in
/// `crypto/x509/v3_purp.c`); any other critical extension makes it refuse the
/// certificate ("unsupported certificate extension"), and RFC 5280 §4.2 says the same.
const OPENSSL_CRITICAL_OK: [&str; 15] = [
    "2.16.840.1.113730.1.1", // Netscape cert type
    "2.5.29.15",             // keyUsage
    "2.5.29.17",             // subjectAltName
    "2.5.29.19",             // basicConstraints
    "2.5.29.32",             // certificatePolicies
    "2.5.29.31",             // cRLDistributionPoints
    "2.5.29.37",             // extendedKeyUsage
    "1.3.6.1.5.5.7.1.7",     // RFC 3779 IP address blocks
    "1.3.6.1.5.5.7.1.8",     // RFC 3779 AS identifiers
    "1.3.6.1.5.5.7.48.1.5",  // OCSP no-check
    "2.5.29.36",             // policyConstraints
    "1.3.6.1.5.5.7.1.14",    // proxyCertInfo
    "2.5.29.30",             // nameConstraints
    "2.5.29.33",             // policyMappings
    "2.5.29.54",             // inhibitAnyPolicy
];

/// Parses the first `CERTIFICATE` block of a PEM file.
pub fn parse_pem(bytes: &[u8]) -> Result<CertInfo, String> {
    let block = ::pem::parse_many(bytes)
        .map_err(|_| "is not a PEM file".to_owned())?
        .into_iter()
        .find(|p| p.tag() == "CERTIFICATE")
        .ok_or_else(|| "holds no PEM certificate".to_owned())?;
    parse_der(block.contents())
}

/// Parses one DER certificate.
pub fn parse_der(der: &[u8]) -> Result<CertInfo, String> {
    let (rest, x509) =
        // x509-parser's own error text names its parser types; say what is wrong instead.
        X509Certificate::from_der(der).map_err(|_| "is not a valid certificate (malformed DER)".to_owned())?;
    if !rest.is_empty() {
        return Err("is not a valid certificate (trailing data after it)".into());
    }
    let tbs = &x509.tbs_certificate;
    let common_name = tbs
        .subject
        .iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok())
        .map(str::to_owned);
    let mut names = Vec::new();
    if let Ok(Some(san)) = tbs.subject_alternative_name() {
        for name in &san.value.general_names {
            match name {
                GeneralName::DNSName(dns) => names.push(SanName::Dns(dns.to_ascii_lowercase())),
                GeneralName::IPAddress(bytes) => {
                    if let Some(ip) = ip_from_bytes(bytes) {
                        names.push(SanName::Ip(ip));
                    }
                }
                _ => {}
            }
        }
    }
    let (server_auth, client_auth, eku_present) = match tbs.extended_key_usage() {
        Ok(Some(eku)) => (eku.value.server_auth, eku.value.client_auth, true),
        _ => (false, false, false),
    };
    let (is_ca, path_len, has_basic_constraints) = match tbs.basic_constraints() {
        Ok(Some(bc)) => (bc.value.ca, bc.value.path_len_constraint, true),
        _ => (false, None, false),
    };
    let key_usage = match tbs.key_usage() {
        Ok(Some(ku)) => Some(ku.value.flags),
        _ => None,
    };
    let key_cert_sign = matches!(tbs.key_usage(), Ok(Some(ku)) if ku.value.key_cert_sign());
    Ok(CertInfo {
        serial: tbs.raw_serial().to_vec(),
        der: der.to_vec(),
        subject_raw: tbs.subject.as_raw().to_vec(),
        issuer_raw: tbs.issuer.as_raw().to_vec(),
        subject_is_simple: tbs.subject.iter().all(|rdn| rdn.iter().count() == 1),
        common_name,
        names,
        not_before: tbs.validity.not_before.to_datetime(),
        not_after: tbs.validity.not_after.to_datetime(),
        key_type: key_type_of_spki(tbs.subject_pki.raw),
        spki_der: tbs.subject_pki.raw.to_vec(),
        is_ca,
        has_basic_constraints,
        server_auth,
        client_auth,
        eku_present,
        key_usage,
        path_len,
        key_cert_sign,
        version: tbs.version.0.saturating_add(1),
        unknown_critical: tbs
            .extensions()
            .iter()
            .filter(|e| e.critical)
            .map(|e| e.oid.to_id_string())
            .filter(|oid| !OPENSSL_CRITICAL_OK.contains(&oid.as_str()))
            .collect(),
        duplicate_extensions: duplicate_extensions(tbs.extensions()),
        tbs_raw: tbs.as_ref().to_vec(),
        signature_oid: x509.signature_algorithm.algorithm.to_id_string(),
        signature: x509.signature_value.data.to_vec(),
    })
}

/// The names of the extensions that appear more than once, each once, in order.
fn duplicate_extensions(extensions: &[X509Extension<'_>]) -> Vec<String> {
    let mut duplicates: Vec<String> = Vec::new();
    for (i, ext) in extensions.iter().enumerate() {
        if extensions[..i].iter().any(|e| e.oid == ext.oid) {
            let name = x509_parser::objects::oid2sn(&ext.oid, x509_parser::objects::oid_registry())
                .map_or_else(|_| ext.oid.to_id_string(), str::to_owned);
            if !duplicates.contains(&name) {
                duplicates.push(name);
            }
        }
    }
    duplicates
}

fn ip_from_bytes(bytes: &[u8]) -> Option<IpAddr> {
    match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes).ok().map(IpAddr::from),
        16 => <[u8; 16]>::try_from(bytes).ok().map(IpAddr::from),
        _ => None,
    }
}

/// Whether `key` is the private half of the certificate's public key.
pub fn key_matches(key: &KeyPair, cert: &CertInfo) -> bool {
    key.subject_public_key_info() == cert.spki_der
}

/// Whether `cert` carries a valid signature made by the holder of `issuer_spki_der`.
///
/// Covers the algorithms of the key types aitls issues with (RSA PKCS#1 v1.5 with
/// SHA-256/384/512, ECDSA P-256/P-384 with SHA-256/384, Ed25519); any other algorithm
/// counts as not signed.
pub fn is_signed_by(cert: &CertInfo, issuer_spki_der: &[u8]) -> bool {
    let Ok((_, spki)) = SubjectPublicKeyInfo::from_der(issuer_spki_der) else {
        return false;
    };
    let (key_oid, curve) = spki_oids(&spki);
    let alg: &'static dyn VerificationAlgorithm = match (
        cert.signature_oid.as_str(),
        key_oid.as_str(),
        curve.as_deref(),
    ) {
        ("1.2.840.113549.1.1.11", OID_RSA, _) => &signature::RSA_PKCS1_2048_8192_SHA256,
        ("1.2.840.113549.1.1.12", OID_RSA, _) => &signature::RSA_PKCS1_2048_8192_SHA384,
        ("1.2.840.113549.1.1.13", OID_RSA, _) => &signature::RSA_PKCS1_2048_8192_SHA512,
        ("1.2.840.10045.4.3.2", OID_EC, Some(OID_P256)) => &signature::ECDSA_P256_SHA256_ASN1,
        ("1.2.840.10045.4.3.3", OID_EC, Some(OID_P256)) => &signature::ECDSA_P256_SHA384_ASN1,
        ("1.2.840.10045.4.3.2", OID_EC, Some(OID_P384)) => &signature::ECDSA_P384_SHA256_ASN1,
        ("1.2.840.10045.4.3.3", OID_EC, Some(OID_P384)) => &signature::ECDSA_P384_SHA384_ASN1,
        (OID_ED25519, OID_ED25519, _) => &signature::ED25519,
        _ => return false,
    };
    UnparsedPublicKey::new(alg, &spki.subject_public_key.data)
        .verify(&cert.tbs_raw, &cert.signature)
        .is_ok()
}

/// A CA among `cas` with the name of `cert`'s issuer but another key: `cert` was signed
/// by a different CA of the same name (a copy of `ca.crt` from before `aitls ca --force`).
/// `None` when no CA of that name is there, or one of them signs `cert`.
pub fn same_name_other_key<'a>(cert: &CertInfo, cas: &'a [CertInfo]) -> Option<&'a CertInfo> {
    let named: Vec<&CertInfo> = cas
        .iter()
        .filter(|ca| ca.subject_raw == cert.issuer_raw)
        .collect();
    if named.iter().any(|ca| is_signed_by(cert, &ca.spki_der)) {
        return None;
    }
    named.first().copied()
}

/// How the key that signed `cert` differs from `ca`'s, in words: the key identifiers
/// when both carry one (`the certificate's issuer key ID 3A:…, the CA's 7F:…`), else
/// that the signature does not verify with the CA's key.
pub fn key_difference(cert: &CertInfo, ca: &CertInfo) -> String {
    let ext = |der: &[u8], want_aki: bool| -> Option<String> {
        let (_, x) = X509Certificate::from_der(der).ok()?;
        x.extensions()
            .iter()
            .find_map(|e| match e.parsed_extension() {
                ParsedExtension::AuthorityKeyIdentifier(aki) if want_aki => {
                    aki.key_identifier.as_ref().map(|id| short_hex(id.0))
                }
                ParsedExtension::SubjectKeyIdentifier(ski) if !want_aki => Some(short_hex(ski.0)),
                _ => None,
            })
    };
    match (ext(&cert.der, true), ext(&ca.der, false)) {
        (Some(aki), Some(ski)) if aki != ski => format!(
            "different key: the certificate was signed by key ID {aki}, the CA's key ID is {ski}"
        ),
        _ => "different key: the certificate's signature does not verify with the CA's key"
            .to_owned(),
    }
}

/// The first 8 bytes of a key identifier, as openssl prints them (`3A:0F:…`).
fn short_hex(bytes: &[u8]) -> String {
    let mut words: Vec<String> = bytes.iter().take(8).map(|b| format!("{b:02X}")).collect();
    if bytes.len() > 8 {
        words.push("…".to_owned());
    }
    words.join(":")
}

/// The nameConstraints extension of a certificate (DER): its criticality and its raw
/// value, for copying into a subordinate CA; `None` when it has none or does not parse.
pub fn name_constraints_raw(der: &[u8]) -> Option<(bool, Vec<u8>)> {
    let (_, x509) = X509Certificate::from_der(der).ok()?;
    x509.extensions()
        .iter()
        .find(|ext| ext.oid == x509_parser::oid_registry::OID_X509_EXT_NAME_CONSTRAINTS)
        .map(|ext| (ext.critical, ext.value.to_vec()))
}

//! The facts the client rules decide on, read once from the certificates, the CA file and
//! the key file. Pure: bytes in, plain values out; no rule lives here.

use std::net::IpAddr;

use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::*;

use crate::names::SanName;

/// A public key, as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PubKey {
    /// RSA with its modulus size in bits.
    Rsa(u32),
    /// ECDSA on a named curve (field size in bits).
    Ec(u32),
    /// Ed25519.
    Ed25519,
    /// Ed448.
    Ed448,
    /// Anything else (DSA, unknown curves).
    Other,
}

/// The hash inside a certificate's signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigHash {
    /// MD5 (md5WithRSAEncryption).
    Md5,
    /// SHA-1 (sha1WithRSAEncryption, ecdsa-with-SHA1, dsa-with-sha1).
    Sha1,
    /// SHA-2, or an algorithm with its own hash (Ed25519, Ed448, RSASSA-PSS).
    Strong,
    /// An algorithm the model does not know.
    Unknown,
}

/// What the rules need from one certificate.
#[derive(Debug, Clone)]
pub struct CertFacts {
    /// basicConstraints cA.
    pub is_ca: bool,
    /// keyUsage bits (bit 0 digitalSignature … bit 5 keyCertSign), when present.
    pub key_usage: Option<u16>,
    /// subjectKeyIdentifier present.
    pub ski: bool,
    /// authorityKeyIdentifier present with a keyIdentifier (OpenSSL's strict mode counts
    /// an issuer-and-serial-only AKI as missing).
    pub aki: bool,
    /// extendedKeyUsage present.
    pub eku_present: bool,
    /// extendedKeyUsage holds serverAuth.
    pub eku_server_auth: bool,
    /// extendedKeyUsage holds anyExtendedKeyUsage.
    pub eku_any: bool,
    /// The subject public key.
    pub key: PubKey,
    /// The hash of the signature over this certificate.
    pub sig_hash: SigHash,
    /// The signature is Ed25519.
    pub sig_ed25519: bool,
    /// The serial number is negative (its first content octet has the high bit set).
    pub serial_negative: bool,
    /// Octets of the serial number's DER content (RFC 5280 §4.1.2.2 allows at most 20).
    pub serial_len: usize,
    /// The whole certificate, in octets.
    pub der_len: usize,
    /// OIDs of critical extensions outside RFC 5280's set.
    pub unknown_critical: Vec<String>,
    /// notAfter − notBefore, in days.
    pub validity_days: i64,
    /// dNSName subjectAltNames, lowercased.
    pub dns: Vec<String>,
    /// iPAddress subjectAltNames.
    pub ips: Vec<IpAddr>,
    /// The subject's common name.
    pub cn: Option<String>,
    /// nameConstraints permitted dNSName subtrees (empty when none).
    pub permitted_dns: Vec<String>,
    /// nameConstraints excluded dNSName subtrees.
    pub excluded_dns: Vec<String>,
    /// basicConstraints is marked critical.
    pub bc_critical: bool,
    /// Issuer name equals subject name.
    pub self_issued: bool,
}

/// Quirks of a PEM file that some readers refuse.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PemQuirks {
    /// Starts with a UTF-8 byte order mark (EF BB BF), as Windows editors save.
    pub bom: bool,
    /// UTF-16 text (a UTF-16 BOM, or NUL bytes between the characters).
    pub utf16: bool,
    /// Lines end in CR LF.
    pub crlf: bool,
    /// Text before the first `-----BEGIN` line.
    pub text_before: bool,
}

/// What a server stack needs to load the private key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeyFile {
    /// The key is encrypted (`ENCRYPTED PRIVATE KEY`, or a legacy `Proc-Type: 4,ENCRYPTED`).
    pub encrypted: bool,
    /// PKCS#8 version 2 (RFC 5958 OneAsymmetricKey, with the public key inside).
    pub pkcs8_v2: bool,
    /// Quirks of the key file's PEM.
    pub pem: PemQuirks,
}

/// Everything one verdict is made from.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The server certificate.
    pub leaf: CertFacts,
    /// The intermediates, then the CA, in path order (the CA last).
    pub issuers: Vec<CertFacts>,
    /// The names a client connects to (`--host`).
    pub hosts: Vec<SanName>,
    /// Quirks of the CA file, when it is read from one.
    pub ca_pem: PemQuirks,
    /// Quirks of the certificate file the server loads.
    pub cert_pem: PemQuirks,
    /// The key file, when there is one.
    pub key: Option<KeyFile>,
    /// Why rustls-webpki refuses the chain or the names, when it does: the rustls
    /// family's verdict, taken from the checks of [`crate::verify`].
    pub webpki: Option<String>,
    /// A failure every client shares (no path to the CA, expired, a key that does not
    /// match): every family refuses with it.
    pub universal: Option<String>,
}

impl Facts {
    /// The leaf, then every issuer.
    pub fn path(&self) -> impl Iterator<Item = &CertFacts> {
        std::iter::once(&self.leaf).chain(self.issuers.iter())
    }

    /// The CA (the last issuer), when known.
    pub fn ca(&self) -> Option<&CertFacts> {
        self.issuers.last()
    }

    /// Every certificate but the CA: what a verifier checks the signature of.
    pub fn signed(&self) -> impl Iterator<Item = &CertFacts> {
        let n = self.issuers.len();
        std::iter::once(&self.leaf).chain(self.issuers.iter().take(n.saturating_sub(1)))
    }
}

/// Extensions RFC 5280 defines that every verifier in the model processes when critical.
const KNOWN_EXTENSIONS: [&str; 12] = [
    "2.5.29.14",         // subjectKeyIdentifier
    "2.5.29.15",         // keyUsage
    "2.5.29.17",         // subjectAltName
    "2.5.29.19",         // basicConstraints
    "2.5.29.30",         // nameConstraints
    "2.5.29.32",         // certificatePolicies
    "2.5.29.33",         // policyMappings
    "2.5.29.35",         // authorityKeyIdentifier
    "2.5.29.36",         // policyConstraints
    "2.5.29.37",         // extendedKeyUsage
    "2.5.29.54",         // inhibitAnyPolicy
    "1.3.6.1.5.5.7.1.1", // authorityInfoAccess
];

fn rsa_bits(modulus: &[u8]) -> u32 {
    let trimmed: Vec<u8> = modulus.iter().copied().skip_while(|b| *b == 0).collect();
    match trimmed.first() {
        Some(first) => (trimmed.len() as u32) * 8 - first.leading_zeros(),
        None => 0,
    }
}

/// Reads the facts of one DER certificate.
pub fn cert_facts(der: &[u8]) -> Result<CertFacts, String> {
    let (_, x) =
        parse_x509_certificate(der).map_err(|_| "is not a readable certificate".to_owned())?;
    let tbs = &x.tbs_certificate;
    let key = match tbs.subject_pki.parsed() {
        Ok(x509_parser::public_key::PublicKey::RSA(rsa)) => PubKey::Rsa(rsa_bits(rsa.modulus)),
        Ok(x509_parser::public_key::PublicKey::EC(ec)) => PubKey::Ec(ec.key_size() as u32),
        _ => match tbs.subject_pki.algorithm.algorithm.to_id_string().as_str() {
            "1.3.101.112" => PubKey::Ed25519,
            "1.3.101.113" => PubKey::Ed448,
            _ => PubKey::Other,
        },
    };
    let sig_oid = x.signature_algorithm.algorithm.to_id_string();
    let sig_hash = match sig_oid.as_str() {
        "1.2.840.113549.1.1.4" | "1.2.840.113549.1.1.2" => SigHash::Md5,
        "1.2.840.113549.1.1.5" | "1.2.840.10045.4.1" | "1.2.840.10040.4.3" | "1.3.14.3.2.29" => {
            SigHash::Sha1
        }
        "1.2.840.113549.1.1.10"
        | "1.2.840.113549.1.1.11"
        | "1.2.840.113549.1.1.12"
        | "1.2.840.113549.1.1.13"
        | "1.2.840.113549.1.1.14"
        | "1.2.840.10045.4.3.1"
        | "1.2.840.10045.4.3.2"
        | "1.2.840.10045.4.3.3"
        | "1.2.840.10045.4.3.4"
        | "1.3.101.112"
        | "1.3.101.113" => SigHash::Strong,
        _ => SigHash::Unknown,
    };
    let serial = tbs.raw_serial();
    let mut facts = CertFacts {
        is_ca: false,
        key_usage: None,
        ski: false,
        aki: false,
        eku_present: false,
        eku_server_auth: false,
        eku_any: false,
        key,
        sig_hash,
        sig_ed25519: sig_oid == "1.3.101.112",
        serial_negative: serial.first().is_some_and(|b| b & 0x80 != 0),
        serial_len: serial.len(),
        der_len: der.len(),
        unknown_critical: Vec::new(),
        validity_days: (tbs.validity.not_after.timestamp() - tbs.validity.not_before.timestamp())
            / 86_400,
        dns: Vec::new(),
        ips: Vec::new(),
        cn: tbs
            .subject
            .iter_common_name()
            .next()
            .and_then(|cn| cn.as_str().ok())
            .map(str::to_owned),
        permitted_dns: Vec::new(),
        excluded_dns: Vec::new(),
        bc_critical: false,
        self_issued: tbs.subject.as_raw() == tbs.issuer.as_raw(),
    };
    for ext in tbs.extensions() {
        let oid = ext.oid.to_id_string();
        if ext.critical && !KNOWN_EXTENSIONS.contains(&oid.as_str()) {
            facts.unknown_critical.push(oid.clone());
        }
        match ext.parsed_extension() {
            ParsedExtension::BasicConstraints(bc) => {
                facts.is_ca = bc.ca;
                facts.bc_critical = ext.critical;
            }
            ParsedExtension::KeyUsage(ku) => facts.key_usage = Some(ku.flags),
            ParsedExtension::SubjectKeyIdentifier(_) => facts.ski = true,
            ParsedExtension::AuthorityKeyIdentifier(aki) => {
                facts.aki = aki.key_identifier.is_some();
            }
            ParsedExtension::ExtendedKeyUsage(eku) => {
                facts.eku_present = true;
                facts.eku_server_auth = eku.server_auth;
                facts.eku_any = eku.any;
            }
            ParsedExtension::SubjectAlternativeName(san) => {
                for name in &san.general_names {
                    match name {
                        GeneralName::DNSName(d) => facts.dns.push(d.to_ascii_lowercase()),
                        GeneralName::IPAddress(b) => {
                            if let Ok(a) = <[u8; 4]>::try_from(*b) {
                                facts.ips.push(IpAddr::from(a));
                            } else if let Ok(a) = <[u8; 16]>::try_from(*b) {
                                facts.ips.push(IpAddr::from(a));
                            }
                        }
                        _ => {}
                    }
                }
            }
            ParsedExtension::NameConstraints(nc) => {
                let dns = |trees: &Option<Vec<x509_parser::extensions::GeneralSubtree>>| {
                    trees
                        .iter()
                        .flatten()
                        .filter_map(|t| match t.base {
                            GeneralName::DNSName(d) => Some(d.to_ascii_lowercase()),
                            _ => None,
                        })
                        .collect::<Vec<_>>()
                };
                facts.permitted_dns = dns(&nc.permitted_subtrees);
                facts.excluded_dns = dns(&nc.excluded_subtrees);
            }
            _ => {}
        }
    }
    Ok(facts)
}

/// The quirks of a PEM file.
pub fn pem_quirks(bytes: &[u8]) -> PemQuirks {
    let utf16 = bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || bytes.iter().take(64).filter(|b| **b == 0).count() > 8;
    let begin = bytes.windows(10).position(|w| w == b"-----BEGIN");
    let bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
    let before = begin.map_or(&[][..], |i| &bytes[..i]);
    let before = before
        .strip_prefix(&[0xEF, 0xBB, 0xBF][..])
        .unwrap_or(before);
    PemQuirks {
        bom,
        utf16,
        crlf: bytes.windows(2).any(|w| w == b"\r\n"),
        text_before: before.iter().any(|b| !b.is_ascii_whitespace()),
    }
}

/// The facts of a private key file (PEM or DER) that decide whether a server loads it.
pub fn key_file(bytes: &[u8]) -> KeyFile {
    let text = String::from_utf8_lossy(bytes);
    let encrypted =
        text.contains("ENCRYPTED PRIVATE KEY") || text.contains("Proc-Type: 4,ENCRYPTED");
    let der = ::pem::parse_many(bytes)
        .ok()
        .and_then(|blocks| blocks.into_iter().find(|b| b.tag() == "PRIVATE KEY"))
        .map(|b| b.contents().to_vec());
    // OneAsymmetricKey (RFC 5958 §2): SEQUENCE { version INTEGER (0 v1 | 1 v2), ... }.
    let pkcs8_v2 = der.is_some_and(|d| {
        d.len() > 4 && {
            let skip = if d[1] & 0x80 != 0 {
                2 + (d[1] & 0x7f) as usize
            } else {
                2
            };
            d.get(skip..skip + 3) == Some(&[0x02, 0x01, 0x01][..])
        }
    });
    KeyFile {
        encrypted,
        pkcs8_v2,
        pem: pem_quirks(bytes),
    }
}

/// Whether `pattern` (a dNSName, maybe with a wildcard) covers `host`.
/// `partial` allows a wildcard inside the leftmost label (`f*.example.com`).
pub fn dns_matches(pattern: &str, host: &str, partial: bool) -> bool {
    let pattern = pattern.trim_end_matches('.').to_ascii_lowercase();
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let Some((first, rest)) = pattern.split_once('.') else {
        return pattern == host;
    };
    if !first.contains('*') {
        return pattern == host;
    }
    let Some((host_first, host_rest)) = host.split_once('.') else {
        return false;
    };
    // A wildcard needs two labels after it, and never stands for part of an IDN label.
    if host_rest != rest || !rest.contains('.') || host_first.is_empty() {
        return false;
    }
    if first == "*" {
        return true;
    }
    let Some((pre, post)) = first.split_once('*') else {
        return false;
    };
    partial
        && !post.contains('*')
        && !host_first.starts_with("xn--")
        && host_first.len() > pre.len() + post.len()
        && host_first.starts_with(pre)
        && host_first.ends_with(post)
}

/// Whether `name` lies in the dNSName subtree `base` (RFC 5280 §4.2.1.10).
pub fn in_subtree(name: &str, base: &str) -> bool {
    let base = base.trim_start_matches('.');
    name == base || name.ends_with(&format!(".{base}"))
}

/// The facts of a path: the leaf, then its issuers up to the CA (DER each).
pub fn path_facts(
    leaf: &[u8],
    issuers: &[&[u8]],
    hosts: &[SanName],
    ca_pem: PemQuirks,
    key: Option<KeyFile>,
) -> Result<Facts, String> {
    Ok(Facts {
        leaf: cert_facts(leaf)?,
        issuers: issuers
            .iter()
            .map(|d| cert_facts(d))
            .collect::<Result<_, _>>()?,
        hosts: hosts.to_vec(),
        ca_pem,
        cert_pem: PemQuirks::default(),
        key,
        webpki: None,
        universal: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_cover_one_whole_label_and_partial_ones_only_when_allowed() {
        assert!(dns_matches("*.example.com", "a.example.com", false));
        assert!(!dns_matches("*.example.com", "a.b.example.com", false));
        assert!(!dns_matches("*.example.com", "example.com", false));
        assert!(!dns_matches("*.com", "example.com", true));
        assert!(!dns_matches("f*.example.com", "foo.example.com", false));
        assert!(dns_matches("f*.example.com", "foo.example.com", true));
        assert!(!dns_matches(
            "x*.example.com",
            "xn--bcher-kva.example.com",
            true
        ));
        assert!(dns_matches("Localhost", "localhost.", false));
    }

    #[test]
    fn subtrees_match_whole_labels() {
        assert!(in_subtree("api.allowed.test", "allowed.test"));
        assert!(in_subtree("allowed.test", ".allowed.test"));
        assert!(!in_subtree("notallowed.test", "allowed.test"));
    }

    #[test]
    fn pem_quirks_are_told_apart() {
        let pem = b"-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n";
        assert_eq!(pem_quirks(pem), PemQuirks::default());
        let bom = [&[0xEF, 0xBB, 0xBF][..], pem].concat();
        assert!(pem_quirks(&bom).bom && !pem_quirks(&bom).text_before);
        let text = [&b"my CA\n"[..], pem].concat();
        assert!(pem_quirks(&text).text_before);
        let crlf = String::from_utf8_lossy(pem).replace('\n', "\r\n");
        assert!(pem_quirks(crlf.as_bytes()).crlf);
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(pem.iter().flat_map(|b| [*b, 0]))
            .collect();
        assert!(pem_quirks(&utf16).utf16);
    }

    /// The rustls family's PEM rules follow rustls-pki-types' reader, which the rustls
    /// programs use: it finds nothing behind a BOM or in UTF-16, and skips text before
    /// the header.
    #[test]
    fn rustls_pem_reader_agrees() {
        use rustls_pki_types::CertificateDer;
        use rustls_pki_types::pem::PemObject;
        let pem = b"-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
        let reads = |bytes: &[u8]| {
            CertificateDer::pem_slice_iter(bytes)
                .filter_map(Result::ok)
                .count()
                > 0
        };
        assert!(reads(pem));
        assert!(reads(&[&b"my CA\r\n"[..], pem].concat()));
        let bom = [&[0xEF, 0xBB, 0xBF][..], pem].concat();
        assert_eq!(reads(&bom), !pem_quirks(&bom).bom);
        let utf16: Vec<u8> = pem.iter().flat_map(|b| [*b, 0]).collect();
        assert!(!reads(&utf16) && pem_quirks(&utf16).utf16);
    }

    #[test]
    fn a_pkcs8_v2_key_is_recognised() {
        // OneAsymmetricKey version 1 (v2), Ed25519, as aws-lc-rs writes it.
        let v2 = "-----BEGIN PRIVATE KEY-----\nMFECAQEwBQYDK2VwBCIEINYRRJ/y6myPhurchoAq6j5NXo+DKu37h6ELBN+JG7tc\ngSEAbwG1PcW+Xfd8XV8vRmpF8qUakR0xEepUVb7tCJMW+Ss=\n-----END PRIVATE KEY-----\n";
        assert!(key_file(v2.as_bytes()).pkcs8_v2);
        let v1 = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINYRRJ/y6myPhurchoAq6j5NXo+DKu37h6ELBN+JG7tc\n-----END PRIVATE KEY-----\n";
        assert!(!key_file(v1.as_bytes()).pkcs8_v2);
        assert!(key_file(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n").encrypted);
    }
}

//! Reading private key files for what they are: algorithm, size, encoding and encryption,
//! and the public half when it can be had, in every common form (PKCS#8 v1 and v2,
//! encrypted PKCS#8, PKCS#1, SEC1, OpenSSL's legacy encrypted PEM with
//! `Proc-Type: 4,ENCRYPTED`; RSA of any size). SPEC §6: "the key of any size and encoding,
//! encrypted or not".
//!
//! The facts ([`KeyFileFacts`]) are what `inspect` shows, what `verify` judges a server's
//! ability to load by, and what the client model reads. The ASN.1 is parsed by the
//! RustCrypto `pkcs8`, `pkcs1`, `sec1` and `pkcs5` crates; no secret leaves this module.
//! Takes bytes, returns values; never prints.

use std::fmt;

use pkcs8::der::asn1::{AnyRef, BitStringRef};
use pkcs8::der::{Decode, Encode};
use pkcs8::{AlgorithmIdentifierRef, ObjectIdentifier};
use rustls_pki_types::{PrivateKeyDer, PrivatePkcs1KeyDer, PrivatePkcs8KeyDer, PrivateSec1KeyDer};
use serde::Serialize;

/// How the key is stored in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyEncoding {
    /// PKCS#8 v1 (RFC 5208), `BEGIN PRIVATE KEY`: what every TLS server reads.
    Pkcs8V1,
    /// PKCS#8 v2 (RFC 5958, with the public key), `BEGIN PRIVATE KEY`: OpenSSL 3.0,
    /// GnuTLS, node and pyca/cryptography cannot read it for Ed25519.
    Pkcs8V2,
    /// Password-protected PKCS#8, `BEGIN ENCRYPTED PRIVATE KEY`.
    EncryptedPkcs8,
    /// PKCS#1 (RFC 8017), `BEGIN RSA PRIVATE KEY`.
    Pkcs1,
    /// SEC1 (RFC 5915), `BEGIN EC PRIVATE KEY`.
    Sec1,
    /// OpenSSL's DSA form, `BEGIN DSA PRIVATE KEY`.
    Dsa,
    /// OpenSSL's legacy encrypted PEM: a PKCS#1, SEC1 or DSA block with
    /// `Proc-Type: 4,ENCRYPTED` and `DEK-Info` headers.
    LegacyEncryptedPem,
}

impl KeyEncoding {
    /// The name used in output and JSON (`pkcs8-v1`, `legacy-encrypted-pem` …).
    pub fn name(self) -> &'static str {
        match self {
            KeyEncoding::Pkcs8V1 => "pkcs8-v1",
            KeyEncoding::Pkcs8V2 => "pkcs8-v2",
            KeyEncoding::EncryptedPkcs8 => "encrypted-pkcs8",
            KeyEncoding::Pkcs1 => "pkcs1",
            KeyEncoding::Sec1 => "sec1",
            KeyEncoding::Dsa => "dsa",
            KeyEncoding::LegacyEncryptedPem => "legacy-encrypted-pem",
        }
    }
}

impl fmt::Display for KeyEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The key's algorithm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyAlgorithm {
    /// RSA (rsaEncryption or RSASSA-PSS).
    Rsa,
    /// An elliptic-curve key (ECDSA).
    Ecdsa,
    /// Ed25519.
    Ed25519,
    /// Ed448.
    Ed448,
    /// X25519 (key agreement only).
    X25519,
    /// X448 (key agreement only).
    X448,
    /// DSA.
    Dsa,
    /// Another algorithm, by its dotted OID.
    Other(String),
}

impl KeyAlgorithm {
    fn from_oid(oid: &str) -> Self {
        match oid {
            "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => KeyAlgorithm::Rsa,
            "1.2.840.10045.2.1" => KeyAlgorithm::Ecdsa,
            "1.3.101.112" => KeyAlgorithm::Ed25519,
            "1.3.101.113" => KeyAlgorithm::Ed448,
            "1.3.101.110" => KeyAlgorithm::X25519,
            "1.3.101.111" => KeyAlgorithm::X448,
            "1.2.840.10040.4.1" => KeyAlgorithm::Dsa,
            other => KeyAlgorithm::Other(other.to_owned()),
        }
    }

    /// The name `inspect` shows (`rsa`, `ecdsa`, `ed25519` …, or the OID).
    pub fn name(&self) -> &str {
        match self {
            KeyAlgorithm::Rsa => "rsa",
            KeyAlgorithm::Ecdsa => "ecdsa",
            KeyAlgorithm::Ed25519 => "ed25519",
            KeyAlgorithm::Ed448 => "ed448",
            KeyAlgorithm::X25519 => "x25519",
            KeyAlgorithm::X448 => "x448",
            KeyAlgorithm::Dsa => "dsa",
            KeyAlgorithm::Other(oid) => oid,
        }
    }

    /// Fixed sizes of the algorithms that have one.
    fn fixed_bits(&self) -> Option<u32> {
        match self {
            KeyAlgorithm::Ed25519 => Some(256),
            KeyAlgorithm::Ed448 => Some(456),
            KeyAlgorithm::X25519 => Some(253),
            KeyAlgorithm::X448 => Some(448),
            _ => None,
        }
    }
}

/// What a private key file holds, without any secret: the facts every reader of keys
/// (inspect, verify, the client model) decides on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyFileFacts {
    /// How it is stored.
    pub encoding: KeyEncoding,
    /// Whether a password is needed to use it.
    pub encrypted: bool,
    /// The encryption, in words (`PBES2 PBKDF2-HMAC-SHA256 AES-256-CBC`,
    /// `AES-256-CBC` for legacy PEM); `None` when not encrypted or not recognised.
    pub encryption: Option<String>,
    /// The algorithm; `None` only for encrypted PKCS#8, which hides it.
    pub algorithm: Option<KeyAlgorithm>,
    /// Size in bits (RSA modulus, EC field size); `None` when hidden by encryption or
    /// unknown.
    pub bits: Option<u32>,
    /// Named curve of an EC key (`P-256`, `P-384`, `P-521`, `secp256k1`, or the OID).
    pub curve: Option<String>,
    /// The public half (SubjectPublicKeyInfo, DER), when it can be derived without a
    /// password and with the algorithms at hand.
    #[serde(skip)]
    pub spki_der: Option<Vec<u8>>,
}

/// The form of a private key object, from its PEM label (and headers), before parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyForm {
    /// `PRIVATE KEY`: PKCS#8, v1 or v2.
    Pkcs8,
    /// `ENCRYPTED PRIVATE KEY`.
    EncryptedPkcs8,
    /// `RSA PRIVATE KEY`.
    Pkcs1,
    /// `EC PRIVATE KEY`.
    Sec1,
    /// `DSA PRIVATE KEY`.
    Dsa,
    /// One of the three above with `Proc-Type: 4,ENCRYPTED`.
    LegacyEncrypted,
    /// DER of unknown form: each is tried.
    Der,
}

/// A private key object as found in a file: its bytes and what the file says it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawKey {
    /// The DER (for legacy encrypted PEM: the ciphertext).
    pub der: Vec<u8>,
    /// What the PEM label said.
    pub form: KeyForm,
    /// The PEM label without `PRIVATE KEY` (`RSA`, `EC`, `DSA`), for legacy PEM.
    pub label_algorithm: Option<&'static str>,
    /// The cipher of legacy encrypted PEM, from its `DEK-Info` header.
    pub dek_cipher: Option<String>,
}

impl RawKey {
    /// The form TLS libraries take an unencrypted key in (`pkcs8`, `pkcs1` or `sec1`, as
    /// rustls's `PrivateKeyDer` variants); `None` for an encrypted or DSA key.
    pub fn plain_format(&self) -> Option<&'static str> {
        match self.form {
            KeyForm::Pkcs8 => Some("pkcs8"),
            KeyForm::Pkcs1 => Some("pkcs1"),
            KeyForm::Sec1 => Some("sec1"),
            KeyForm::Der => match PrivateKeyDer::try_from(self.der.as_slice()).ok()? {
                PrivateKeyDer::Pkcs1(_) => Some("pkcs1"),
                PrivateKeyDer::Sec1(_) => Some("sec1"),
                _ => Some("pkcs8"),
            },
            KeyForm::EncryptedPkcs8 | KeyForm::LegacyEncrypted | KeyForm::Dsa => None,
        }
    }
}

/// The RawKey for a PEM block with private-key label `tag`, or `None` when the label is
/// not a private key's.
pub fn raw_from_pem(tag: &str, headers: &::pem::HeaderMap, der: Vec<u8>) -> Option<RawKey> {
    let (form, alg) = match tag {
        "PRIVATE KEY" => (KeyForm::Pkcs8, None),
        "ENCRYPTED PRIVATE KEY" => (KeyForm::EncryptedPkcs8, None),
        "RSA PRIVATE KEY" => (KeyForm::Pkcs1, Some("RSA")),
        "EC PRIVATE KEY" => (KeyForm::Sec1, Some("EC")),
        "DSA PRIVATE KEY" => (KeyForm::Dsa, Some("DSA")),
        _ => return None,
    };
    // RFC 1421 §4.6.1.1: "Proc-Type: 4,ENCRYPTED", then "DEK-Info: CIPHER,IV".
    let encrypted = headers
        .get("Proc-Type")
        .is_some_and(|v| v.to_ascii_uppercase().contains("ENCRYPTED"));
    if encrypted && alg.is_some() {
        return Some(RawKey {
            der,
            form: KeyForm::LegacyEncrypted,
            label_algorithm: alg,
            dek_cipher: headers
                .get("DEK-Info")
                .and_then(|v| v.split(',').next())
                .map(|c| c.trim().to_owned()),
        });
    }
    Some(RawKey {
        der,
        form,
        label_algorithm: alg,
        dek_cipher: None,
    })
}

/// Reads the facts of one private key object.
pub fn read(raw: &RawKey) -> Result<KeyFileFacts, String> {
    match raw.form {
        KeyForm::Pkcs8 => pkcs8_facts(&raw.der),
        KeyForm::EncryptedPkcs8 => encrypted_pkcs8_facts(&raw.der),
        KeyForm::Pkcs1 => pkcs1_facts(&raw.der),
        KeyForm::Sec1 => sec1_facts(&raw.der),
        KeyForm::Dsa => Ok(KeyFileFacts {
            encoding: KeyEncoding::Dsa,
            encrypted: false,
            encryption: None,
            algorithm: Some(KeyAlgorithm::Dsa),
            bits: None,
            curve: None,
            spki_der: None,
        }),
        KeyForm::LegacyEncrypted => Ok(KeyFileFacts {
            encoding: KeyEncoding::LegacyEncryptedPem,
            encrypted: true,
            encryption: raw.dek_cipher.clone(),
            algorithm: Some(match raw.label_algorithm {
                Some("RSA") => KeyAlgorithm::Rsa,
                Some("EC") => KeyAlgorithm::Ecdsa,
                _ => KeyAlgorithm::Dsa,
            }),
            bits: None,
            curve: None,
            spki_der: None,
        }),
        KeyForm::Der => pkcs8_facts(&raw.der)
            .or_else(|_| encrypted_pkcs8_facts(&raw.der))
            .or_else(|_| pkcs1_facts(&raw.der))
            .or_else(|_| sec1_facts(&raw.der)),
    }
}

/// Whether `der` parses as one of the private key forms (for telling DER inputs apart).
pub fn is_private_key_der(der: &[u8]) -> bool {
    read(&RawKey {
        der: der.to_vec(),
        form: KeyForm::Der,
        label_algorithm: None,
        dek_cipher: None,
    })
    .is_ok()
}

const NOT_A_KEY: &str = "is not a valid private key";

fn pkcs8_facts(der: &[u8]) -> Result<KeyFileFacts, String> {
    let info = pkcs8::PrivateKeyInfo::from_der(der).map_err(|_| NOT_A_KEY.to_owned())?;
    let encoding = match info.public_key {
        Some(_) => KeyEncoding::Pkcs8V2,
        None => KeyEncoding::Pkcs8V1,
    };
    let algorithm = KeyAlgorithm::from_oid(&info.algorithm.oid.to_string());
    let mut facts = KeyFileFacts {
        encoding,
        encrypted: false,
        encryption: None,
        bits: algorithm.fixed_bits(),
        algorithm: Some(algorithm.clone()),
        curve: None,
        spki_der: None,
    };
    match algorithm {
        KeyAlgorithm::Rsa => {
            let rsa = pkcs1::RsaPrivateKey::from_der(info.private_key)
                .map_err(|_| NOT_A_KEY.to_owned())?;
            facts.bits = Some(bit_length(rsa.modulus.as_bytes()));
            facts.spki_der = rsa_spki(&rsa, info.algorithm);
        }
        KeyAlgorithm::Ecdsa => {
            let ec =
                sec1::EcPrivateKey::from_der(info.private_key).map_err(|_| NOT_A_KEY.to_owned())?;
            let curve = info
                .algorithm
                .parameters_oid()
                .ok()
                .or_else(|| ec.parameters.and_then(|p| p.named_curve()));
            let (bits, name) = curve_facts(curve);
            facts.bits = bits;
            facts.curve = name;
            facts.spki_der = ec
                .public_key
                .or(info.public_key)
                .and_then(|point| spki(info.algorithm, point));
        }
        _ => {
            facts.spki_der = info.public_key.and_then(|pk| spki(info.algorithm, pk));
        }
    }
    if facts.spki_der.is_none() {
        facts.spki_der = spki_from_crypto(PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(der)));
    }
    Ok(facts)
}

fn encrypted_pkcs8_facts(der: &[u8]) -> Result<KeyFileFacts, String> {
    let encryption = match pkcs8::EncryptedPrivateKeyInfo::from_der(der) {
        Ok(info) => Some(describe_scheme(&info.encryption_algorithm)),
        // A scheme the pkcs5 crate does not parse (PKCS#12 PBE, 3DES …): still encrypted
        // PKCS#8 when it is a SEQUENCE of an algorithm and an octet string.
        Err(_) => {
            let (alg, rest) = outer_algorithm(der).ok_or_else(|| NOT_A_KEY.to_owned())?;
            if rest.is_empty() {
                return Err(NOT_A_KEY.to_owned());
            }
            Some(match alg.as_str() {
                // PKCS#12 PBE schemes (RFC 7292 App. C), `openssl pkcs8 -v1 …`.
                "1.2.840.113549.1.12.1.3" => "PKCS#12 PBE SHA1 3DES (legacy)".to_owned(),
                "1.2.840.113549.1.12.1.4" => "PKCS#12 PBE SHA1 2-key 3DES (legacy)".to_owned(),
                "1.2.840.113549.1.12.1.5" => "PKCS#12 PBE SHA1 RC2-128 (legacy)".to_owned(),
                "1.2.840.113549.1.12.1.6" => "PKCS#12 PBE SHA1 RC2-40 (legacy)".to_owned(),
                "1.2.840.113549.1.5.13" => "PBES2 with a cipher aitls does not name".to_owned(),
                other => format!("scheme {other}"),
            })
        }
    };
    Ok(KeyFileFacts {
        encoding: KeyEncoding::EncryptedPkcs8,
        encrypted: true,
        encryption,
        algorithm: None,
        bits: None,
        curve: None,
        spki_der: None,
    })
}

/// The first AlgorithmIdentifier inside a SEQUENCE, and what follows it.
fn outer_algorithm(der: &[u8]) -> Option<(String, Vec<u8>)> {
    use x509_parser::asn1_rs::{FromDer, Sequence};
    let (_, seq) = Sequence::from_der(der).ok()?;
    let (rest, alg) = x509_parser::x509::AlgorithmIdentifier::from_der(&seq.content).ok()?;
    let rest = rest.to_vec();
    Some((alg.algorithm.to_id_string(), rest))
}

fn describe_scheme(scheme: &pkcs8::pkcs5::EncryptionScheme<'_>) -> String {
    use pkcs8::pkcs5::pbes2::{EncryptionScheme as Enc, Kdf, Pbkdf2Prf};
    match scheme {
        pkcs8::pkcs5::EncryptionScheme::Pbes1(alg) => {
            format!("PBES1 {} (legacy)", alg.encryption.oid())
        }
        pkcs8::pkcs5::EncryptionScheme::Pbes2(params) => {
            let kdf = match &params.kdf {
                Kdf::Pbkdf2(p) => match p.prf {
                    Pbkdf2Prf::HmacWithSha1 => "PBKDF2-HMAC-SHA1",
                    Pbkdf2Prf::HmacWithSha224 => "PBKDF2-HMAC-SHA224",
                    Pbkdf2Prf::HmacWithSha256 => "PBKDF2-HMAC-SHA256",
                    Pbkdf2Prf::HmacWithSha384 => "PBKDF2-HMAC-SHA384",
                    Pbkdf2Prf::HmacWithSha512 => "PBKDF2-HMAC-SHA512",
                    _ => "PBKDF2",
                },
                Kdf::Scrypt(_) => "scrypt",
                _ => "a key derivation aitls does not name",
            };
            let cipher = match params.encryption {
                Enc::Aes128Cbc { .. } => "AES-128-CBC".to_owned(),
                Enc::Aes192Cbc { .. } => "AES-192-CBC".to_owned(),
                Enc::Aes256Cbc { .. } => "AES-256-CBC".to_owned(),
                other => other.oid().to_string(),
            };
            format!("PBES2 {kdf} {cipher}")
        }
        _ => "an encryption scheme aitls does not name".to_owned(),
    }
}

fn pkcs1_facts(der: &[u8]) -> Result<KeyFileFacts, String> {
    let rsa = pkcs1::RsaPrivateKey::from_der(der).map_err(|_| NOT_A_KEY.to_owned())?;
    let spki_der = rsa_spki(
        &rsa,
        AlgorithmIdentifierRef {
            oid: RSA_ENCRYPTION,
            parameters: Some(AnyRef::NULL),
        },
    )
    .or_else(|| spki_from_crypto(PrivateKeyDer::Pkcs1(PrivatePkcs1KeyDer::from(der))));
    Ok(KeyFileFacts {
        encoding: KeyEncoding::Pkcs1,
        encrypted: false,
        encryption: None,
        algorithm: Some(KeyAlgorithm::Rsa),
        bits: Some(bit_length(rsa.modulus.as_bytes())),
        curve: None,
        spki_der,
    })
}

fn sec1_facts(der: &[u8]) -> Result<KeyFileFacts, String> {
    let ec = sec1::EcPrivateKey::from_der(der).map_err(|_| NOT_A_KEY.to_owned())?;
    let curve = ec.parameters.and_then(|p| p.named_curve());
    let (bits, name) = curve_facts(curve);
    let spki_der = match (curve, ec.public_key) {
        (Some(curve), Some(point)) => spki(
            AlgorithmIdentifierRef {
                oid: EC_PUBLIC_KEY,
                parameters: Some(AnyRef::from(&curve)),
            },
            point,
        ),
        _ => None,
    }
    .or_else(|| spki_from_crypto(PrivateKeyDer::Sec1(PrivateSec1KeyDer::from(der))));
    Ok(KeyFileFacts {
        encoding: KeyEncoding::Sec1,
        encrypted: false,
        encryption: None,
        algorithm: Some(KeyAlgorithm::Ecdsa),
        bits,
        curve: name,
        spki_der,
    })
}

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");

fn curve_facts(curve: Option<ObjectIdentifier>) -> (Option<u32>, Option<String>) {
    let Some(oid) = curve else {
        return (None, None);
    };
    match oid.to_string().as_str() {
        "1.2.840.10045.3.1.7" => (Some(256), Some("P-256".into())),
        "1.3.132.0.34" => (Some(384), Some("P-384".into())),
        "1.3.132.0.35" => (Some(521), Some("P-521".into())),
        "1.3.132.0.10" => (Some(256), Some("secp256k1".into())),
        other => (None, Some(other.to_owned())),
    }
}

/// SubjectPublicKeyInfo { algorithm, key } as DER.
fn spki(algorithm: AlgorithmIdentifierRef<'_>, key: &[u8]) -> Option<Vec<u8>> {
    spki::SubjectPublicKeyInfoRef {
        algorithm,
        subject_public_key: BitStringRef::from_bytes(key).ok()?,
    }
    .to_der()
    .ok()
}

/// The SubjectPublicKeyInfo of an RSA key of any size, with the key's own algorithm
/// identifier (rsaEncryption, or RSASSA-PSS with its parameters).
fn rsa_spki(
    rsa: &pkcs1::RsaPrivateKey<'_>,
    algorithm: AlgorithmIdentifierRef<'_>,
) -> Option<Vec<u8>> {
    let public = pkcs1::RsaPublicKey {
        modulus: rsa.modulus,
        public_exponent: rsa.public_exponent,
    }
    .to_der()
    .ok()?;
    spki(algorithm, &public)
}

/// The public half computed by the crypto library, for the key types it signs with.
fn spki_from_crypto(key: PrivateKeyDer<'_>) -> Option<Vec<u8>> {
    let pair = rcgen::KeyPair::try_from(&key).ok()?;
    Some(rcgen::PublicKeyData::subject_public_key_info(&pair))
}

/// Bits in a big-endian unsigned integer, ignoring leading zero bytes.
pub fn bit_length(bytes: &[u8]) -> u32 {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    let trimmed = &bytes[start..];
    match trimmed.first() {
        Some(first) => u32::try_from(trimmed.len())
            .unwrap_or(u32::MAX / 8)
            .saturating_mul(8)
            .saturating_sub(first.leading_zeros()),
        None => 0,
    }
}

/// The facts of the first private key in a file (PEM or DER).
pub fn read_file_bytes(bytes: &[u8]) -> Result<KeyFileFacts, String> {
    let blocks = crate::inspect::decode(bytes)?;
    let raw = blocks
        .into_iter()
        .find_map(|b| match b {
            crate::inspect::Block::PrivateKey(raw) => Some(raw),
            _ => None,
        })
        .ok_or_else(|| "holds no private key".to_owned())?;
    read(&raw)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn bit_length_ignores_sign_padding() {
        assert_eq!(bit_length(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bit_length(&[0x01]), 1);
        assert_eq!(bit_length(&[]), 0);
        assert_eq!(bit_length(&[0, 0]), 0);
    }

    #[test]
    fn keys_aitls_generates_read_as_pkcs8_v1_with_their_public_half() {
        use crate::issue::generate_key;
        use crate::key_type::KeyType;
        for kt in [KeyType::EcdsaP256, KeyType::EcdsaP384, KeyType::Ed25519] {
            let key = generate_key(kt).unwrap();
            let facts = read_file_bytes(key.serialize_pem().as_bytes()).unwrap();
            assert_eq!(facts.encoding, KeyEncoding::Pkcs8V1, "{kt}");
            assert!(!facts.encrypted);
            assert_eq!(
                facts.spki_der.as_deref(),
                Some(&rcgen::PublicKeyData::subject_public_key_info(&key)[..]),
                "{kt}"
            );
        }
    }

    /// An Ed25519 key in PKCS#8 v2 (RFC 5958), as aws-lc-rs writes by default.
    pub(crate) fn ed25519_v2_pem() -> String {
        let doc = aws_lc_rs::signature::Ed25519KeyPair::generate_pkcs8(
            &aws_lc_rs::rand::SystemRandom::new(),
        )
        .unwrap();
        ::pem::encode(&::pem::Pem::new("PRIVATE KEY", doc.as_ref().to_vec()))
    }

    #[test]
    fn ed25519_pkcs8_v2_is_told_apart_from_v1() {
        let facts = read_file_bytes(ed25519_v2_pem().as_bytes()).unwrap();
        assert_eq!(facts.encoding, KeyEncoding::Pkcs8V2);
        assert_eq!(facts.algorithm, Some(KeyAlgorithm::Ed25519));
        let spki = facts.spki_der.expect("the public key is in the file");
        assert_eq!(
            crate::key_type::key_type_of_spki(&spki),
            Some(crate::key_type::KeyType::Ed25519)
        );
    }

    #[test]
    fn garbage_in_a_key_label_is_an_error_not_a_panic() {
        for der in [&b""[..], b"\x30", b"\x30\x03\x02\x01\x00", b"\x04\x00"] {
            for form in [
                KeyForm::Pkcs8,
                KeyForm::EncryptedPkcs8,
                KeyForm::Pkcs1,
                KeyForm::Sec1,
                KeyForm::Der,
            ] {
                let raw = RawKey {
                    der: der.to_vec(),
                    form,
                    label_algorithm: None,
                    dek_cipher: None,
                };
                assert!(read(&raw).is_err(), "{form:?} {der:?}");
            }
        }
    }
}

//! The key algorithms aitls generates, and how to recognise them in a SubjectPublicKeyInfo.
//!
//! Pure: names, help lines and OIDs only. Key generation lives in [`crate::issue`], so
//! modules that only need to name a key type (the decision in [`crate::plan`], the views
//! in [`crate::inspect`]) do not pull in the generator.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use x509_parser::prelude::*;

/// The key algorithms aitls can generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyType {
    /// RSA, 2048-bit modulus.
    Rsa2048,
    /// RSA, 3072-bit modulus.
    Rsa3072,
    /// RSA, 4096-bit modulus.
    Rsa4096,
    /// ECDSA on NIST P-256, signing with SHA-256.
    EcdsaP256,
    /// ECDSA on NIST P-384, signing with SHA-384.
    EcdsaP384,
    /// Ed25519.
    Ed25519,
}

impl KeyType {
    /// Every key type, in the order help lists them.
    pub const ALL: [KeyType; 6] = [
        KeyType::Rsa2048,
        KeyType::Rsa3072,
        KeyType::Rsa4096,
        KeyType::EcdsaP256,
        KeyType::EcdsaP384,
        KeyType::Ed25519,
    ];

    /// The name used on the command line and in JSON (`rsa2048`, `ecdsa-p256` ...).
    pub fn name(self) -> &'static str {
        match self {
            KeyType::Rsa2048 => "rsa2048",
            KeyType::Rsa3072 => "rsa3072",
            KeyType::Rsa4096 => "rsa4096",
            KeyType::EcdsaP256 => "ecdsa-p256",
            KeyType::EcdsaP384 => "ecdsa-p384",
            KeyType::Ed25519 => "ed25519",
        }
    }

    /// One line for `--help`.
    pub fn description(self) -> &'static str {
        match self {
            KeyType::Rsa2048 => "RSA 2048-bit (server default, as in the OpenSSL recipe)",
            KeyType::Rsa3072 => "RSA 3072-bit",
            KeyType::Rsa4096 => "RSA 4096-bit (CA default, as in the OpenSSL recipe)",
            KeyType::EcdsaP256 => "ECDSA P-256: small and fast, accepted everywhere",
            KeyType::EcdsaP384 => "ECDSA P-384, signing with SHA-384",
            KeyType::Ed25519 => {
                "Ed25519: small and fast, but browsers do not accept it for TLS servers"
            }
        }
    }

    /// Whether this is an RSA key type (its key generation is slow; see
    /// [`crate::issue::generate_key`]).
    pub fn is_rsa(self) -> bool {
        matches!(self, KeyType::Rsa2048 | KeyType::Rsa3072 | KeyType::Rsa4096)
    }
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for KeyType {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        KeyType::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| format!("unknown key type {s:?}"))
    }
}

/// Algorithm and curve OIDs, dotted, of the key types aitls knows.
pub(crate) const OID_RSA: &str = "1.2.840.113549.1.1.1";
pub(crate) const OID_EC: &str = "1.2.840.10045.2.1";
pub(crate) const OID_ED25519: &str = "1.3.101.112";
pub(crate) const OID_P256: &str = "1.2.840.10045.3.1.7";
pub(crate) const OID_P384: &str = "1.3.132.0.34";

/// The algorithm OID of a public key and, for elliptic-curve keys, its named curve's OID,
/// both in dotted form.
pub fn spki_oids(spki: &SubjectPublicKeyInfo<'_>) -> (String, Option<String>) {
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.as_oid().ok())
        .map(|o| o.to_id_string());
    (spki.algorithm.algorithm.to_id_string(), curve)
}

/// The key type of a SubjectPublicKeyInfo (DER), when it is one aitls generates.
pub fn key_type_of_spki(spki_der: &[u8]) -> Option<KeyType> {
    let (_, spki) = SubjectPublicKeyInfo::from_der(spki_der).ok()?;
    let (key_oid, curve) = spki_oids(&spki);
    match key_oid.as_str() {
        OID_RSA => match spki.parsed().ok()?.key_size() {
            2048 => Some(KeyType::Rsa2048),
            3072 => Some(KeyType::Rsa3072),
            4096 => Some(KeyType::Rsa4096),
            _ => None,
        },
        OID_EC => match curve.as_deref()? {
            OID_P256 => Some(KeyType::EcdsaP256),
            OID_P384 => Some(KeyType::EcdsaP384),
            _ => None,
        },
        OID_ED25519 => Some(KeyType::Ed25519),
        _ => None,
    }
}

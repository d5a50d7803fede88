//! Public facts about keys: algorithm, size, curve, the `--key-type` name, the SPKI pin;
//! and the SHA-256 fingerprint of a certificate. A private key is parsed only to derive
//! its public half; nothing secret leaves this module.

use aws_lc_rs::digest;
use base64::Engine as _;
use serde::Serialize;
use x509_parser::prelude::*;

use crate::key_type::KeyType;
use crate::keyfile::bit_length;

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

/// Colon-separated uppercase hex, as OpenSSL prints fingerprints and key identifiers.
pub(super) fn colon_hex(bytes: &[u8]) -> String {
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

/// The public key (SubjectPublicKeyInfo, DER) of a private key given as PEM or DER.
pub fn public_key_of_private(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let facts = crate::keyfile::read_file_bytes(bytes)?;
    if facts.encrypted {
        return Err("holds an encrypted private key; aitls needs it unencrypted".to_owned());
    }
    facts
        .spki_der
        .ok_or_else(|| "is not a private key aitls can read".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colon_hex_matches_openssl_style() {
        assert_eq!(colon_hex(&[0x0a, 0xff, 0x00]), "0A:FF:00");
        assert_eq!(colon_hex(&[]), "");
    }
}

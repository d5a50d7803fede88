//! Splitting an input into its objects: every PEM block aitls understands, or one DER
//! object. Shared by `aitls inspect` and `aitls verify`; bytes in, [`Block`]s out.

use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::prelude::*;

/// One decoded object of an input, before it is looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// An X.509 certificate, DER.
    Certificate(Vec<u8>),
    /// A PKCS#10 certificate signing request, DER.
    CertificateRequest(Vec<u8>),
    /// A private key, encrypted or not, in any of the forms [`crate::keyfile`] reads.
    PrivateKey(crate::keyfile::RawKey),
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
        if let Some(raw) = crate::keyfile::raw_from_pem(tag, pem.headers(), pem.contents().to_vec())
        {
            blocks.push(Block::PrivateKey(raw));
            continue;
        }
        let block = match tag {
            "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
                Block::Certificate(pem.into_contents())
            }
            "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => {
                Block::CertificateRequest(pem.into_contents())
            }
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
    if crate::keyfile::is_private_key_der(bytes) {
        return Ok(Block::PrivateKey(crate::keyfile::RawKey {
            der: bytes.to_vec(),
            form: crate::keyfile::KeyForm::Der,
            label_algorithm: None,
            dek_cipher: None,
        }));
    }
    Err("is DER, but not a certificate, certificate request or key".into())
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn unknown_blocks_alone_are_an_error() {
        let crl = b"-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n";
        let err = decode(crl).unwrap_err();
        assert!(err.contains("X509 CRL"), "{err}");
    }
}

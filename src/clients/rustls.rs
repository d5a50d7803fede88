//! rustls with rustls-webpki: the path, signatures, usages and names are decided by
//! webpki itself in [`crate::verify`]; the model adds how rustls programs read files.
//!
//! Sources: rustls-webpki 0.103 (run, not modelled); rustls-pki-types 1.x `pem.rs`
//! (`PemObject::pem_slice_iter`, what `rustls-native-certs` and rustls servers use to read
//! PEM).

use super::facts::{Facts, PubKey};
use super::rules;
use super::{Refusal, Rule};

/// The rules of the `rustls` family.
pub(super) const RULES: &[Rule] = &[
    rules::shared_failure,
    webpki,
    server_key_size,
    ca_file_pem,
    key_encrypted,
    server_files_pem,
];

/// webpki's own verdict on the chain and names, taken from the checks.
///
/// Source: rustls-webpki 0.103 `EndEntityCert::verify_for_usage`,
/// `verify_is_valid_for_subject_name`.
fn webpki(f: &Facts) -> Option<Refusal> {
    f.webpki.clone().map(Refusal::all)
}

/// An RSA server key under 2048 bits: the handshake signature is checked with the
/// same algorithms as certificates, which start at 2048 bits (`BadSignature`).
///
/// Source: rustls 0.23 `src/crypto/aws_lc_rs/mod.rs` `SUPPORTED_SIG_ALGS` (webpki's
/// `RSA_PKCS1_2048_8192_*`, `RSA_PSS_2048_8192_*`).
fn server_key_size(f: &Facts) -> Option<Refusal> {
    match f.leaf.key {
        PubKey::Rsa(bits) if bits < 2048 => Some(Refusal::all(format!(
            "the server key is RSA-{bits}; rustls verifies RSA signatures of 2048 bits and more"
        ))),
        _ => None,
    }
}

/// A CA file in UTF-16, or with a UTF-8 byte order mark before the first `-----BEGIN`
/// (the reader wants the label at the start of a line).
///
/// Source: rustls-pki-types `src/pem.rs` `from_slice` (checked by the unit test
/// `rustls_pem_reader_agrees` against the crate itself).
fn ca_file_pem(f: &Facts) -> Option<Refusal> {
    rules::ca_file_utf16(f)
        .or_else(|| rules::ca_file_bom(f))
        .map(Refusal::all)
}

/// An encrypted key: rustls reads PKCS#1, SEC1 and PKCS#8 `PRIVATE KEY` only.
///
/// Source: rustls-pki-types `src/pem.rs` (`SectionKind`: no encrypted kinds).
fn key_encrypted(f: &Facts) -> Option<Refusal> {
    rules::key_encrypted(f).map(Refusal::all)
}

/// A certificate or key file with a UTF-8 byte order mark, or in UTF-16: rustls's PEM
/// reader finds no section.
///
/// Source: rustls-pki-types `src/pem.rs` (see `rustls_pem_reader_agrees`).
fn server_files_pem(f: &Facts) -> Option<Refusal> {
    rules::server_file_utf16(f)
        .or_else(|| rules::server_file_bom(f))
        .map(Refusal::all)
}

//! Go's crypto/tls and crypto/x509 (≥ 1.23): Traefik and every Go client.
//!
//! Sources: Go 1.27 `src/crypto/x509/verify.go`, `src/crypto/x509/parser.go`,
//! `src/crypto/x509/x509.go`, `src/crypto/tls/handshake_messages.go`,
//! `src/encoding/pem/pem.go`; release notes <https://go.dev/doc/go1.23>,
//! <https://go.dev/doc/go1.24>.

use super::facts::{Facts, SigHash};
use super::rules::{self, Matching};
use super::{Refusal, Rule};

/// The rules of the `go` family.
pub(super) const RULES: &[Rule] = &[
    rules::shared_failure,
    negative_serial,
    rsa_minimum,
    sha1_signature,
    unknown_critical_extension,
    eku_server_auth,
    name_constraints,
    no_common_name_fallback,
    host_names,
    ca_file_pem,
    certificate_message_size,
    key_encrypted,
    server_files_pem,
];

/// A negative serial number: the certificate does not even parse.
///
/// Source: Go 1.23 `src/crypto/x509/parser.go` ("x509: negative serial number"; the
/// `x509negativeserial` GODEBUG setting, off by default, restores the old behaviour).
fn negative_serial(f: &Facts) -> Option<Refusal> {
    f.path().find(|c| c.serial_negative).map(|c| {
        Refusal::all(format!(
            "{} has a negative serial number",
            rules::role(f, c)
        ))
    })
}

/// RSA keys under 1024 bits.
///
/// Source: <https://go.dev/doc/go1.24#cryptorsa> (`rsa1024min`); RSA-1024 itself is
/// accepted.
fn rsa_minimum(f: &Facts) -> Option<Refusal> {
    rules::rsa_below(f, 1024).map(Refusal::all)
}

/// SHA-1 and MD5 signatures (`InsecureAlgorithmError`).
///
/// Source: `src/crypto/x509/x509.go` `checkSignature`; SHA-1 refused since Go 1.18
/// (<https://go.dev/doc/go1.18#sha1>).
fn sha1_signature(f: &Facts) -> Option<Refusal> {
    rules::weak_signature(f, &[SigHash::Sha1, SigHash::Md5]).map(Refusal::all)
}

/// A critical extension crypto/x509 does not handle, on any certificate of the chain
/// including the root.
///
/// Source: `src/crypto/x509/verify.go` (`UnhandledCriticalExtension`).
fn unknown_critical_extension(f: &Facts) -> Option<Refusal> {
    rules::unknown_critical(f, true).map(Refusal::all)
}

/// An extendedKeyUsage without serverAuth; anyExtendedKeyUsage counts.
///
/// Source: `src/crypto/x509/verify.go` `checkChainForKeyUsage`.
fn eku_server_auth(f: &Facts) -> Option<Refusal> {
    rules::eku_not_server(f, true).map(Refusal::all)
}

/// A name outside a CA's nameConstraints, the root's included.
///
/// Source: `src/crypto/x509/verify.go` `isValid` (`CanSignHostname`).
fn name_constraints(f: &Facts) -> Option<Refusal> {
    rules::name_constraints(f).map(Refusal::all)
}

/// No subjectAltName: the common name is never read ("certificate relies on legacy
/// Common Name field").
///
/// Source: <https://go.dev/doc/go1.15#commonname>; `src/crypto/x509/verify.go`
/// `VerifyHostname`.
fn no_common_name_fallback(f: &Facts) -> Option<Refusal> {
    rules::no_san(f).map(Refusal::all)
}

/// Host names: whole-label leftmost wildcards only.
///
/// Source: `src/crypto/x509/verify.go` `matchHostnames`, `validHostnamePattern`.
fn host_names(f: &Facts) -> Option<Refusal> {
    rules::host_mismatch(
        f,
        Matching {
            partial: false,
            cn_fallback: false,
        },
    )
    .map(Refusal::all)
}

/// A CA file with a UTF-8 byte order mark or in UTF-16: `pem.Decode` finds `-----BEGIN`
/// only at the start of a line, so `AppendCertsFromPEM` reads nothing.
///
/// Source: `src/encoding/pem/pem.go` `Decode`; `src/crypto/x509/cert_pool.go`.
fn ca_file_pem(f: &Facts) -> Option<Refusal> {
    rules::ca_file_utf16(f)
        .or_else(|| rules::ca_file_bom(f))
        .map(Refusal::all)
}

/// A certificate message over 256 KiB.
///
/// Source: `src/crypto/tls/conn.go` `maxHandshakeCertificateMsg` (262144).
fn certificate_message_size(f: &Facts) -> Option<Refusal> {
    (rules::sent_chain_len(f) > 256 * 1024)
        .then(|| Refusal::all("the certificate chain is over 256 KiB"))
}

/// An encrypted key: `tls.LoadX509KeyPair` has no passphrase.
///
/// Source: `src/crypto/tls/tls.go` `X509KeyPair`.
fn key_encrypted(f: &Facts) -> Option<Refusal> {
    rules::key_encrypted(f).map(Refusal::all)
}

/// A certificate or key file with a UTF-8 byte order mark, or in UTF-16: `pem.Decode` finds
/// no block ("failed to find any PEM data").
///
/// Source: `src/encoding/pem/pem.go` `Decode`; `src/crypto/tls/tls.go` `X509KeyPair`.
fn server_files_pem(f: &Facts) -> Option<Refusal> {
    rules::server_file_utf16(f)
        .or_else(|| rules::server_file_bom(f))
        .map(Refusal::all)
}

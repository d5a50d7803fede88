//! GnuTLS 3.7 (wget, apt, curl-gnutls, emacs), the CA given with `--x509cafile`.
//!
//! Sources: GnuTLS 3.7 `lib/x509/verify.c`, `lib/x509/hostname-verify.c`,
//! `lib/x509/x509.c` (PEM import), `lib/algorithms/sign.c` (SHA-1 marked insecure for
//! certificates).

use super::facts::{Facts, SigHash};
use super::rules::{self, Matching};
use super::{Refusal, Rule};

/// The rules of the `gnutls` family.
pub(super) const RULES: &[Rule] = &[
    rules::shared_failure,
    sha1_signature,
    unknown_critical_extension,
    eku_server_auth,
    handshake_key_usage,
    name_constraints,
    host_names,
    ca_file_utf16,
    key_encrypted,
    key_pkcs8_v2,
    server_file_utf16,
];

/// SHA-1 and MD5 certificate signatures ("uses insecure algorithm").
///
/// Source: GnuTLS 3.7 `lib/x509/verify.c` `is_level_acceptable`, `lib/algorithms/sign.c`.
fn sha1_signature(f: &Facts) -> Option<Refusal> {
    rules::weak_signature(f, &[SigHash::Sha1, SigHash::Md5]).map(Refusal::all)
}

/// An unknown critical extension on any certificate, the CA's included.
///
/// Source: GnuTLS 3.7 `lib/x509/verify.c` `check_for_unknown_exts`.
fn unknown_critical_extension(f: &Facts) -> Option<Refusal> {
    rules::unknown_critical(f, true).map(Refusal::all)
}

/// An extendedKeyUsage without serverAuth; anyExtendedKeyUsage counts.
///
/// Source: GnuTLS 3.7 `lib/x509/verify.c` `_gnutls_check_key_purpose`.
fn eku_server_auth(f: &Facts) -> Option<Refusal> {
    rules::eku_not_server(f, true).map(Refusal::all)
}

/// keyUsage without digitalSignature for a signed handshake ("Key usage violation in
/// certificate has been detected").
///
/// Source: GnuTLS 3.7 `lib/tls-sig.c` `_gnutls_check_key_usage_for_sig`.
fn handshake_key_usage(f: &Facts) -> Option<Refusal> {
    rules::ku_forbids_handshake_signature(f).map(Refusal::all)
}

/// A name outside a CA's nameConstraints.
///
/// Source: GnuTLS 3.7 `lib/x509/name_constraints.c`.
fn name_constraints(f: &Facts) -> Option<Refusal> {
    rules::name_constraints(f).map(Refusal::all)
}

/// Host names: CN read when there is no dNSName; no partial wildcards.
///
/// Source: GnuTLS 3.7 `lib/x509/hostname-verify.c` `gnutls_x509_crt_check_hostname2`,
/// `lib/str.c` `_gnutls_hostname_compare`.
fn host_names(f: &Facts) -> Option<Refusal> {
    rules::host_mismatch(
        f,
        Matching {
            partial: false,
            cn_fallback: true,
        },
    )
    .map(Refusal::all)
}

/// A UTF-16 CA file ("No certificate was found"); a BOM or text before the header is
/// skipped.
///
/// Source: GnuTLS 3.7 `lib/x509/x509.c` `gnutls_x509_crt_list_import` (searches for
/// `-----BEGIN`).
fn ca_file_utf16(f: &Facts) -> Option<Refusal> {
    rules::ca_file_utf16(f).map(Refusal::all)
}

/// An encrypted key without a passphrase.
///
/// Source: GnuTLS 3.7 `gnutls_certificate_set_x509_key_file2`.
fn key_encrypted(f: &Facts) -> Option<Refusal> {
    rules::key_encrypted(f).map(Refusal::all)
}

/// A PKCS#8 v2 key (RFC 5958, with the public key inside): "ASN1 parser: Error in DER
/// parsing".
///
/// Source: GnuTLS 3.7 `lib/x509/privkey_pkcs8.c` (`PKIX1.pkcs-8-PrivateKeyInfo` has no
/// publicKey); measured with `certtool --key-info` 3.7.9.
fn key_pkcs8_v2(f: &Facts) -> Option<Refusal> {
    rules::key_pkcs8_v2(f).map(Refusal::all)
}

/// A UTF-16 certificate or key file for the server.
///
/// Source: GnuTLS 3.7 `lib/x509/x509.c` (searches for `-----BEGIN`).
fn server_file_utf16(f: &Facts) -> Option<Refusal> {
    rules::server_file_utf16(f).map(Refusal::all)
}

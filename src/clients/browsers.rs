//! Chromium (its own verifier over BoringSSL's `pki`, trust from the NSS database on
//! Linux) and Firefox (NSS).
//!
//! Sources: Chromium `net/cert/cert_verify_proc.cc`, `net/cert/x509_certificate.cc`
//! (`VerifyHostname`), `third_party/boringssl/src/pki/verify_certificate_chain.cc`,
//! `pki/signature_algorithm.cc`, `pki/name_constraints.cc`; NSS `lib/certdb/certdb.c`,
//! `lib/certhigh/certvfy.c`, `lib/ssl/ssl3con.c` (signature schemes), mozilla::pkix
//! `pkixnames.cpp`; <https://chromium.googlesource.com/chromium/src/+/main/net/docs/certificate-transparency.md>
//! and the Chrome Root Program policy for what applies to public roots only (398-day
//! validity, Certificate Transparency): a private CA is exempt.

use super::facts::{Facts, SigHash};
use super::rules::{self, Matching};
use super::{Refusal, Rule};

/// The rules of the `chromium` family.
pub(super) const CHROMIUM_RULES: &[Rule] = &[
    rules::shared_failure,
    ed25519,
    chromium_weak_key,
    chromium_sha1,
    chromium_unknown_critical_extension,
    chromium_eku,
    chromium_key_usage,
    name_constraints,
    chromium_no_common_name,
    chromium_host_names,
    nss_import,
];

/// The rules of the `firefox` family.
pub(super) const FIREFOX_RULES: &[Rule] = &[
    rules::shared_failure,
    ed25519,
    firefox_weak_key,
    firefox_md5,
    firefox_unknown_critical_extension,
    firefox_eku,
    name_constraints,
    firefox_host_names,
    nss_import,
];

/// Ed25519 anywhere: NSS cannot import an Ed25519 CA (`SEC_ERROR_ADDING_CERT`), so on
/// Linux neither browser can trust one; and neither offers Ed25519 in its TLS
/// signature_algorithms, so an Ed25519 server key fails the handshake
/// (`ERR_SSL_VERSION_OR_CIPHER_MISMATCH`, `SSL_ERROR_NO_CYPHER_OVERLAP`).
///
/// Source: NSS `lib/certdb/certdb.c`, `lib/ssl/ssl3con.c` (no `ssl_sig_ed25519`);
/// Chromium `pki/signature_algorithm.cc` (no Ed25519), `net/ssl/ssl_config.cc`.
fn ed25519(f: &Facts) -> Option<Refusal> {
    rules::ed25519_in_path(f).map(|who| {
        if who == "the server key" {
            Refusal::all("the server key is Ed25519, which browsers do not offer in TLS")
        } else {
            Refusal::all(format!(
                "{who}'s key is Ed25519: NSS cannot import it and browsers do not verify it"
            ))
        }
    })
}

/// RSA keys under 1024 bits (`ERR_CERT_WEAK_KEY`).
///
/// Source: Chromium `net/cert/cert_verify_proc.cc` `IsWeakKey` (1024-bit minimum).
fn chromium_weak_key(f: &Facts) -> Option<Refusal> {
    rules::rsa_below(f, 1024).map(Refusal::all)
}

/// SHA-1 and MD5 signatures, also under a private CA.
///
/// Source: Chromium `net/cert/cert_verify_proc.cc` (`ERR_CERT_WEAK_SIGNATURE_ALGORITHM`),
/// `pki/signature_algorithm.cc`.
fn chromium_sha1(f: &Facts) -> Option<Refusal> {
    rules::weak_signature(f, &[SigHash::Sha1, SigHash::Md5]).map(Refusal::all)
}

/// An unknown critical extension on any certificate, the trust anchor's included.
///
/// Source: BoringSSL `pki/verify_certificate_chain.cc` `VerifyNoUnconsumedCriticalExtensions`.
fn chromium_unknown_critical_extension(f: &Facts) -> Option<Refusal> {
    rules::unknown_critical(f, true).map(Refusal::all)
}

/// An extendedKeyUsage without serverAuth; anyExtendedKeyUsage counts.
///
/// Source: BoringSSL `pki/verify_certificate_chain.cc` `VerifyExtendedKeyUsage`.
fn chromium_eku(f: &Facts) -> Option<Refusal> {
    rules::eku_not_server(f, true).map(Refusal::all)
}

/// keyUsage without digitalSignature for a signed handshake (`ERR_SSL_KEY_USAGE_INCOMPATIBLE`):
/// BoringSSL always enforces it for ECDSA keys, and Chrome enforces it for RSA keys under
/// every root since Chrome 124 (`enforce_rsa_key_usage`). NSS does not check it.
///
/// Source: BoringSSL `ssl/ssl_cert.cc` `ssl_cert_check_key_usage`,
/// `ssl/handshake_client.cc`; Chromium `net/base/features.cc` (`RSAKeyUsageForLocalAnchors`,
/// on by default since Chrome 124); measured: Chromium 156 refuses.
fn chromium_key_usage(f: &Facts) -> Option<Refusal> {
    rules::ku_forbids_handshake_signature(f).map(Refusal::all)
}

/// A name outside a CA's nameConstraints (both browsers).
///
/// Source: BoringSSL `pki/name_constraints.cc`; NSS `lib/certdb/genname.c`
/// `CERT_CompareNameSpace`.
fn name_constraints(f: &Facts) -> Option<Refusal> {
    rules::name_constraints(f).map(Refusal::all)
}

/// No subjectAltName: the CN has not been read since Chrome 58 (`ERR_CERT_COMMON_NAME_INVALID`).
///
/// Source: <https://chromestatus.com/feature/4981025180483584>; `net/cert/x509_certificate.cc`.
fn chromium_no_common_name(f: &Facts) -> Option<Refusal> {
    rules::no_san(f).map(Refusal::all)
}

/// Host names: whole-label leftmost wildcards only, never the CN.
///
/// Source: Chromium `net/cert/x509_certificate.cc` `VerifyHostname`.
fn chromium_host_names(f: &Facts) -> Option<Refusal> {
    rules::host_mismatch(
        f,
        Matching {
            partial: false,
            cn_fallback: false,
        },
    )
    .map(Refusal::all)
}

/// A CA file with a UTF-8 byte order mark or in UTF-16 cannot be imported into the NSS
/// database (`certutil -A`: `SEC_ERROR_BAD_DER`), the way both browsers are given a CA on
/// Linux.
///
/// Source: NSS `cmd/lib/secutil.c` `SECU_ReadDERFromFile` (expects `-----BEGIN` at the
/// start of the file or of a line).
fn nss_import(f: &Facts) -> Option<Refusal> {
    rules::ca_file_utf16(f)
        .or_else(|| rules::ca_file_bom(f))
        .map(Refusal::all)
}

/// RSA keys under 1024 bits.
///
/// Source: NSS `lib/certhigh/certvfy.c` (`NSS_RSA_MIN_KEY_SIZE` policy, default 1023).
fn firefox_weak_key(f: &Facts) -> Option<Refusal> {
    rules::rsa_below(f, 1023).map(Refusal::all)
}

/// MD5 signatures. SHA-1 under a CA the user imported is still accepted.
///
/// Source: NSS `lib/certhigh/certvfy.c`; Mozilla's SHA-1 deprecation
/// (<https://blog.mozilla.org/security/2017/02/23/the-end-of-sha-1-on-the-public-web/>:
/// "manually-imported root certificates" keep working).
fn firefox_md5(f: &Facts) -> Option<Refusal> {
    rules::weak_signature(f, &[SigHash::Md5]).map(Refusal::all)
}

/// An unknown critical extension below the trust anchor.
///
/// Source: NSS `lib/certhigh/certvfy.c` `cert_VerifyCertChainOld` (the anchor's
/// extensions are not processed).
fn firefox_unknown_critical_extension(f: &Facts) -> Option<Refusal> {
    rules::unknown_critical(f, false).map(Refusal::all)
}

/// An extendedKeyUsage without serverAuth; anyExtendedKeyUsage does not count
/// (`SEC_ERROR_INADEQUATE_CERT_TYPE`).
///
/// Source: NSS `lib/certdb/certdb.c` `CERT_KeyUsageAndTypeForCertUsage`; mozilla::pkix
/// `pkixcheck.cpp` `CheckExtendedKeyUsage`.
fn firefox_eku(f: &Facts) -> Option<Refusal> {
    rules::eku_not_server(f, false).map(Refusal::all)
}

/// Host names: the CN is read only when there is no subjectAltName; wildcards must be the
/// whole leftmost label.
///
/// Source: mozilla::pkix `pkixnames.cpp` `MatchPresentedDNSIDWithReferenceDNSID`,
/// `CheckCertHostname` (`FallBackToSearchWithinSubject`).
fn firefox_host_names(f: &Facts) -> Option<Refusal> {
    rules::host_mismatch(
        f,
        Matching {
            partial: false,
            cn_fallback: true,
        },
    )
    .map(Refusal::all)
}

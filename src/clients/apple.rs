//! Apple platforms (Safari, macOS and iOS trust evaluation), from Apple's published
//! requirements only: its verifier does not run on Linux, so no test compares these rules
//! with the real thing.
//!
//! Sources: "Requirements for trusted certificates in iOS 13 and macOS 10.15"
//! (<https://support.apple.com/en-us/103769>); "About upcoming limits on trusted
//! certificates" (<https://support.apple.com/en-us/102028>: the 398-day limit applies only
//! to roots Apple ships, not to roots a user or administrator adds).

use super::facts::{Facts, SigHash};
use super::rules::{self, Matching};
use super::{Refusal, Rule};

/// The rules of the `apple` family.
pub(super) const RULES: &[Rule] = &[
    rules::shared_failure,
    rsa_2048,
    sha1_signature,
    unknown_critical_extension,
    eku_required,
    name_constraints,
    san_required,
    host_names,
    validity_825_days,
];

/// "TLS server certificates and issuing CAs using RSA keys must use key sizes greater
/// than or equal to 2048 bits."
///
/// Source: <https://support.apple.com/en-us/103769>.
fn rsa_2048(f: &Facts) -> Option<Refusal> {
    rules::rsa_below(f, 2048).map(Refusal::all)
}

/// "TLS server certificates and issuing CAs must use a hash algorithm from the SHA-2
/// family in the signature algorithm."
///
/// Source: <https://support.apple.com/en-us/103769>.
fn sha1_signature(f: &Facts) -> Option<Refusal> {
    rules::weak_signature(f, &[SigHash::Sha1, SigHash::Md5]).map(Refusal::all)
}

/// An unknown critical extension (RFC 5280 §4.2, which Apple's trust evaluation follows).
///
/// Source: RFC 5280 §4.2; <https://support.apple.com/en-us/103769>.
fn unknown_critical_extension(f: &Facts) -> Option<Refusal> {
    rules::unknown_critical(f, true).map(Refusal::all)
}

/// "TLS server certificates must contain an ExtendedKeyUsage (EKU) extension containing
/// the id-kp-serverAuth OID." No EKU, or anyExtendedKeyUsage alone, is refused.
///
/// Source: <https://support.apple.com/en-us/103769>.
fn eku_required(f: &Facts) -> Option<Refusal> {
    (!f.leaf.eku_server_auth)
        .then(|| Refusal::all("Apple requires extendedKeyUsage serverAuth in server certificates"))
}

/// A name outside a CA's nameConstraints (RFC 5280 §4.2.1.10).
///
/// Source: RFC 5280 §4.2.1.10.
fn name_constraints(f: &Facts) -> Option<Refusal> {
    rules::name_constraints(f).map(Refusal::all)
}

/// "TLS server certificates must present the DNS name of the server in the Subject
/// Alternative Name extension of the certificate. DNS names in the CommonName of a
/// certificate are no longer trusted."
///
/// Source: <https://support.apple.com/en-us/103769>.
fn san_required(f: &Facts) -> Option<Refusal> {
    rules::no_san(f).map(Refusal::all)
}

/// Host names from the subjectAltName only; wildcards as RFC 6125 §6.4.3 allows them
/// (whole leftmost label).
///
/// Source: <https://support.apple.com/en-us/103769>; RFC 6125 §6.4.3.
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

/// "TLS server certificates must have a validity period of 825 days or fewer."
///
/// Source: <https://support.apple.com/en-us/103769>.
fn validity_825_days(f: &Facts) -> Option<Refusal> {
    (f.leaf.validity_days > 825).then(|| {
        Refusal::all(format!(
            "valid for {} days; Apple refuses server certificates valid over 825 days",
            f.leaf.validity_days
        ))
    })
}

//! Java (JSSE with the PKIX trust manager, JDK 17), the CA in a PKCS#12 trust store.
//!
//! Sources: OpenJDK 17 `conf/security/java.security` (`jdk.certpath.disabledAlgorithms`,
//! `jdk.tls.disabledAlgorithms`), `sun/security/provider/certpath/PKIXCertPathValidator.java`,
//! `sun/security/validator/EndEntityChecker.java`, `sun/security/util/HostnameChecker.java`,
//! `javax/net/ssl/SNIHostName.java`, `sun/security/provider/X509Factory.java`,
//! `sun/security/ssl/SSLEngineInputRecord.java` (`jdk.tls.maxHandshakeMessageSize`).

use super::facts::{Facts, SigHash};
use super::rules::{self, Matching};
use super::{Refusal, Rule};

/// The rules of the `java` family.
pub(super) const RULES: &[Rule] = &[
    rules::shared_failure,
    disabled_key_size,
    md5_signature,
    unknown_critical_extension,
    eku_server_auth,
    handshake_key_usage,
    name_constraints,
    underscore_host,
    host_names,
    ca_file_pem,
    handshake_message_size,
    key_encrypted,
];

/// RSA keys under 1024 bits (`jdk.certpath.disabledAlgorithms`: `RSA keySize < 1024`).
/// SHA-1 is disabled only for chains to the JDK's own roots (`SHA1 jdkCA & usage
/// TLSServer`), so a private CA's SHA-1 signatures pass.
///
/// Source: OpenJDK 17 `conf/security/java.security`.
fn disabled_key_size(f: &Facts) -> Option<Refusal> {
    rules::rsa_below(f, 1024).map(Refusal::all)
}

/// MD5 signatures (`jdk.certpath.disabledAlgorithms`: `MD2, MD5`).
///
/// Source: OpenJDK 17 `conf/security/java.security`.
fn md5_signature(f: &Facts) -> Option<Refusal> {
    rules::weak_signature(f, &[SigHash::Md5]).map(Refusal::all)
}

/// An unknown critical extension below the trust anchor; the anchor itself is not part
/// of the certification path, so its extensions are never processed.
///
/// Source: OpenJDK 17 `PKIXCertPathValidator.java` (the `TrustAnchor` is outside the
/// `CertPath`), `PKIXMasterCertPathValidator.java` (unresolved critical extensions).
fn unknown_critical_extension(f: &Facts) -> Option<Refusal> {
    rules::unknown_critical(f, false).map(Refusal::all)
}

/// An extendedKeyUsage without serverAuth; anyExtendedKeyUsage counts.
///
/// Source: OpenJDK 17 `EndEntityChecker.java` `checkTLSServer`.
fn eku_server_auth(f: &Facts) -> Option<Refusal> {
    rules::eku_not_server(f, true).map(Refusal::all)
}

/// keyUsage without digitalSignature on the server certificate, for a handshake the
/// server signs (TLS 1.3, ECDHE): "KeyUsage does not allow digital signatures".
///
/// Source: OpenJDK 17 `sun/security/validator/EndEntityChecker.java` `checkTLSServer`.
fn handshake_key_usage(f: &Facts) -> Option<Refusal> {
    rules::ku_forbids_handshake_signature(f).map(Refusal::all)
}

/// nameConstraints of intermediates; a trust anchor made from a key store entry carries
/// none (`new TrustAnchor(cert, null)`), so the CA's own constraints are ignored.
///
/// Source: OpenJDK 17 `java/security/cert/PKIXParameters.java` (`PKIXParameters(KeyStore)`).
fn name_constraints(f: &Facts) -> Option<Refusal> {
    rules::name_constraints_below_ca(f).map(Refusal::all)
}

/// A host name with an underscore: SNI and endpoint identification refuse it before the
/// handshake ("Contains non-LDH ASCII characters").
///
/// Source: OpenJDK 17 `javax/net/ssl/SNIHostName.java` (`IDN.toASCII` with
/// `USE_STD3_ASCII_RULES`).
fn underscore_host(f: &Facts) -> Option<Refusal> {
    rules::underscore_host(f).map(Refusal::all)
}

/// Host names: the most specific CN is read when there is no dNSName; a wildcard may be
/// partial.
///
/// Source: OpenJDK 17 `sun/security/util/HostnameChecker.java` `matchDNS`,
/// `matchLeftmostWildcard`.
fn host_names(f: &Facts) -> Option<Refusal> {
    rules::host_mismatch(
        f,
        Matching {
            partial: true,
            cn_fallback: true,
        },
    )
    .map(Refusal::all)
}

/// A CA file with a UTF-8 byte order mark or in UTF-16: `keytool -importcert` and
/// `CertificateFactory` fail on it.
///
/// Source: OpenJDK 17 `sun/security/provider/X509Factory.java` `readOneBlock`.
fn ca_file_pem(f: &Facts) -> Option<Refusal> {
    rules::ca_file_utf16(f)
        .or_else(|| rules::ca_file_bom(f))
        .map(Refusal::all)
}

/// A certificate message over 32 KiB (`jdk.tls.maxHandshakeMessageSize`, default 32768).
///
/// Source: OpenJDK 17 `sun/security/ssl/SSLConfiguration.java` `maxHandshakeMessageSize`.
fn handshake_message_size(f: &Facts) -> Option<Refusal> {
    (rules::sent_chain_len(f) > 32 * 1024)
        .then(|| Refusal::all("the certificate chain is over 32 KiB"))
}

/// An encrypted key (a Java server loads a key store with its password; an encrypted
/// PEM key is not loaded by the JDK's PEM-less APIs).
///
/// Source: OpenJDK 17 `java/security/KeyFactory.java` (PKCS#8 `PrivateKeyInfo` only).
fn key_encrypted(f: &Facts) -> Option<Refusal> {
    rules::key_encrypted(f).map(Refusal::all)
}

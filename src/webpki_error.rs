//! rustls-webpki's errors in words, for `aitls verify`.
//!
//! webpki's `Display` is its `Debug` (`MalformedNameConstraint`,
//! `SignatureAlgorithmMismatch`): Rust identifiers that a user must never see (SPEC §3).
//! Every variant of the enum gets a phrase here; the enum is `#[non_exhaustive]`, so a
//! variant added by a later webpki falls to a generic phrase, and a unit test that reads
//! the variant list from webpki's own source fails until it is worded.

/// What rustls objects to, as a phrase that completes "rustls rejects the chain: …".
#[allow(deprecated)] // the deprecated variants are still produced by some paths
pub fn reason(e: &webpki::Error) -> String {
    use webpki::Error as E;
    let text = match e {
        E::BadDer => "a certificate is not valid DER",
        E::BadDerTime => "a certificate holds a malformed date",
        E::CaUsedAsEndEntity => {
            "the certificate is a CA certificate (CA:TRUE), not a server certificate"
        }
        E::CertDistrusted => "a certificate's key is explicitly distrusted",
        E::CertExpired { .. } => "a certificate in the chain has expired",
        E::CertNotValidForName(_) => "the certificate is not valid for the name asked for",
        E::CertNotValidYet { .. } => "a certificate in the chain is not valid yet",
        E::CertRevoked => "a certificate in the chain has been revoked",
        E::CrlExpired { .. } => "a certificate revocation list has expired",
        E::EmptyEkuExtension => "a certificate has an empty extendedKeyUsage",
        E::EndEntityUsedAsCa => {
            "an issuer in the chain is not a CA (basicConstraints CA:FALSE or missing)"
        }
        E::ExtensionValueInvalid => "a certificate has an extension with an invalid value",
        E::InvalidCertValidity => "a certificate's notBefore is after its notAfter",
        E::InvalidCrlNumber => "a certificate revocation list has an invalid CRL number",
        E::InvalidNetworkMaskConstraint => {
            "an issuer's name constraints hold an IP range that is not a valid network mask"
        }
        E::InvalidSerialNumber => {
            "a certificate's serial number is invalid (negative, zero-padded or longer than 20 bytes)"
        }
        E::InvalidCrlSignatureForPublicKey => {
            "a certificate revocation list's signature does not verify with its issuer's key"
        }
        E::InvalidSignatureForPublicKey => "a signature does not verify with its issuer's key",
        E::IssuerNotCrlSigner => {
            "a certificate revocation list was signed by an issuer without keyUsage cRLSign"
        }
        E::MalformedDnsIdentifier => "a DNS name in the certificate or asked for is malformed",
        E::MalformedExtensions => "a certificate's extensions are malformed or repeated",
        E::MalformedNameConstraint => "an issuer's name constraints are malformed",
        E::MaximumNameConstraintComparisonsExceeded => {
            "checking the names against the issuers' name constraints took too many comparisons"
        }
        E::MaximumPathBuildCallsExceeded
        | E::MaximumPathDepthExceeded
        | E::MaximumSignatureChecksExceeded => "the chain is too long or too tangled to build",
        E::NameConstraintViolation => "a name violates the CA's name constraints",
        E::PathLenConstraintViolated => {
            "the chain is longer than an issuer's pathLenConstraint allows"
        }
        E::RequiredEkuNotFound | E::RequiredEkuNotFoundContext(_) => {
            "a certificate in the chain does not allow TLS server use (extendedKeyUsage without serverAuth)"
        }
        E::SignatureAlgorithmMismatch => {
            "a certificate names one signature algorithm inside and another outside its signed part"
        }
        E::TrailingData(_) => "a certificate has data after its end",
        E::UnknownIssuer => "no issuer in the chain leads to a trusted CA",
        E::UnknownRevocationStatus => "the revocation status of a certificate is unknown",
        E::UnsupportedCertVersion => "a certificate is not X.509 version 3",
        E::UnsupportedCriticalExtension => {
            "a certificate has a critical extension rustls does not know"
        }
        E::UnsupportedCrlIssuingDistributionPoint
        | E::UnsupportedCrlVersion
        | E::UnsupportedDeltaCrl
        | E::UnsupportedIndirectCrl
        | E::UnsupportedRevocationReason
        | E::UnsupportedRevocationReasonsPartitioning => {
            "a certificate revocation list uses a form rustls does not support"
        }
        E::UnsupportedNameType => "the name asked for is of a type rustls cannot match",
        E::UnsupportedCrlSignatureAlgorithm
        | E::UnsupportedCrlSignatureAlgorithmContext(_)
        | E::UnsupportedCrlSignatureAlgorithmForPublicKey
        | E::UnsupportedCrlSignatureAlgorithmForPublicKeyContext(_) => {
            "a certificate revocation list is signed with an algorithm rustls does not accept"
        }
        E::UnsupportedSignatureAlgorithm | E::UnsupportedSignatureAlgorithmContext(_) => {
            "a certificate is signed with an algorithm rustls does not accept (such as SHA-1 or RSA-PSS)"
        }
        E::UnsupportedSignatureAlgorithmForPublicKey
        | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => {
            "a certificate's signature algorithm does not fit its issuer's key, or the key type is one rustls does not accept"
        }
        // A variant added by a later rustls-webpki: still no identifier on screen.
        _ => "rustls rejects it for a reason aitls cannot name yet",
    };
    text.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls_pki_types::{ServerName, UnixTime};
    use webpki::{DerTypeId, Error as E, KeyUsage};

    /// One value of every variant of `webpki::Error`, by name.
    #[allow(deprecated)]
    fn every_variant() -> Vec<(&'static str, E)> {
        let t = UnixTime::since_unix_epoch(std::time::Duration::from_secs(1));
        let alg = webpki::UnsupportedSignatureAlgorithmContext {
            signature_algorithm_id: vec![1, 2],
            supported_algorithms: Vec::new(),
        };
        let alg_for_key = webpki::UnsupportedSignatureAlgorithmForPublicKeyContext {
            signature_algorithm_id: vec![1],
            public_key_algorithm_id: vec![2],
        };
        vec![
            ("BadDer", E::BadDer),
            ("BadDerTime", E::BadDerTime),
            ("CaUsedAsEndEntity", E::CaUsedAsEndEntity),
            ("CertDistrusted", E::CertDistrusted),
            (
                "CertExpired",
                E::CertExpired {
                    time: t,
                    not_after: t,
                },
            ),
            (
                "CertNotValidForName",
                E::CertNotValidForName(webpki::InvalidNameContext {
                    expected: ServerName::try_from("example.com").unwrap(),
                    presented: vec!["DNS:other.com".into()],
                }),
            ),
            (
                "CertNotValidYet",
                E::CertNotValidYet {
                    time: t,
                    not_before: t,
                },
            ),
            ("CertRevoked", E::CertRevoked),
            (
                "CrlExpired",
                E::CrlExpired {
                    time: t,
                    next_update: t,
                },
            ),
            ("EmptyEkuExtension", E::EmptyEkuExtension),
            ("EndEntityUsedAsCa", E::EndEntityUsedAsCa),
            ("ExtensionValueInvalid", E::ExtensionValueInvalid),
            ("InvalidCertValidity", E::InvalidCertValidity),
            ("InvalidCrlNumber", E::InvalidCrlNumber),
            (
                "InvalidNetworkMaskConstraint",
                E::InvalidNetworkMaskConstraint,
            ),
            ("InvalidSerialNumber", E::InvalidSerialNumber),
            (
                "InvalidCrlSignatureForPublicKey",
                E::InvalidCrlSignatureForPublicKey,
            ),
            (
                "InvalidSignatureForPublicKey",
                E::InvalidSignatureForPublicKey,
            ),
            ("IssuerNotCrlSigner", E::IssuerNotCrlSigner),
            ("MalformedDnsIdentifier", E::MalformedDnsIdentifier),
            ("MalformedExtensions", E::MalformedExtensions),
            ("MalformedNameConstraint", E::MalformedNameConstraint),
            (
                "MaximumNameConstraintComparisonsExceeded",
                E::MaximumNameConstraintComparisonsExceeded,
            ),
            (
                "MaximumPathBuildCallsExceeded",
                E::MaximumPathBuildCallsExceeded,
            ),
            ("MaximumPathDepthExceeded", E::MaximumPathDepthExceeded),
            (
                "MaximumSignatureChecksExceeded",
                E::MaximumSignatureChecksExceeded,
            ),
            ("NameConstraintViolation", E::NameConstraintViolation),
            ("PathLenConstraintViolated", E::PathLenConstraintViolated),
            ("RequiredEkuNotFound", E::RequiredEkuNotFound),
            (
                "RequiredEkuNotFoundContext",
                E::RequiredEkuNotFoundContext(webpki::RequiredEkuNotFoundContext {
                    required: KeyUsage::server_auth(),
                    present: vec![vec![1, 3, 6, 1, 5, 5, 7, 3, 2]],
                }),
            ),
            ("SignatureAlgorithmMismatch", E::SignatureAlgorithmMismatch),
            ("TrailingData", E::TrailingData(DerTypeId::Certificate)),
            ("UnknownIssuer", E::UnknownIssuer),
            ("UnknownRevocationStatus", E::UnknownRevocationStatus),
            ("UnsupportedCertVersion", E::UnsupportedCertVersion),
            (
                "UnsupportedCriticalExtension",
                E::UnsupportedCriticalExtension,
            ),
            (
                "UnsupportedCrlIssuingDistributionPoint",
                E::UnsupportedCrlIssuingDistributionPoint,
            ),
            ("UnsupportedCrlVersion", E::UnsupportedCrlVersion),
            ("UnsupportedDeltaCrl", E::UnsupportedDeltaCrl),
            ("UnsupportedIndirectCrl", E::UnsupportedIndirectCrl),
            ("UnsupportedNameType", E::UnsupportedNameType),
            (
                "UnsupportedRevocationReason",
                E::UnsupportedRevocationReason,
            ),
            (
                "UnsupportedRevocationReasonsPartitioning",
                E::UnsupportedRevocationReasonsPartitioning,
            ),
            (
                "UnsupportedCrlSignatureAlgorithm",
                E::UnsupportedCrlSignatureAlgorithm,
            ),
            (
                "UnsupportedCrlSignatureAlgorithmContext",
                E::UnsupportedCrlSignatureAlgorithmContext(alg.clone()),
            ),
            (
                "UnsupportedSignatureAlgorithm",
                E::UnsupportedSignatureAlgorithm,
            ),
            (
                "UnsupportedSignatureAlgorithmContext",
                E::UnsupportedSignatureAlgorithmContext(alg),
            ),
            (
                "UnsupportedCrlSignatureAlgorithmForPublicKey",
                E::UnsupportedCrlSignatureAlgorithmForPublicKey,
            ),
            (
                "UnsupportedCrlSignatureAlgorithmForPublicKeyContext",
                E::UnsupportedCrlSignatureAlgorithmForPublicKeyContext(alg_for_key.clone()),
            ),
            (
                "UnsupportedSignatureAlgorithmForPublicKey",
                E::UnsupportedSignatureAlgorithmForPublicKey,
            ),
            (
                "UnsupportedSignatureAlgorithmForPublicKeyContext",
                E::UnsupportedSignatureAlgorithmForPublicKeyContext(alg_for_key),
            ),
        ]
    }

    /// A word that looks like a Rust identifier: CamelCase with an inner capital.
    fn looks_like_identifier(text: &str) -> Option<&str> {
        text.split(|c: char| !c.is_ascii_alphanumeric()).find(|w| {
            w.len() > 3
                && w.starts_with(|c: char| c.is_ascii_uppercase())
                && w[1..].chars().any(|c| c.is_ascii_lowercase())
                && w[1..].chars().any(|c| c.is_ascii_uppercase())
        })
    }

    #[test]
    fn every_webpki_error_has_words_and_no_identifier() {
        for (name, e) in every_variant() {
            let text = reason(&e);
            assert_eq!(
                looks_like_identifier(&text),
                None,
                "{name} renders as {text:?}"
            );
            assert!(!text.contains(name), "{name} renders as {text:?}");
            assert!(
                !text.contains("::") && !text.contains('{'),
                "{name}: {text:?}"
            );
            assert_ne!(
                text, "rustls rejects it for a reason aitls cannot name yet",
                "{name} has no words of its own"
            );
        }
    }

    #[test]
    fn the_identifier_detector_catches_what_debug_prints() {
        for debug in [
            "MalformedNameConstraint",
            "rejected (SignatureAlgorithmMismatch)",
            "TrailingData(Certificate)",
        ] {
            assert!(looks_like_identifier(debug).is_some(), "{debug}");
        }
        assert_eq!(
            looks_like_identifier("a certificate is not X.509 version 3"),
            None
        );
        assert_eq!(
            looks_like_identifier("serverAuth, keyCertSign, RSA-PSS"),
            None
        );
    }

    /// The variant names `pub enum Error` declares in the webpki source that Cargo.lock
    /// pins, read from the cargo registry.
    fn variants_in_webpki_source() -> std::collections::BTreeSet<String> {
        let root = env!("CARGO_MANIFEST_DIR");
        let lock = std::fs::read_to_string(format!("{root}/Cargo.lock")).expect("Cargo.lock");
        let version = lock
            .split("[[package]]")
            .find(|p| p.contains("name = \"rustls-webpki\""))
            .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
            .expect("rustls-webpki in Cargo.lock")
            .trim_matches('"')
            .to_owned();
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(std::path::PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cargo")))
            .expect("CARGO_HOME or HOME");
        let registry = cargo_home.join("registry/src");
        let source = std::fs::read_dir(&registry)
            .expect("the cargo registry holds the dependencies' sources")
            .filter_map(|d| d.ok())
            .map(|d| {
                d.path()
                    .join(format!("rustls-webpki-{version}/src/error.rs"))
            })
            .find(|p| p.is_file())
            .expect("rustls-webpki's error.rs in the cargo registry");
        let text = std::fs::read_to_string(source).unwrap();
        let body = text
            .split("pub enum Error {")
            .nth(1)
            .and_then(|rest| rest.split("\n}\n").next())
            .expect("pub enum Error { … }");
        body.lines()
            .map(str::trim)
            .filter(|l| !l.starts_with("//") && !l.starts_with('#'))
            .filter_map(|l| {
                let name: String = l
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                (name.starts_with(|c: char| c.is_ascii_uppercase())
                    && l[name.len()..].starts_with([',', '(', ' ', '{']))
                .then_some(name)
            })
            .collect()
    }

    #[test]
    fn the_list_above_is_every_variant_webpki_declares() {
        let declared = variants_in_webpki_source();
        assert!(declared.len() >= 50, "parsed only {declared:?}");
        let listed: Vec<&str> = every_variant().iter().map(|(n, _)| *n).collect();
        for name in &declared {
            assert!(
                listed.contains(&name.as_str()),
                "webpki::Error::{name} is not in every_variant(): give it words in reason()"
            );
        }
        // A tuple variant's context type on its own line is read as a name too; the
        // context types are never variants.
        assert_eq!(
            listed.len(),
            declared
                .iter()
                .filter(|n| !n.ends_with("Context") || listed.contains(&n.as_str()))
                .count(),
            "{declared:?}"
        );
    }
}

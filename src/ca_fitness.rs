//! Is a CA certificate fit to sign? The defects that make OpenSSL, browsers or rustls
//! refuse every certificate a CA signs (SPEC §2 `aitls ca`, §4: "never issue what its own
//! verify would fail"), as facts: `aitls ca` refuses to call such a CA "kept", `aitls
//! server` refuses to sign under it, and `aitls verify` fails its `ca` check with them.
//!
//! Takes a parsed certificate and a time; never prints.

use std::fmt;

use time::OffsetDateTime;

use crate::cert::CertInfo;

/// One reason a CA certificate cannot sign certificates that clients accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaDefect {
    /// basicConstraints is absent or says CA:FALSE (RFC 5280 §4.2.1.9): no client accepts
    /// it as an issuer.
    NotCa {
        /// basicConstraints is present (with CA:FALSE) rather than absent.
        has_basic_constraints: bool,
    },
    /// Not X.509 v3, so it has no extensions at all (rustls, Python 3.13 and
    /// `openssl -x509_strict` refuse v1 issuers).
    NotV3 {
        /// The version as printed (1 or 2).
        version: u32,
    },
    /// notBefore is in the future.
    NotYetValid {
        /// Its notBefore.
        not_before: OffsetDateTime,
    },
    /// notAfter has passed.
    Expired {
        /// Its notAfter.
        not_after: OffsetDateTime,
    },
    /// keyUsage is present but lacks keyCertSign (RFC 5280 §4.2.1.3).
    NoKeyCertSign,
    /// A critical extension OpenSSL does not know: OpenSSL refuses the certificate.
    UnknownCriticalExtension {
        /// The extension's OID, dotted.
        oid: String,
    },
}

impl fmt::Display for CaDefect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaDefect::NotCa {
                has_basic_constraints: true,
            } => f.write_str("is not a CA certificate (basicConstraints CA:FALSE)"),
            CaDefect::NotCa {
                has_basic_constraints: false,
            } => f.write_str("is not a CA certificate (no basicConstraints CA:TRUE)"),
            CaDefect::NotV3 { version } => write!(
                f,
                "is an X.509 v{version} certificate, which cannot carry the extensions a CA needs"
            ),
            CaDefect::NotYetValid { not_before } => write!(
                f,
                "is not valid until {} (notBefore is in the future)",
                not_before.date()
            ),
            CaDefect::Expired { not_after } => write!(f, "expired on {}", not_after.date()),
            CaDefect::NoKeyCertSign => {
                f.write_str("has keyUsage without keyCertSign, so it may not sign certificates")
            }
            CaDefect::UnknownCriticalExtension { oid } => write!(
                f,
                "has a critical extension {oid} that OpenSSL does not know, so OpenSSL refuses every certificate under it"
            ),
        }
    }
}

/// Every defect of `ca` as an issuer at time `at`, in the order a user should hear them.
/// Empty when it is fit to sign. A CA without any keyUsage is fit (RFC 5280 allows it and
/// OpenSSL's default verification accepts it); callers warn about it separately.
pub fn ca_defects(ca: &CertInfo, at: OffsetDateTime) -> Vec<CaDefect> {
    let mut defects = Vec::new();
    if ca.version < 3 {
        defects.push(CaDefect::NotV3 {
            version: ca.version,
        });
    } else if !ca.is_ca {
        defects.push(CaDefect::NotCa {
            has_basic_constraints: ca.has_basic_constraints,
        });
    }
    if ca.key_usage.is_some() && !ca.key_cert_sign {
        defects.push(CaDefect::NoKeyCertSign);
    }
    defects.extend(
        ca.unknown_critical
            .iter()
            .map(|oid| CaDefect::UnknownCriticalExtension { oid: oid.clone() }),
    );
    if at < ca.not_before {
        defects.push(CaDefect::NotYetValid {
            not_before: ca.not_before,
        });
    } else if at > ca.not_after {
        defects.push(CaDefect::Expired {
            not_after: ca.not_after,
        });
    }
    defects
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue::{self, CaProfile};
    use crate::key_type::KeyType;
    use time::macros::datetime;

    fn good_ca() -> CertInfo {
        let key = issue::generate_key(KeyType::EcdsaP256).unwrap();
        let profile = CaProfile {
            common_name: "Test CA".into(),
            days: 365,
            pathlen: 0,
            name_constraints: None,
        };
        let issued = issue::issue_ca(&profile, &key, datetime!(2026-01-01 00:00 UTC)).unwrap();
        crate::cert::parse_pem(issued.cert_pem.as_bytes()).unwrap()
    }

    #[test]
    fn a_ca_aitls_makes_is_fit_within_its_validity_only() {
        let ca = good_ca();
        assert_eq!(ca_defects(&ca, datetime!(2026-06-01 00:00 UTC)), vec![]);
        assert!(matches!(
            ca_defects(&ca, datetime!(2025-12-31 00:00 UTC))[..],
            [CaDefect::NotYetValid { .. }]
        ));
        assert!(matches!(
            ca_defects(&ca, datetime!(2027-01-02 00:00 UTC))[..],
            [CaDefect::Expired { .. }]
        ));
    }

    #[test]
    fn each_defect_is_found_and_worded() {
        let at = datetime!(2026-06-01 00:00 UTC);
        let mut ca = good_ca();
        ca.is_ca = false;
        ca.key_usage = Some(1);
        ca.key_cert_sign = false;
        ca.unknown_critical = vec!["1.2.3.4".into()];
        let words: Vec<String> = ca_defects(&ca, at)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(words.len(), 3, "{words:?}");
        assert!(words[0].contains("CA:FALSE"), "{words:?}");
        assert!(words[1].contains("keyCertSign"), "{words:?}");
        assert!(words[2].contains("1.2.3.4"), "{words:?}");
        ca.version = 1;
        assert!(ca_defects(&ca, at)[0].to_string().contains("X.509 v1"));
        // No keyUsage at all is fit: the seed recipe's CA.
        let mut ca = good_ca();
        ca.key_usage = None;
        ca.key_cert_sign = false;
        assert_eq!(ca_defects(&ca, at), vec![]);
    }
}

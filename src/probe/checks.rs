//! The checks on a completed handshake: `trusted` (a path to a trusted CA, as rustls builds
//! it), `host`, `current` (the certificate issued here) and `tls13`.

use rustls::pki_types::{CertificateDer, ServerName, TrustAnchor, UnixTime};
use time::OffsetDateTime;

use crate::cert::{self, CertInfo};
use crate::fix::{Fix, Need, Reissue};
use crate::names::SanName;

use super::target::Target;
use super::tls::version_name;
use super::{Check, Expected, Settings};

fn dn_of(info: &CertInfo) -> String {
    x509_parser::parse_x509_certificate(&info.der)
        .map(|(_, c)| c.issuer().to_string())
        .unwrap_or_else(|_| "an unreadable issuer".into())
}

fn subject_of(der: &[u8]) -> String {
    x509_parser::parse_x509_certificate(der)
        .map(|(_, c)| c.subject().to_string())
        .unwrap_or_default()
}

fn now_unix() -> UnixTime {
    UnixTime::now()
}

/// `trusted`: the served chain builds a path to a trusted CA, as a rustls client builds it.
pub(super) fn trusted_check(chain: &[CertInfo], settings: &Settings, expected: &Expected) -> Check {
    let leaf = CertificateDer::from(chain[0].der.as_slice());
    let intermediates: Vec<CertificateDer<'_>> = chain[1..]
        .iter()
        .map(|c| CertificateDer::from(c.der.as_slice()))
        .collect();
    let anchor_ders: Vec<CertificateDer<'_>> = settings
        .anchors
        .iter()
        .map(|d| CertificateDer::from(d.as_slice()))
        .collect();
    let anchors: Vec<TrustAnchor<'_>> = anchor_ders
        .iter()
        .filter_map(|d| webpki::anchor_from_trusted_cert(d).ok())
        .collect();
    let ee = match webpki::EndEntityCert::try_from(&leaf) {
        Ok(ee) => ee,
        Err(e) => {
            return Check::fail(
                "trusted",
                format!(
                    "rustls cannot read the served certificate ({})",
                    crate::verify::webpki_reason(&e)
                ),
                Some(Fix::ServeCertificate {
                    cert: expected.path.clone(),
                }),
            );
        }
    };
    let result = ee.verify_for_usage(
        webpki::ALL_VERIFICATION_ALGS,
        &anchors,
        &intermediates,
        now_unix(),
        webpki::KeyUsage::server_auth(),
        None,
        None,
    );
    let top = chain.last().unwrap_or(&chain[0]);
    let issuer = dn_of(top);
    if result.is_err() {
        // Signed by a different CA of the same name as the one trusted (a copy of
        // ca.crt from before `aitls ca --force`): say that, not an algorithm error.
        let trusted: Vec<CertInfo> = settings
            .anchors
            .iter()
            .filter_map(|d| cert::parse_der(d).ok())
            .collect();
        if let Some(other) = cert::same_name_other_key(top, &trusted) {
            return other_ca_same_name(top, other, settings, expected);
        }
    }
    match result {
        Ok(path) => {
            let anchor_name = anchor_ders
                .iter()
                .find(|d| {
                    webpki::anchor_from_trusted_cert(d)
                        .is_ok_and(|a| a.subject == path.anchor().subject)
                })
                .map(|d| subject_of(d))
                .unwrap_or(issuer);
            Check::pass(
                "trusted",
                format!(
                    "issued by {anchor_name}, trusted by {}",
                    settings.anchors_label
                ),
            )
        }
        Err(webpki::Error::UnknownIssuer) => {
            let held: Vec<String> = anchor_ders.iter().take(3).map(|d| subject_of(d)).collect();
            let held = if settings.anchors.len() > 3 || held.is_empty() {
                String::new()
            } else {
                format!(" ({})", held.join(", "))
            };
            Check::fail(
                "trusted",
                format!(
                    "the chain leads to {issuer}, not to a CA in {}{held}: clients that trust it refuse this service",
                    settings.anchors_label
                ),
                Some(Fix::ServeCertificate {
                    cert: expected.path.clone(),
                }),
            )
        }
        Err(webpki::Error::CertExpired { .. })
            if chain[0].not_after < OffsetDateTime::now_utc() =>
        {
            Check::fail(
                "trusted",
                format!(
                    "the served certificate expired on {}",
                    chain[0].not_after.date()
                ),
                Some(Fix::ServeCertificate {
                    cert: expected.path.clone(),
                }),
            )
        }
        Err(e) => Check::fail(
            "trusted",
            format!(
                "not trusted: {} (issuer {issuer})",
                crate::verify::webpki_reason(&e)
            ),
            Some(Fix::ServeCertificate {
                cert: expected.path.clone(),
            }),
        ),
    }
}

/// The chain's issuer is a different CA than the one trusted, with the same name.
fn other_ca_same_name(
    top: &CertInfo,
    other: &CertInfo,
    settings: &Settings,
    expected: &Expected,
) -> Check {
    let mut detail = format!(
        "the chain's issuer is a different CA than {}: same name {}, {}",
        settings.anchors_label,
        other
            .common_name
            .as_ref()
            .map_or_else(|| "(no common name)".to_owned(), |cn| format!("{cn:?}")),
        cert::key_difference(top, other)
    );
    // The directory's own CA signed it: trust that one.
    let signer = expected
        .ca
        .as_ref()
        .filter(|(path, ca)| {
            path.display().to_string() != settings.anchors_label
                && top.issuer_raw == ca.subject_raw
                && cert::is_signed_by(top, &ca.spki_der)
        })
        .map(|(path, _)| path.clone());
    if let Some(path) = &signer {
        detail.push_str(&format!("; {} signed it", path.display()));
    }
    Check::fail(
        "trusted",
        detail,
        Some(match signer {
            Some(path) => Fix::UseCa { path },
            None => Fix::ServeCertificate {
                cert: expected.path.clone(),
            },
        }),
    )
}

fn name_text(n: &SanName) -> String {
    match n {
        SanName::Dns(d) => d.clone(),
        SanName::Ip(ip) => ip.to_string(),
    }
}

/// `host`: the name connected to is among the certificate's names, as rustls matches it.
pub(super) fn host_check(
    leaf: &CertInfo,
    name: &ServerName<'_>,
    target: &Target,
    expected: &Expected,
) -> Check {
    let der = CertificateDer::from(leaf.der.as_slice());
    let matches = webpki::EndEntityCert::try_from(&der)
        .is_ok_and(|ee| ee.verify_is_valid_for_subject_name(name).is_ok());
    let names: Vec<String> = leaf.names.iter().map(name_text).collect();
    if matches {
        Check::pass(
            "host",
            format!("{} is among the certificate's names", target.host),
        )
    } else {
        let held = if names.is_empty() {
            "no subjectAltName at all".to_owned()
        } else {
            names.join(", ")
        };
        Check::fail(
            "host",
            format!(
                "{} is not among the certificate's names: it holds {held}",
                target.host
            ),
            Some(Fix::Reissue(Reissue {
                // An `aitls server` command only when DIR holds the certificate to
                // reissue and its CA issued the one served.
                stem: expected
                    .der
                    .as_ref()
                    .filter(|_| expected.issued_here(leaf))
                    .map(|_| expected.stem.clone()),
                key_type: leaf.key_type,
                names: names
                    .iter()
                    .cloned()
                    .chain(std::iter::once(target.host.clone()))
                    .collect(),
                need: Need::Name(target.host.clone()),
            })),
        )
    }
}

/// `current`: the served leaf is the certificate in the directory.
pub(super) fn current_check(leaf: &CertInfo, expected: &Expected) -> Option<Check> {
    let file_der = expected.der.as_ref()?;
    if *file_der == leaf.der {
        return Some(Check::pass(
            "current",
            format!("serves {}", expected.path.display()),
        ));
    }
    let Ok(file) = cert::parse_der(file_der) else {
        return Some(Check::fail(
            "current",
            format!(
                "{} cannot be read as a certificate",
                expected.path.display()
            ),
            None,
        ));
    };
    // A certificate this directory's CA did not issue is not one the file replaced.
    if !expected.issued_here(leaf) {
        return Some(Check::fail(
            "current",
            format!(
                "serves a certificate that is not {} (issued by {}{})",
                expected.path.display(),
                match &expected.ca {
                    Some((_, ca)) if ca.subject_raw == leaf.issuer_raw => {
                        "a different CA with the same name, "
                    }
                    _ => "",
                },
                dn_of(leaf)
            ),
            Some(Fix::ServeCertificate {
                cert: expected.path.clone(),
            }),
        ));
    }
    // notBefore has one-second precision: a certificate reissued within the second of the
    // one served still counts as the newer (the served one is what the file replaced).
    Some(if file.not_before >= leaf.not_before {
        let when = expected.modified.unwrap_or(file.not_before);
        Check::fail(
            "current",
            format!(
                "serves the certificate replaced on {} ({}): restart or reload the service",
                when_text(when),
                expected.path.display()
            ),
            Some(Fix::RestartService {
                cert: expected.path.clone(),
                on_change: expected.on_change.clone(),
            }),
        )
    } else {
        Check::fail(
            "current",
            format!(
                "serves a certificate other than {} (issued {}, the file's {}): the service reads other files",
                expected.path.display(),
                leaf.not_before.date(),
                file.not_before.date()
            ),
            Some(Fix::ServeCertificate {
                cert: expected.path.clone(),
            }),
        )
    })
}

fn when_text(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!("{} {:02}:{:02} UTC", t.date(), t.hour(), t.minute())
}

/// `tls13`: the seed's security table asks for TLS 1.3; 1.2 is a warning.
pub(super) fn tls13_check(version: rustls::ProtocolVersion) -> Check {
    if version == rustls::ProtocolVersion::TLSv1_3 {
        Check::pass("tls13", "TLS 1.3".into())
    } else {
        Check::warn(
            "tls13",
            format!(
                "negotiated {}: the service does not offer TLS 1.3, which the AI services guide asks for",
                version_name(version).replace("TLSv", "TLS ")
            ),
            Some(Fix::AllowTls13),
        )
    }
}

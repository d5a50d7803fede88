//! `aitls probe`: one block per target (what was connected and served, then one line per
//! check with the fix under each failure or warning), then the verdict.

use aitls::probe::{Check, ProbeReport, ServedCert};
use serde::Serialize;

use super::Style;
use crate::cli::fix::Words;

/// One target in the `--json` array: the report, with each fix worded.
#[derive(Debug, Serialize)]
pub struct Json<'a> {
    target: &'a str,
    ok: bool,
    address: Option<&'a str>,
    tls_version: Option<&'a str>,
    cipher: Option<&'a str>,
    alpn: Option<&'a str>,
    chain: &'a [ServedCert],
    checks: Vec<CheckJson<'a>>,
}

#[derive(Debug, Serialize)]
struct CheckJson<'a> {
    #[serde(flatten)]
    check: &'a Check,
    /// What fixes a failure or warning, as the text line shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<String>,
}

/// The reports as the `--json` array.
pub fn json<'a>(reports: &'a [ProbeReport], words: &Words) -> Vec<Json<'a>> {
    reports
        .iter()
        .map(|r| Json {
            target: &r.target,
            ok: r.ok,
            address: r.address.as_deref(),
            tls_version: r.tls_version.as_deref(),
            cipher: r.cipher.as_deref(),
            alpn: r.alpn.as_deref(),
            chain: &r.chain,
            checks: r
                .checks
                .iter()
                .map(|check| CheckJson {
                    check,
                    fix: check
                        .fix
                        .as_ref()
                        .filter(|_| !check.ok || check.warning)
                        .map(|f| words.action(f)),
                })
                .collect(),
        })
        .collect()
}

fn mark(ok: bool, warning: bool, style: Style) -> String {
    match (ok, warning) {
        (true, false) => style.paint("32", "ok  "),
        (true, true) => style.paint("1;33", "warn"),
        (false, _) => style.paint("1;31", "FAIL"),
    }
}

/// The failing checks alone, each an error line (`TARGET: CHECK: detail`) and its fix,
/// for `--quiet`, which shows errors only.
pub fn failures(reports: &[ProbeReport], words: &Words) -> Vec<(String, Option<String>)> {
    reports
        .iter()
        .flat_map(|r| r.checks.iter().filter(|c| !c.ok).map(move |c| (r, c)))
        .map(|(r, c)| {
            (
                format!("{}: {}: {}", r.target, c.name, c.detail),
                c.fix
                    .as_ref()
                    .and_then(|f| words.hint(std::slice::from_ref(f))),
            )
        })
        .collect()
}

/// The reports as text.
pub fn text(reports: &[ProbeReport], style: Style, words: &Words) -> String {
    let mut text = String::new();
    for report in reports {
        text.push_str(&format!("{}\n", report.target));
        if let Some(addr) = &report.address {
            let mut facts = vec![format!("connected to {addr}")];
            facts.extend(report.tls_version.clone());
            facts.extend(report.cipher.clone());
            if report.tls_version.is_some() {
                facts.push(format!("ALPN {}", report.alpn.as_deref().unwrap_or("none")));
            }
            text.push_str(&format!("  {}\n", facts.join(", ")));
        }
        for (i, cert) in report.chain.iter().enumerate() {
            text.push_str(&format!(
                "  {} {}, issued by {}, valid until {}, SHA-256 {}\n",
                if i == 0 { "serves " } else { "   then" },
                cert.subject,
                cert.issuer,
                cert.not_after.date(),
                cert.fingerprint_sha256
            ));
        }
        let width = report
            .checks
            .iter()
            .map(|c| c.name.len())
            .max()
            .unwrap_or(0);
        for check in &report.checks {
            text.push_str(&format!(
                "  {} {:width$}  {}\n",
                mark(check.ok, check.warning, style),
                check.name,
                check.detail
            ));
            if let Some(fix) = check.fix.as_ref().filter(|_| !check.ok || check.warning) {
                let fix = words.action(fix);
                text.push_str(&format!("  {:4} {:width$}  fix: {fix}\n", "", ""));
            }
        }
    }
    let failed = reports.iter().filter(|r| !r.ok).count();
    let warned = reports
        .iter()
        .filter(|r| r.ok && r.checks.iter().any(|c| c.warning))
        .count();
    let n = reports.len();
    let noun = if n == 1 { "target" } else { "targets" };
    if failed > 0 {
        text.push_str(&format!(
            "{}: {failed} of {n} {noun} failed\n",
            style.paint("1;31", "not ok")
        ));
    } else if warned > 0 {
        text.push_str(&format!(
            "{}: {n} {noun} pass, {warned} with something to act on\n",
            style.paint("1;33", "ok, with warnings")
        ));
    } else {
        text.push_str(&format!("{}: {n} {noun} pass\n", style.paint("1;32", "ok")));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::fix::DirSource;
    use aitls::fix::Fix;

    fn report(ok: bool, checks: Vec<Check>) -> ProbeReport {
        ProbeReport {
            target: "https://localhost:8095".into(),
            ok,
            address: Some("127.0.0.1:8095".into()),
            tls_version: Some("TLSv1.2".into()),
            cipher: Some("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256".into()),
            alpn: None,
            chain: Vec::new(),
            checks,
        }
    }

    fn check(name: &'static str, ok: bool, warning: bool, fix: Option<Fix>) -> Check {
        Check {
            name,
            ok,
            warning,
            detail: format!("{name} detail"),
            fix,
        }
    }

    #[test]
    fn each_check_is_a_line_and_a_failure_gets_its_fix_with_the_dir_in_force() {
        let reports = [report(
            false,
            vec![
                check("trusted", true, false, None),
                check(
                    "current",
                    false,
                    false,
                    Some(Fix::RestartService {
                        cert: "my certs/server.crt".into(),
                        on_change: None,
                    }),
                ),
                check("tls13", true, true, Some(Fix::AllowTls13)),
            ],
        )];
        let words = Words::new(DirSource::Flag("my certs".into()));
        let text = text(&reports, Style::PLAIN, &words);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[..5],
            [
                "https://localhost:8095",
                "  connected to 127.0.0.1:8095, TLSv1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, ALPN none",
                "  ok   trusted  trusted detail",
                "  FAIL current  current detail",
                "                fix: restart the service so it reads 'my certs/server.crt' again",
            ]
        );
        assert!(lines[6].contains("fix: allow TLS 1.3"), "{text}");
        assert_eq!(lines[7], "not ok: 1 of 1 target failed");
    }

    #[test]
    fn an_on_change_command_is_the_fix_for_a_stale_certificate() {
        let words = Words::new(DirSource::Default);
        let fix = Fix::RestartService {
            cert: "ai/certs/yolo26.crt".into(),
            on_change: Some("systemctl restart yolo26".into()),
        };
        let reports = [report(
            false,
            vec![check("current", false, false, Some(fix))],
        )];
        let doc = serde_json::to_value(json(&reports, &words)).unwrap();
        assert_eq!(doc[0]["checks"][0]["fix"], "systemctl restart yolo26");
        assert_eq!(doc[0]["checks"][0]["name"], "current");
    }
}

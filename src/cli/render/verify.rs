//! `aitls verify`: one line per check, the fix under each failure or warning, the verdict.

use std::path::Path;

use aitls::clients::Verdict;
use aitls::verify::{Check, VerifyReport};
use serde::Serialize;

use super::Style;
use crate::cli::fix::Words;

/// The `--json` document: the report, with each fix worded.
#[derive(Debug, Serialize)]
pub struct Json<'a> {
    valid: bool,
    checks: Vec<CheckJson<'a>>,
    clients: &'a [Verdict],
}

#[derive(Debug, Serialize)]
struct CheckJson<'a> {
    #[serde(flatten)]
    check: &'a Check,
    /// What fixes a failure or warning, as the text line shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<String>,
}

/// The report as its `--json` document.
pub fn json<'a>(report: &'a VerifyReport, words: &Words) -> Json<'a> {
    Json {
        valid: report.valid,
        checks: report
            .checks
            .iter()
            .map(|check| CheckJson {
                check,
                fix: check.fix.as_ref().map(|f| words.action(f)),
            })
            .collect(),
        clients: &report.clients,
    }
}

/// The refusing families, those that refuse for the same reason named together (a chain
/// every client refuses is one reason, not nine copies of it).
fn grouped(refusing: &[&Verdict]) -> String {
    let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
    for v in refusing {
        let reason = v.reason.as_deref().unwrap_or("refuses");
        let who = if v.refused_by.is_empty() {
            v.name.to_owned()
        } else {
            format!("{} [{}]", v.name, v.refused_by.join(", "))
        };
        match groups.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, names)) => names.push(who),
            None => groups.push((reason, vec![who])),
        }
    }
    groups
        .into_iter()
        .map(|(reason, names)| format!("{} ({reason})", names.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Which clients a failed check makes refuse, after its detail (SPEC §2: each failing
/// check names them).
fn who_refuses(check: &Check, report: &VerifyReport) -> String {
    match check.refused_by.as_slice() {
        [] => String::new(),
        all if all.len() == report.clients.len() && all.len() > 1 => {
            " (every client refuses)".into()
        }
        some => format!(" (refused by {})", some.join(", ")),
    }
}

/// The `clients` line: every family accepts, or which refuse and why.
fn clients_line(report: &VerifyReport, width: usize, style: Style) -> String {
    let refusing: Vec<&Verdict> = report.clients.iter().filter(|v| !v.accepts).collect();
    let (mark, detail) = if refusing.is_empty() {
        let names: Vec<&str> = report.clients.iter().map(|v| v.name).collect();
        (
            style.paint("32", "ok  "),
            format!("accepted by {}", names.join(", ")),
        )
    } else {
        (
            style.paint("1;31", "FAIL"),
            format!(
                "{} of {} refuse: {}",
                refusing.len(),
                report.clients.len(),
                grouped(&refusing)
            ),
        )
    };
    format!("  {mark} {:width$}  {detail}\n", "clients")
}

fn mark(check: &Check, style: Style) -> String {
    match (check.ok, check.warning, check.skipped) {
        (_, _, true) => style.paint("1;33", "skip"),
        (true, false, _) => style.paint("32", "ok  "),
        (true, true, _) => style.paint("1;33", "warn"),
        (false, _, _) => style.paint("1;31", "FAIL"),
    }
}

/// The failing checks alone, each an error line (`CERT: CHECK: detail`) and its fix, for
/// `--quiet`, which shows errors only.
pub fn failures(
    cert: &Path,
    report: &VerifyReport,
    words: &Words,
) -> Vec<(String, Option<String>)> {
    report
        .checks
        .iter()
        .filter(|c| !c.ok && !c.skipped)
        .map(|c| {
            (
                format!("{}: {}: {}", cert.display(), c.name, c.detail),
                c.fix
                    .as_ref()
                    .and_then(|f| words.hint(std::slice::from_ref(f))),
            )
        })
        .collect()
}

/// The report on `cert` as text.
pub fn text(cert: &Path, report: &VerifyReport, style: Style, words: &Words) -> String {
    let width = report
        .checks
        .iter()
        .map(|c| c.name.as_str().len())
        .max()
        .unwrap_or(0);
    let mut text = format!("{}\n", cert.display());
    for check in &report.checks {
        text.push_str(&format!(
            "  {} {:width$}  {}{}\n",
            mark(check, style),
            check.name,
            check.detail,
            who_refuses(check, report)
        ));
        if let Some(fix) = check.fix.as_ref().filter(|_| !check.ok || check.warning) {
            let fix = words.action(fix);
            text.push_str(&format!("  {:4} {:width$}  fix: {fix}\n", "", ""));
        }
    }
    if !report.clients.is_empty() {
        text.push_str(&clients_line(report, width, style));
    }
    let failed = report.checks.iter().filter(|c| !c.ok && !c.skipped).count();
    let skipped = report.checks.iter().filter(|c| c.skipped).count();
    let warnings = report.checks.iter().filter(|c| c.warning).count();
    if !report.valid && failed == 0 && skipped == 0 {
        text.push_str(&format!(
            "{}: refused by {} of {} clients\n",
            style.paint("1;31", "not valid"),
            report.clients.iter().filter(|v| !v.accepts).count(),
            report.clients.len()
        ));
    } else if report.valid && warnings == 0 {
        text.push_str(&format!(
            "{}: a TLS client will accept {}\n",
            style.paint("1;32", "valid"),
            cert.display()
        ));
    } else if report.valid {
        text.push_str(&format!(
            "{}, with {warnings} warning{} to act on: the clients accept {}\n",
            style.paint("1;33", "valid"),
            if warnings == 1 { "" } else { "s" },
            cert.display()
        ));
    } else {
        let not_checked = if skipped > 0 {
            format!(", {skipped} could not be made")
        } else {
            String::new()
        };
        let refused = report.clients.iter().filter(|v| !v.accepts).count();
        let clients = if refused > 0 {
            format!("; refused by {refused} of {} clients", report.clients.len())
        } else {
            String::new()
        };
        text.push_str(&format!(
            "{}: {failed} of {} checks failed{not_checked}{clients}\n",
            style.paint("1;31", "not valid"),
            report.checks.len()
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::fix::DirSource;
    use aitls::fix::Fix;
    use aitls::verify::CheckName;

    fn check(name: CheckName, ok: bool, warning: bool, fix: Option<Fix>) -> Check {
        Check {
            name,
            ok,
            warning,
            skipped: false,
            detail: format!("{name} detail"),
            fix,
            refused_by: Vec::new(),
        }
    }

    fn words() -> Words {
        Words::new(DirSource::Default)
    }

    #[test]
    fn each_check_is_a_line_and_a_failure_gets_its_fix() {
        let report = VerifyReport {
            valid: false,
            checks: vec![
                check(CheckName::Chain, true, false, None),
                check(
                    CheckName::KeyMode,
                    false,
                    false,
                    Some(Fix::Chmod {
                        path: "ai/certs/server.key".into(),
                    }),
                ),
            ],
            clients: Vec::new(),
        };
        let text = text(
            Path::new("ai/certs/server.crt"),
            &report,
            Style::PLAIN,
            &words(),
        );
        let expected = [
            "ai/certs/server.crt",
            "  ok   chain     chain detail",
            "  FAIL key_mode  key_mode detail",
            "                 fix: chmod 600 ai/certs/server.key",
            "not valid: 1 of 2 checks failed",
        ];
        assert_eq!(text.lines().collect::<Vec<_>>(), expected);
    }

    #[test]
    fn warnings_keep_the_verdict_valid_and_are_counted() {
        let report = VerifyReport {
            valid: true,
            checks: vec![check(
                CheckName::Validity,
                true,
                true,
                Some(Fix::CheckClock),
            )],
            clients: Vec::new(),
        };
        let text = text(Path::new("x.crt"), &report, Style::PLAIN, &words());
        assert!(
            text.contains("  warn validity  validity detail\n"),
            "{text}"
        );
        assert!(text.contains("fix: check the clock"), "{text}");
        assert!(
            text.ends_with("valid, with 1 warning to act on: the clients accept x.crt\n"),
            "{text}"
        );
    }

    #[test]
    fn the_clients_line_names_each_refusing_family_and_the_verdict_is_theirs() {
        let verdict = |name, accepts, reason: Option<&str>, by: Vec<&'static str>| Verdict {
            name,
            accepts,
            reason: reason.map(str::to_owned),
            refused_by: by,
        };
        let report = VerifyReport {
            valid: false,
            checks: vec![check(CheckName::Chain, true, false, None)],
            clients: vec![
                verdict(
                    "openssl",
                    false,
                    Some("partial wildcard"),
                    vec!["curl", "python"],
                ),
                verdict("go", false, Some("negative serial"), Vec::new()),
                verdict("java", true, None, Vec::new()),
            ],
        };
        let text = text(Path::new("x.crt"), &report, Style::PLAIN, &words());
        assert!(
            text.contains("  FAIL clients  2 of 3 refuse: openssl [curl, python] (partial wildcard); go (negative serial)\n"),
            "{text}"
        );
        assert!(
            text.ends_with("not valid: refused by 2 of 3 clients\n"),
            "{text}"
        );
    }
}

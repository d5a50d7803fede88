//! `aitls verify`: one line per check, the fix under each failure or warning, the verdict.

use std::path::Path;

use aitls::verify::VerifyReport;

use super::Style;

fn mark(ok: bool, warning: bool, style: Style) -> String {
    match (ok, warning) {
        (true, false) => style.paint("32", "ok  "),
        (true, true) => style.paint("1;33", "warn"),
        (false, _) => style.paint("1;31", "FAIL"),
    }
}

/// The report on `cert` as text.
pub fn text(cert: &Path, report: &VerifyReport, style: Style) -> String {
    let width = report
        .checks
        .iter()
        .map(|c| c.name.len())
        .max()
        .unwrap_or(0);
    let mut text = format!("{}\n", cert.display());
    for check in &report.checks {
        text.push_str(&format!(
            "  {} {:width$}  {}\n",
            mark(check.ok, check.warning, style),
            check.name,
            check.detail
        ));
        if let Some(fix) = check.fix.as_ref().filter(|_| !check.ok || check.warning) {
            text.push_str(&format!("  {:4} {:width$}  fix: {fix}\n", "", ""));
        }
    }
    let failed = report.checks.iter().filter(|c| !c.ok).count();
    let warnings = report.checks.iter().filter(|c| c.warning).count();
    if report.valid && warnings == 0 {
        text.push_str(&format!(
            "{}: a TLS client will accept {}\n",
            style.paint("1;32", "valid"),
            cert.display()
        ));
    } else if report.valid {
        text.push_str(&format!(
            "{}, with {warnings} warning{} to act on: rustls and openssl accept {}\n",
            style.paint("1;33", "valid"),
            if warnings == 1 { "" } else { "s" },
            cert.display()
        ));
    } else {
        text.push_str(&format!(
            "{}: {failed} of {} checks failed\n",
            style.paint("1;31", "not valid"),
            report.checks.len()
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use aitls::verify::Check;

    fn check(name: &'static str, ok: bool, warning: bool, fix: Option<&str>) -> Check {
        Check {
            name,
            ok,
            warning,
            detail: format!("{name} detail"),
            fix: fix.map(str::to_owned),
        }
    }

    #[test]
    fn each_check_is_a_line_and_a_failure_gets_its_fix() {
        let report = VerifyReport {
            valid: false,
            checks: vec![
                check("chain", true, false, None),
                check(
                    "key_mode",
                    false,
                    false,
                    Some("chmod 600 ai/certs/server.key"),
                ),
            ],
        };
        let text = text(Path::new("ai/certs/server.crt"), &report, Style::PLAIN);
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
            checks: vec![check("validity", true, true, Some("renew"))],
        };
        let text = text(Path::new("x.crt"), &report, Style::PLAIN);
        assert!(
            text.contains("  warn validity  validity detail\n"),
            "{text}"
        );
        assert!(text.contains("fix: renew\n"), "{text}");
        assert!(
            text.ends_with("valid, with 1 warning to act on: rustls and openssl accept x.crt\n"),
            "{text}"
        );
    }
}

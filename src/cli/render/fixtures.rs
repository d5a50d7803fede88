//! `aitls fixtures`: the fixtures CA, one line per case, and the manifest.

use aitls::fixtures::Report;
use aitls::plan::Action;
use serde::Serialize;

use super::Style;
use crate::cli::fix::Words;

/// The `--json` document: the report, with the CA's warnings worded.
#[derive(Debug, Serialize)]
pub struct Json<'a> {
    #[serde(flatten)]
    report: &'a Report,
    /// Things the user should know that did not stop the command.
    warnings: Vec<String>,
}

/// The report as its `--json` document.
pub fn json<'a>(report: &'a Report, words: &Words) -> Json<'a> {
    Json {
        report,
        warnings: report
            .ca
            .warnings
            .iter()
            .map(|w| words.warning(w))
            .collect(),
    }
}

/// The stdout lines for `report`.
pub fn text(report: &Report, style: Style) -> String {
    let mut text = super::outcome::text("fixtures CA", &report.ca, style);
    for case in &report.cases {
        let color = match case.action {
            Action::Kept => "32",
            Action::Created => "1;32",
            Action::Renewed | Action::Replaced => "1;33",
        };
        let action = style.paint(color, &format!("{:<8}", case.action.to_string()));
        text.push_str(&format!("{action} {}/", case.dir.display()));
        if matches!(case.action, Action::Renewed | Action::Replaced) {
            text.push_str(&format!(" (because {})", case.reason));
        }
        text.push('\n');
    }
    text.push_str(&format!(
        "{} {}: what each client family does with each case\n",
        if report.manifest_written {
            "wrote"
        } else {
            "kept"
        },
        report.manifest.display()
    ));
    text
}

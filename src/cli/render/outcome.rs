//! `aitls ca` and `aitls server`: what was created, kept, renewed or replaced.

use aitls::fix::{Fix, Warning};
use aitls::plan::Action;
use aitls::provision::Outcome;
use aitls::store::DEFAULT_STEM;
use serde::Serialize;

use super::Style;
use crate::cli::fix::Words;
use crate::cli::quote::shell_quote;

/// The `--json` document: the outcome, with its warnings worded (fixes included).
#[derive(Debug, Serialize)]
pub struct Json<'a> {
    #[serde(flatten)]
    outcome: &'a Outcome,
    /// Things the user should know that did not stop the command.
    warnings: Vec<String>,
}

/// The outcome as its `--json` document.
pub fn json<'a>(outcome: &'a Outcome, words: &Words) -> Json<'a> {
    Json {
        outcome,
        warnings: outcome.warnings.iter().map(|w| words.warning(w)).collect(),
    }
}

/// The stdout lines for `outcome`; `what` is "CA" or "server certificate". Warnings are
/// not part of it: they go to stderr.
pub fn text(what: &str, outcome: &Outcome, style: Style) -> String {
    let color = match outcome.action {
        Action::Kept => "32",
        Action::Created => "1;32",
        Action::Renewed | Action::Replaced => "1;33",
    };
    let action = style.paint(color, &outcome.action.to_string());
    let names = outcome.names.as_ref().map_or_else(String::new, |names| {
        let list: Vec<String> = names.iter().map(ToString::to_string).collect();
        format!(" for {}", list.join(", "))
    });
    let key_type = outcome.key_type.map_or("unknown key type", |k| k.name());
    let until = format!(
        "valid until {} ({} left)",
        outcome.not_after.date(),
        aitls::cert::days(outcome.days_left)
    );
    let mut text = String::new();
    if outcome.action == Action::Kept {
        text.push_str(&format!(
            "{action} {} and {}: {what} {:?}{names}, {key_type}, {until}\n",
            outcome.cert.display(),
            outcome.key.display(),
            outcome.common_name,
        ));
        // "current, …" repeats the line above; any other reason to keep is news (an
        // explicit validity window, kept expired).
        if !outcome.reason.starts_with("current") {
            text.push_str(&format!("  because {}\n", outcome.reason));
        }
    } else if what == "CA" && outcome.action == Action::Renewed {
        // A CA is renewed for the same key: only the certificate is new.
        text.push_str(&format!(
            "{action} {}: {what} {:?}, same key ({} kept), {until}\n",
            outcome.cert.display(),
            outcome.common_name,
            outcome.key.display(),
        ));
        text.push_str(&format!("  because {}\n", outcome.reason));
    } else {
        text.push_str(&format!(
            "{action} {} ({key_type}, mode 0600)\n",
            outcome.key.display()
        ));
        text.push_str(&format!(
            "{action} {}: {what} {:?}{names}, {until}\n",
            outcome.cert.display(),
            outcome.common_name,
        ));
        if outcome.action != Action::Created {
            text.push_str(&format!("  because {}\n", outcome.reason));
        }
    }
    text
}

/// Whether `warning` is the renewed CA's call to replace its copies: the next step of a
/// CA renewal, shown last on stdout rather than as a warning.
pub fn is_next_step(warning: &Warning) -> bool {
    matches!(warning.fix, Some(Fix::DistributeCa { .. }))
}

/// The last line of the human output after `ca` or `server` created or changed something
/// (SPEC §3): what to run or do next, with the directory in force. `None` when nothing
/// changed.
pub fn next_step(what: &str, outcome: &Outcome, words: &Words) -> Option<String> {
    let stem = outcome
        .cert
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match (what, outcome.action) {
        (_, Action::Kept) => None,
        ("CA", Action::Renewed) => outcome
            .warnings
            .iter()
            .find(|w| is_next_step(w))
            .map(|w| words.warning(w)),
        ("CA", _) => Some(format!(
            "next: `{}` issues the certificate the services serve",
            words.action(&Fix::IssueServer {
                stem: DEFAULT_STEM.to_owned()
            })
        )),
        (_, Action::Created) if stem == DEFAULT_STEM => Some(format!(
            "next: `{}` points the services and the backend at these files",
            words.aitls("env >> backend/.env")
        )),
        (_, Action::Created) => Some(format!(
            "next: `{}` (or --nemotron {stem}) prints the settings that use these files",
            words.aitls(&format!("env --yolo26 {}", shell_quote(&stem)))
        )),
        _ => Some(format!(
            "next: restart the services that use {} (uvicorn, llama-server; reload nginx) so they serve the new certificate",
            outcome.cert.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aitls::key_type::KeyType;
    use aitls::names::SanName;

    use crate::cli::fix::DirSource;

    fn outcome(action: Action) -> Outcome {
        Outcome {
            action,
            reason: if action == Action::Kept {
                "current, valid for 362 more days".into()
            } else {
                "expiring in 10 days".into()
            },
            cert: "ai/certs/server.crt".into(),
            key: "ai/certs/server.key".into(),
            common_name: "localhost".into(),
            key_type: Some(KeyType::EcdsaP256),
            not_after: time::macros::datetime!(2027-11-27 12:00 UTC),
            days_left: 362,
            names: Some(vec![SanName::Dns("localhost".into())]),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn a_kept_certificate_is_one_line_with_both_paths() {
        let text = text("server certificate", &outcome(Action::Kept), Style::PLAIN);
        assert_eq!(
            text,
            "kept ai/certs/server.crt and ai/certs/server.key: server certificate \"localhost\" \
             for localhost, ecdsa-p256, valid until 2027-11-27 (362 days left)\n"
        );
    }

    #[test]
    fn a_certificate_kept_for_another_reason_than_being_current_says_why() {
        let kept = Outcome {
            reason: "its validity window (2020-01-01T00:00:00Z to 2020-02-01T00:00:00Z) was given with --not-before/--not-after, so it is never renewed automatically (--force reissues it)".into(),
            ..outcome(Action::Kept)
        };
        let text = text("server certificate", &kept, Style::PLAIN);
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.contains("\n  because its validity window"), "{text}");
    }

    #[test]
    fn a_renewal_names_the_key_the_certificate_and_why() {
        let text = text(
            "server certificate",
            &outcome(Action::Renewed),
            Style::PLAIN,
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "renewed ai/certs/server.key (ecdsa-p256, mode 0600)",
                "renewed ai/certs/server.crt: server certificate \"localhost\" for localhost, \
                 valid until 2027-11-27 (362 days left)",
                "  because expiring in 10 days",
            ]
        );
    }

    #[test]
    fn a_creation_has_no_because_and_colour_only_when_asked() {
        let plain = text("CA", &outcome(Action::Created), Style::PLAIN);
        assert!(
            !plain.contains("because") && !plain.contains('\x1b'),
            "{plain}"
        );
        let painted = text("CA", &outcome(Action::Created), Style { color: true });
        assert!(
            painted.starts_with("\x1b[1;32mcreated\x1b[0m "),
            "{painted}"
        );
    }

    #[test]
    fn a_renewed_ca_keeps_its_key_and_ends_with_the_copies_to_replace() {
        let mut ca = outcome(Action::Renewed);
        ca.cert = "ai/certs/ca.crt".into();
        ca.key = "ai/certs/ca.key".into();
        ca.names = None;
        ca.warnings.push(Warning::with_fix(
            "ai/certs/ca.crt was renewed",
            Fix::DistributeCa {
                path: "ai/certs/ca.crt".into(),
            },
        ));
        let lines: Vec<String> = text("CA", &ca, Style::PLAIN)
            .lines()
            .map(str::to_owned)
            .collect();
        assert!(
            lines[0].contains("same key (ai/certs/ca.key kept)"),
            "{lines:?}"
        );
        assert_eq!(lines[1], "  because expiring in 10 days");
        let words = Words::new(DirSource::Default);
        let next = next_step("CA", &ca, &words).unwrap();
        assert!(
            next.starts_with("ai/certs/ca.crt was renewed; replace every copy of ai/certs/ca.crt"),
            "{next}"
        );
        assert!(is_next_step(&ca.warnings[0]));
    }

    #[test]
    fn the_next_step_names_the_command_with_the_directory_in_force() {
        let words = Words::new(DirSource::Flag("my certs".into()));
        let created = outcome(Action::Created);
        assert_eq!(
            next_step("server certificate", &created, &words).unwrap(),
            "next: `aitls --dir 'my certs' env >> backend/.env` points the services and the backend at these files"
        );
        assert_eq!(
            next_step("CA", &created, &words).unwrap(),
            "next: `aitls --dir 'my certs' server` issues the certificate the services serve"
        );
        let mut other = outcome(Action::Created);
        other.cert = "ai/certs/nemotron.crt".into();
        assert!(
            next_step("server certificate", &other, &words)
                .unwrap()
                .contains("env --yolo26 nemotron` (or --nemotron nemotron)")
        );
        assert!(
            next_step("server certificate", &outcome(Action::Replaced), &words)
                .unwrap()
                .starts_with("next: restart the services that use ai/certs/server.crt")
        );
        assert_eq!(
            next_step("server certificate", &outcome(Action::Kept), &words),
            None
        );
    }
}

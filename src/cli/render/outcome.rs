//! `aitls ca` and `aitls server`: what was created, kept, renewed or replaced.

use aitls::plan::Action;
use aitls::provision::Outcome;
use serde::Serialize;

use super::Style;
use crate::cli::fix::Words;

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
        "valid until {} ({} days left)",
        outcome.not_after.date(),
        outcome.days_left
    );
    let mut text = String::new();
    if outcome.action == Action::Kept {
        text.push_str(&format!(
            "{action} {} and {}: {what} {:?}{names}, {key_type}, {until}\n",
            outcome.cert.display(),
            outcome.key.display(),
            outcome.common_name,
        ));
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

#[cfg(test)]
mod tests {
    use super::*;
    use aitls::key_type::KeyType;
    use aitls::names::SanName;

    fn outcome(action: Action) -> Outcome {
        Outcome {
            action,
            reason: "expiring in 10 days".into(),
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
}

//! `aitls sync`: one line per pair (the CA first), then the hooks that ran.

use aitls::plan::Action;
use aitls::provision::Outcome;
use serde::Serialize;

use super::Style;
use super::outcome;
use crate::cli::fix::Words;

/// What became of an `on_change` hook.
#[derive(Debug, Clone, Serialize)]
pub struct Hook {
    /// The command, as the project file gives it (run with `sh -c`).
    pub command: String,
    /// It exited with status 0.
    pub ok: bool,
    /// Its exit status; `null` when it was killed by a signal or could not start.
    pub exit_code: Option<i32>,
    /// Why it failed, in words; `null` when it succeeded.
    pub error: Option<String>,
}

/// One element of the `--json` array: a pair's outcome, or its error.
#[derive(Debug, Serialize)]
pub struct Json<'a> {
    /// `ca`, or the stem of the `[certs.*]` entry.
    pub stem: &'a str,
    /// The outcome (as `aitls server --json` prints it), when the pair converged.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<outcome::Json<'a>>,
    /// The error, when the pair could not converge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The error's hint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// `--dry-run`: the action is what would be done; nothing was written.
    pub dry_run: bool,
    /// The `on_change` hook, when it ran.
    pub hook: Option<Hook>,
}

impl<'a> Json<'a> {
    /// The element for a pair that converged (or would).
    pub fn outcome(stem: &'a str, o: &'a Outcome, words: &Words, dry_run: bool) -> Self {
        Json {
            stem,
            outcome: Some(outcome::json(o, words)),
            error: None,
            hint: None,
            dry_run,
            hook: None,
        }
    }

    /// The element for a pair that failed.
    pub fn error(stem: &'a str, error: String, hint: Option<String>, dry_run: bool) -> Self {
        Json {
            stem,
            outcome: None,
            error: Some(error),
            hint,
            dry_run,
            hook: None,
        }
    }
}

/// The verb of a line: `created`, or `would create` in a dry run.
fn verb(action: Action, dry_run: bool) -> String {
    if !dry_run {
        return action.to_string();
    }
    match action {
        Action::Created => "would create",
        Action::Kept => "would keep",
        Action::Renewed => "would renew",
        Action::Replaced => "would replace",
    }
    .to_owned()
}

/// The line for one pair: `ACTION STEM: CERT (names, key type, until DATE); because …`.
pub fn line(stem: &str, o: &Outcome, dry_run: bool, style: Style) -> String {
    let color = match o.action {
        Action::Kept => "32",
        Action::Created => "1;32",
        Action::Renewed | Action::Replaced => "1;33",
    };
    let verb = style.paint(color, &verb(o.action, dry_run));
    let names = o.names.as_ref().map_or_else(String::new, |names| {
        let list: Vec<String> = names.iter().map(ToString::to_string).collect();
        format!("{}, ", list.join(" "))
    });
    let key_type = o.key_type.map_or("unknown key type", |k| k.name());
    let because = match o.action {
        Action::Kept | Action::Created => String::new(),
        Action::Renewed | Action::Replaced => format!("; because {}", o.reason),
    };
    format!(
        "{verb} {stem}: {} ({names}{key_type}, until {}, {} days left){because}\n",
        o.cert.display(),
        o.not_after.date(),
        o.days_left
    )
}

/// The line for a pair that could not converge (the error itself goes to stderr).
pub fn failed(stem: &str, style: Style) -> String {
    format!(
        "{} {stem}: see the error above\n",
        style.paint("1;31", "failed")
    )
}

/// The line for a hook that ran.
pub fn hook(stem: &str, hook: &Hook, style: Style) -> String {
    if hook.ok {
        format!("ran on_change of {stem}: {}\n", hook.command)
    } else {
        format!(
            "{} on_change of {stem}: {}\n",
            style.paint("1;31", "failed"),
            hook.command
        )
    }
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
            cert: "/p/ai/certs/yolo26.crt".into(),
            key: "/p/ai/certs/yolo26.key".into(),
            common_name: "localhost".into(),
            key_type: Some(KeyType::EcdsaP256),
            not_after: time::macros::datetime!(2027-11-27 12:00 UTC),
            days_left: 362,
            names: Some(vec![
                SanName::Dns("localhost".into()),
                SanName::Ip("::1".parse().unwrap()),
            ]),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn each_pair_is_one_line_saying_why_when_it_was_reissued() {
        assert_eq!(
            line("yolo26", &outcome(Action::Kept), false, Style::PLAIN),
            "kept yolo26: /p/ai/certs/yolo26.crt (localhost ::1, ecdsa-p256, until 2027-11-27, \
             362 days left)\n"
        );
        assert_eq!(
            line("yolo26", &outcome(Action::Renewed), true, Style::PLAIN),
            "would renew yolo26: /p/ai/certs/yolo26.crt (localhost ::1, ecdsa-p256, until \
             2027-11-27, 362 days left); because expiring in 10 days\n"
        );
    }
}

//! Words for the facts `ca` and `server` report ([`Note`]), and the next step after they
//! created or changed something (SPEC §3). The commands they name carry the `--dir` in
//! force, so they work as printed.

use aitls::plan::Action;
use aitls::provision::{DEFAULT_STEM, Note, Outcome};

use super::Globals;
use super::output::shell_quote;

/// `aitls REST`, with the `--dir` that was given.
pub fn command(globals: &Globals, rest: &str) -> String {
    match &globals.dir_flag {
        Some(dir) => format!("aitls --dir {} {rest}", shell_quote(&dir.to_string_lossy())),
        None => format!("aitls {rest}"),
    }
}

/// One note in words.
fn word(note: &Note, outcome: &Outcome, globals: &Globals) -> String {
    match note {
        Note::CaRenewed { previous_not_after } => format!(
            "{} was renewed for the same key: certificates issued before keep verifying; replace every copy of it elsewhere (trust stores, other hosts, containers) with the new file before the old one expires on {}",
            outcome.cert.display(),
            previous_not_after.date()
        ),
        Note::CappedByCa { ca_not_after } => format!(
            "{} ends with the CA on {}, and a new one could not last longer: renew the CA with `{}`, then `{}` renews the certificate",
            outcome.cert.display(),
            ca_not_after.date(),
            command(globals, "ca --renew"),
            command(globals, "server"),
        ),
        Note::DaysNotApplied { asked, issued_for } => format!(
            "kept {}, issued for {issued_for} days: --days {asked} applies at its next renewal; `{}` reissues it now",
            outcome.cert.display(),
            command(globals, &format!("server --force --days {asked}")),
        ),
        Note::CaOptionDiffers {
            option: "--days",
            asked,
            kept,
        } => format!(
            "--days {asked} differs from the kept CA's {kept} days; it applies when the CA is renewed: `{}`",
            command(globals, &format!("ca --renew --days {asked}")),
        ),
        Note::CaOptionDiffers {
            option,
            asked,
            kept,
        } => format!(
            "{option} {asked:?} differs from the kept CA's {kept:?}; only a new CA changes it (`{}`, which every client must then trust anew)",
            command(globals, "ca --force"),
        ),
    }
}

/// Adds the notes, in words, to the outcome's warnings, and returns the next step for
/// the human output, if there is one: `what` is "CA" or "server certificate".
pub fn apply(outcome: &mut Outcome, what: &str, globals: &Globals) -> Option<String> {
    let notes = std::mem::take(&mut outcome.notes);
    let renewed = notes.iter().find(|n| matches!(n, Note::CaRenewed { .. }));
    for note in notes
        .iter()
        .filter(|n| !matches!(n, Note::CaRenewed { .. }))
    {
        let words = word(note, outcome, globals);
        outcome.warnings.push(words);
    }
    let next = match (what, outcome.action) {
        (_, Action::Kept) => None,
        ("CA", Action::Renewed) => renewed.map(|note| word(note, outcome, globals)),
        ("CA", _) => Some(format!(
            "next: `{}` issues the certificate the services serve",
            command(globals, "server")
        )),
        (_, Action::Created) => {
            let stem = outcome
                .cert
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            Some(if stem == DEFAULT_STEM {
                format!(
                    "next: `{}` points the services and the backend at these files",
                    command(globals, "env >> backend/.env")
                )
            } else {
                format!(
                    "next: `{}` (or --nemotron {stem}) prints the settings that use these files",
                    command(globals, &format!("env --yolo26 {}", shell_quote(&stem)))
                )
            })
        }
        _ => Some(format!(
            "next: restart the services that use {} (uvicorn, llama-server; reload nginx) so they serve the new certificate",
            outcome.cert.display()
        )),
    };
    if let (Some(next), true) = (&next, renewed.is_some()) {
        outcome.warnings.push(next.clone());
    }
    next
}

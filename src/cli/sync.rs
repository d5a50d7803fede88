//! `aitls sync`: the project file → [`aitls::sync::sync`] → one line per pair, then the
//! `on_change` hooks of the pairs that changed, once the lock is released.

use std::path::Path;
use std::process::ExitCode;

use aitls::fix::Fix;
use aitls::store::{CA_CERT, Store};
use clap::Args;

use super::render::sync::{self as render, Json};
use super::{Globals, Output, hook};

/// Create or renew the CA and every certificate that aitls.toml declares
///
/// Converges the CA ([ca]) and then each [certs.STEM] entry, in the file's order, with
/// the rules of `aitls ca` and `aitls server`, under one lock: one line per pair. A pair
/// that was created, renewed or replaced then runs its on_change command (sh -c, with
/// AITLS_STEM, AITLS_CERT and AITLS_KEY set); a failing command, or an entry that cannot
/// converge, makes the exit code 1 while the other entries still converge. Run it from
/// cron or a Makefile: a pair that is current is kept and its hook does not run.
///
/// Examples:
///   aitls sync                     # converge everything aitls.toml declares
///   aitls sync --dry-run           # what would be created, renewed or replaced
///   aitls sync --json | jq '.[] | select(.action != "kept") | .stem'
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct SyncArgs {
    /// Print the plan and write nothing; no hook runs
    #[arg(long)]
    pub dry_run: bool,
}

/// The error when there is no project file to sync.
fn no_project(globals: &Globals) -> aitls::Error {
    let message = match &globals.manifest {
        Some(path) => format!("{} does not exist", path.display()),
        None => {
            let cwd = std::env::current_dir().unwrap_or_default();
            format!(
                "no {} in {} or any parent directory",
                aitls::project::FILE_NAME,
                cwd.display()
            )
        }
    };
    aitls::Error::Malformed {
        path: aitls::project::FILE_NAME.into(),
        reason: format!("is needed by `aitls sync`: {message}"),
        fixes: vec![Fix::InitProject],
    }
}

/// Runs `aitls sync`.
pub fn run(args: &SyncArgs, globals: &Globals, out: &Output) -> anyhow::Result<ExitCode> {
    let Some(project) = &globals.project else {
        return Err(no_project(globals).into());
    };
    let store = Store::new(&globals.dir);
    let spinner = out.spinner();
    let dry_run = args.dry_run;
    let report = aitls::sync::sync(
        &store,
        project,
        dry_run,
        time::OffsetDateTime::now_utc(),
        &spinner,
    )?;
    // The lock is released: hooks may run aitls themselves (`aitls verify`, `aitls env`).

    let words = &globals.words;
    let style = out.style();
    let mut code = 0u8;
    let mut text = String::new();
    let mut json = Vec::new();
    let ca_stem = CA_CERT.trim_end_matches(".crt");
    for warning in &report.ca.warnings {
        out.warn(&format!("{ca_stem}: {}", words.warning(warning)));
    }
    text.push_str(&render::line(ca_stem, &report.ca, dry_run, style));
    json.push(Json::outcome(ca_stem, &report.ca, words, dry_run));

    let hook_dir = project
        .path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut due = Vec::new();
    for (item, entry) in report.certs.iter().zip(&project.certs) {
        match &item.outcome {
            Ok(outcome) => {
                for warning in &outcome.warnings {
                    out.warn(&format!("{}: {}", item.stem, words.warning(warning)));
                }
                text.push_str(&render::line(&item.stem, outcome, dry_run, style));
                json.push(Json::outcome(&item.stem, outcome, words, dry_run));
                // SPEC §5: only after the pair changed, and never in a dry run.
                if let (false, true, Some(command)) = (dry_run, item.changed(), &entry.on_change) {
                    due.push((json.len() - 1, &item.stem, command, outcome));
                }
            }
            Err(err) => {
                let message = format!("{}: {err}", item.stem);
                // A directory where a pair's file goes was not meant as DIR: the generic
                // "use -d" fix of an unreadable file does not apply to an entry.
                let fixes: Vec<Fix> = err
                    .fixes()
                    .into_iter()
                    .filter(|f| !matches!(f, Fix::UseDir { .. }))
                    .collect();
                let hint = words.hint(&fixes);
                if !out.json() {
                    super::output::error(&message, hint.as_deref());
                }
                code = code.max(match err.kind() {
                    aitls::ErrorKind::Input => 2,
                    aitls::ErrorKind::Failed => 1,
                });
                text.push_str(&render::failed(&item.stem, style));
                json.push(Json::error(&item.stem, err.to_string(), hint, dry_run));
            }
        }
    }
    // The pairs first, then the hooks, whose own output goes to stderr as they run.
    if !out.json() {
        out.text(&text)?;
        text.clear();
    }
    for (index, stem, command, outcome) in due {
        let hook = hook::run(command, stem, &outcome.cert, &outcome.key, hook_dir);
        if let Some(error) = &hook.error {
            code = code.max(1);
            if !out.json() {
                super::output::error(
                    &format!("on_change of {stem} ({}) {error}", hook.command),
                    None,
                );
            }
        }
        text.push_str(&render::hook(stem, &hook, style));
        json[index].hook = Some(hook);
    }
    if out.json() {
        out.json_doc(&json)?;
    } else {
        out.text(&text)?;
    }
    Ok(ExitCode::from(code))
}

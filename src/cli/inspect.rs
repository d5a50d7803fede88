//! `aitls inspect`: files (or DIR) → [`aitls::inspect`] views → text or one JSON array.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use aitls::fix::Fix;
use aitls::inspect::{self, Item};
use aitls::store::{self, DEFAULT_STEM, FileRead, ReadLock, Store};
use clap::Args;
use time::OffsetDateTime;

use super::{Globals, Output};

/// Show certificates, bundles, CSRs and keys
///
/// Reads PEM or DER; `-` reads stdin. For a certificate: subject, issuer, serial, validity
/// and days left, public key, signature algorithm, names, constraints, usages, key
/// identifiers, the SHA-256 fingerprint (as `openssl x509 -fingerprint -sha256` prints it)
/// and the SPKI pin that `curl --pinnedpubkey` takes. For a key: type, size, pin and file
/// mode, never secret material. Without FILE: one line for each certificate and key in DIR.
///
/// Examples:
///   aitls inspect                                  # overview of ai/certs
///   aitls inspect ai/certs/server.crt --json
///   openssl s_client -connect localhost:8095 </dev/null | aitls inspect -
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct InspectArgs {
    /// Files to show (`-` for stdin) [default: everything in DIR]
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// A malformed-input error naming `path`.
pub(super) fn malformed(path: &Path, reason: String) -> aitls::Error {
    aitls::Error::Malformed {
        path: path.to_owned(),
        reason,
        fixes: Vec::new(),
    }
}

/// Reads an input file (a regular file of at most 1 MiB); a missing file is an input
/// error naming it, with the `fixes` that create it.
pub(super) fn read_file(path: &Path, fixes: Vec<Fix>) -> Result<Vec<u8>, aitls::Error> {
    read_in(None, path, fixes).map(|file| file.bytes)
}

/// [`read_file`], through the locked directory when `path` is in it, with the facts of
/// the handle read (mode, owner).
pub(super) fn read_in(
    dir: Option<&ReadLock>,
    path: &Path,
    fixes: Vec<Fix>,
) -> Result<FileRead, aitls::Error> {
    let read = match dir {
        Some(dir) => dir.read_path(path)?,
        None => store::read_file(path)?,
    };
    read.ok_or_else(|| aitls::Error::Malformed {
        path: path.to_owned(),
        reason: "does not exist".into(),
        fixes,
    })
}

/// Runs `aitls inspect`.
pub fn run(args: &InspectArgs, globals: &Globals, out: &Output) -> anyhow::Result<ExitCode> {
    let now = aitls::clock::now()?;
    if args.files.is_empty() {
        return overview(globals, out, now);
    }
    let mut items: Vec<Item> = Vec::new();
    for path in &args.files {
        let (name, bytes, mode) = if path == Path::new("-") {
            ("-".to_owned(), store::read_stdin()?, None)
        } else {
            let file = read_in(None, path, Vec::new())?;
            (path.display().to_string(), file.bytes, Some(file.mode))
        };
        items.extend(inspect::inspect(&name, &bytes, mode, now).map_err(|r| malformed(path, r))?);
    }
    if out.json() {
        out.json_doc(&items)?;
    } else {
        out.text(&super::render::inspect::items(&items))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Without FILE: every certificate and key in DIR, one line each. A file that cannot be
/// read gets its own line with the reason, and the exit code is 2.
fn overview(globals: &Globals, out: &Output, now: OffsetDateTime) -> anyhow::Result<ExitCode> {
    let store = Store::new(&globals.dir);
    // A shared lock: a concurrent `aitls server` is never seen half done.
    let lock = store
        .lock_shared()?
        .ok_or_else(|| aitls::Error::Malformed {
            path: globals.dir.clone(),
            reason: "does not exist or cannot be opened".into(),
            fixes: vec![
                store.setup_fix(Fix::CreateCaAndServer {
                    stem: DEFAULT_STEM.into(),
                }),
                Fix::GiveDir,
            ],
        })?;
    // A directory others can write: what is listed may not be what was put there.
    for warning in aitls::provision::dir_warnings(&lock) {
        out.warn(&globals.words.warning(&warning));
    }
    let names = lock.list_pki_files()?;
    let mut items = Vec::new();
    let mut broken = Vec::new();
    for name in &names {
        let shown = store.path(name).display().to_string();
        let result = lock.read(name).map_err(|e| e.to_string()).and_then(|file| {
            let file = file.ok_or_else(|| format!("{shown} vanished while being read"))?;
            inspect::inspect(&shown, &file.bytes, Some(file.mode), now)
                .map_err(|r| format!("{shown}: {r}"))
        });
        match result {
            Ok(found) => items.extend(found),
            Err(reason) => broken.push(reason),
        }
    }
    inspect::link(&mut items);
    for reason in &broken {
        super::output::error(reason, None);
    }
    if out.json() {
        out.json_doc(&items)?;
    } else if items.is_empty() && broken.is_empty() {
        let hint = globals
            .words
            .hint(&[store.setup_fix(Fix::CreateCaAndServer {
                stem: DEFAULT_STEM.into(),
            })]);
        out.text(&format!(
            "no certificates or keys in {}; {}\n",
            globals.dir.display(),
            hint.unwrap_or_default()
        ))?;
    } else {
        out.text(&super::render::inspect::overview(
            &items,
            out.style(),
            &globals.words,
        ))?;
    }
    Ok(if broken.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

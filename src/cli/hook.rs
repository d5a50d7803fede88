//! `on_change` hooks (SPEC §5): a pair's shell command, run through `sh -c` after `aitls
//! sync` changed the pair and released the lock.
//!
//! The hook sees `AITLS_STEM`, `AITLS_CERT` and `AITLS_KEY` (absolute paths) and runs in
//! the project file's directory, so a relative command behaves the same from anywhere in
//! the project. Its stdout goes to aitls's stderr: aitls's stdout is the report (and with
//! `--json`, one JSON document that a hook's chatter must not break).

use std::os::fd::AsFd;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};

use super::render::sync::Hook;

/// Runs `command` for the pair `stem` (`cert`, `key`) in `cwd`, waiting for it to end.
pub fn run(command: &str, stem: &str, cert: &Path, key: &Path, cwd: &Path) -> Hook {
    let failed = |exit_code, error: String| Hook {
        command: command.to_owned(),
        ok: false,
        exit_code,
        error: Some(error),
    };
    let stdout = match std::io::stderr().as_fd().try_clone_to_owned() {
        Ok(fd) => Stdio::from(fd),
        Err(_) => Stdio::null(),
    };
    let cert = std::path::absolute(cert).unwrap_or_else(|_| cert.to_owned());
    let key = std::path::absolute(key).unwrap_or_else(|_| key.to_owned());
    let status = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(cwd)
        .env("AITLS_STEM", stem)
        .env("AITLS_CERT", &cert)
        .env("AITLS_KEY", &key)
        .stdin(Stdio::null())
        .stdout(stdout)
        .status();
    match status {
        Err(e) => failed(None, format!("could not run sh: {e}")),
        Ok(status) if status.success() => Hook {
            command: command.to_owned(),
            ok: true,
            exit_code: Some(0),
            error: None,
        },
        Ok(status) => match (status.code(), status.signal()) {
            (Some(code), _) => failed(Some(code), format!("exited with status {code}")),
            (None, Some(signal)) => failed(None, format!("was killed by signal {signal}")),
            (None, None) => failed(None, "ended abnormally".to_owned()),
        },
    }
}

//! The only writer of stdout and stderr: text or one JSON document, colour only on a
//! terminal and never with `NO_COLOR`, `--quiet`, and where the spinner may draw.
//!
//! A sink and nothing else: it knows no command and no report. What a report says is
//! decided by `render/` (text) and the library's `Serialize` types (JSON).

use std::io::{self, IsTerminal, Write};

use serde::Serialize;

use super::render::Style;
use super::spinner::Spinner;

/// How results are shown, decided once from the global flags and the terminal.
#[derive(Debug)]
pub struct Output {
    json: bool,
    quiet: bool,
    color: bool,
    stderr_tty: bool,
}

fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Writes `bytes` to stdout and flushes. A closed stdout (`aitls verify | true`,
/// `aitls inspect | head -1`) is not an error: nobody reads the rest, and the exit code
/// must stay the command's own (SPEC §3), so `BrokenPipe` counts as written.
fn write_stdout(bytes: &[u8]) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Writes `text` to stderr. Errors are ignored: a closed or full stderr has nowhere to be
/// reported, and must neither panic (as `eprintln!` does) nor change the exit code.
pub fn write_stderr(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// Prints an error (and its hint) to stderr: the one place errors are shown.
pub fn error(message: &str, hint: Option<&str>) {
    let color = io::stderr().is_terminal() && !no_color();
    let mut stderr = io::stderr().lock();
    let label = if color {
        "\x1b[1;31merror:\x1b[0m"
    } else {
        "error:"
    };
    // Write errors on stderr have nowhere to be reported.
    let _ = writeln!(stderr, "{label} {message}");
    if let Some(hint) = hint {
        let label = if color {
            "\x1b[1;36mhint:\x1b[0m"
        } else {
            "hint:"
        };
        let _ = writeln!(stderr, "{label} {hint}");
    }
}

impl Output {
    /// Output for the given global flags.
    pub fn new(json: bool, quiet: bool) -> Self {
        Output {
            json,
            quiet,
            color: io::stdout().is_terminal() && !no_color(),
            stderr_tty: io::stderr().is_terminal(),
        }
    }

    /// Whether `--json` was given.
    pub fn json(&self) -> bool {
        self.json
    }

    /// Whether `--quiet` was given: only errors (failing checks among them) are shown.
    pub fn quiet(&self) -> bool {
        self.quiet
    }

    /// How text for stdout is painted.
    pub fn style(&self) -> Style {
        Style { color: self.color }
    }

    /// Prints the usage shown when no subcommand is given.
    pub fn short_usage(&self) {
        write_stderr(
            "aitls: TLS for your AI services in one line\n\n\
             usage: aitls [-d DIR] <ca|server|sync|init|sign|verify|inspect|env|probe|trust|export|completions> [OPTIONS]

  \
             aitls ca && aitls server    create a CA and a localhost certificate in ai/certs\n  \
             aitls verify                check them as a TLS client would\n  \
             aitls env                   print the AI services' TLS settings\n  \
             aitls probe                 check the running services' TLS\n  \
             aitls init && aitls sync    declare the stack in aitls.toml, then converge it\n\n\
             Run `aitls --help` for more, `aitls help COMMAND` for a command's examples.\n",
        );
    }

    /// Writes `value` as the one JSON document on stdout, in a single write: a bundle's
    /// array is thousands of lines, and line-buffered stdout would make each one a system
    /// call.
    pub fn json_doc<T: Serialize + ?Sized>(&self, value: &T) -> io::Result<()> {
        let mut doc = serde_json::to_vec_pretty(value)?;
        doc.push(b'\n');
        self.data(&doc)
    }

    /// Writes lines of human text to stdout, unless `--quiet`.
    pub fn text(&self, text: &str) -> io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        self.data(text.as_bytes())
    }

    /// Writes a command's result to stdout as is. Unlike [`Output::text`], `--quiet` does
    /// not silence it: the bytes are what was asked for (a script, settings to `eval`).
    pub fn data(&self, bytes: &[u8]) -> io::Result<()> {
        write_stdout(bytes)
    }

    /// Prints a warning on stderr, unless `--quiet` or `--json` (JSON carries warnings).
    pub fn warn(&self, message: &str) {
        if self.quiet || self.json {
            return;
        }
        let label = if self.stderr_tty && !no_color() {
            "\x1b[1;33mwarning:\x1b[0m"
        } else {
            "warning:"
        };
        write_stderr(&format!("{label} {message}\n"));
    }

    /// A spinner for slow work, drawn on stderr only when it is a terminal.
    pub fn spinner(&self) -> Spinner {
        Spinner::new(self.stderr_tty && !self.quiet)
    }
}

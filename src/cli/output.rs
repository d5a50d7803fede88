//! The only writer of stdout and stderr: human text or JSON, colour only on a terminal
//! and never with `NO_COLOR`, `--quiet`, and the key-generation spinner.

use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use aitls::plan::Action;
use aitls::provision::{Outcome, Progress};
use aitls::services::Settings;
use serde::Serialize;

use super::env::EnvFormat;

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

/// Quotes `s` for a POSIX shell when it needs quoting.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@%+,".contains(&b))
    {
        s.to_owned()
    } else {
        single_quote(s)
    }
}

/// Prints an error (and its hint) to stderr: the one place errors are shown.
pub fn error(err: &anyhow::Error, hint: Option<&str>) {
    let color = io::stderr().is_terminal() && !no_color();
    let mut stderr = io::stderr().lock();
    let label = if color {
        "\x1b[1;31merror:\x1b[0m"
    } else {
        "error:"
    };
    // Write errors on stderr have nowhere to be reported.
    let _ = writeln!(stderr, "{label} {err:#}");
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
    #[allow(dead_code)] // used by the commands that render their own JSON
    pub fn json(&self) -> bool {
        self.json
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    /// Prints the usage shown when no subcommand is given.
    pub fn short_usage(&self) {
        eprintln!(
            "aitls: TLS for your AI services in one line\n\n\
             usage: aitls [-d DIR] <ca|server|verify|inspect|env|completions> [OPTIONS]\n\n  \
             aitls ca && aitls server    create a CA and a localhost certificate in ai/certs\n  \
             aitls verify                check them as a TLS client would\n  \
             aitls env                   print the AI services' TLS settings\n\n\
             Run `aitls --help` for more, `aitls help COMMAND` for a command's examples."
        );
    }

    /// Writes `value` as the one JSON document on stdout.
    pub fn json_doc<T: Serialize + ?Sized>(&self, value: &T) -> io::Result<()> {
        let mut stdout = io::stdout().lock();
        serde_json::to_writer_pretty(&mut stdout, value)?;
        writeln!(stdout)?;
        stdout.flush()
    }

    /// Writes lines of human text to stdout, unless `--quiet`.
    pub fn text(&self, text: &str) -> io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        let mut stdout = io::stdout().lock();
        stdout.write_all(text.as_bytes())?;
        stdout.flush()
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
        eprintln!("{label} {message}");
    }

    /// Reports what `ca` or `server` did; `what` is "CA" or "server certificate".
    pub fn outcome(&self, what: &str, outcome: &Outcome) -> io::Result<()> {
        if self.json {
            return self.json_doc(outcome);
        }
        for warning in &outcome.warnings {
            self.warn(warning);
        }
        let color = match outcome.action {
            Action::Kept => "32",
            Action::Created => "1;32",
            Action::Renewed | Action::Replaced => "1;33",
        };
        let action = self.paint(color, &outcome.action.to_string());
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
        self.text(&text)
    }

    /// A spinner for slow work, drawn on stderr only when it is a terminal.
    pub fn spinner(&self) -> Spinner {
        Spinner {
            enabled: self.stderr_tty && !self.quiet,
            running: Mutex::new(None),
        }
    }
}

/// Draws a spinner on stderr between [`Progress::start`] and [`Progress::finish`].
#[derive(Debug)]
pub struct Spinner {
    enabled: bool,
    running: Mutex<Option<(Arc<AtomicBool>, JoinHandle<()>)>>,
}

impl Progress for Spinner {
    fn start(&self, what: &str) {
        if !self.enabled {
            return;
        }
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let what = what.to_owned();
        let handle = std::thread::spawn(move || {
            const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
            let mut i = 0;
            while !flag.load(Ordering::Relaxed) {
                eprint!("\r{} {what}…", FRAMES[i % FRAMES.len()]);
                i += 1;
                std::thread::sleep(Duration::from_millis(80));
            }
            // Clear the spinner's line.
            eprint!("\r\x1b[2K");
        });
        if let Ok(mut running) = self.running.lock() {
            *running = Some((stop, handle));
        }
    }

    fn finish(&self) {
        let running = self.running.lock().ok().and_then(|mut r| r.take());
        if let Some((stop, handle)) = running {
            stop.store(true, Ordering::Relaxed);
            let _ = handle.join();
        }
    }
}

// ---- `aitls env` and `aitls completions` -------------------------------------------------

/// Quotes `s` in single quotes for a POSIX shell, always: nothing inside single quotes is
/// special except `'` itself, written `'\''` (close, escaped quote, reopen). The result is
/// safe to `eval` whatever `s` holds, newlines and `$(…)` included.
pub fn single_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Characters a dotenv value may hold unquoted in every dialect we target.
fn dotenv_bare(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:@%+,=".contains(&b))
}

/// Writes `value` for a .env file read by python-dotenv (the backend) or docker compose's
/// `env_file`, so both read back exactly `value`:
/// - plain paths and URLs stay bare;
/// - anything else without `'`, `\` or control characters goes in single quotes, which
///   both dialects take literally (no `${…}` interpolation, no escapes);
/// - otherwise double quotes, escaping `\`, `"`, newline, CR and tab, which both decode.
///
/// Returns `None` when no form is read back the same by both: other control characters,
/// or `$` inside double quotes (both interpolate there, and their escapes differ).
fn dotenv_value(value: &str) -> Option<String> {
    if dotenv_bare(value) {
        return Some(value.to_owned());
    }
    if !value.contains(['\'', '\\']) && !value.chars().any(char::is_control) {
        return Some(format!("'{value}'"));
    }
    if value.contains('$')
        || value
            .chars()
            .any(|c| c.is_control() && !"\n\r\t".contains(c))
    {
        return None;
    }
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('"');
    for c in value.chars() {
        match c {
            '\\' => quoted.push_str(r"\\"),
            '"' => quoted.push_str("\\\""),
            '\n' => quoted.push_str(r"\n"),
            '\r' => quoted.push_str(r"\r"),
            '\t' => quoted.push_str(r"\t"),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    Some(quoted)
}

/// The settings as `.env` lines.
pub fn render_dotenv(settings: &Settings) -> Result<String, aitls::Error> {
    let mut text = String::new();
    for (name, value) in settings.vars() {
        let quoted = dotenv_value(value).ok_or_else(|| aitls::Error::InvalidValue {
            what: "--dir",
            value: value.to_owned(),
            reason: "this path cannot be written in a .env file that python-dotenv and docker \
                     compose read alike; use --format shell or --format json"
                .to_owned(),
        })?;
        text.push_str(&format!("{name}={quoted}\n"));
    }
    Ok(text)
}

/// The settings as `export NAME='value'` lines, safe to `eval`.
pub fn render_shell(settings: &Settings) -> String {
    settings
        .vars()
        .iter()
        .map(|(name, value)| format!("export {name}={}\n", single_quote(value)))
        .collect()
}

impl Output {
    /// Writes a command's result to stdout as is. Unlike [`Output::text`], `--quiet` does
    /// not silence it: the bytes are what was asked for (a script, settings to `eval`).
    pub fn data(&self, bytes: &[u8]) -> io::Result<()> {
        let mut stdout = io::stdout().lock();
        stdout.write_all(bytes)?;
        stdout.flush()
    }

    /// Prints the AI services' settings in `format`.
    pub fn env_settings(&self, settings: &Settings, format: EnvFormat) -> anyhow::Result<()> {
        match format {
            EnvFormat::Json => self.json_doc(settings)?,
            EnvFormat::Shell => self.data(render_shell(settings).as_bytes())?,
            EnvFormat::Dotenv => self.data(render_dotenv(settings)?.as_bytes())?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod env_tests {
    use super::*;

    #[test]
    fn dotenv_values_are_bare_single_or_double_quoted() {
        assert_eq!(
            dotenv_value("/srv/ai/certs/ca.crt").as_deref(),
            Some("/srv/ai/certs/ca.crt")
        );
        assert_eq!(
            dotenv_value("https://localhost:8095").as_deref(),
            Some("https://localhost:8095")
        );
        assert_eq!(
            dotenv_value("/my certs/$HOME/ca.crt").as_deref(),
            Some("'/my certs/$HOME/ca.crt'")
        );
        assert_eq!(
            dotenv_value(r#"/it's "x"\y"#).as_deref(),
            Some(r#""/it's \"x\"\\y""#)
        );
        assert_eq!(dotenv_value("/a\nb").as_deref(), Some(r#""/a\nb""#));
        assert_eq!(dotenv_value("/it's $HOME"), None);
        assert_eq!(dotenv_value("/bell\x07"), None);
    }

    #[test]
    fn shell_quoting_closes_and_reopens_around_quotes() {
        assert_eq!(single_quote("/a b/c"), "'/a b/c'");
        assert_eq!(single_quote("it's"), r"'it'\''s'");
        assert_eq!(single_quote(""), "''");
    }
}

//! The only writer of stdout and stderr: human text or JSON, colour only on a terminal
//! and never with `NO_COLOR`, `--quiet`, and the key-generation spinner.

use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use aitls::plan::Action;
use aitls::provision::{Outcome, Progress};
use serde::Serialize;

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
        format!("'{}'", s.replace('\'', r"'\''"))
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
             aitls verify                check them as a TLS client would\n\n\
             Run `aitls --help` for more."
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

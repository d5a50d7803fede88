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
             usage: aitls [-d DIR] <ca|server|verify|inspect|env|trust|completions> [OPTIONS]\n\n  \
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

// ---------------------------------------------------------------------------------------
// `aitls verify` and `aitls inspect` (issue #3)
// ---------------------------------------------------------------------------------------

use std::path::Path;

use aitls::inspect::{Body, Item, KeyFacts, Status};
use aitls::verify::VerifyReport;
use time::OffsetDateTime;
use time::macros::format_description;

/// A date and time as inspect and verify show them: `2027-11-27 15:19:24 UTC`.
fn when(t: OffsetDateTime) -> String {
    let utc = t.to_offset(time::UtcOffset::UTC);
    utc.format(format_description!(
        "[year]-[month]-[day] [hour]:[minute]:[second] UTC"
    ))
    .unwrap_or_else(|_| utc.to_string())
}

/// `ecdsa-p256`, or `rsa 1024` for a key aitls does not generate.
fn key_summary(key: &KeyFacts) -> String {
    if let Some(kt) = key.key_type {
        return kt.name().to_owned();
    }
    match (&key.key_curve, key.key_bits) {
        (Some(curve), _) => format!("{} {curve}", key.key_algorithm),
        (None, Some(bits)) => format!("{} {bits}", key.key_algorithm),
        (None, None) => key.key_algorithm.clone(),
    }
}

/// `ECDSA P-256 (256 bits)`, `RSA 2048 bits`.
fn key_long(key: &KeyFacts) -> String {
    let alg = key.key_algorithm.to_uppercase();
    match (&key.key_curve, key.key_bits) {
        (Some(curve), Some(bits)) => format!("{alg} {curve} ({bits} bits)"),
        (None, Some(bits)) => format!("{alg} ({bits} bits)"),
        (_, None) => alg,
    }
}

fn days_text(status: Status, days_left: i64) -> String {
    match status {
        Status::Expired => format!("EXPIRED {} days ago", -days_left),
        Status::NotYetValid => "NOT YET VALID".to_owned(),
        Status::Valid => format!("{days_left} days left"),
    }
}

/// subjectAltNames as OpenSSL prints them (`DNS:…`, `IP:…`, then the others).
fn san_list(dns_names: &[String], ip_addresses: &[String], other_names: &[String]) -> Vec<String> {
    let mut names: Vec<String> = dns_names.iter().map(|d| format!("DNS:{d}")).collect();
    names.extend(ip_addresses.iter().map(|ip| format!("IP:{ip}")));
    names.extend(other_names.iter().cloned());
    names
}

impl Output {
    fn mark(&self, ok: bool, warning: bool) -> String {
        match (ok, warning) {
            (true, false) => self.paint("32", "ok  "),
            (true, true) => self.paint("1;33", "warn"),
            (false, _) => self.paint("1;31", "FAIL"),
        }
    }

    /// Reports `aitls verify`: one line per check, the fix under each failure or warning,
    /// then the verdict.
    pub fn verify_report(&self, cert: &Path, report: &VerifyReport) -> io::Result<()> {
        if self.json {
            return self.json_doc(report);
        }
        let width = report
            .checks
            .iter()
            .map(|c| c.name.len())
            .max()
            .unwrap_or(0);
        let mut text = format!("{}\n", cert.display());
        for check in &report.checks {
            text.push_str(&format!(
                "  {} {:width$}  {}\n",
                self.mark(check.ok, check.warning),
                check.name,
                check.detail
            ));
            if let Some(fix) = check.fix.as_ref().filter(|_| !check.ok || check.warning) {
                text.push_str(&format!("  {:4} {:width$}  fix: {fix}\n", "", ""));
            }
        }
        let failed = report.checks.iter().filter(|c| !c.ok).count();
        let warnings = report.checks.iter().filter(|c| c.warning).count();
        if report.valid && warnings == 0 {
            text.push_str(&format!(
                "{}: a TLS client will accept {}\n",
                self.paint("1;32", "valid"),
                cert.display()
            ));
        } else if report.valid {
            text.push_str(&format!(
                "{}, with {warnings} warning{} to act on: rustls and openssl accept {}\n",
                self.paint("1;33", "valid"),
                if warnings == 1 { "" } else { "s" },
                cert.display()
            ));
        } else {
            text.push_str(&format!(
                "{}: {failed} of {} checks failed\n",
                self.paint("1;31", "not valid"),
                report.checks.len()
            ));
        }
        self.text(&text)
    }

    /// Shows every item of `aitls inspect FILE…` in full.
    pub fn inspect_items(&self, items: &[Item]) -> io::Result<()> {
        if self.json {
            return self.json_whole(items);
        }
        // Items per file, so bundles can say "[3/144]" without a quadratic count.
        let mut per_file: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for item in items {
            *per_file.entry(item.file.as_str()).or_default() += 1;
        }
        let mut text = String::new();
        for (n, item) in items.iter().enumerate() {
            if n > 0 {
                text.push('\n');
            }
            let of = per_file.get(item.file.as_str()).copied().unwrap_or(1);
            let place = if of > 1 {
                format!(" [{}/{of}]", item.index)
            } else {
                String::new()
            };
            let mut field = |label: &str, value: &str| text_field(&mut text, label, value);
            match &item.body {
                Body::Certificate(c) => {
                    field("", &format!("{}{place}: certificate", item.file));
                    field("subject", &c.subject);
                    field(
                        "issuer",
                        &format!(
                            "{}{}",
                            c.issuer,
                            if c.self_issued { " (self-issued)" } else { "" }
                        ),
                    );
                    field("serial", &c.serial);
                    field("not before", &when(c.not_before));
                    field(
                        "not after",
                        &format!(
                            "{} ({})",
                            when(c.not_after),
                            days_text(c.status, c.days_left)
                        ),
                    );
                    field("public key", &key_long(&c.key));
                    field("signature", &c.signature_algorithm);
                    let names = san_list(&c.dns_names, &c.ip_addresses, &c.other_names);
                    field(
                        "names",
                        &if names.is_empty() {
                            "none (no subjectAltName)".to_owned()
                        } else {
                            names.join(", ")
                        },
                    );
                    field(
                        "basic constraints",
                        &match &c.basic_constraints {
                            None => "none".to_owned(),
                            Some(bc) => format!(
                                "{}{}{}",
                                if bc.ca { "CA:TRUE" } else { "CA:FALSE" },
                                bc.path_len
                                    .map_or_else(String::new, |l| format!(", pathlen:{l}")),
                                if bc.critical { " (critical)" } else { "" }
                            ),
                        },
                    );
                    if let Some(nc) = &c.name_constraints {
                        field(
                            "name constraints",
                            &format!(
                                "{}{}",
                                nc.describe(),
                                if nc.critical { " (critical)" } else { "" }
                            ),
                        );
                    }
                    field(
                        "key usage",
                        &c.key_usage
                            .as_ref()
                            .map_or_else(|| "none".to_owned(), |k| k.join(", ")),
                    );
                    field(
                        "extended key usage",
                        &c.extended_key_usage
                            .as_ref()
                            .map_or_else(|| "none".to_owned(), |k| k.join(", ")),
                    );
                    field(
                        "subject key id",
                        c.subject_key_id.as_deref().unwrap_or("none"),
                    );
                    field(
                        "authority key id",
                        c.authority_key_id.as_deref().unwrap_or("none"),
                    );
                    field("SHA-256 fingerprint", &c.fingerprint_sha256);
                    field(
                        "SPKI pin",
                        c.key
                            .pin_sha256
                            .as_deref()
                            .unwrap_or("unknown: aitls cannot compute with this algorithm"),
                    );
                }
                Body::CertificateRequest(r) => {
                    field("", &format!("{}{place}: certificate request", item.file));
                    field("subject", &r.subject);
                    field("public key", &key_long(&r.key));
                    field("signature", &r.signature_algorithm);
                    let names = san_list(&r.dns_names, &r.ip_addresses, &r.other_names);
                    field(
                        "names",
                        &if names.is_empty() {
                            "none".to_owned()
                        } else {
                            names.join(", ")
                        },
                    );
                    field(
                        "SPKI pin",
                        r.key
                            .pin_sha256
                            .as_deref()
                            .unwrap_or("unknown: aitls cannot compute with this algorithm"),
                    );
                }
                Body::PrivateKey(k) => {
                    field(
                        "",
                        &format!("{}{place}: private key ({})", item.file, k.format),
                    );
                    field("type", &key_long(&k.key));
                    field(
                        "SPKI pin",
                        k.key
                            .pin_sha256
                            .as_deref()
                            .unwrap_or("unknown: aitls cannot compute with this algorithm"),
                    );
                    if let Some(mode) = &k.mode {
                        let note = if k.owner_only == Some(true) {
                            "owner only"
                        } else {
                            "READABLE BY OTHERS: chmod 600"
                        };
                        field("file mode", &format!("{mode} ({note})"));
                    }
                }
                Body::EncryptedPrivateKey(k) => {
                    field("", &format!("{}{place}: encrypted private key", item.file));
                    if let Some(mode) = &k.mode {
                        field("file mode", mode);
                    }
                }
                Body::PublicKey(p) => {
                    field("", &format!("{}{place}: public key", item.file));
                    field("type", &key_long(&p.key));
                    field(
                        "SPKI pin",
                        p.key
                            .pin_sha256
                            .as_deref()
                            .unwrap_or("unknown: aitls cannot compute with this algorithm"),
                    );
                }
            }
        }
        self.text(&text)
    }

    /// Writes one JSON document in a single write: a bundle's array is thousands of lines,
    /// and line-buffered stdout would make each one a system call.
    fn json_whole<T: Serialize + ?Sized>(&self, value: &T) -> io::Result<()> {
        let mut doc = serde_json::to_vec_pretty(value)?;
        doc.push(b'\n');
        let mut stdout = io::stdout().lock();
        stdout.write_all(&doc)?;
        stdout.flush()
    }

    /// Shows `aitls inspect` without FILE: one line per item found in `dir`, then the files
    /// that could not be read (on stderr).
    pub fn inspect_overview(
        &self,
        dir: &Path,
        items: &[Item],
        broken: &[String],
    ) -> io::Result<()> {
        for reason in broken {
            error(&anyhow::anyhow!("{reason}"), None);
        }
        if self.json {
            return self.json_doc(items);
        }
        if items.is_empty() && broken.is_empty() {
            return self.text(&format!(
                "no certificates or keys in {}; run `aitls ca && aitls server` to create them\n",
                dir.display()
            ));
        }
        let label = |item: &Item| {
            let name = Path::new(&item.file)
                .file_name()
                .map_or_else(|| item.file.clone(), |n| n.to_string_lossy().into_owned());
            let of = items.iter().filter(|i| i.file == item.file).count();
            if of > 1 {
                format!("{name}[{}]", item.index)
            } else {
                name
            }
        };
        let width = items.iter().map(|i| label(i).len()).max().unwrap_or(0);
        let short = |file: &str| {
            Path::new(file)
                .file_name()
                .map_or_else(|| file.to_owned(), |n| n.to_string_lossy().into_owned())
        };
        let mut text = String::new();
        for item in items {
            let line = match &item.body {
                Body::Certificate(c) => {
                    let is_ca = c.basic_constraints.as_ref().is_some_and(|b| b.ca);
                    let cn = c.subject.clone();
                    let mut parts =
                        vec![format!("{} {cn}", if is_ca { "CA" } else { "certificate" })];
                    let names: Vec<String> = c
                        .dns_names
                        .iter()
                        .chain(c.ip_addresses.iter())
                        .cloned()
                        .collect();
                    if !names.is_empty() {
                        parts.push(format!("for {}", names.join(", ")));
                    }
                    parts.push(key_summary(&c.key));
                    match (&c.issued_by, c.self_issued) {
                        (Some(ca), _) => parts.push(format!("issued by {}", short(ca))),
                        (None, true) => {}
                        (None, false) => parts.push("issuer not in this directory".to_owned()),
                    }
                    let validity = match c.status {
                        Status::Valid => {
                            let s = format!(
                                "valid until {} ({} days left)",
                                c.not_after.date(),
                                c.days_left
                            );
                            if c.days_left < aitls::provision::EXPIRY_WARNING_DAYS {
                                self.paint("1;33", &s)
                            } else {
                                s
                            }
                        }
                        Status::Expired => {
                            self.paint("1;31", &format!("EXPIRED on {}", c.not_after.date()))
                        }
                        Status::NotYetValid => {
                            self.paint("1;33", &format!("not valid until {}", c.not_before.date()))
                        }
                    };
                    parts.push(validity);
                    parts.join(", ")
                }
                Body::PrivateKey(k) => {
                    let mut parts = vec![format!("{} private key", key_summary(&k.key))];
                    if let Some(mode) = &k.mode {
                        parts.push(if k.owner_only == Some(true) {
                            format!("mode {mode}")
                        } else {
                            self.paint(
                                "1;31",
                                &format!(
                                    "mode {mode}, READABLE BY OTHERS: run `chmod 600 {}`",
                                    shell_quote(&item.file)
                                ),
                            )
                        });
                    }
                    parts.push(match &k.certificate {
                        Some(cert) => format!("matches {}", short(cert)),
                        None => self.paint("1;33", "matches no certificate here"),
                    });
                    parts.join(", ")
                }
                Body::EncryptedPrivateKey(k) => format!(
                    "encrypted private key{}",
                    k.mode
                        .as_ref()
                        .map_or_else(String::new, |m| format!(", mode {m}"))
                ),
                Body::CertificateRequest(r) => {
                    format!("certificate request {}, {}", r.subject, key_summary(&r.key))
                }
                Body::PublicKey(p) => format!("{} public key", key_summary(&p.key)),
            };
            text.push_str(&format!("{:width$}  {line}\n", label(item)));
        }
        self.text(&text)
    }
}

/// One `label  value` line of a detailed view; an empty label starts a new item.
fn text_field(text: &mut String, label: &str, value: &str) {
    if label.is_empty() {
        text.push_str(value);
        text.push('\n');
    } else {
        text.push_str(&format!("  {label:<20} {value}\n"));
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

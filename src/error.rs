//! The library's one error type, and the kind that decides the exit code.
//!
//! Messages are lowercase phrases that name the file or value at fault; they never show a
//! Rust type. [`Error::fixes`] says what fixes the problem, as data (see [`crate::fix`]).

use std::io;
use std::path::PathBuf;

use crate::fix::Fix;

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A name given for a certificate is not a valid DNS name or IP address.
    #[error("invalid name {name:?}: {reason}")]
    InvalidName {
        /// The name as given.
        name: String,
        /// Why it is refused.
        reason: String,
        /// What fixes it: [`Fix::NameSyntax`], or the names meant (as [`Fix::UseNames`]).
        fixes: Vec<Fix>,
    },
    /// A value given on the command line is not acceptable (a stem, a common name ...).
    #[error("invalid {what} {value:?}: {reason}")]
    InvalidValue {
        /// What the value is for ("--out", "--cn").
        what: &'static str,
        /// The value as given.
        value: String,
        /// Why it is refused.
        reason: String,
    },
    /// An input file is missing or is not what it should be (not PEM, not a certificate ...).
    #[error("{} {reason}", path.display())]
    Malformed {
        /// The file at fault.
        path: PathBuf,
        /// What is wrong with it, as a verb phrase ("is not a PEM file").
        reason: String,
        /// What fixes it, if anything (alternatives, in order of preference).
        fixes: Vec<Fix>,
    },
    /// An input file could not be read.
    #[error("cannot read {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: io::Error,
    },
    /// A file or directory could not be written, or the directory could not be locked.
    #[error("cannot {action} {}", path.display())]
    Write {
        /// What was being done ("write", "create directory", "lock").
        action: &'static str,
        /// The path.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: io::Error,
    },
    /// The operation is refused, to protect existing keys or certificates.
    #[error("{message}")]
    Refused {
        /// What is refused and why.
        message: String,
        /// What gets the user past the refusal (alternatives, in order of preference).
        fixes: Vec<Fix>,
    },
    /// Key generation or signing failed inside the crypto library.
    #[error("{0}")]
    Crypto(String),
    /// A date cannot be computed: the clock, or the clock plus a validity, falls outside
    /// the years a certificate can hold.
    #[error("{0}")]
    Clock(String),
    /// The project file (`aitls.toml`) holds something aitls cannot accept: a syntax
    /// error, an unknown key, a wrong type, an invalid name, stem, service or URL.
    #[error("{}", project_message(path, *line, key.as_deref(), reason))]
    Project {
        /// The project file.
        path: PathBuf,
        /// The line at fault, counted from 1.
        line: usize,
        /// The key at fault (`certs.yolo26.days`), when the error is about one.
        key: Option<String>,
        /// What is wrong, as a phrase.
        reason: String,
    },
}

fn project_message(path: &std::path::Path, line: usize, key: Option<&str>, reason: &str) -> String {
    match key {
        Some(key) => format!("{}, line {line}, key {key}: {reason}", path.display()),
        None => format!("{}, line {line}: {reason}", path.display()),
    }
}

/// How an error should be reported: this decides the exit code (SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad usage, or unreadable or malformed input: exit 2.
    Input,
    /// The operation could not be done (refused, write or lock failed): exit 1.
    Failed,
}

impl Error {
    /// Which exit-code class this error falls in.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidName { .. }
            | Error::InvalidValue { .. }
            | Error::Malformed { .. }
            | Error::Read { .. }
            | Error::Project { .. } => ErrorKind::Input,
            Error::Write { .. } | Error::Refused { .. } | Error::Crypto(_) | Error::Clock(_) => {
                ErrorKind::Failed
            }
        }
    }

    /// What the user can do next, when something helps: alternatives, in order of
    /// preference. The binary words them (`src/cli/fix.rs`).
    pub fn fixes(&self) -> Vec<Fix> {
        match self {
            Error::InvalidName { fixes, .. }
            | Error::Malformed { fixes, .. }
            | Error::Refused { fixes, .. } => fixes.clone(),
            Error::InvalidValue {
                what: "--out",
                value,
                ..
            } => crate::store::stem_in_file_name(value)
                .map(|stem| Fix::UseStem {
                    stem: stem.to_owned(),
                })
                .into_iter()
                .collect(),
            _ => Vec::new(),
        }
    }

    pub(crate) fn crypto(what: &str, err: impl std::fmt::Display) -> Self {
        Error::Crypto(format!("{what}: {err}"))
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

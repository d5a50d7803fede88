//! The read-decide-write pipelines behind `aitls ca` and `aitls server`.
//!
//! Each takes the directory lock, reads what exists, asks [`crate::plan`] what to do, and
//! when it must write, generates a key, issues a certificate and writes both through
//! [`crate::store`], certificate first. The lock is held throughout and every file is read
//! through it, so parallel runs see each other's results whole and never interleave a key
//! with another run's certificate.
//!
//! The CA path is in `ca` (reading the CA pair once, for both paths and for the signers, in
//! `ca_pair`), the server path in `server`, the requests, defaults and [`Outcome`] in
//! `request`; this module keeps what both paths share: reading a file as a certificate or
//! key, key generation, expiry and directory warnings, writing a pair.

mod ca;
mod ca_pair;
mod request;
mod server;

use rcgen::KeyPair;
use time::OffsetDateTime;

use crate::cert::{self, CertInfo};
use crate::error::{Error, Result};
use crate::fix::{Fix, Warning};
use crate::issue;
use crate::key_type::KeyType;
use crate::store::{CERT_MODE, DirHandle, DirLock, KEY_MODE, NewFile, Store};

pub use ca::{ensure_ca, ensure_ca_with};
pub(crate) use ca_pair::load_ca;
pub use ca_pair::{ca_key_warning, load_signing_ca};
pub use request::{
    CaRequest, DEFAULT_CA_CN, DEFAULT_CA_DAYS, DEFAULT_CA_KEY_TYPE, DEFAULT_RENEW_WITHIN_DAYS,
    DEFAULT_SERVER_DAYS, DEFAULT_SERVER_KEY_TYPE, Mode, Outcome, Progress, ServerRequest, Silent,
};
pub use server::{ensure_server, ensure_server_with};

fn malformed(store: &Store, file: &str, reason: String, fixes: Vec<Fix>) -> Error {
    Error::Malformed {
        path: store.path(file),
        reason,
        fixes,
    }
}

fn parse_cert(store: &Store, file: &str, bytes: &[u8], fix: Fix) -> Result<CertInfo> {
    cert::parse_pem(bytes).map_err(|r| malformed(store, file, r, vec![fix]))
}

fn parse_key(store: &Store, file: &str, bytes: &[u8], fix: Fix) -> Result<KeyPair> {
    issue::load_key(bytes).map_err(|r| {
        // An encrypted key is fine once decrypted; a new CA would be the wrong fix.
        let fix = if crate::keyfile::read_file_bytes(bytes).is_ok_and(|f| f.encrypted) {
            Fix::DecryptKey {
                path: store.path(file),
                in_place: true,
            }
        } else {
            fix
        };
        malformed(store, file, r, vec![fix])
    })
}

fn generate(kt: KeyType, progress: &dyn Progress) -> Result<KeyPair> {
    if kt.is_rsa() {
        progress.start(&format!("generating {kt} key"));
    }
    let key = issue::generate_key(kt);
    if kt.is_rsa() {
        progress.finish();
    }
    key
}

/// Certificates carry whole seconds; so do the times aitls reports.
fn whole_seconds(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_nanosecond(0).unwrap_or(t)
}

fn expiry_warning(
    what: &str,
    now: OffsetDateTime,
    not_after: OffsetDateTime,
    fix: Fix,
) -> Option<Warning> {
    let days_left = cert::days_between(now, not_after);
    if not_after <= now {
        Some(Warning::with_fix(
            format!("{what} expired on {}", not_after.date()),
            fix,
        ))
    } else if days_left < cert::EXPIRY_WARNING_DAYS {
        Some(Warning::with_fix(
            format!(
                "{what} expires in {}, on {}",
                cert::days(days_left),
                not_after.date()
            ),
            fix,
        ))
    } else {
        None
    }
}

/// Warnings about the directory's own trust: a group (or, for readers, which do not
/// refuse, every user) that can write it could swap the CA. Writers refuse a directory
/// every user can write before they get here.
pub fn dir_warnings(dir: &DirHandle) -> Vec<Warning> {
    let mode = dir.dir_mode();
    if mode & 0o022 == 0 {
        return Vec::new();
    }
    let others = mode & 0o002 != 0;
    let who = if others { "every user" } else { "its group" };
    vec![Warning::with_fix(
        format!(
            "{} is writable by {who} (mode {mode:04o}): they could swap the CA or keys",
            dir.dir().display(),
        ),
        Fix::ChmodDir {
            path: dir.dir().to_owned(),
            others,
        },
    )]
}

/// Writes a certificate and its key, the certificate first: a run killed between the two
/// renames never leaves a key without its certificate (SPEC §2, §4).
fn write_pair(
    lock: &DirLock,
    key_file: &str,
    cert_file: &str,
    issued: &issue::Issued,
) -> Result<()> {
    lock.write_all(&[
        NewFile {
            name: cert_file.to_owned(),
            contents: issued.cert_pem.as_bytes(),
            mode: CERT_MODE,
        },
        NewFile {
            name: key_file.to_owned(),
            contents: issued.key_pem.as_bytes(),
            mode: KEY_MODE,
        },
    ])
}

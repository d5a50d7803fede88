//! What a provisioning run is asked and what it answers: the requests of `aitls ca` and
//! `aitls server`, their defaults, [`Mode`] (write or dry run), the [`Outcome`] report and
//! the [`Progress`] trait through which slow work is shown.

use std::path::PathBuf;

use serde::Serialize;
use time::OffsetDateTime;

use crate::fix::Warning;
use crate::issue::Window;
use crate::key_type::KeyType;
use crate::names::SanName;
use crate::plan::Action;
use crate::store::{DirHandle, DirLock};

/// Told when slow work (RSA key generation) starts and ends, so a front end can show a
/// spinner. The library itself never prints.
pub trait Progress {
    /// Slow work starts; `what` says what, in a few words.
    fn start(&self, what: &str);
    /// The slow work has ended.
    fn finish(&self);
}

/// The CA's common name when none is given (the OpenSSL recipe's).
pub const DEFAULT_CA_CN: &str = "AI Services CA";

/// The CA's key type when none is given (the OpenSSL recipe's `genrsa 4096`).
pub const DEFAULT_CA_KEY_TYPE: KeyType = KeyType::Rsa4096;

/// The CA's validity when none is given (the OpenSSL recipe's `-days 365`).
pub const DEFAULT_CA_DAYS: u32 = 365;

/// A server certificate's key type when neither the command line nor an existing
/// certificate says (the OpenSSL recipe's `genrsa 2048`).
pub const DEFAULT_SERVER_KEY_TYPE: KeyType = KeyType::Rsa2048;

/// A server certificate's validity when none is given (the OpenSSL recipe's).
pub const DEFAULT_SERVER_DAYS: u32 = 365;

/// Renew when fewer days than this are left, unless `--renew-within` says otherwise.
pub const DEFAULT_RENEW_WITHIN_DAYS: u32 = 30;

/// A [`Progress`] that shows nothing.
#[derive(Debug, Default)]
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _what: &str) {}
    fn finish(&self) {}
}

/// How a pipeline acts on its decision.
#[derive(Debug, Clone, Copy)]
pub enum Mode<'a> {
    /// Write what the plan says, under this lock, which the caller holds for as long as
    /// it needs (`aitls sync` holds one lock for the CA and every certificate).
    Write(&'a DirLock),
    /// Decide only, reading through this (shared-locked) directory: the outcome says what
    /// would be done, and nothing is written (`aitls sync --dry-run`). `not_after` is then
    /// when a new or renewed certificate would end.
    DryRun(&'a DirHandle),
}

impl Mode<'_> {
    /// The directory to read through.
    pub(super) fn dir(&self) -> &DirHandle {
        match self {
            Mode::Write(lock) => lock,
            Mode::DryRun(dir) => dir,
        }
    }
}

/// What `aitls ca` is asked for. `None` marks an option that was not given: a new CA gets
/// the default, and a kept CA is compared only on the options that were given.
#[derive(Debug, Clone, Default)]
pub struct CaRequest {
    /// Subject common name ([`DEFAULT_CA_CN`]).
    pub common_name: Option<String>,
    /// Validity in days ([`DEFAULT_CA_DAYS`]); also the validity of a renewal.
    pub days: Option<u32>,
    /// Key type ([`DEFAULT_CA_KEY_TYPE`]).
    pub key_type: Option<KeyType>,
    /// Replace an existing CA.
    pub force: bool,
    /// basicConstraints pathLenConstraint of a new CA (`None`: not asked, 0: leaves only).
    pub pathlen: Option<u8>,
    /// Renew the CA certificate (same key and subject) even when it is not due.
    pub renew: bool,
    /// Renew the CA certificate when it expires within this many days.
    pub renew_within_days: u32,
    /// Name constraints for a new CA (`--permit`); `None` when not asked for.
    pub name_constraints: Option<crate::constraints::Constraints>,
}

/// What `aitls server` is asked for. `None` marks an option that was not given: it comes
/// from the existing certificate, or from the default when there is none (SPEC §2
/// `server`: renewal keeps what was issued).
#[derive(Debug, Clone)]
pub struct ServerRequest {
    /// subjectAltNames, already validated.
    pub names: Option<Vec<SanName>>,
    /// Subject common name, one of the names; default: the first DNS name, else the first
    /// IP address.
    pub common_name: Option<String>,
    /// Validity in days ([`DEFAULT_SERVER_DAYS`]).
    pub days: Option<u32>,
    /// Key type ([`DEFAULT_SERVER_KEY_TYPE`]).
    pub key_type: Option<KeyType>,
    /// clientAuth wanted (`Some(true)`) or not (`Some(false)`).
    pub client_auth: Option<bool>,
    /// File stem inside the directory (`server` → `server.crt`, `server.key`).
    pub stem: String,
    /// Reissue even when current.
    pub force: bool,
    /// Reissue when the certificate expires within this many days.
    pub renew_within_days: u32,
    /// An explicit validity window (`--not-before`/`--not-after`): issued as asked, and
    /// never renewed automatically.
    pub window: Option<Window>,
}

/// What `ca` or `server` did: the wire format of their `--json` output.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// `created`, `kept`, `renewed` or `replaced`.
    pub action: Action,
    /// Why, in words.
    pub reason: String,
    /// Path of the certificate.
    pub cert: PathBuf,
    /// Path of the private key.
    pub key: PathBuf,
    /// Subject common name of the certificate.
    pub common_name: String,
    /// Key type of the certificate's key (`null` for one aitls does not generate).
    pub key_type: Option<KeyType>,
    /// End of validity, RFC 3339.
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    /// Whole days from now until `not_after`.
    pub days_left: i64,
    /// The certificate's subjectAltNames (`server` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub names: Option<Vec<SanName>>,
    /// Things the user should know that did not stop the command. The binary words them
    /// with their fixes, also in `--json` (an array of strings).
    #[serde(skip)]
    pub warnings: Vec<Warning>,
}

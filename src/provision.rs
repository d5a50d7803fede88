//! The read-decide-write pipelines behind `aitls ca` and `aitls server`.
//!
//! Each takes the directory lock, reads what exists, asks [`crate::plan`] what to do, and
//! when it must write, generates a key, issues a certificate and writes both through
//! [`crate::store`], certificate first. The lock is held throughout and every file is read
//! through it, so parallel runs see each other's results whole and never interleave a key
//! with another run's certificate.

use std::path::PathBuf;

use rcgen::KeyPair;
use serde::Serialize;
use time::OffsetDateTime;

use crate::ca_fitness;
use crate::cert::{self, CertInfo};
use crate::error::{Error, Result};
use crate::fix::{Fix, Warning};
use crate::issue::{self, Ca, CaProfile, ServerProfile, Window};
use crate::key_type::KeyType;
use crate::names::SanName;
use crate::plan::{
    self, Action, CaFound, CaRefusal, CaRenewal, Existing, Given, Reason, ServerFound,
    ServerRefusal, Wanted,
};
use crate::store::{
    self, CA_CERT, CA_KEY, CERT_MODE, DirHandle, DirLock, FileRead, KEY_MODE, NewFile, Store,
};

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
    fn dir(&self) -> &DirHandle {
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

/// Reads a CA file through the locked directory, refusing one that a user other than
/// this one or root owns: another user could have planted or swapped it (SPEC §4; no
/// `--force` gets past this).
fn read_ca_file(dir: &DirHandle, name: &str) -> Result<Option<FileRead>> {
    let file = dir.read(name)?;
    if let Some(f) = &file {
        check_owner(dir, name, f.uid)?;
    }
    Ok(file)
}

fn check_owner(dir: &DirHandle, name: &str, uid: u32) -> Result<()> {
    if store::trusted_owner(uid) {
        return Ok(());
    }
    let me = store::current_uid();
    let path = dir.dir().join(name);
    let trusted = if me == 0 {
        "root".to_owned()
    } else {
        format!("you (user {me}) or root")
    };
    Err(Error::Refused {
        message: format!(
            "{} is owned by user {uid}, not by {trusted}: another user could have planted it, so aitls does not use it",
            path.display()
        ),
        fixes: vec![Fix::Chown { path, uid: me }],
    })
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

/// The warning for a CA key that group or others can read, wherever the key is used.
pub fn ca_key_warning(dir: &DirHandle, mode: u32) -> Option<Warning> {
    (!store::is_owner_only(mode)).then(|| {
        let path = dir.dir().join(CA_KEY);
        Warning::with_fix(
            format!("{} is readable by others (mode {mode:04o})", path.display()),
            Fix::Chmod { path },
        )
    })
}

/// Creates the CA, keeps a matching existing one, renews its certificate for the same key
/// when due or asked, or refuses (SPEC §2 `aitls ca`).
pub fn ensure_ca(
    store: &Store,
    req: &CaRequest,
    now: OffsetDateTime,
    progress: &dyn Progress,
) -> Result<Outcome> {
    issue::check_days(req.days.unwrap_or(DEFAULT_CA_DAYS), issue::MAX_CA_DAYS)?;
    let lock = store.lock()?;
    ensure_ca_with(store, Mode::Write(&lock), req, now, progress)
}

/// [`ensure_ca`] under a lock the caller holds, or as a dry run.
pub fn ensure_ca_with(
    store: &Store,
    mode: Mode<'_>,
    req: &CaRequest,
    now: OffsetDateTime,
    progress: &dyn Progress,
) -> Result<Outcome> {
    let now = whole_seconds(now);
    let days = req.days.unwrap_or(DEFAULT_CA_DAYS);
    issue::check_days(days, issue::MAX_CA_DAYS)?;
    let dir = mode.dir();
    let mut warnings = dir_warnings(dir);
    let (pair, key_mode) = read_ca_pair(store, dir)?;
    let mut existing = None;
    let found = match pair {
        CaPair::Nothing => CaFound::Nothing,
        CaPair::KeyOnly => CaFound::KeyOnly,
        CaPair::CertOnly => CaFound::CertOnly,
        // --force replaces even a pair that cannot be read.
        CaPair::Both(_) if req.force => CaFound::Pair {
            matches: false,
            days_left: 0,
        },
        CaPair::Both(pair) => {
            let ca = pair?;
            let found = CaFound::Pair {
                matches: cert::key_matches(&ca.key, &ca.cert),
                days_left: cert::days_between(now, ca.cert.not_after),
            };
            existing = Some(ca);
            found
        }
    };
    let plan = plan::plan_ca(found, req.force).map_err(|refusal| {
        let (key, crt) = (store.path(CA_KEY), store.path(CA_CERT));
        let message = match refusal {
            CaRefusal::LoneKey => format!(
                "{} exists without {}; refusing to overwrite what may be the only copy of a CA key",
                key.display(),
                crt.display()
            ),
            CaRefusal::LoneCert => format!(
                "{} exists without {}; refusing to replace it",
                crt.display(),
                key.display()
            ),
            CaRefusal::Mismatch => format!(
                "{} does not match {}; refusing to touch either",
                key.display(),
                crt.display()
            ),
        };
        Error::Refused {
            message,
            fixes: vec![Fix::Restore { file: None }, Fix::ReplaceCa],
        }
    })?;

    let plan = match &existing {
        Some(ca) => plan::plan_ca_renewal(
            plan,
            ca.cert.not_after,
            CaRenewal {
                asked: req.renew,
                within_days: req.renew_within_days,
            },
            now,
        ),
        None => plan,
    };

    if let (Action::Kept | Action::Renewed, Some(ca)) = (plan.action, existing) {
        let Ca { cert: info, key } = *ca;
        // A CA that cannot sign is never "kept" (SPEC §2); renewal repairs only what a new
        // certificate for the same key and subject repairs (expiry, a missing keyCertSign).
        let defects = ca_fitness::ca_defects(&info, now);
        if defects
            .iter()
            .any(|d| plan.action == Action::Kept || !renewal_repairs(d))
        {
            return Err(unfit_ca(store, &defects));
        }
        warnings.extend(ca_option_warnings(req, &info, plan.action == Action::Kept));
        let mut not_after = info.not_after;
        if plan.action == Action::Renewed {
            let profile = issue::CaRenewalProfile {
                days,
                path_len: req.pathlen,
                name_constraints: req.name_constraints.clone(),
            };
            not_after = match mode {
                Mode::DryRun(_) => now + time::Duration::days(i64::from(days)),
                Mode::Write(lock) => {
                    let issued = issue::renew_ca(&info, &key, &profile, now)?;
                    // Only the certificate changes: the key, and every certificate it
                    // signed, stay.
                    lock.write_all(&[NewFile {
                        name: CA_CERT.to_owned(),
                        contents: issued.cert_pem.as_bytes(),
                        mode: CERT_MODE,
                    }])?;
                    issued.not_after
                }
            };
            warnings.push(Warning::with_fix(
                format!(
                    "{} was renewed for the same key: certificates issued before keep verifying, and copies of the old one elsewhere work until it expires on {}",
                    store.path(CA_CERT).display(),
                    info.not_after.date()
                ),
                Fix::DistributeCa {
                    path: store.path(CA_CERT),
                },
            ));
        } else {
            warnings.extend(expiry_warning("the CA", now, info.not_after, Fix::RenewCa));
        }
        warnings.extend(key_mode.and_then(|mode| ca_key_warning(dir, mode)));
        if info.key_usage.is_none() && plan.action == Action::Kept {
            warnings.push(Warning::with_fix(
                format!(
                    "{} has no keyUsage (so no keyCertSign): it can sign, but strict clients (Python 3.13+, openssl -x509_strict) reject its certificates",
                    store.path(CA_CERT).display()
                ),
                Fix::RenewCa,
            ));
        }
        // The model's other refusals (the warning above has said the keyUsage one).
        warnings.extend(
            client_warnings_for_ca(&info.der, Some(Fix::ReplaceCa))
                .into_iter()
                .filter(|w| !w.message.contains("keyUsage")),
        );
        if let (Some(wanted), Action::Kept) = (&req.name_constraints, plan.action) {
            let have = crate::constraints::of_cert(&info.der).ok().flatten();
            if have.as_ref() != Some(wanted) {
                warnings.push(Warning::with_fix(
                    format!(
                        "kept the existing CA, which permits {}; --permit applies when the CA is renewed (same key)",
                        have.map_or_else(|| "every name".to_owned(), |c| c.describe())
                    ),
                    Fix::RenewCa,
                ));
            }
        }
        let cn = info.common_name.clone().unwrap_or_default();
        return Ok(Outcome {
            action: plan.action,
            reason: plan.reason.to_string(),
            cert: store.path(CA_CERT),
            key: store.path(CA_KEY),
            common_name: cn,
            key_type: info.key_type,
            not_after,
            days_left: cert::days_between(now, not_after),
            names: None,
            warnings,
        });
    }

    let key_type = req.key_type.unwrap_or(DEFAULT_CA_KEY_TYPE);
    let common_name = req
        .common_name
        .clone()
        .unwrap_or_else(|| DEFAULT_CA_CN.to_owned());
    let not_after = match mode {
        Mode::DryRun(_) => now + time::Duration::days(i64::from(days)),
        Mode::Write(lock) => {
            let key = generate(key_type, progress)?;
            let profile = CaProfile {
                common_name: common_name.clone(),
                days,
                pathlen: req.pathlen.unwrap_or(0),
                name_constraints: req.name_constraints.clone(),
            };
            let issued = issue::issue_ca(&profile, &key, now)?;
            write_pair(lock, CA_KEY, CA_CERT, &issued)?;
            if let Ok(p) = ::pem::parse(&issued.cert_pem) {
                warnings.extend(client_warnings_for_ca(p.contents(), None));
            }
            issued.not_after
        }
    };
    Ok(Outcome {
        action: plan.action,
        reason: plan.reason.to_string(),
        cert: store.path(CA_CERT),
        key: store.path(CA_KEY),
        common_name,
        key_type: Some(key_type),
        not_after,
        days_left: cert::days_between(now, not_after),
        names: None,
        warnings,
    })
}

/// The options given for the CA that differ from the CA that is kept or renewed: its
/// subject and key stay whatever was asked (only `--force` changes them), and `--days`
/// applies to a kept CA only when it is renewed.
/// The client families that refuse a server certificate aitls made (SPEC §6: Ed25519 for
/// the browsers, an underscore for Java), as warnings.
fn client_warnings_for_server(
    cert_der: &[u8],
    ca_der: &[u8],
    names: &[SanName],
    key_pem: Option<&[u8]>,
) -> Vec<Warning> {
    crate::clients::refusal_warnings(&crate::clients::judge_issued(
        cert_der, ca_der, names, key_pem,
    ))
    .into_iter()
    .map(Warning::from)
    .collect()
}

/// The client families that refuse every certificate of this CA (SPEC §6: an Ed25519 CA
/// for the browsers, a CA without keyUsage for Python 3.13), as warnings; `fix` for a kept
/// CA (a new one is what was asked for).
fn client_warnings_for_ca(ca_der: &[u8], fix: Option<Fix>) -> Vec<Warning> {
    let Ok(facts) = crate::clients::facts::cert_facts(ca_der) else {
        return Vec::new();
    };
    crate::clients::refusal_warnings(&crate::clients::judge_ca(&facts))
        .into_iter()
        .map(|w| Warning {
            message: format!("{w}; every certificate of this CA is refused"),
            fix: fix.clone(),
        })
        .collect()
}

fn ca_option_warnings(req: &CaRequest, info: &CertInfo, kept: bool) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let new_ca_only = |option: &str, asked: &str, kept: &str| {
        Warning::with_fix(
            format!(
                "{option} {asked:?} differs from the kept CA's {kept:?}; only a new CA changes it, which every client must then trust anew"
            ),
            Fix::ReplaceCa,
        )
    };
    let cn = info.common_name.clone().unwrap_or_default();
    if let Some(asked) = req.common_name.as_ref().filter(|asked| **asked != cn) {
        warnings.push(new_ca_only("--cn", asked, &cn));
    }
    if let Some(asked) = req.key_type.filter(|kt| info.key_type != Some(*kt)) {
        let kept = info.key_type.map_or("an unknown key type", KeyType::name);
        warnings.push(new_ca_only("--key-type", asked.name(), kept));
    }
    if let Some(asked) = req
        .pathlen
        .filter(|n| kept && info.path_len != Some(u32::from(*n)))
    {
        let has = info.path_len.map_or_else(
            || "no path length limit".to_owned(),
            |n| format!("pathlen:{n}"),
        );
        warnings.push(Warning::with_fix(
            format!("--pathlen {asked} differs from the kept CA's {has}; it applies when the CA is renewed"),
            Fix::RenewCaPathlen { pathlen: asked },
        ));
    }
    let lifetime = plan::lifetime_days(info.not_before, info.not_after);
    if let Some(asked) = req.days.filter(|d| kept && i64::from(*d) != lifetime) {
        warnings.push(Warning::with_fix(
            format!(
                "--days {asked} differs from the kept CA's {lifetime} days; it applies when the CA is renewed"
            ),
            Fix::RenewCaDays { days: asked },
        ));
    }
    warnings
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

/// The CA pair as the directory holds it, read and classified once for both `aitls ca`
/// and `aitls server`.
enum CaPair {
    /// Neither file.
    Nothing,
    /// `ca.key` alone.
    KeyOnly,
    /// `ca.crt` alone.
    CertOnly,
    /// Both files: parsed, or why one of them cannot be.
    Both(Result<Box<Ca>>),
}

/// Reads the pair through the lock (refusing files another user owns); also the key
/// file's mode, for the warning about a CA key others can read.
fn read_ca_pair(store: &Store, lock: &DirHandle) -> Result<(CaPair, Option<u32>)> {
    let key_file = read_ca_file(lock, CA_KEY)?;
    let cert_file = read_ca_file(lock, CA_CERT)?;
    let key_mode = key_file.as_ref().map(|f| f.mode);
    let pair = match (key_file.map(|f| f.bytes), cert_file.map(|f| f.bytes)) {
        (None, None) => CaPair::Nothing,
        (Some(_), None) => CaPair::KeyOnly,
        (None, Some(_)) => CaPair::CertOnly,
        (Some(k), Some(c)) => CaPair::Both(
            parse_cert(store, CA_CERT, &c, Fix::ReplaceCa).and_then(|cert| {
                let key = parse_key(store, CA_KEY, &k, Fix::ReplaceCa)?;
                Ok(Box::new(Ca { cert, key }))
            }),
        ),
    };
    Ok((pair, key_mode))
}

/// Loads the CA in the locked `store` for signing, refusing as `aitls server` does when it
/// is missing, incomplete, mismatched, expired or unfit to sign (the fixtures sign with it).
pub fn load_signing_ca(store: &Store, lock: &DirLock, now: OffsetDateTime) -> Result<Ca> {
    load_ca(store, lock, whole_seconds(now), &mut Vec::new())
}

/// The refusal for a CA that cannot sign: each defect, and what replacing it costs.
fn unfit_ca(store: &Store, defects: &[ca_fitness::CaDefect]) -> Error {
    let words: Vec<String> = defects.iter().map(ToString::to_string).collect();
    let only_clock = defects
        .iter()
        .all(|d| matches!(d, ca_fitness::CaDefect::NotYetValid { .. }));
    let fixes = if only_clock {
        vec![Fix::CheckClock, Fix::ReplaceUnfitCa]
    } else if defects.iter().all(renewal_repairs) {
        // Same key and subject: what the CA issued before stays trusted.
        vec![Fix::RenewCa]
    } else {
        vec![Fix::ReplaceUnfitCa]
    };
    Error::Refused {
        message: format!(
            "the CA {} {}; it cannot sign certificates that clients accept",
            store.path(CA_CERT).display(),
            words.join("; ")
        ),
        fixes,
    }
}

/// Whether renewing the CA certificate for the same key and subject (`aitls ca --renew`)
/// repairs `defect`: a new validity and the CA profile's keyUsage do; a certificate that
/// is not a CA, not v3 or carries an unknown critical extension is not one aitls renews.
fn renewal_repairs(defect: &ca_fitness::CaDefect) -> bool {
    matches!(
        defect,
        ca_fitness::CaDefect::Expired { .. } | ca_fitness::CaDefect::NoKeyCertSign
    )
}

/// The refusal when `store` holds no CA. Run from a subdirectory, `ai/certs` is not the
/// project's: the fix points at the CA found above rather than at `aitls ca`, which would
/// make a second one.
fn no_ca(store: &Store) -> Error {
    Error::Refused {
        message: format!(
            "no CA in {} ({CA_CERT} and {CA_KEY} are missing)",
            store.absolute_dir().display()
        ),
        fixes: vec![store.setup_fix(Fix::CreateCa)],
    }
}

/// Loads the CA for signing, refusing when it is missing, incomplete, mismatched, unfit
/// to sign (not a CA, not v3, not yet valid, expired, no keyCertSign, an unknown critical
/// extension) or owned by another user; warns (into `warnings`) about a CA key others can
/// read.
pub(crate) fn load_ca(
    store: &Store,
    lock: &DirHandle,
    now: OffsetDateTime,
    warnings: &mut Vec<Warning>,
) -> Result<Ca> {
    let (pair, key_mode) = read_ca_pair(store, lock)?;
    warnings.extend(key_mode.and_then(|mode| ca_key_warning(lock, mode)));
    let Ca { cert, key } = match pair {
        CaPair::Both(pair) => *pair?,
        CaPair::Nothing => return Err(no_ca(store)),
        lone @ (CaPair::KeyOnly | CaPair::CertOnly) => {
            let (present, missing) = if matches!(lone, CaPair::CertOnly) {
                (CA_CERT, CA_KEY)
            } else {
                (CA_KEY, CA_CERT)
            };
            return Err(Error::Refused {
                message: format!(
                    "the CA in {} is incomplete: {present} exists but {missing} is missing",
                    store.dir().display()
                ),
                fixes: vec![
                    Fix::Restore {
                        file: Some(missing.to_owned()),
                    },
                    Fix::ReplaceCa,
                ],
            });
        }
    };
    let refuse = |message: String| Error::Refused {
        message,
        fixes: vec![Fix::ReplaceCa],
    };
    if !cert::key_matches(&key, &cert) {
        return Err(refuse(format!(
            "{} does not match {}",
            store.path(CA_KEY).display(),
            store.path(CA_CERT).display()
        )));
    }
    let defects = ca_fitness::ca_defects(&cert, now);
    if !defects.is_empty() {
        return Err(unfit_ca(store, &defects));
    }
    if !cert.subject_is_simple {
        return Err(refuse(format!(
            "{} has a multi-valued subject name, which aitls cannot sign under",
            store.path(CA_CERT).display()
        )));
    }
    Ok(Ca { cert, key })
}

/// Inspects what exists under `stem`.
fn find_server(lock: &DirHandle, stem: &str, ca: &Ca) -> Result<ServerFound> {
    let (key_file, cert_file) = (store::key_file(stem), store::cert_file(stem));
    let key_read = lock.read(&key_file)?;
    let cert_bytes = lock.read(&cert_file)?.map(|f| f.bytes);
    let key_mode = key_read.as_ref().map_or(KEY_MODE, |f| f.mode);
    let (key_bytes, cert_bytes) = match (key_read.map(|f| f.bytes), cert_bytes) {
        (None, None) => return Ok(ServerFound::Nothing),
        (Some(_), None) => return Ok(ServerFound::LoneKey(cert_file)),
        (None, Some(_)) => return Ok(ServerFound::Partial(key_file)),
        (Some(k), Some(c)) => (k, c),
    };
    let cert = match cert::parse_pem(&cert_bytes) {
        Ok(c) => c,
        // A certificate that is not one beside a key: aitls writes the certificate
        // first, so it never leaves this; the key may be the only copy (SPEC §2).
        Err(e) => return Ok(ServerFound::LoneKey(format!("{cert_file} {e}"))),
    };
    let key = match issue::load_key(&key_bytes) {
        Ok(k) => k,
        Err(e) => return Ok(ServerFound::Unusable(format!("{key_file} {e}"))),
    };
    // aitls before #9 wrote Ed25519 keys as PKCS#8 v2, which the servers cannot load:
    // such a pair is reissued, not kept.
    if crate::keyfile::read_file_bytes(&key_bytes).is_ok_and(|f| {
        f.encoding == crate::keyfile::KeyEncoding::Pkcs8V2
            && f.algorithm == Some(crate::keyfile::KeyAlgorithm::Ed25519)
    }) {
        return Ok(ServerFound::Unusable(format!(
            "{key_file} is an Ed25519 key in PKCS#8 v2 (RFC 5958), which OpenSSL 3.0 and so uvicorn, nginx and llama-server cannot load"
        )));
    }
    Ok(ServerFound::Pair(Existing {
        key_matches: cert::key_matches(&key, &cert),
        signed_by_ca: cert.issuer_raw == ca.cert.subject_raw
            && cert::is_signed_by(&cert, &ca.cert.spki_der),
        key_mode,
        names: cert.names,
        common_name: cert.common_name,
        key_type: cert.key_type,
        server_auth: cert.server_auth,
        client_auth: cert.client_auth,
        not_before: cert.not_before,
        not_after: cert.not_after,
        explicit_window: issue::has_explicit_window(&cert.serial),
    }))
}

/// The existing certificate under `stem`, when it exists and parses: what renewal keeps
/// comes from it even when its key is missing or does not match.
fn issued_cert(lock: &DirHandle, stem: &str) -> Result<Option<CertInfo>> {
    Ok(lock
        .read(&store::cert_file(stem))?
        .and_then(|file| cert::parse_pem(&file.bytes).ok()))
}

/// An explicit window for `aitls server`: it ends after it begins, and lasts no longer
/// than `--days` may ([`issue::MAX_SERVER_DAYS`], Apple's limit).
fn check_window(w: Window) -> Result<()> {
    if w.not_after <= w.not_before {
        return Err(Error::InvalidValue {
            what: "--not-after",
            value: crate::cert::rfc3339(w.not_after),
            reason: format!(
                "the validity must end after it begins ({})",
                crate::cert::rfc3339(w.not_before)
            ),
        });
    }
    if w.not_after - w.not_before > time::Duration::days(i64::from(issue::MAX_SERVER_DAYS)) {
        return Err(Error::InvalidValue {
            what: "--not-after",
            value: crate::cert::rfc3339(w.not_after),
            reason: format!(
                "the window is longer than {} days, which Apple platforms reject",
                issue::MAX_SERVER_DAYS
            ),
        });
    }
    Ok(())
}

/// Issues, renews or keeps the server certificate under `req.stem` (SPEC §2
/// `aitls server`). What the request leaves out comes from the existing certificate.
pub fn ensure_server(
    store: &Store,
    req: &ServerRequest,
    now: OffsetDateTime,
    progress: &dyn Progress,
) -> Result<Outcome> {
    store::check_stem(&req.stem)?;
    issue::check_days(
        req.days.unwrap_or(DEFAULT_SERVER_DAYS),
        issue::MAX_SERVER_DAYS,
    )?;
    if req.names.as_ref().is_some_and(Vec::is_empty) {
        return Err(Error::InvalidValue {
            what: "NAME",
            value: String::new(),
            reason: "at least one name is needed".into(),
        });
    }
    // No directory, no CA: refuse before `lock` creates an empty one.
    if matches!(store.dir().try_exists(), Ok(false)) {
        return Err(no_ca(store));
    }
    let lock = store.lock()?;
    ensure_server_with(store, Mode::Write(&lock), req, now, progress)
}

/// [`ensure_server`] under a lock the caller holds, or as a dry run.
pub fn ensure_server_with(
    store: &Store,
    mode: Mode<'_>,
    req: &ServerRequest,
    now: OffsetDateTime,
    progress: &dyn Progress,
) -> Result<Outcome> {
    let now = whole_seconds(now);
    store::check_stem(&req.stem)?;
    let days = req.days.unwrap_or(DEFAULT_SERVER_DAYS);
    issue::check_days(days, issue::MAX_SERVER_DAYS)?;
    if let Some(w) = req.window {
        check_window(w)?;
    }
    if req.names.as_ref().is_some_and(Vec::is_empty) {
        return Err(Error::InvalidValue {
            what: "NAME",
            value: String::new(),
            reason: "at least one name is needed".into(),
        });
    }
    let dir = mode.dir();
    let mut warnings = dir_warnings(dir);
    let ca = load_ca(store, dir, now, &mut warnings)?;
    let found = find_server(dir, &req.stem, &ca)?;
    let previous = issued_cert(dir, &req.stem)?;
    let default_names = crate::names::parse_all::<&str>(&[])?;
    let given = Given {
        names: req.names.clone(),
        common_name: req.common_name.clone(),
        key_type: req.key_type,
        client_auth: req.client_auth,
    };
    let profile = plan::resolve_server(
        &given,
        previous.as_ref().map(|c| plan::Previous {
            names: &c.names,
            common_name: c.common_name.as_deref(),
            key_type: c.key_type,
            client_auth: c.client_auth,
        }),
        plan::Defaults {
            names: &default_names,
            key_type: DEFAULT_SERVER_KEY_TYPE,
        },
    )
    .map_err(|e| Error::InvalidValue {
        what: "--cn",
        value: e.common_name,
        reason: format!(
            "the common name must be one of the certificate's names ({})",
            e.names
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })?;
    // Whoever made the CA (aitls --permit, openssl), never issue what clients would refuse:
    // given names, names kept from the existing certificate and the defaults alike.
    crate::constraints::ensure_permitted(&ca.cert.der, &store.path(CA_CERT), &profile.names)?;
    let wanted = Wanted {
        names: &profile.names,
        common_name: &profile.common_name,
        key_type: profile.key_type,
        client_auth: profile.client_auth,
        renew_within_days: req.renew_within_days,
        window: req.window,
    };
    let (key_file, cert_file) = (store::key_file(&req.stem), store::cert_file(&req.stem));
    let mut plan = plan::plan_server(&found, &wanted, req.force, now).map_err(|refusal| match refusal {
        ServerRefusal::LoneKey => Error::Refused {
            message: match &found {
                // The certificate is there but is not one (`LoneKey` carries why).
                ServerFound::LoneKey(why) if why != &cert_file => format!(
                    "{} exists beside {}, which is not a certificate aitls can read ({}); refusing to overwrite a key that aitls did not leave there",
                    store.path(&key_file).display(),
                    store.path(&cert_file).display(),
                    why.strip_prefix(&cert_file).unwrap_or(why).trim_start()
                ),
                _ => format!(
                    "{} exists without {}; refusing to overwrite a key that aitls did not leave there",
                    store.path(&key_file).display(),
                    store.path(&cert_file).display()
                ),
            },
            fixes: vec![
                Fix::Restore {
                    file: Some(cert_file.clone()),
                },
                Fix::ReplaceLoneKey {
                    stem: req.stem.clone(),
                    key_type: Some(profile.key_type),
                },
            ],
        },
    })?;
    if let ServerFound::Pair(existing) = &found {
        let reissued_until = plan::reissue_end(now, days, ca.cert.not_after);
        plan = plan::keep_while_capped(plan, existing.not_after, reissued_until);
    }
    let capped = matches!(plan.reason, Reason::CappedByCa { .. });
    let not_after = if let (false, ServerFound::Pair(existing)) = (plan.writes(), &found) {
        if capped {
            warnings.push(Warning::with_fix(
                format!(
                    "{} ends with the CA on {}, and a new one could not last longer until the CA is renewed",
                    store.path(&cert_file).display(),
                    ca.cert.not_after.date()
                ),
                Fix::RenewCaAndServer {
                    stem: req.stem.clone(),
                },
            ));
        } else if let Some(asked) = req.days {
            let issued_for = plan::lifetime_days(existing.not_before, existing.not_after);
            // A certificate that ends with the CA could not have lasted longer: asking for
            // more than it got is not a difference worth a warning.
            let ends_with_ca =
                existing.not_after == ca.cert.not_after && i64::from(asked) > issued_for;
            if issued_for != i64::from(asked) && !ends_with_ca {
                warnings.push(Warning::with_fix(
                    format!(
                        "kept {}, issued for {issued_for} days: --days {asked} applies at its next renewal",
                        store.path(&cert_file).display()
                    ),
                    Fix::ReissueDays {
                        stem: req.stem.clone(),
                        days: asked,
                    },
                ));
            }
        }
        existing.not_after
    } else if let Mode::Write(lock) = mode {
        let key = generate(profile.key_type, progress)?;
        let issue_profile = ServerProfile {
            common_name: profile.common_name.clone(),
            names: profile.names.clone(),
            days,
            client_auth: profile.client_auth,
            not_after_cap: Some(ca.cert.not_after),
            window: req.window,
        };
        let issued = issue::issue_server(&ca, &issue_profile, &key, now)?;
        write_pair(lock, &key_file, &cert_file, &issued)?;
        if let Ok(p) = ::pem::parse(&issued.cert_pem) {
            warnings.extend(client_warnings_for_server(
                p.contents(),
                &ca.cert.der,
                &profile.names,
                Some(issued.key_pem.as_bytes()),
            ));
        }
        issued.not_after
    } else {
        plan::reissue_end(now, days, ca.cert.not_after)
    };
    if !capped {
        warnings.extend(expiry_warning(
            "the CA",
            now,
            ca.cert.not_after,
            Fix::RenewCa,
        ));
    }
    // Past 9999 nothing could be asked for; the CA's end is then the only end there is.
    let asked_until = crate::clock::add_days(now, days, "the certificate").ok();
    if plan.writes()
        && req.window.is_none()
        && asked_until.is_some_and(|t| t - not_after > time::Duration::days(1))
    {
        warnings.push(
            format!(
                "the certificate ends on {}, when the CA expires, not after {days} days as asked",
                not_after.date(),
            )
            .into(),
        );
    }
    if req.window.is_none() && req.renew_within_days >= days {
        warnings.push(
            format!(
                "--renew-within {} is not less than --days {days}: every run will reissue the certificate",
                req.renew_within_days
            )
            .into(),
        );
    }
    Ok(Outcome {
        action: plan.action,
        reason: plan.reason.to_string(),
        cert: store.path(&cert_file),
        key: store.path(&key_file),
        common_name: profile.common_name,
        key_type: Some(profile.key_type),
        not_after,
        days_left: cert::days_between(now, not_after),
        names: Some(profile.names),
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ensure_ca_refuses_days_out_of_range_before_touching_the_disk() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("certs"));
        let req = CaRequest {
            days: Some(u32::MAX),
            key_type: Some(KeyType::EcdsaP256),
            ..CaRequest::default()
        };
        let err = ensure_ca(&store, &req, OffsetDateTime::now_utc(), &Silent).unwrap_err();
        assert!(
            matches!(err, Error::InvalidValue { what: "--days", .. }),
            "{err}"
        );
        assert!(!store.dir().exists());
    }

    #[test]
    fn an_ed25519_pkcs8_v2_key_from_an_older_aitls_is_reissued_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("certs"));
        let now = OffsetDateTime::now_utc();
        let ca_req = CaRequest {
            common_name: Some("CA".into()),
            days: Some(365),
            key_type: Some(KeyType::EcdsaP256),
            force: false,
            renew: false,
            renew_within_days: 30,
            pathlen: None,
            name_constraints: None,
        };
        ensure_ca(&store, &ca_req, now, &Silent).unwrap();
        let req = ServerRequest {
            names: Some(crate::names::parse_all(&["localhost"]).unwrap()),
            common_name: None,
            days: Some(365),
            key_type: Some(KeyType::Ed25519),
            client_auth: Some(false),
            stem: "server".into(),
            force: false,
            renew_within_days: 30,
            window: None,
        };
        assert_eq!(
            ensure_server(&store, &req, now, &Silent).unwrap().action,
            Action::Created
        );
        assert_eq!(
            ensure_server(&store, &req, now, &Silent).unwrap().action,
            Action::Kept
        );
        // The same pair as aitls wrote it before #9: the key in PKCS#8 v2.
        let v2 = crate::keyfile::tests::ed25519_v2_pem();
        let key = KeyPair::from_pem(&v2).unwrap();
        let lock = store.lock().unwrap();
        let ca = load_ca(&store, &lock, now, &mut Vec::new()).unwrap();
        let profile = ServerProfile {
            common_name: "localhost".into(),
            names: req.names.clone().unwrap_or_default(),
            days: 365,
            client_auth: false,
            not_after_cap: Some(ca.cert.not_after),
            window: None,
        };
        let issued = issue::issue_server(&ca, &profile, &key, now).unwrap();
        lock.write_all(&[
            NewFile {
                name: "server.key".into(),
                contents: v2.as_bytes(),
                mode: KEY_MODE,
            },
            NewFile {
                name: "server.crt".into(),
                contents: issued.cert_pem.as_bytes(),
                mode: CERT_MODE,
            },
        ])
        .unwrap();
        drop(lock);
        let outcome = ensure_server(&store, &req, now, &Silent).unwrap();
        assert_eq!(outcome.action, Action::Replaced, "{}", outcome.reason);
        assert!(outcome.reason.contains("PKCS#8 v2"), "{}", outcome.reason);
        let written = store.read("server.key").unwrap().unwrap();
        assert_eq!(
            crate::keyfile::read_file_bytes(&written).unwrap().encoding,
            crate::keyfile::KeyEncoding::Pkcs8V1
        );
    }
}

//! Reading the CA pair through the lock: owner checks, the key's mode warning, the pair read
//! and classified once ([`read_ca_pair`]), why a CA cannot sign, and [`load_ca`] /
//! [`load_signing_ca`] for the signers (`server`, `sign`, `fixtures`).

use time::OffsetDateTime;

use crate::ca_fitness;
use crate::cert;
use crate::error::{Error, Result};
use crate::fix::{Fix, Warning};
use crate::issue::Ca;
use crate::store::{self, CA_CERT, CA_KEY, DirHandle, DirLock, FileRead, Store};

use super::{parse_cert, parse_key, whole_seconds};

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

/// The CA pair as the directory holds it, read and classified once for both `aitls ca`
/// and `aitls server`.
pub(super) enum CaPair {
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
pub(super) fn read_ca_pair(store: &Store, lock: &DirHandle) -> Result<(CaPair, Option<u32>)> {
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

/// The refusal for a CA that cannot sign: each defect, and what replacing it costs.
pub(super) fn unfit_ca(store: &Store, defects: &[ca_fitness::CaDefect]) -> Error {
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
pub(super) fn renewal_repairs(defect: &ca_fitness::CaDefect) -> bool {
    matches!(
        defect,
        ca_fitness::CaDefect::Expired { .. } | ca_fitness::CaDefect::NoKeyCertSign
    )
}

/// The refusal when `store` holds no CA. Run from a subdirectory, `ai/certs` is not the
/// project's: the fix points at the CA found above rather than at `aitls ca`, which would
/// make a second one.
pub(super) fn no_ca(store: &Store) -> Error {
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

/// Loads the CA in the locked `store` for signing, refusing as `aitls server` does when it
/// is missing, incomplete, mismatched, expired or unfit to sign (the fixtures sign with it).
pub fn load_signing_ca(store: &Store, lock: &DirLock, now: OffsetDateTime) -> Result<Ca> {
    load_ca(store, lock, whole_seconds(now), &mut Vec::new())
}

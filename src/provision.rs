//! The read-decide-write pipelines behind `aitls ca` and `aitls server`.
//!
//! Each takes the directory lock, reads what exists, asks [`crate::plan`] what to do, and
//! when it must write, generates a key, issues a certificate and writes both through
//! [`crate::store`], key first. The lock is held throughout, so parallel runs see each
//! other's results whole and never interleave a key with another run's certificate.

use std::path::PathBuf;

use rcgen::KeyPair;
use serde::Serialize;
use time::OffsetDateTime;

use crate::cert::{self, CertInfo};
use crate::error::{Error, Result};
use crate::issue::{self, Ca, CaProfile, KeyType, ServerProfile};
use crate::names::SanName;
use crate::plan::{
    self, Action, CaFound, CaRefusal, CaRenewal, Existing, Given, Reason, ServerFound, Wanted,
};
use crate::store::{CERT_MODE, DirLock, KEY_MODE, NewFile, Store};

/// File name of the CA certificate.
pub const CA_CERT: &str = "ca.crt";
/// File name of the CA key.
pub const CA_KEY: &str = "ca.key";
/// Default stem of the server certificate and key.
pub const DEFAULT_STEM: &str = "server";
/// A certificate is reported as expiring when it has fewer days left than this.
pub const EXPIRY_WARNING_DAYS: i64 = 30;
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

/// Told when slow work (RSA key generation) starts and ends, so a front end can show a
/// spinner. The library itself never prints.
pub trait Progress {
    /// Slow work starts; `what` says what, in a few words.
    fn start(&self, what: &str);
    /// The slow work has ended.
    fn finish(&self);
}

/// A [`Progress`] that shows nothing.
#[derive(Debug, Default)]
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _what: &str) {}
    fn finish(&self) {}
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
    /// Renew the CA certificate (same key and subject) even when it is not due.
    pub renew: bool,
    /// Renew the CA certificate when it expires within this many days.
    pub renew_within_days: u32,
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
    /// Things the user should know that did not stop the command.
    pub warnings: Vec<String>,
    /// Facts the front end words, with the command that acts on them (added to
    /// `warnings` when rendered).
    #[serde(skip)]
    pub notes: Vec<Note>,
}

/// A fact about what `ca` or `server` did that the front end words, with the command
/// that acts on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// The CA certificate was reissued for the same key: certificates issued before still
    /// verify, but copies of the old `ca.crt` elsewhere must be replaced by the new one
    /// before the old one expires.
    CaRenewed {
        /// When the old CA certificate expires (or expired).
        previous_not_after: OffsetDateTime,
    },
    /// The server certificate ends when the CA does; only renewing the CA lets it be
    /// renewed.
    CappedByCa {
        /// When the CA (and so the certificate) expires.
        ca_not_after: OffsetDateTime,
    },
    /// `--days` differs from the validity of the certificate that was kept; it applies at
    /// the next renewal.
    DaysNotApplied {
        /// `--days` as given.
        asked: u32,
        /// The validity the kept certificate was issued for, in days.
        issued_for: i64,
    },
    /// An option given for the CA differs from the CA that was kept or renewed.
    CaOptionDiffers {
        /// The option (`--cn`, `--key-type`, `--days`).
        option: &'static str,
        /// Its value as given.
        asked: String,
        /// The kept CA's value.
        kept: String,
    },
}

fn malformed(store: &Store, file: &str, reason: String, hint: Option<String>) -> Error {
    Error::Malformed {
        path: store.path(file),
        reason,
        hint,
    }
}

fn parse_cert(store: &Store, file: &str, bytes: &[u8], hint: &str) -> Result<CertInfo> {
    cert::parse_pem(bytes).map_err(|r| malformed(store, file, r, Some(hint.to_owned())))
}

fn parse_key(store: &Store, file: &str, bytes: &[u8], hint: &str) -> Result<KeyPair> {
    issue::load_key(bytes).map_err(|r| malformed(store, file, r, Some(hint.to_owned())))
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
    fix: &str,
) -> Option<String> {
    let days_left = plan::days_between(now, not_after);
    if not_after <= now {
        Some(format!(
            "{what} expired on {}; run `{fix}`",
            not_after.date()
        ))
    } else if days_left < EXPIRY_WARNING_DAYS {
        Some(format!(
            "{what} expires in {days_left} days, on {}; run `{fix}`",
            not_after.date()
        ))
    } else {
        None
    }
}

/// Creates the CA, keeps a matching existing one, renews its certificate for the same key
/// when due or asked, or refuses (SPEC §2 `aitls ca`).
pub fn ensure_ca(
    store: &Store,
    req: &CaRequest,
    now: OffsetDateTime,
    progress: &dyn Progress,
) -> Result<Outcome> {
    let now = whole_seconds(now);
    let lock = store.lock()?;
    let key_bytes = store.read(CA_KEY)?;
    let cert_bytes = store.read(CA_CERT)?;
    let force_hint = "to replace the CA, run `aitls ca --force` (every server certificate must then be reissued)";
    let mut existing = None;
    let found = match (&key_bytes, &cert_bytes) {
        (None, None) => CaFound::Nothing,
        (Some(_), None) => CaFound::KeyOnly,
        (None, Some(_)) => CaFound::CertOnly,
        (Some(_), Some(_)) if req.force => CaFound::Pair {
            matches: false,
            days_left: 0,
        },
        (Some(k), Some(c)) => {
            let info = parse_cert(store, CA_CERT, c, force_hint)?;
            let key = parse_key(store, CA_KEY, k, force_hint)?;
            let found = CaFound::Pair {
                matches: cert::key_matches(&key, &info),
                days_left: plan::days_between(now, info.not_after),
            };
            existing = Some((info, key));
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
            hint:
                "restore the missing or matching file, or run `aitls ca --force` to create a new CA"
                    .into(),
        }
    })?;
    let plan = match &existing {
        Some((info, _)) => plan::plan_ca_renewal(
            plan,
            info.not_after,
            CaRenewal {
                asked: req.renew,
                within_days: req.renew_within_days,
            },
            now,
        ),
        None => plan,
    };

    let key_mode = store.mode(CA_KEY)?;
    if let (Action::Kept | Action::Renewed, Some((info, key))) = (plan.action, existing) {
        let mut warnings = Vec::new();
        let mut notes = ca_option_notes(req, &info, plan.action == Action::Kept);
        let mut not_after = info.not_after;
        if plan.action == Action::Renewed {
            let profile = issue::CaRenewalProfile {
                days: req.days.unwrap_or(DEFAULT_CA_DAYS),
                path_len: None,
            };
            let issued = issue::renew_ca(&info, &key, &profile, now)?;
            // Only the certificate changes: the key, and every certificate it signed, stay.
            store.write_all(
                &lock,
                &[NewFile {
                    name: CA_CERT.to_owned(),
                    contents: issued.cert_pem.as_bytes(),
                    mode: CERT_MODE,
                }],
            )?;
            not_after = issued.not_after;
            notes.push(Note::CaRenewed {
                previous_not_after: info.not_after,
            });
        } else {
            warnings.extend(expiry_warning(
                "the CA",
                now,
                info.not_after,
                "aitls ca --renew",
            ));
        }
        if let Some(mode) = key_mode.filter(|m| m & 0o077 != 0) {
            warnings.push(format!(
                "{} is readable by others (mode {mode:04o}); run `chmod 600 {}`",
                store.path(CA_KEY).display(),
                store.path(CA_KEY).display()
            ));
        }
        if !info.key_cert_sign && plan.action == Action::Kept {
            warnings.push(format!(
                "{} has no keyUsage keyCertSign; strict clients (Python 3.13+, openssl -x509_strict) reject its certificates; run `aitls ca --renew`",
                store.path(CA_CERT).display()
            ));
        }
        return Ok(Outcome {
            action: plan.action,
            reason: plan.reason.to_string(),
            cert: store.path(CA_CERT),
            key: store.path(CA_KEY),
            common_name: info.common_name.clone().unwrap_or_default(),
            key_type: info.key_type,
            not_after,
            days_left: plan::days_between(now, not_after),
            names: None,
            warnings,
            notes,
        });
    }

    let key_type = req.key_type.unwrap_or(DEFAULT_CA_KEY_TYPE);
    let common_name = req
        .common_name
        .clone()
        .unwrap_or_else(|| DEFAULT_CA_CN.to_owned());
    let key = generate(key_type, progress)?;
    let profile = CaProfile {
        common_name: common_name.clone(),
        days: req.days.unwrap_or(DEFAULT_CA_DAYS),
    };
    let issued = issue::issue_ca(&profile, &key, now)?;
    write_pair(store, &lock, CA_KEY, CA_CERT, &issued)?;
    Ok(Outcome {
        action: plan.action,
        reason: plan.reason.to_string(),
        cert: store.path(CA_CERT),
        key: store.path(CA_KEY),
        common_name,
        key_type: Some(key_type),
        not_after: issued.not_after,
        days_left: plan::days_between(now, issued.not_after),
        names: None,
        warnings: Vec::new(),
        notes: Vec::new(),
    })
}

/// The options given for the CA that differ from the CA that is kept or renewed: its
/// subject and key stay whatever was asked (only `--force` changes them), and `--days`
/// applies to a kept CA only when it is renewed.
fn ca_option_notes(req: &CaRequest, info: &CertInfo, kept: bool) -> Vec<Note> {
    let mut notes = Vec::new();
    let cn = info.common_name.clone().unwrap_or_default();
    if let Some(asked) = req.common_name.as_ref().filter(|asked| **asked != cn) {
        notes.push(Note::CaOptionDiffers {
            option: "--cn",
            asked: asked.clone(),
            kept: cn,
        });
    }
    if let Some(asked) = req.key_type.filter(|kt| info.key_type != Some(*kt)) {
        notes.push(Note::CaOptionDiffers {
            option: "--key-type",
            asked: asked.to_string(),
            kept: info
                .key_type
                .map_or("an unknown key type".into(), |k| k.to_string()),
        });
    }
    let lifetime = plan::lifetime_days(info.not_before, info.not_after);
    if let Some(asked) = req.days.filter(|d| kept && i64::from(*d) != lifetime) {
        notes.push(Note::CaOptionDiffers {
            option: "--days",
            asked: asked.to_string(),
            kept: lifetime.to_string(),
        });
    }
    notes
}

fn write_pair(
    store: &Store,
    lock: &DirLock,
    key_file: &str,
    cert_file: &str,
    issued: &issue::Issued,
) -> Result<()> {
    store.write_all(
        lock,
        &[
            NewFile {
                name: key_file.to_owned(),
                contents: issued.key_pem.as_bytes(),
                mode: KEY_MODE,
            },
            NewFile {
                name: cert_file.to_owned(),
                contents: issued.cert_pem.as_bytes(),
                mode: CERT_MODE,
            },
        ],
    )
}

/// Loads the CA for signing, refusing when it is missing, incomplete, mismatched or
/// expired.
fn load_ca(store: &Store, now: OffsetDateTime) -> Result<Ca> {
    let key_bytes = store.read(CA_KEY)?;
    let cert_bytes = store.read(CA_CERT)?;
    let (key_bytes, cert_bytes) = match (key_bytes, cert_bytes) {
        (Some(k), Some(c)) => (k, c),
        (None, None) => {
            return Err(Error::Refused {
                message: format!(
                    "no CA in {} ({CA_CERT} and {CA_KEY} are missing)",
                    store.dir().display()
                ),
                hint: "run `aitls ca` first to create one".into(),
            });
        }
        (k, _) => {
            let (present, missing) = if k.is_none() {
                (CA_CERT, CA_KEY)
            } else {
                (CA_KEY, CA_CERT)
            };
            return Err(Error::Refused {
                message: format!(
                    "the CA in {} is incomplete: {present} exists but {missing} is missing",
                    store.dir().display()
                ),
                hint: format!("restore {missing}, or run `aitls ca --force` to create a new CA"),
            });
        }
    };
    let hint = "run `aitls ca --force` to create a new CA";
    let cert = parse_cert(store, CA_CERT, &cert_bytes, hint)?;
    let key = parse_key(store, CA_KEY, &key_bytes, hint)?;
    let refuse = |message: String| Error::Refused {
        message,
        hint: hint.into(),
    };
    if !cert::key_matches(&key, &cert) {
        return Err(refuse(format!(
            "{} does not match {}",
            store.path(CA_KEY).display(),
            store.path(CA_CERT).display()
        )));
    }
    if !cert.is_ca {
        return Err(refuse(format!(
            "{} is not a CA certificate (basicConstraints CA:FALSE or missing)",
            store.path(CA_CERT).display()
        )));
    }
    if cert.not_after <= now {
        return Err(refuse(format!(
            "the CA {} expired on {}",
            store.path(CA_CERT).display(),
            cert.not_after.date()
        )));
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
fn find_server(store: &Store, stem: &str, ca: &Ca) -> Result<ServerFound> {
    let (key_file, cert_file) = (format!("{stem}.key"), format!("{stem}.crt"));
    let key_bytes = store.read(&key_file)?;
    let cert_bytes = store.read(&cert_file)?;
    let (key_bytes, cert_bytes) = match (key_bytes, cert_bytes) {
        (None, None) => return Ok(ServerFound::Nothing),
        (Some(_), None) => return Ok(ServerFound::Partial(cert_file)),
        (None, Some(_)) => return Ok(ServerFound::Partial(key_file)),
        (Some(k), Some(c)) => (k, c),
    };
    let cert = match cert::parse_pem(&cert_bytes) {
        Ok(c) => c,
        Err(e) => return Ok(ServerFound::Unusable(format!("{cert_file} {e}"))),
    };
    let key = match issue::load_key(&key_bytes) {
        Ok(k) => k,
        Err(e) => return Ok(ServerFound::Unusable(format!("{key_file} {e}"))),
    };
    Ok(ServerFound::Pair(Existing {
        key_matches: cert::key_matches(&key, &cert),
        signed_by_ca: cert.issuer_raw == ca.cert.subject_raw
            && cert::is_signed_by(&cert, &ca.cert.spki_der),
        key_mode: store.mode(&key_file)?.unwrap_or(KEY_MODE),
        names: cert.names,
        common_name: cert.common_name,
        key_type: cert.key_type,
        server_auth: cert.server_auth,
        client_auth: cert.client_auth,
        not_before: cert.not_before,
        not_after: cert.not_after,
    }))
}

/// The existing certificate under `stem`, when it exists and parses: what renewal keeps
/// comes from it even when its key is missing or does not match.
fn issued_cert(store: &Store, stem: &str) -> Result<Option<CertInfo>> {
    Ok(store
        .read(&format!("{stem}.crt"))?
        .and_then(|bytes| cert::parse_pem(&bytes).ok()))
}

/// Issues, renews or keeps the server certificate under `req.stem` (SPEC §2
/// `aitls server`). What the request leaves out comes from the existing certificate.
pub fn ensure_server(
    store: &Store,
    req: &ServerRequest,
    now: OffsetDateTime,
    progress: &dyn Progress,
) -> Result<Outcome> {
    let now = whole_seconds(now);
    crate::store::check_stem(&req.stem)?;
    let lock = store.lock()?;
    let ca = load_ca(store, now)?;
    let found = find_server(store, &req.stem, &ca)?;
    let previous = issued_cert(store, &req.stem)?;
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
    let days = req.days.unwrap_or(DEFAULT_SERVER_DAYS);
    let wanted = Wanted {
        names: &profile.names,
        common_name: &profile.common_name,
        key_type: profile.key_type,
        client_auth: profile.client_auth,
        renew_within_days: req.renew_within_days,
    };
    let mut plan = plan::plan_server(&found, &wanted, req.force, now);
    if let ServerFound::Pair(existing) = &found {
        let reissued_until = plan::reissue_end(now, days, ca.cert.not_after);
        plan = plan::keep_while_capped(plan, existing.not_after, reissued_until);
    }
    let (key_file, cert_file) = (format!("{}.key", req.stem), format!("{}.crt", req.stem));
    let mut warnings = Vec::new();
    let mut notes = Vec::new();
    let not_after = if let (false, ServerFound::Pair(existing)) = (plan.writes(), &found) {
        if matches!(plan.reason, Reason::CappedByCa { .. }) {
            notes.push(Note::CappedByCa {
                ca_not_after: ca.cert.not_after,
            });
        } else if let Some(asked) = req.days {
            let issued_for = plan::lifetime_days(existing.not_before, existing.not_after);
            // A certificate that ends with the CA could not have lasted longer: asking for
            // more than it got is not a difference worth a warning.
            let capped = existing.not_after == ca.cert.not_after && i64::from(asked) > issued_for;
            if issued_for != i64::from(asked) && !capped {
                notes.push(Note::DaysNotApplied { asked, issued_for });
            }
        }
        existing.not_after
    } else {
        let key = generate(profile.key_type, progress)?;
        let issue_profile = ServerProfile {
            common_name: profile.common_name.clone(),
            names: profile.names.clone(),
            days,
            client_auth: profile.client_auth,
            not_after_cap: Some(ca.cert.not_after),
        };
        let issued = issue::issue_server(&ca, &issue_profile, &key, now)?;
        write_pair(store, &lock, &key_file, &cert_file, &issued)?;
        issued.not_after
    };
    if !notes.iter().any(|n| matches!(n, Note::CappedByCa { .. })) {
        warnings.extend(expiry_warning(
            "the CA",
            now,
            ca.cert.not_after,
            "aitls ca --renew",
        ));
    }
    let asked_until = now + time::Duration::days(i64::from(days));
    if plan.writes() && asked_until - not_after > time::Duration::days(1) {
        warnings.push(format!(
            "the certificate ends on {}, when the CA expires, not after {days} days as asked",
            not_after.date(),
        ));
    }
    if i64::from(req.renew_within_days) >= i64::from(days) {
        warnings.push(format!(
            "--renew-within {} is not less than --days {days}: every run will reissue the certificate",
            req.renew_within_days
        ));
    }
    if profile.key_type == KeyType::Ed25519 {
        warnings.push(
            "browsers do not accept Ed25519 server certificates; OpenSSL, curl and rustls do"
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
        days_left: plan::days_between(now, not_after),
        names: Some(profile.names),
        warnings,
        notes,
    })
}

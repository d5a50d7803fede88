//! The keep / renew / replace / refuse decision, as a pure function of what exists and
//! what is asked for. No I/O, no crypto: [`crate::provision`] gathers the facts.

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;
use time::{Duration, OffsetDateTime};

use crate::cert::days_between;
use crate::key_type::KeyType;
use crate::names::SanName;

/// What happened to a certificate and its key (the `action` of `--json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Nothing existed; new files were written.
    Created,
    /// The existing files are current and were left alone.
    Kept,
    /// The certificate was reissued because it expired or expires soon.
    Renewed,
    /// The files were replaced for another reason (forced, names changed, mismatch ...).
    Replaced,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::Created => "created",
            Action::Kept => "kept",
            Action::Renewed => "renewed",
            Action::Replaced => "replaced",
        })
    }
}

/// Why an action was chosen; its `Display` is the `reason` of `--json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Nothing existed.
    New,
    /// `--force` was given.
    Forced,
    /// The existing files are current.
    Current {
        /// Days until the certificate expires.
        days_left: i64,
    },
    /// One of the two files is missing.
    Missing {
        /// The file name that is missing.
        file: String,
    },
    /// One of the files could not be parsed.
    Unreadable {
        /// What is wrong.
        detail: String,
    },
    /// The key does not belong to the certificate.
    Mismatch,
    /// The key file is readable by group or others.
    KeyExposed {
        /// Its mode.
        mode: u32,
    },
    /// The certificate was not signed by the CA now in the directory.
    CaChanged,
    /// The requested names differ from the certificate's.
    NamesChanged {
        /// Names requested but not in the certificate.
        added: Vec<String>,
        /// Names in the certificate but not requested.
        removed: Vec<String>,
    },
    /// The requested common name differs from the certificate's.
    CommonNameChanged {
        /// The certificate's common name.
        from: String,
        /// The requested one.
        to: String,
    },
    /// The requested key type differs from the certificate's.
    KeyTypeChanged {
        /// The certificate's key type, if aitls knows it.
        from: Option<KeyType>,
        /// The requested one.
        to: KeyType,
    },
    /// The extended key usages differ (`--client` added or dropped, or no serverAuth).
    UsageChanged,
    /// The certificate is not valid yet (the clock moved back?).
    NotYetValid,
    /// The certificate has expired.
    Expired,
    /// The certificate expires within the renewal window.
    Expiring {
        /// Days until it expires.
        days_left: i64,
    },
    /// Kept whatever its dates: it was issued with an explicit validity window, which is
    /// never renewed automatically.
    ExplicitWindow {
        /// Start of validity.
        not_before: OffsetDateTime,
        /// End of validity.
        not_after: OffsetDateTime,
    },
    /// A different explicit validity window was asked for.
    WindowChanged,
    /// `aitls ca --renew` was given: the CA certificate is reissued for the same key.
    RenewAsked,
    /// The certificate is in its renewal window, but its end is the CA's end: reissuing
    /// now cannot extend it, so it is kept until the CA is renewed.
    CappedByCa {
        /// Days until the certificate (and the CA) expires.
        days_left: i64,
    },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::New => f.write_str("no certificate existed"),
            Reason::Forced => f.write_str("--force was given"),
            Reason::Current { days_left } => {
                write!(
                    f,
                    "current, valid for {} more",
                    crate::cert::days(*days_left)
                )
            }
            Reason::Missing { file } => write!(f, "{file} was missing"),
            Reason::Unreadable { detail } => {
                write!(f, "the existing files were unusable: {detail}")
            }
            Reason::Mismatch => f.write_str("the key did not match the certificate"),
            Reason::KeyExposed { mode } => {
                write!(f, "the key file was readable by others (mode {mode:04o})")
            }
            Reason::CaChanged => f.write_str("the CA changed"),
            Reason::NamesChanged { added, removed } => {
                f.write_str("names changed")?;
                if !added.is_empty() {
                    write!(f, ", added {}", added.join(", "))?;
                }
                if !removed.is_empty() {
                    write!(f, ", removed {}", removed.join(", "))?;
                }
                Ok(())
            }
            Reason::CommonNameChanged { from, to } => {
                write!(f, "common name changed from {from:?} to {to:?}")
            }
            Reason::KeyTypeChanged { from, to } => match from {
                Some(from) => write!(f, "key type changed from {from} to {to}"),
                None => write!(f, "key type changed to {to}"),
            },
            Reason::UsageChanged => f.write_str("key usages changed"),
            Reason::NotYetValid => f.write_str("the certificate was not valid yet"),
            Reason::Expired => f.write_str("the certificate had expired"),
            Reason::Expiring { days_left } => {
                write!(f, "expiring in {}", crate::cert::days(*days_left))
            }
            Reason::ExplicitWindow {
                not_before,
                not_after,
            } => write!(
                f,
                "its validity window ({} to {}) was given with --not-before/--not-after, so it is never renewed automatically (--force reissues it)",
                crate::cert::rfc3339(*not_before),
                crate::cert::rfc3339(*not_after)
            ),
            Reason::WindowChanged => f.write_str("another validity window was asked for"),
            Reason::RenewAsked => f.write_str("--renew was given"),
            Reason::CappedByCa { days_left } => write!(
                f,
                "expiring in {}, with the CA: a new certificate could not last longer until the CA is renewed",
                crate::cert::days(*days_left)
            ),
        }
    }
}

/// A decision: what to do, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// What to do.
    pub action: Action,
    /// Why.
    pub reason: Reason,
}

impl Plan {
    fn new(action: Action, reason: Reason) -> Self {
        Plan { action, reason }
    }

    /// Whether new files must be written.
    pub fn writes(&self) -> bool {
        self.action != Action::Kept
    }
}

/// What exists of the CA in the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaFound {
    /// Neither `ca.key` nor `ca.crt`.
    Nothing,
    /// `ca.key` without `ca.crt`.
    KeyOnly,
    /// `ca.crt` without `ca.key`.
    CertOnly,
    /// Both; whether the key matches the certificate.
    Pair {
        /// The key is the certificate's.
        matches: bool,
        /// Days until the CA certificate expires.
        days_left: i64,
    },
}

/// Why the CA cannot be created or kept without `--force`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaRefusal {
    /// `ca.key` exists alone: it may be the only copy of a CA key; never overwrite it.
    LoneKey,
    /// `ca.crt` exists alone.
    LoneCert,
    /// The two do not belong together.
    Mismatch,
}

/// Decides what `aitls ca` does.
pub fn plan_ca(found: CaFound, force: bool) -> Result<Plan, CaRefusal> {
    Ok(match (found, force) {
        (CaFound::Nothing, _) => Plan::new(Action::Created, Reason::New),
        (_, true) => Plan::new(Action::Replaced, Reason::Forced),
        (CaFound::KeyOnly, false) => return Err(CaRefusal::LoneKey),
        (CaFound::CertOnly, false) => return Err(CaRefusal::LoneCert),
        (CaFound::Pair { matches: false, .. }, false) => return Err(CaRefusal::Mismatch),
        (CaFound::Pair { days_left, .. }, false) => {
            Plan::new(Action::Kept, Reason::Current { days_left })
        }
    })
}

/// Decides what happens to a server certificate planned after a CA that gets a new key
/// (`aitls sync --dry-run` before the CA exists, or with a CA to be replaced): when
/// nothing exists it is created, otherwise it no longer chains to the CA and is replaced.
pub fn plan_under_new_ca(anything_exists: bool) -> Plan {
    if anything_exists {
        Plan::new(Action::Replaced, Reason::CaChanged)
    } else {
        Plan::new(Action::Created, Reason::New)
    }
}

/// What exists of a server certificate and key under one stem.
#[derive(Debug, Clone)]
pub enum ServerFound {
    /// Neither file.
    Nothing,
    /// The certificate without its key; the name of the missing key. aitls never leaves
    /// this behind except when killed on a first run, so it is reissued.
    Partial(String),
    /// A key without its certificate (the name of the missing certificate): aitls never
    /// leaves one behind, so someone put it there; it is never overwritten without
    /// `--force` (SPEC §2).
    LoneKey(String),
    /// Both exist but one cannot be parsed.
    Unusable(String),
    /// Both exist and parse.
    Pair(Existing),
}

/// Facts about an existing server certificate and key.
#[derive(Debug, Clone)]
pub struct Existing {
    /// subjectAltNames.
    pub names: Vec<SanName>,
    /// Subject common name.
    pub common_name: Option<String>,
    /// Public key type.
    pub key_type: Option<KeyType>,
    /// extendedKeyUsage has serverAuth.
    pub server_auth: bool,
    /// extendedKeyUsage has clientAuth.
    pub client_auth: bool,
    /// Start of validity.
    pub not_before: OffsetDateTime,
    /// End of validity.
    pub not_after: OffsetDateTime,
    /// The key is the certificate's.
    pub key_matches: bool,
    /// The certificate was signed by the CA now in the directory.
    pub signed_by_ca: bool,
    /// Permission bits of the key file.
    pub key_mode: u32,
    /// It was issued with an explicit validity window (`--not-before`/`--not-after`).
    pub explicit_window: bool,
}

/// What `aitls server` is asked for.
#[derive(Debug, Clone)]
pub struct Wanted<'a> {
    /// subjectAltNames.
    pub names: &'a [SanName],
    /// Subject common name.
    pub common_name: &'a str,
    /// Key type.
    pub key_type: KeyType,
    /// clientAuth wanted.
    pub client_auth: bool,
    /// Reissue when the certificate expires within this many days.
    pub renew_within_days: u32,
    /// An explicit validity window, when one is asked for.
    pub window: Option<crate::issue::Window>,
}

/// Why a server certificate cannot be issued without `--force`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerRefusal {
    /// `STEM.key` exists without `STEM.crt`: never overwrite a key someone put there.
    LoneKey,
}

/// Decides what `aitls server` does.
pub fn plan_server(
    found: &ServerFound,
    wanted: &Wanted<'_>,
    force: bool,
    now: OffsetDateTime,
) -> Result<Plan, ServerRefusal> {
    let existing = match found {
        ServerFound::Nothing => return Ok(Plan::new(Action::Created, Reason::New)),
        _ if force => return Ok(Plan::new(Action::Replaced, Reason::Forced)),
        ServerFound::LoneKey(_) => return Err(ServerRefusal::LoneKey),
        ServerFound::Partial(file) => {
            return Ok(Plan::new(
                Action::Replaced,
                Reason::Missing { file: file.clone() },
            ));
        }
        ServerFound::Unusable(detail) => {
            return Ok(Plan::new(
                Action::Replaced,
                Reason::Unreadable {
                    detail: detail.clone(),
                },
            ));
        }
        ServerFound::Pair(existing) => existing,
    };
    Ok(plan_pair(existing, wanted, now))
}

/// Decides what to do with an existing, readable pair.
fn plan_pair(existing: &Existing, wanted: &Wanted<'_>, now: OffsetDateTime) -> Plan {
    let replace = |reason| Plan::new(Action::Replaced, reason);
    if !existing.key_matches {
        return replace(Reason::Mismatch);
    }
    if !crate::store::is_owner_only(existing.key_mode) {
        return replace(Reason::KeyExposed {
            mode: existing.key_mode,
        });
    }
    if !existing.signed_by_ca {
        return replace(Reason::CaChanged);
    }
    let have: BTreeSet<&SanName> = existing.names.iter().collect();
    let want: BTreeSet<&SanName> = wanted.names.iter().collect();
    if have != want {
        return replace(Reason::NamesChanged {
            added: want.difference(&have).map(ToString::to_string).collect(),
            removed: have.difference(&want).map(ToString::to_string).collect(),
        });
    }
    if existing.common_name.as_deref() != Some(wanted.common_name) {
        return replace(Reason::CommonNameChanged {
            from: existing.common_name.clone().unwrap_or_default(),
            to: wanted.common_name.to_owned(),
        });
    }
    if existing.key_type != Some(wanted.key_type) {
        return replace(Reason::KeyTypeChanged {
            from: existing.key_type,
            to: wanted.key_type,
        });
    }
    if !existing.server_auth || existing.client_auth != wanted.client_auth {
        return replace(Reason::UsageChanged);
    }
    if let Some(w) = wanted.window {
        if (existing.not_before, existing.not_after) != (w.not_before, w.not_after) {
            return replace(Reason::WindowChanged);
        }
        return Plan::new(
            Action::Kept,
            Reason::ExplicitWindow {
                not_before: existing.not_before,
                not_after: existing.not_after,
            },
        );
    }
    if existing.explicit_window {
        return Plan::new(
            Action::Kept,
            Reason::ExplicitWindow {
                not_before: existing.not_before,
                not_after: existing.not_after,
            },
        );
    }
    if existing.not_before > now {
        return replace(Reason::NotYetValid);
    }
    if existing.not_after <= now {
        return Plan::new(Action::Renewed, Reason::Expired);
    }
    let days_left = days_between(now, existing.not_after);
    if existing.not_after - now < Duration::days(i64::from(wanted.renew_within_days)) {
        return Plan::new(Action::Renewed, Reason::Expiring { days_left });
    }
    Plan::new(Action::Kept, Reason::Current { days_left })
}

/// When `aitls ca` renews the CA it keeps: renewal reissues the CA certificate for the
/// same key and subject (SPEC §2 `ca`), so certificates issued before keep verifying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaRenewal {
    /// `--renew` was given.
    pub asked: bool,
    /// Renew when the CA expires within this many days (`--renew-within`).
    pub within_days: u32,
}

/// Turns a decision to keep the CA into one to renew it, when renewal is asked for or
/// due (expired, or within the window). Only a kept pair is renewed: a new or replaced CA
/// is fresh anyway.
pub fn plan_ca_renewal(
    kept: Plan,
    not_after: OffsetDateTime,
    renewal: CaRenewal,
    now: OffsetDateTime,
) -> Plan {
    if kept.action != Action::Kept {
        return kept;
    }
    if renewal.asked {
        return Plan::new(Action::Renewed, Reason::RenewAsked);
    }
    if not_after <= now {
        return Plan::new(Action::Renewed, Reason::Expired);
    }
    if not_after - now < Duration::days(i64::from(renewal.within_days)) {
        return Plan::new(
            Action::Renewed,
            Reason::Expiring {
                days_left: days_between(now, not_after),
            },
        );
    }
    kept
}

/// The properties of a server certificate that a renewal keeps (SPEC §2 `server`:
/// "renewal keeps what was issued").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// subjectAltNames.
    pub names: Vec<SanName>,
    /// Subject common name, one of `names`.
    pub common_name: String,
    /// Key type.
    pub key_type: KeyType,
    /// clientAuth in extendedKeyUsage.
    pub client_auth: bool,
}

/// What the command line gave for a server certificate; `None` where an option was not
/// given, so that it comes from the existing certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Given {
    /// `NAME...`, parsed.
    pub names: Option<Vec<SanName>>,
    /// `--cn`.
    pub common_name: Option<String>,
    /// `--key-type`.
    pub key_type: Option<KeyType>,
    /// `--client` (true) or `--no-client` (false).
    pub client_auth: Option<bool>,
}

/// What an existing certificate says, of the properties renewal keeps.
#[derive(Debug, Clone, Copy)]
pub struct Previous<'a> {
    /// Its subjectAltNames.
    pub names: &'a [SanName],
    /// Its common name.
    pub common_name: Option<&'a str>,
    /// Its key type, when aitls knows it.
    pub key_type: Option<KeyType>,
    /// Whether it has clientAuth.
    pub client_auth: bool,
}

/// What applies when neither the command line nor an existing certificate says.
#[derive(Debug, Clone, Copy)]
pub struct Defaults<'a> {
    /// The default names.
    pub names: &'a [SanName],
    /// The default key type.
    pub key_type: KeyType,
}

/// `--cn` names none of the certificate's names: clients match names against the
/// subjectAltNames only, so a common name outside them is a name nothing checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CnNotAName {
    /// The common name asked for.
    pub common_name: String,
    /// The names of the certificate.
    pub names: Vec<SanName>,
}

/// The canonical form of `cn` when it is one of `names` (`LOCALHOST` is `localhost`).
fn name_among(cn: &str, names: &[SanName]) -> Option<String> {
    let parsed = crate::names::parse(cn).ok()?;
    names.contains(&parsed).then(|| parsed.to_string())
}

/// What a server certificate is to be: each property from the command line when given,
/// else from the existing certificate, else the default (SPEC §2 `server`). A common name
/// is always one of the names.
pub fn resolve_server(
    given: &Given,
    previous: Option<Previous<'_>>,
    defaults: Defaults<'_>,
) -> Result<Profile, CnNotAName> {
    let names = match (&given.names, previous) {
        (Some(names), _) => names.clone(),
        (None, Some(prev)) if !prev.names.is_empty() => prev.names.to_vec(),
        _ => defaults.names.to_vec(),
    };
    let common_name = match (&given.common_name, previous.and_then(|p| p.common_name)) {
        (Some(cn), _) => name_among(cn, &names).ok_or_else(|| CnNotAName {
            common_name: cn.clone(),
            names: names.clone(),
        })?,
        // The existing common name stays while it is still one of the names.
        (None, Some(cn)) if name_among(cn, &names).is_some() => cn.to_owned(),
        _ => crate::names::default_common_name(&names).unwrap_or_default(),
    };
    Ok(Profile {
        common_name,
        key_type: given
            .key_type
            .or(previous.and_then(|p| p.key_type))
            .unwrap_or(defaults.key_type),
        client_auth: given
            .client_auth
            .or(previous.map(|p| p.client_auth))
            .unwrap_or(false),
        names,
    })
}

/// When a certificate issued now would end: after `days`, or when the CA ends if sooner
/// (a certificate never outlives its CA).
pub fn reissue_end(now: OffsetDateTime, days: u32, ca_not_after: OffsetDateTime) -> OffsetDateTime {
    // Past year 9999 nothing later can be written: the CA's end is the only end there is.
    now.checked_add(Duration::days(i64::from(days)))
        .map_or(ca_not_after, |end| end.min(ca_not_after))
}

/// Keeps a certificate that is due for renewal when a new one would end no later than it
/// does: its end was capped at the CA's, and until the CA is renewed, reissuing would only
/// churn keys and restart services every day (SPEC §2 `server`).
pub fn keep_while_capped(
    plan: Plan,
    not_after: OffsetDateTime,
    reissued_until: OffsetDateTime,
) -> Plan {
    match plan.reason {
        Reason::Expiring { days_left } if reissued_until <= not_after => {
            Plan::new(Action::Kept, Reason::CappedByCa { days_left })
        }
        _ => plan,
    }
}

/// The validity a certificate was issued for, in whole days (rounded to the nearest day,
/// since notBefore is backdated a few minutes).
pub fn lifetime_days(not_before: OffsetDateTime, not_after: OffsetDateTime) -> i64 {
    (not_after - not_before + Duration::hours(12)).whole_days()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::parse_all;

    fn now() -> OffsetDateTime {
        time::macros::datetime!(2026-11-27 12:00 UTC)
    }

    fn current(names: &[SanName]) -> Existing {
        Existing {
            names: names.to_vec(),
            common_name: Some("localhost".into()),
            key_type: Some(KeyType::EcdsaP256),
            server_auth: true,
            client_auth: false,
            not_before: now() - Duration::days(1),
            not_after: now() + Duration::days(300),
            key_matches: true,
            signed_by_ca: true,
            key_mode: 0o600,
            explicit_window: false,
        }
    }

    fn decide(change: impl FnOnce(&mut Existing), force: bool) -> Plan {
        let names = parse_all::<&str>(&[]).unwrap();
        let mut existing = current(&names);
        change(&mut existing);
        let wanted = Wanted {
            names: &names,
            common_name: "localhost",
            key_type: KeyType::EcdsaP256,
            client_auth: false,
            renew_within_days: 30,
            window: None,
        };
        plan_server(&ServerFound::Pair(existing), &wanted, force, now()).unwrap()
    }

    #[test]
    fn a_lone_key_is_refused_without_force_and_a_lone_certificate_is_reissued() {
        let names = parse_all::<&str>(&[]).unwrap();
        let wanted = Wanted {
            names: &names,
            common_name: "localhost",
            key_type: KeyType::EcdsaP256,
            client_auth: false,
            renew_within_days: 30,
            window: None,
        };
        let lone_key = ServerFound::LoneKey("server.crt".into());
        assert_eq!(
            plan_server(&lone_key, &wanted, false, now()),
            Err(ServerRefusal::LoneKey)
        );
        assert_eq!(
            plan_server(&lone_key, &wanted, true, now()).unwrap().reason,
            Reason::Forced
        );
        let lone_cert = ServerFound::Partial("server.key".into());
        assert_eq!(
            plan_server(&lone_cert, &wanted, false, now())
                .unwrap()
                .action,
            Action::Replaced
        );
    }

    #[test]
    fn ca_is_created_kept_or_refused() {
        assert_eq!(
            plan_ca(CaFound::Nothing, false).unwrap().action,
            Action::Created
        );
        let pair = CaFound::Pair {
            matches: true,
            days_left: 100,
        };
        assert_eq!(plan_ca(pair, false).unwrap().action, Action::Kept);
        assert_eq!(plan_ca(pair, true).unwrap().action, Action::Replaced);
        assert_eq!(plan_ca(CaFound::KeyOnly, false), Err(CaRefusal::LoneKey));
        assert_eq!(plan_ca(CaFound::CertOnly, false), Err(CaRefusal::LoneCert));
        let bad = CaFound::Pair {
            matches: false,
            days_left: 100,
        };
        assert_eq!(plan_ca(bad, false), Err(CaRefusal::Mismatch));
        assert_eq!(plan_ca(bad, true).unwrap().reason, Reason::Forced);
    }

    #[test]
    fn current_server_certificate_is_kept() {
        let plan = decide(|_| {}, false);
        assert_eq!(plan.action, Action::Kept);
        assert_eq!(plan.reason, Reason::Current { days_left: 300 });
    }

    #[test]
    fn each_difference_has_its_reason() {
        type Change = Box<dyn FnOnce(&mut Existing)>;
        let cases: Vec<(Change, Action, &str)> = vec![
            (
                Box::new(|e| e.key_matches = false),
                Action::Replaced,
                "did not match",
            ),
            (
                Box::new(|e| e.key_mode = 0o644),
                Action::Replaced,
                "mode 0644",
            ),
            (
                Box::new(|e| e.signed_by_ca = false),
                Action::Replaced,
                "CA changed",
            ),
            (
                Box::new(|e| e.names.pop().map(drop).unwrap()),
                Action::Replaced,
                "added ::1",
            ),
            (
                Box::new(|e| e.common_name = Some("x".into())),
                Action::Replaced,
                "common name",
            ),
            (
                Box::new(|e| e.key_type = Some(KeyType::Rsa2048)),
                Action::Replaced,
                "rsa2048 to ecdsa-p256",
            ),
            (
                Box::new(|e| e.client_auth = true),
                Action::Replaced,
                "usages",
            ),
            (
                Box::new(|e| e.not_before = now() + Duration::hours(1)),
                Action::Replaced,
                "not valid yet",
            ),
            (
                Box::new(|e| e.not_after = now() - Duration::hours(1)),
                Action::Renewed,
                "expired",
            ),
            (
                Box::new(|e| e.not_after = now() + Duration::days(10)),
                Action::Renewed,
                "expiring in 10 days",
            ),
        ];
        for (change, action, phrase) in cases {
            let plan = decide(change, false);
            assert_eq!(plan.action, action, "{}", plan.reason);
            assert!(
                plan.reason.to_string().contains(phrase),
                "{} lacks {phrase}",
                plan.reason
            );
        }
    }

    #[test]
    fn force_replaces_even_a_current_certificate() {
        assert_eq!(decide(|_| {}, true).reason, Reason::Forced);
    }

    #[test]
    fn renewal_window_is_exclusive_of_its_end() {
        // Exactly 30 days left with --renew-within 30 is kept; a minute less is renewed.
        assert_eq!(
            decide(|e| e.not_after = now() + Duration::days(30), false).action,
            Action::Kept
        );
        let plan = decide(
            |e| e.not_after = now() + Duration::days(30) - Duration::minutes(1),
            false,
        );
        assert_eq!(plan.action, Action::Renewed);
    }

    #[test]
    fn an_explicit_window_is_kept_expired_or_not_until_forced() {
        for (nb, na) in [(-60, -30), (400, 800), (-1, 5)] {
            let plan = decide(
                |e| {
                    e.explicit_window = true;
                    e.not_before = now() + Duration::days(nb);
                    e.not_after = now() + Duration::days(na);
                },
                false,
            );
            assert_eq!(plan.action, Action::Kept, "{nb}..{na}");
            assert!(
                plan.reason
                    .to_string()
                    .contains("never renewed automatically")
            );
        }
        let forced = decide(|e| e.explicit_window = true, true);
        assert_eq!(forced.reason, Reason::Forced);
        // Names given on the command line still reissue it.
        let renamed = decide(
            |e| {
                e.explicit_window = true;
                e.names.clear();
            },
            false,
        );
        assert_eq!(renamed.action, Action::Replaced);
    }

    fn names(list: &[&str]) -> Vec<SanName> {
        parse_all(list).unwrap()
    }

    fn defaults(names: &[SanName]) -> Defaults<'_> {
        Defaults {
            names,
            key_type: KeyType::Rsa2048,
        }
    }

    #[test]
    fn renewal_keeps_every_property_not_given() {
        let default_names = names(&[]);
        let issued = names(&["ai.example.internal", "localhost", "127.0.0.1", "::1"]);
        let previous = Previous {
            names: &issued,
            common_name: Some("ai.example.internal"),
            key_type: Some(KeyType::EcdsaP256),
            client_auth: true,
        };
        let profile =
            resolve_server(&Given::default(), Some(previous), defaults(&default_names)).unwrap();
        assert_eq!(
            profile,
            Profile {
                names: issued.clone(),
                common_name: "ai.example.internal".into(),
                key_type: KeyType::EcdsaP256,
                client_auth: true,
            }
        );
        // Nothing exists: the defaults.
        let fresh = resolve_server(&Given::default(), None, defaults(&default_names)).unwrap();
        assert_eq!(fresh.names, default_names);
        assert_eq!(fresh.common_name, "localhost");
        assert_eq!(fresh.key_type, KeyType::Rsa2048);
        assert!(!fresh.client_auth);
        // Given options win, one at a time.
        let given = Given {
            key_type: Some(KeyType::Rsa2048),
            client_auth: Some(false),
            ..Given::default()
        };
        let changed = resolve_server(&given, Some(previous), defaults(&default_names)).unwrap();
        assert_eq!(changed.names, issued);
        assert_eq!(changed.key_type, KeyType::Rsa2048);
        assert!(!changed.client_auth);
    }

    #[test]
    fn common_name_must_be_one_of_the_names() {
        let default_names = names(&[]);
        let given = Given {
            names: Some(names(&["localhost"])),
            common_name: Some("api.internal".into()),
            ..Given::default()
        };
        let err = resolve_server(&given, None, defaults(&default_names)).unwrap_err();
        assert_eq!(err.common_name, "api.internal");
        assert_eq!(err.names, names(&["localhost"]));
        // Case and form do not matter; the canonical name is used.
        let given = Given {
            common_name: Some("LOCALHOST".into()),
            ..Given::default()
        };
        let ok = resolve_server(&given, None, defaults(&default_names)).unwrap();
        assert_eq!(ok.common_name, "localhost");
        // A kept common name stays while it is among the names, else the default applies.
        let issued = names(&["a.internal", "b.internal"]);
        let previous = Previous {
            names: &issued,
            common_name: Some("b.internal"),
            key_type: None,
            client_auth: false,
        };
        let given = Given {
            names: Some(names(&["a.internal", "b.internal", "c.internal"])),
            ..Given::default()
        };
        let kept = resolve_server(&given, Some(previous), defaults(&default_names)).unwrap();
        assert_eq!(kept.common_name, "b.internal");
        assert_eq!(kept.key_type, KeyType::Rsa2048, "unknown key type: default");
        let given = Given {
            names: Some(names(&["c.internal"])),
            ..Given::default()
        };
        let moved = resolve_server(&given, Some(previous), defaults(&default_names)).unwrap();
        assert_eq!(moved.common_name, "c.internal");
    }

    #[test]
    fn ca_renews_when_asked_due_or_expired_and_only_when_kept() {
        let kept = Plan::new(Action::Kept, Reason::Current { days_left: 100 });
        let window = CaRenewal {
            asked: false,
            within_days: 30,
        };
        let far = now() + Duration::days(100);
        assert_eq!(plan_ca_renewal(kept.clone(), far, window, now()), kept);
        let asked = CaRenewal {
            asked: true,
            ..window
        };
        let plan = plan_ca_renewal(kept.clone(), far, asked, now());
        assert_eq!(
            (plan.action, plan.reason),
            (Action::Renewed, Reason::RenewAsked)
        );
        let soon = now() + Duration::days(29);
        let plan = plan_ca_renewal(kept.clone(), soon, window, now());
        assert_eq!(plan.reason, Reason::Expiring { days_left: 29 });
        assert_eq!(plan.action, Action::Renewed);
        let past = now() - Duration::hours(1);
        assert_eq!(
            plan_ca_renewal(kept, past, window, now()).reason,
            Reason::Expired
        );
        let created = Plan::new(Action::Created, Reason::New);
        assert_eq!(plan_ca_renewal(created.clone(), far, asked, now()), created);
    }

    #[test]
    fn a_certificate_capped_at_the_ca_is_kept_until_reissuing_extends_it() {
        let ca_end = now() + Duration::days(20);
        let due = decide(|e| e.not_after = ca_end, false);
        assert_eq!(due.action, Action::Renewed);
        let until = reissue_end(now(), 365, ca_end);
        assert_eq!(until, ca_end);
        let plan = keep_while_capped(due.clone(), ca_end, until);
        assert_eq!(plan.action, Action::Kept);
        assert_eq!(plan.reason, Reason::CappedByCa { days_left: 20 });
        assert!(plan.reason.to_string().contains("CA is renewed"));
        // Once the CA is renewed, a new certificate lasts longer: renew.
        let renewed_ca_end = now() + Duration::days(365);
        let until = reissue_end(now(), 365, renewed_ca_end);
        assert_eq!(keep_while_capped(due.clone(), ca_end, until), due);
        // Other reasons to reissue are never held back.
        let changed = decide(|e| e.signed_by_ca = false, false);
        assert_eq!(keep_while_capped(changed.clone(), ca_end, ca_end), changed);
    }

    #[test]
    fn lifetime_is_whole_days_despite_the_backdate() {
        let start = now() - Duration::minutes(5);
        assert_eq!(lifetime_days(start, now() + Duration::days(365)), 365);
        assert_eq!(lifetime_days(start, now() + Duration::days(90)), 90);
    }
}

//! The CA path of `aitls ca`: keep, create, renew or replace the CA, with its warnings
//! (options a kept CA ignores, clients that refuse it).

use time::OffsetDateTime;

use crate::ca_fitness;
use crate::cert::{self, CertInfo};
use crate::error::{Error, Result};
use crate::fix::{Fix, Warning};
use crate::issue::{self, Ca, CaProfile};
use crate::key_type::KeyType;
use crate::plan::{self, Action, CaFound, CaRefusal, CaRenewal};
use crate::store::{CA_CERT, CA_KEY, CERT_MODE, NewFile, Store};

use super::ca_pair::{CaPair, ca_key_warning, read_ca_pair, renewal_repairs, unfit_ca};
use super::request::{
    CaRequest, DEFAULT_CA_CN, DEFAULT_CA_DAYS, DEFAULT_CA_KEY_TYPE, Mode, Outcome, Progress,
};
use super::{dir_warnings, expiry_warning, generate, whole_seconds, write_pair};

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
                    Fix::RenewCaPermit {
                        permit: wanted.permitted.iter().map(ToString::to_string).collect(),
                    },
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provision::Silent;

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
}

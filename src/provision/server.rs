//! The server path of `aitls server`: find the existing certificate, ask the plan, and
//! issue, renew or keep it under the CA.

use time::OffsetDateTime;

use crate::cert::{self, CertInfo};
use crate::error::{Error, Result};
use crate::fix::{Fix, Warning};
use crate::issue::{self, Ca, ServerProfile, Window};
use crate::names::SanName;
use crate::plan::{self, Existing, Given, Reason, ServerFound, ServerRefusal, Wanted};
use crate::store::{self, CA_CERT, DirHandle, KEY_MODE, Store};

use super::ca_pair::{load_ca, no_ca};
use super::request::{
    DEFAULT_SERVER_DAYS, DEFAULT_SERVER_KEY_TYPE, Mode, Outcome, Progress, ServerRequest,
};
use super::{dir_warnings, expiry_warning, generate, whole_seconds, write_pair};

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

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::KeyPair;

    use crate::key_type::KeyType;
    use crate::plan::Action;
    use crate::provision::{CaRequest, Silent, ensure_ca};
    use crate::store::{CERT_MODE, NewFile};

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

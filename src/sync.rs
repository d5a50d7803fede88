//! `aitls sync` (SPEC §5): the CA, then every certificate of the project file, in the
//! file's order, with the rules of `aitls ca` and `aitls server`, under one lock.
//!
//! One process, one lock: a cron job or a Makefile target converges the whole stack in a
//! single run, and a parallel run waits and then sees every pair whole. The `on_change`
//! hooks are not run here: the report says which pairs changed, and the binary runs their
//! hooks once this function has returned and the lock is released.

use time::OffsetDateTime;

use crate::error::{Error, Result};
use crate::names;
use crate::plan::{self, Action};
use crate::project::{CaOptions, CertEntry, Project};
use crate::provision::{self, CaRequest, Mode, Outcome, Progress, ServerRequest};
use crate::store::{self, DirHandle, Store};

/// What one `[certs.*]` entry came to.
#[derive(Debug)]
pub struct Item {
    /// The entry's stem.
    pub stem: String,
    /// What was done (or, in a dry run, would be done), or why it could not be.
    pub outcome: Result<Outcome>,
}

impl Item {
    /// Whether the pair was created, renewed or replaced: its `on_change` hook is due.
    pub fn changed(&self) -> bool {
        self.outcome
            .as_ref()
            .is_ok_and(|o| o.action != Action::Kept)
    }
}

/// What `aitls sync` did: the CA first, then each entry in the file's order.
#[derive(Debug)]
pub struct Report {
    /// The CA.
    pub ca: Outcome,
    /// Each `[certs.*]` entry.
    pub certs: Vec<Item>,
}

/// `aitls ca` as `[ca]` asks for it: what the file does not say is not given, so a kept
/// CA is compared only on what the file says (SPEC §2 `ca`).
pub fn ca_request(options: &CaOptions) -> CaRequest {
    CaRequest {
        common_name: options.cn.clone(),
        days: options.days,
        key_type: options.key_type,
        force: false,
        renew: false,
        renew_within_days: options
            .renew_within
            .unwrap_or(provision::DEFAULT_RENEW_WITHIN_DAYS),
        name_constraints: options.permit.clone(),
        pathlen: None,
    }
}

/// `aitls server --out STEM` as the entry for STEM asks for it: what the entry does not
/// say comes from the existing certificate, else the default (SPEC §2 `server`).
pub fn server_request(entry: &CertEntry) -> ServerRequest {
    ServerRequest {
        names: entry.names.clone(),
        common_name: entry.cn.clone(),
        days: entry.days,
        key_type: entry.key_type,
        client_auth: entry.client,
        stem: entry.stem.clone(),
        force: false,
        renew_within_days: entry
            .renew_within
            .unwrap_or(provision::DEFAULT_RENEW_WITHIN_DAYS),
        // The project file declares what renewal keeps; explicit windows are one-offs.
        window: None,
    }
}

/// Converges the CA and then every entry of `project` in `store`, under one exclusive
/// lock; with `dry_run`, decides the same things under a shared lock and writes nothing.
///
/// An error about the CA ends the run (no certificate can be issued without it); an error
/// about one entry is that entry's [`Item::outcome`], and the others still converge.
pub fn sync(
    store: &Store,
    project: &Project,
    dry_run: bool,
    now: OffsetDateTime,
    progress: &dyn Progress,
) -> Result<Report> {
    let ca_req = ca_request(&project.ca);
    let requests: Vec<Result<ServerRequest>> = project
        .certs
        .iter()
        .map(|e| Ok(server_request(e)))
        .collect();
    if dry_run {
        // A shared lock: a writer running now is seen before or after, never half done.
        let shared = store.lock_shared()?;
        let dir = shared.as_deref();
        let ca = match dir {
            Some(dir) => {
                provision::ensure_ca_with(store, Mode::DryRun(dir), &ca_req, now, progress)?
            }
            None => new_ca(store, &ca_req, now),
        };
        // A CA that gets a new key takes every certificate with it.
        let new_ca = matches!(ca.action, Action::Created | Action::Replaced);
        let certs = project
            .certs
            .iter()
            .zip(requests)
            .map(|(entry, req)| Item {
                stem: entry.stem.clone(),
                outcome: req.and_then(|req| match dir {
                    Some(dir) if !new_ca => {
                        provision::ensure_server_with(store, Mode::DryRun(dir), &req, now, progress)
                    }
                    _ => under_new_ca(store, dir, &req, &ca, now),
                }),
            })
            .collect();
        return Ok(Report { ca, certs });
    }
    let lock = store.lock()?;
    let ca = provision::ensure_ca_with(store, Mode::Write(&lock), &ca_req, now, progress)?;
    let certs = project
        .certs
        .iter()
        .zip(requests)
        .map(|(entry, req)| Item {
            stem: entry.stem.clone(),
            outcome: req.and_then(|req| {
                provision::ensure_server_with(store, Mode::Write(&lock), &req, now, progress)
            }),
        })
        .collect();
    Ok(Report { ca, certs })
}

/// The dry run's outcome for the CA when the directory does not exist yet.
fn new_ca(store: &Store, req: &CaRequest, now: OffsetDateTime) -> Outcome {
    let plan = plan::plan_ca(plan::CaFound::Nothing, req.force).unwrap_or(plan::Plan {
        action: Action::Created,
        reason: plan::Reason::New,
    });
    let days = req.days.unwrap_or(provision::DEFAULT_CA_DAYS);
    let not_after = now + time::Duration::days(i64::from(days));
    Outcome {
        action: plan.action,
        reason: plan.reason.to_string(),
        cert: store.path(store::CA_CERT),
        key: store.path(store::CA_KEY),
        common_name: req
            .common_name
            .clone()
            .unwrap_or_else(|| provision::DEFAULT_CA_CN.to_owned()),
        key_type: Some(req.key_type.unwrap_or(provision::DEFAULT_CA_KEY_TYPE)),
        not_after,
        days_left: crate::cert::days_between(now, not_after),
        names: None,
        warnings: Vec::new(),
    }
}

/// The dry run's outcome for a certificate after a CA that gets a new key: no CA to load
/// yet, so the plan comes from what exists in `dir` ([`plan::plan_under_new_ca`]).
fn under_new_ca(
    store: &Store,
    dir: Option<&DirHandle>,
    req: &ServerRequest,
    ca: &Outcome,
    now: OffsetDateTime,
) -> Result<Outcome> {
    let (cert_file, key_file) = (store::cert_file(&req.stem), store::key_file(&req.stem));
    let (cert_exists, key_exists) = match dir {
        Some(dir) => (dir.exists(&cert_file)?, dir.exists(&key_file)?),
        None => (false, false),
    };
    if key_exists && !cert_exists {
        // As the real run would: a lone key is never overwritten (SPEC §2).
        return Err(Error::Refused {
            message: format!(
                "{} exists without {}; refusing to overwrite a key that aitls did not leave there",
                store.path(&key_file).display(),
                store.path(&cert_file).display()
            ),
            fixes: vec![crate::fix::Fix::Restore {
                file: Some(cert_file),
            }],
        });
    }
    let exists = cert_exists || key_exists;
    let plan = plan::plan_under_new_ca(exists);
    // What is not declared would come from the certificate that exists; the dry run
    // shows the defaults, as for a new certificate.
    let names = match &req.names {
        Some(names) => names.clone(),
        None => names::parse_all::<&str>(&[])?,
    };
    let common_name = match &req.common_name {
        Some(cn) => cn.clone(),
        None => names::default_common_name(&names).ok_or_else(|| Error::InvalidValue {
            what: "names",
            value: String::new(),
            reason: "at least one name is needed".into(),
        })?,
    };
    let days = req.days.unwrap_or(provision::DEFAULT_SERVER_DAYS);
    let not_after = plan::reissue_end(now, days, ca.not_after);
    Ok(Outcome {
        action: plan.action,
        reason: plan.reason.to_string(),
        cert: store.path(&cert_file),
        key: store.path(&key_file),
        common_name,
        key_type: Some(req.key_type.unwrap_or(provision::DEFAULT_SERVER_KEY_TYPE)),
        not_after,
        days_left: crate::cert::days_between(now, not_after),
        names: Some(names),
        warnings: Vec::new(),
    })
}

//! `aitls trust`: one line per store with what a fresh read found, the fixes, whether the CA
//! is name-constrained, and the clients the stores do not cover.

use std::path::Path;

use aitls::truststore::{Action, CaIdentity, Skipped, Status, StoreKind, TrustReport};
use serde::Serialize;

use super::Style;
use crate::cli::fix::Words;
use crate::cli::quote::shell_quote;

/// A client that ignores the trust stores, and the setting that points it at the CA.
#[derive(Debug, Serialize)]
pub struct Uncovered {
    /// The client, in words.
    client: &'static str,
    /// The environment variable.
    setting: &'static str,
    /// Its value: the CA's absolute path.
    value: String,
}

/// Clients that read their own CA list, never the system's (SPEC §7).
const UNCOVERED: [(&str, &str); 3] = [
    (
        "Python requests/httpx (certifi's bundle)",
        "REQUESTS_CA_BUNDLE",
    ),
    ("the AI services' backend (aitls env)", "AI_CA_CERT_PATH"),
    ("node (its built-in list)", "NODE_EXTRA_CA_CERTS"),
];

/// The uncovered clients, pointed at `ca` (an absolute path).
pub fn uncovered(ca: &Path) -> Vec<Uncovered> {
    UNCOVERED
        .iter()
        .map(|(client, setting)| Uncovered {
            client,
            setting,
            value: ca.display().to_string(),
        })
        .collect()
}

/// One store in the JSON document.
#[derive(Debug, Serialize)]
struct StoreJson<'a> {
    store: StoreKind,
    location: &'a str,
    status: &'a Status,
    ok: bool,
    reason: Option<String>,
    fix: Option<String>,
}

/// The `--json` document.
#[derive(Debug, Serialize)]
pub struct Json<'a> {
    action: Action,
    ca: &'a CaIdentity,
    stores: Vec<StoreJson<'a>>,
    skipped: &'a [Skipped],
    not_covered: Vec<Uncovered>,
    ok: bool,
}

/// The report as its `--json` document.
pub fn json<'a>(report: &'a TrustReport, words: &Words, ca_abs: &Path) -> Json<'a> {
    Json {
        action: report.action,
        ca: &report.ca,
        stores: report
            .stores
            .iter()
            .map(|s| StoreJson {
                store: s.store,
                location: &s.location,
                status: &s.status,
                ok: s.ok,
                reason: s.failure.as_ref().map(ToString::to_string),
                fix: s.fix.as_ref().map(|f| words.action(f)),
            })
            .collect(),
        skipped: &report.skipped,
        not_covered: uncovered(ca_abs),
        ok: report.ok,
    }
}

/// The stdout lines for `report` on the CA at `ca_path` (`ca_abs` absolute).
pub fn text(
    report: &TrustReport,
    words: &Words,
    ca_path: &Path,
    ca_abs: &Path,
    style: Style,
) -> String {
    let ca = &report.ca;
    let mut text = format!(
        "CA {:?} ({}), entry {:?}\n",
        ca.common_name,
        ca_path.display(),
        ca.entry
    );
    text.push_str(&match &ca.name_constraints {
        Some(c) => format!("  name-constrained: permits only {}\n", c.describe()),
        None => "  not name-constrained: it can vouch for any site\n".to_owned(),
    });
    for s in &report.stores {
        let status = match &s.failure {
            Some(reason) => style.paint("1;31", &format!("failed: {reason}")),
            None if s.ok => style.paint("32", s.status.label()),
            None => style.paint("33", s.status.label()),
        };
        text.push_str(&format!(
            "  {:<6}  {}  {status}\n",
            s.store.name(),
            s.location
        ));
        if let Some(fix) = &s.fix {
            text.push_str(&format!("          fix: {}\n", words.action(fix)));
        }
    }
    for s in &report.skipped {
        text.push_str(&format!("  {:<6}  skipped: {}\n", s.store.name(), s.looked));
    }
    if report.stores.is_empty() {
        text.push_str("  no trust store found on this machine\n");
    }
    if report.action == Action::Install {
        text.push_str("Not covered by these stores; point them at the CA:\n");
        for u in uncovered(ca_abs) {
            text.push_str(&format!(
                "  {}: {}={}\n",
                u.client,
                u.setting,
                shell_quote(&u.value)
            ));
        }
    }
    text
}

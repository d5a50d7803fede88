//! `aitls trust`: DIR/ca.crt → [`aitls::truststore::run`] → one line per store, the fixes
//! (the `sudo` command, the package), and what the stores do not cover.

use std::path::Path;
use std::process::ExitCode;

use aitls::truststore::{self, Action, CaIdentity, Failure, Status, StoreKind, TrustEnv};
use anyhow::Context;
use clap::Args;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use serde::Serialize;

use super::{Globals, Output};

/// Install the CA in this machine's trust stores (system, NSS, Java), or remove or check it
///
/// Adds DIR/ca.crt to every store found: the system store (needs root), the NSS databases
/// of Chromium and Firefox under your home (plain, snap, flatpak), and Java's cacerts (of
/// $JAVA_HOME, or of the java on PATH). Each store is read again afterwards and reported as
/// installed, already, removed, not found or failed, with the command that fixes it. The
/// entry is named after the CA's common name and fingerprint, so several CAs coexist and
/// --remove removes only this one. Exit 1 when any store is not as asked.
///
/// Prefer a name-constrained CA (`aitls ca --permit local`): a browser then trusts it for
/// your stack's names only, and a leaked ca.key cannot impersonate any other site.
///
/// Examples:
///   sudo aitls trust                  # every store; the system store needs root
///   aitls trust --store nss           # Chromium and Firefox for this user, no root
///   aitls trust --check               # exit 0 only when trusted everywhere
///   aitls trust --remove --store nss --store java
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct TrustArgs {
    /// Remove the CA from the stores instead
    #[arg(long, conflicts_with = "check")]
    pub remove: bool,

    /// Only report whether the CA is trusted (exit 0 when it is in every store)
    #[arg(long)]
    pub check: bool,

    /// Only this store (repeatable; default: every store found)
    #[arg(long, value_name = "STORE", value_parser = store_parser())]
    pub store: Vec<StoreKind>,
}

fn store_parser() -> impl TypedValueParser<Value = StoreKind> {
    PossibleValuesParser::new(
        StoreKind::ALL.map(|k| PossibleValue::new(k.name()).help(k.description())),
    )
    .try_map(|name| {
        StoreKind::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .ok_or_else(|| format!("unknown store {name:?}"))
    })
}

/// A client that ignores the stores, and the setting that points it at the CA.
struct Uncovered {
    client: &'static str,
    setting: &'static str,
}

/// Clients that read their own CA list, never the system's (SPEC §7).
const UNCOVERED: [Uncovered; 3] = [
    Uncovered {
        client: "Python requests/httpx (certifi's bundle)",
        setting: "REQUESTS_CA_BUNDLE",
    },
    Uncovered {
        client: "the AI services' backend (aitls env)",
        setting: "AI_CA_CERT_PATH",
    },
    Uncovered {
        client: "node (its built-in list)",
        setting: "NODE_EXTRA_CA_CERTS",
    },
];

/// One store in the JSON document.
#[derive(Serialize)]
struct StoreDoc<'a> {
    store: StoreKind,
    location: &'a str,
    status: &'a Status,
    ok: bool,
    reason: Option<String>,
    fix: Option<String>,
}

/// A client the stores do not cover, in the JSON document.
#[derive(Serialize)]
struct UncoveredDoc {
    client: &'static str,
    setting: &'static str,
    value: String,
}

/// The `--json` document.
#[derive(Serialize)]
struct TrustDoc<'a> {
    action: Action,
    ca: &'a CaIdentity,
    stores: Vec<StoreDoc<'a>>,
    skipped: &'a [truststore::Skipped],
    not_covered: Vec<UncoveredDoc>,
    ok: bool,
}

/// The command that fixes a failed store, as the user can paste it.
fn fix(failure: &Failure, kind: StoreKind, action: Action, dir: &Path) -> Option<String> {
    match failure {
        Failure::NeedsPrivileges { .. } => {
            let mut cmd = "sudo aitls".to_owned();
            if dir != Path::new(super::DEFAULT_DIR) {
                cmd.push_str(&format!(
                    " --dir {}",
                    super::output::shell_quote(&dir.to_string_lossy())
                ));
            }
            cmd.push_str(" trust");
            match action {
                Action::Remove => cmd.push_str(" --remove"),
                Action::Check => cmd.push_str(" --check"),
                Action::Install => {}
            }
            Some(format!("{cmd} --store {kind}"))
        }
        Failure::MissingTool { package, .. } => Some(format!("install {package}")),
        Failure::NoStore { .. } => match kind {
            StoreKind::Nss => Some(
                "start Chromium or Firefox once, or create a database: mkdir -p ~/.pki/nssdb && certutil -d sql:$HOME/.pki/nssdb -N --empty-password"
                    .into(),
            ),
            StoreKind::Java => Some("point JAVA_HOME at a JDK or JRE".into()),
            StoreKind::System => None,
        },
        _ => None,
    }
}

/// Runs `aitls trust`.
pub fn run(args: &TrustArgs, globals: &Globals, out: &Output) -> anyhow::Result<ExitCode> {
    let store = aitls::store::Store::new(&globals.dir);
    let ca_file = aitls::provision::CA_CERT;
    let ca_path = store.path(ca_file);
    let bytes = store.read(ca_file)?.ok_or_else(|| aitls::Error::Refused {
        message: format!("no CA in {} ({ca_file} is missing)", globals.dir.display()),
        hint: "run `aitls ca` first to create one".into(),
    })?;
    let info = aitls::cert::parse_pem(&bytes).map_err(|reason| aitls::Error::Malformed {
        path: ca_path.clone(),
        reason,
        hint: None,
    })?;
    let ca = CaIdentity::new(&info.der).map_err(|reason| aitls::Error::Malformed {
        path: ca_path.clone(),
        reason,
        hint: None,
    })?;
    let action = if args.remove {
        Action::Remove
    } else if args.check {
        Action::Check
    } else {
        Action::Install
    };
    let env = TrustEnv {
        home: std::env::var_os("HOME").map(Into::into),
        java_home: std::env::var_os("JAVA_HOME")
            .filter(|v| !v.is_empty())
            .map(Into::into),
        path: std::env::var_os("PATH"),
    };
    if std::env::var_os("SUDO_USER").is_some()
        && (args.store.is_empty() || args.store.contains(&StoreKind::Nss))
    {
        out.warn(&format!(
            "running under sudo: the NSS databases are those of HOME={}; run `aitls trust --store nss` without sudo for your own browsers",
            env.home.as_deref().unwrap_or(Path::new("")).display()
        ));
    }
    let report = truststore::run(ca, action, &args.store, &env);
    let ca_abs = std::path::absolute(&ca_path).with_context(|| ca_path.display().to_string())?;
    let not_covered: Vec<UncoveredDoc> = UNCOVERED
        .iter()
        .map(|u| UncoveredDoc {
            client: u.client,
            setting: u.setting,
            value: ca_abs.display().to_string(),
        })
        .collect();

    let stores: Vec<StoreDoc<'_>> = report
        .stores
        .iter()
        .map(|s| StoreDoc {
            store: s.store,
            location: &s.location,
            status: &s.status,
            ok: s.ok,
            reason: s.failure.as_ref().map(ToString::to_string),
            fix: s
                .failure
                .as_ref()
                .and_then(|f| fix(f, s.store, action, &globals.dir)),
        })
        .collect();
    if out.json() {
        out.json_doc(&TrustDoc {
            action,
            ca: &report.ca,
            stores,
            skipped: &report.skipped,
            not_covered,
            ok: report.ok,
        })?;
    } else {
        let mut text = format!(
            "CA {:?} ({}), entry {:?}\n",
            report.ca.common_name,
            ca_path.display(),
            report.ca.entry
        );
        text.push_str(&match &report.ca.name_constraints {
            Some(c) => format!("  name-constrained: permits only {}\n", c.describe()),
            None => "  not name-constrained: it can vouch for any site\n".to_owned(),
        });
        for s in &stores {
            let status = match &s.reason {
                Some(reason) => format!("failed: {reason}"),
                None => s.status.label().to_owned(),
            };
            text.push_str(&format!(
                "  {:<6}  {}  {status}\n",
                s.store.name(),
                s.location
            ));
            if let Some(fix) = &s.fix {
                text.push_str(&format!("          fix: {fix}\n"));
            }
        }
        for s in &report.skipped {
            text.push_str(&format!("  {:<6}  skipped: {}\n", s.store.name(), s.looked));
        }
        if report.stores.is_empty() {
            text.push_str("  no trust store found on this machine\n");
        }
        if action == Action::Install {
            text.push_str("Not covered by these stores; point them at the CA:\n");
            for u in &not_covered {
                text.push_str(&format!(
                    "  {}: {}={}\n",
                    u.client,
                    u.setting,
                    super::output::shell_quote(&u.value)
                ));
            }
        }
        out.text(&text)?;
        if action == Action::Install
            && report.ca.name_constraints.is_some()
            && report
                .stores
                .iter()
                .any(|s| s.store == StoreKind::Java && s.ok)
        {
            // Measured with bench/constraints: JSSE's PKIX validator applies only the
            // constraints passed with a trust anchor, never those written in it.
            out.warn(
                "Java does not enforce name constraints written in a root CA: to Java, this CA can vouch for any name",
            );
        }
        if action == Action::Install && report.ca.name_constraints.is_none() {
            out.warn(
                "this CA is not name-constrained: whoever gets ca.key can impersonate any site to the stores that trust it; a CA made with `aitls ca --permit local` (or --permit NAME) can only vouch for your stack's names",
            );
        }
    }
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

//! `aitls trust`: DIR/ca.crt → [`aitls::truststore::run`] → one line per store, the fixes
//! (the `sudo` command, the package), and what the stores do not cover.

use std::path::Path;
use std::process::ExitCode;

use aitls::truststore::{self, Action, CaIdentity, StoreKind, TrustEnv};
use anyhow::Context;
use clap::Args;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

use super::{Globals, Output, render};

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

/// Runs `aitls trust`.
pub fn run(args: &TrustArgs, globals: &Globals, out: &Output) -> anyhow::Result<ExitCode> {
    let store = aitls::store::Store::new(&globals.dir);
    let ca_path = store.path(aitls::store::CA_CERT);
    let ca = CaIdentity::load(&store)?;
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
    if out.json() {
        out.json_doc(&render::trust::json(&report, &globals.words, &ca_abs))?;
    } else {
        out.text(&render::trust::text(
            &report,
            &globals.words,
            &ca_path,
            &ca_abs,
            out.style(),
        ))?;
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

#[cfg(test)]
mod tests {
    use aitls::fix::Fix;
    use aitls::truststore::{Action, StoreKind};

    use crate::cli::fix::{DirSource, Words};

    #[test]
    fn the_sudo_fix_repeats_the_directory_and_the_action() {
        let fix = Fix::TrustAsRoot {
            store: StoreKind::System,
            action: Action::Remove,
        };
        assert_eq!(
            Words::new(DirSource::Default).action(&fix),
            "sudo aitls trust --remove --store system"
        );
        // sudo resets the environment: a directory from AITLS_DIR must be named.
        assert_eq!(
            Words::new(DirSource::Env("/srv/ai certs".into())).action(&fix),
            "sudo aitls --dir '/srv/ai certs' trust --remove --store system"
        );
    }
}

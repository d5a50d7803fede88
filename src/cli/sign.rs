//! `aitls sign`: arguments → [`aitls::sign::sign`] → output.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use aitls::issue::MAX_CA_DAYS;
use aitls::sign::{self, SignOutcome, SignRequest};
use aitls::store::{self, Store};
use clap::Args;

use super::fix::Words;
use super::{Globals, Output};

/// Sign a certificate signing request with the CA in DIR (the key stays with its owner)
///
/// Checks the CSR's signature and names (the same rules as `aitls server`, name
/// constraints included) and writes DIR/STEM.crt (0644) only. The profile is aitls's,
/// whatever extensions the CSR asks for: a server certificate, or with --intermediate a
/// subordinate CA (CA:TRUE pathlen:0, keyCertSign, cRLSign, the root's name constraints),
/// which needs a root made with `aitls ca --pathlen 1`. STEM defaults to the CSR's file
/// name without its extension.
///
/// Examples:
///   aitls sign host.csr                        # DIR/host.crt for the names the CSR asks
///   aitls sign api.csr api.internal 10.0.0.5 --out api --client
///   aitls sign --intermediate bao.csr --out openbao-int --days 180
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct SignArgs {
    /// The CSR, PEM or DER (`-` for stdin, which needs --out)
    #[arg(value_name = "CSR")]
    pub csr: PathBuf,

    /// DNS names and IP addresses; they replace the names the CSR asks for
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,

    /// File stem: writes DIR/STEM.crt [default: the CSR's file name without extension]
    #[arg(long, value_name = "STEM")]
    pub out: Option<String>,

    /// Validity in days (server certificates: at most 825)
    #[arg(long, value_name = "DAYS", default_value_t = 365,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_CA_DAYS)))]
    pub days: u32,

    /// Also allow the certificate for TLS client authentication (mTLS)
    #[arg(long, conflicts_with = "intermediate")]
    pub client: bool,

    /// Sign a subordinate CA (OpenBao/Vault intermediate) instead of a server certificate
    #[arg(long, conflicts_with = "names")]
    pub intermediate: bool,
}

fn default_stem(csr: &Path) -> Option<String> {
    if csr == Path::new("-") {
        return None;
    }
    csr.file_stem().map(|s| s.to_string_lossy().into_owned())
}

/// Runs `aitls sign`.
pub fn run(args: &SignArgs, globals: &Globals, out: &Output) -> anyhow::Result<ExitCode> {
    let stem = match args.out.clone().or_else(|| default_stem(&args.csr)) {
        Some(stem) => stem,
        None => {
            return Err(aitls::Error::InvalidValue {
                what: "--out",
                value: String::new(),
                reason: "a CSR read from stdin needs --out STEM for the certificate's name".into(),
            }
            .into());
        }
    };
    let names = if args.names.is_empty() {
        Vec::new()
    } else {
        aitls::names::parse_all(&args.names)?
    };
    let bytes = if args.csr == Path::new("-") {
        store::read_stdin()?
    } else {
        store::read_limited(&args.csr)?.ok_or_else(|| aitls::Error::Malformed {
            path: args.csr.clone(),
            reason: "does not exist".into(),
            fixes: Vec::new(),
        })?
    };
    let request = SignRequest {
        csr_path: args.csr.clone(),
        names,
        stem,
        days: args.days,
        client_auth: args.client,
        intermediate: args.intermediate,
    };
    let store = Store::new(&globals.dir);
    let outcome = sign::sign(&store, &request, &bytes, time::OffsetDateTime::now_utc())?;
    report(out, &globals.words, &outcome)?;
    Ok(ExitCode::SUCCESS)
}

/// The `--json` document: the outcome, with its warnings worded (fixes included).
#[derive(Debug, serde::Serialize)]
struct Json<'a> {
    #[serde(flatten)]
    outcome: &'a SignOutcome,
    warnings: Vec<String>,
}

fn report(out: &Output, words: &Words, outcome: &SignOutcome) -> std::io::Result<()> {
    let warnings: Vec<String> = outcome.warnings.iter().map(|w| words.warning(w)).collect();
    if out.json() {
        return out.json_doc(&Json { outcome, warnings });
    }
    for warning in &warnings {
        out.warn(warning);
    }
    let what = match &outcome.names {
        Some(names) => {
            let list: Vec<String> = names.iter().map(ToString::to_string).collect();
            format!(
                "server certificate {:?} for {}",
                outcome.common_name,
                list.join(", ")
            )
        }
        None => format!("intermediate CA {:?} (pathlen:0)", outcome.common_name),
    };
    out.text(&format!(
        "{} {}: {what}, valid until {} ({} days left)\n",
        outcome.action,
        outcome.cert.display(),
        outcome.not_after.date(),
        outcome.days_left
    ))
}

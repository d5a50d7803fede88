//! `aitls fixtures`: arguments → [`aitls::fixtures::ensure`] → one line per case
//! (`render/fixtures.rs`).

use std::path::PathBuf;
use std::process::ExitCode;

use aitls::fixtures::{self, Case, Request};
use aitls::key_type::KeyType;
use aitls::store::Store;
use clap::Args;

use super::{Globals, Output};

/// Make certificates that are wrong on purpose, to test how TLS clients fail
///
/// Writes one directory per case under OUTDIR (default DIR/fixtures), each with ca.crt
/// (the CA a client should trust), server.crt and server.key (0600), plus other-ca.crt for
/// untrusted-ca; and OUTDIR/manifest.json: per case its files, the host to connect to, a
/// description, and, from aitls's client model, whether each client family (openssl,
/// python3.13, rustls, go, java, chromium, firefox, apple, gnutls) accepts it and the
/// category of error it reports (expired, hostname_mismatch, unknown_issuer ...).
/// Everything is signed under a fixtures CA of its own (OUTDIR/ca.crt, OUTDIR/ca.key 0600),
/// never the project's CA. A rerun keeps what still fits its case: an expired fixture stays
/// expired, a good one is reissued 30 days before it expires.
///
/// Cases: good, expired, not-yet-valid, wrong-host, untrusted-ca, self-signed,
/// issuer-not-ca, no-san, client-only-eku, key-mismatch, ca-without-keyusage, too-long,
/// wildcard, ip-only.
///
/// Examples:
///   aitls fixtures                                # all cases in ai/certs/fixtures
///   aitls fixtures tests/tls --only expired --only wrong-host
///   aitls --json fixtures tests/tls | jq '.cases[].action'
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct FixturesArgs {
    /// Output directory [default: DIR/fixtures]
    #[arg(value_name = "OUTDIR")]
    pub outdir: Option<PathBuf>,

    /// Key algorithm of every key
    #[arg(long, value_name = "KT", default_value = "ecdsa-p256", value_parser = super::key_type_parser())]
    pub key_type: KeyType,

    /// Make or check only this case (repeatable)
    #[arg(long, value_name = "NAME", value_parser = parse_case)]
    pub only: Vec<Case>,
}

/// Parses `--only`: a case name.
fn parse_case(s: &str) -> Result<Case, String> {
    s.parse()
}

/// Runs `aitls fixtures`.
pub fn run(args: &FixturesArgs, globals: &Globals, out: &Output) -> anyhow::Result<ExitCode> {
    let dir = args
        .outdir
        .clone()
        .unwrap_or_else(|| globals.dir.join("fixtures"));
    let request = Request {
        key_type: args.key_type,
        only: args.only.clone(),
    };
    let spinner = out.spinner();
    let report = fixtures::ensure(
        &Store::new(dir),
        &request,
        time::OffsetDateTime::now_utc(),
        &spinner,
    )?;
    if out.json() {
        out.json_doc(&super::render::fixtures::json(&report, &globals.words))?;
    } else {
        for warning in &report.ca.warnings {
            out.warn(&globals.words.warning(warning));
        }
        out.text(&super::render::fixtures::text(&report, out.style()))?;
    }
    Ok(ExitCode::SUCCESS)
}

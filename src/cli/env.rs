//! `aitls env`: arguments → [`aitls::services::settings`] → dotenv, shell or JSON text.

use std::process::ExitCode;

use aitls::fix::Fix;
use aitls::project::{CertEntry, Service};
use aitls::services::{self, DEFAULT_NEMOTRON_URL, DEFAULT_YOLO26_URL, EnvRequest};
use aitls::store::DEFAULT_STEM;
use anyhow::Context;
use clap::{Args, ValueEnum};

use super::{Globals, Output};

/// Print the AI services' TLS settings for the files in DIR
///
/// Prints YOLO26_SSL_CERTFILE and YOLO26_SSL_KEYFILE (uvicorn), LLAMA_ARG_SSL_CERT_FILE
/// and LLAMA_ARG_SSL_KEY_FILE (llama-server), YOLO26_URL, NEMOTRON_URL, AI_CA_CERT_PATH
/// and AI_VERIFY_SSL=true, with absolute paths, for the services and the backend's .env.
/// Each service has its own stem (default server; with aitls.toml, the stem and url of the
/// entry whose service names it). Fails with a hint when a file it would name does not
/// exist yet. The settings are printed even with --quiet.
///
/// Examples:
///   aitls env >> backend/.env                  # dotenv lines for the backend
///   eval "$(aitls env --format shell)"         # export them into this shell
///   aitls env --nemotron nemotron --nemotron-url https://llm.internal:8091
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct EnvArgs {
    /// Output format [default: dotenv; json with --json]
    #[arg(long, value_name = "FORMAT", value_enum)]
    pub format: Option<EnvFormat>,

    /// Stem of both services' certificate: DIR/STEM.crt and DIR/STEM.key [default: server]
    #[arg(long, value_name = "STEM")]
    pub out: Option<String>,

    /// Stem of YOLO26's certificate (uvicorn) [default: --out, else aitls.toml's
    /// service = "yolo26" entry, else server]
    #[arg(long, value_name = "STEM")]
    pub yolo26: Option<String>,

    /// Stem of Nemotron's certificate (llama-server) [default: --out, else aitls.toml's
    /// service = "nemotron" entry, else server]
    #[arg(long, value_name = "STEM")]
    pub nemotron: Option<String>,

    /// URL of the YOLO26 service (https only)
    #[arg(long, value_name = "URL", default_value = DEFAULT_YOLO26_URL, value_parser = https_url)]
    pub yolo_url: String,

    /// URL of the Nemotron service, llama-server (https only)
    #[arg(long, value_name = "URL", default_value = DEFAULT_NEMOTRON_URL, value_parser = https_url)]
    pub nemotron_url: String,
}

/// How `aitls env` writes the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EnvFormat {
    /// KEY=value lines for a .env file (python-dotenv, docker compose env_file)
    Dotenv,
    /// export KEY='value' lines, safe to eval in sh, bash and zsh
    Shell,
    /// One JSON object mapping each variable to its value
    Json,
}

/// Refuses anything but an https:// URL while parsing, so the mistake is a usage error
/// (exit 2) that names the flag, and the message carries the fix.
fn https_url(url: &str) -> Result<String, String> {
    services::check_https_url(url).map(|()| url.to_owned())
}

/// A service's stem: its own option, else `--out`, else the project file's entry for the
/// service (SPEC §5), else the default.
fn stem_for(own: &Option<String>, out: &Option<String>, declared: Option<&CertEntry>) -> String {
    own.as_ref()
        .or(out.as_ref())
        .cloned()
        .or_else(|| declared.map(|entry| entry.stem.clone()))
        .unwrap_or_else(|| DEFAULT_STEM.to_owned())
}

/// A service's URL: the option when given, else the `url` of the project file's entry
/// for the service, else the option's default.
fn url_for(option: &str, value: &str, globals: &Globals, declared: Option<&CertEntry>) -> String {
    match declared.and_then(|entry| entry.url.as_ref()) {
        Some(url) if !globals.given(option) => url.clone(),
        _ => value.to_owned(),
    }
}

/// Runs `aitls env`.
pub fn run(args: &EnvArgs, globals: &Globals, out: &Output) -> anyhow::Result<ExitCode> {
    let format = match (args.format, out.json()) {
        (None, false) => EnvFormat::Dotenv,
        (None | Some(EnvFormat::Json), true) => EnvFormat::Json,
        (Some(format), false) => format,
        (Some(format), true) => {
            return Err(aitls::Error::InvalidValue {
                what: "--format",
                value: format!("{format:?}").to_lowercase(),
                reason: "conflicts with --json, which means --format json".to_owned(),
            }
            .into());
        }
    };
    // Absolute without resolving symlinks: a path through a stable symlink (like
    // /etc/ai/current) should stay that path in the services' configuration.
    let dir = std::path::absolute(&globals.dir)
        .with_context(|| format!("cannot make {} absolute", globals.dir.display()))?;
    // A directory others can write: the files it names may not be the ones put there.
    if let Some(lock) = aitls::store::Store::new(&globals.dir).lock_shared()? {
        for warning in aitls::provision::dir_warnings(&lock) {
            out.warn(&globals.words.warning(&warning));
        }
    }
    let declared = |service| globals.project.as_ref().and_then(|p| p.service(service));
    let (yolo26, nemotron) = (declared(Service::Yolo26), declared(Service::Nemotron));
    let settings = services::settings(&EnvRequest {
        dir,
        yolo26_stem: stem_for(&args.yolo26, &args.out, yolo26),
        nemotron_stem: stem_for(&args.nemotron, &args.out, nemotron),
        yolo26_url: url_for("yolo_url", &args.yolo_url, globals, yolo26),
        nemotron_url: url_for("nemotron_url", &args.nemotron_url, globals, nemotron),
    })
    .map_err(|mut err| {
        // Run from a subdirectory: the project's CA above, not a second one here (the
        // directory given to the library is absolute, so the search starts from ours).
        if let aitls::Error::Refused { fixes, .. } = &mut err {
            for fix in fixes.iter_mut() {
                if matches!(fix, Fix::CreateCaAndServer { .. }) {
                    *fix = aitls::store::Store::new(&globals.dir).setup_fix(fix.clone());
                }
            }
        }
        err
    })?;
    match format {
        EnvFormat::Json => out.json_doc(&settings)?,
        EnvFormat::Shell => out.data(super::render::env::shell(&settings).as_bytes())?,
        EnvFormat::Dotenv => out.data(super::render::env::dotenv(&settings)?.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

//! `aitls env`: arguments → [`aitls::services::settings`] → dotenv, shell or JSON text.

use std::process::ExitCode;

use aitls::project::Service;
use aitls::services::{self, DEFAULT_NEMOTRON_URL, DEFAULT_YOLO26_URL, EnvRequest};
use aitls::store::DEFAULT_STEM;
use anyhow::Context;
use clap::{Args, ValueEnum};

use super::{Globals, Output};

/// Print the AI services' TLS settings for the files in DIR
///
/// Prints YOLO26_SSL_CERTFILE, YOLO26_SSL_KEYFILE, YOLO26_URL, NEMOTRON_URL,
/// AI_CA_CERT_PATH and AI_VERIFY_SSL=true, with absolute paths, for uvicorn (YOLO26),
/// llama-server (Nemotron) and the backend's .env. Fails with a hint when a file it
/// would name does not exist yet. The settings are printed even with --quiet.
///
/// Examples:
///   aitls env >> backend/.env                  # dotenv lines for the backend
///   eval "$(aitls env --format shell)"         # export them into this shell
///   aitls env --out nemotron --nemotron-url https://llm.internal:8091 --format json
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct EnvArgs {
    /// Output format [default: dotenv; json with --json]
    #[arg(long, value_name = "FORMAT", value_enum)]
    pub format: Option<EnvFormat>,

    /// Stem of the server certificate: uses DIR/STEM.crt and DIR/STEM.key
    #[arg(long, value_name = "STEM", default_value = DEFAULT_STEM)]
    pub out: String,

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
    // SPEC §5: the project file's entries for each service give its URL, unless the
    // command line does.
    let declared = |service, flag: &str, given: &String| {
        let url = globals
            .project
            .as_ref()
            .and_then(|p| p.service(service))
            .and_then(|entry| entry.url.clone());
        match url {
            Some(url) if !globals.given(flag) => url,
            _ => given.clone(),
        }
    };
    let settings = services::settings(&EnvRequest {
        dir,
        stem: args.out.clone(),
        yolo26_url: declared(Service::Yolo26, "yolo_url", &args.yolo_url),
        nemotron_url: declared(Service::Nemotron, "nemotron_url", &args.nemotron_url),
    })?;
    match format {
        EnvFormat::Json => out.json_doc(&settings)?,
        EnvFormat::Shell => out.data(super::render::env::shell(&settings).as_bytes())?,
        EnvFormat::Dotenv => out.data(super::render::env::dotenv(&settings)?.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

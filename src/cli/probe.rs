//! `aitls probe`: targets and files → [`aitls::probe::probe_all`] → one block per target
//! (`render/probe.rs`); exit 0 when every target passes, 1 when one fails, 2 for a
//! malformed target or an unreadable file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use aitls::fix::Fix;
use aitls::inspect::Block;
use aitls::probe::{self, ClientIdentity, Expected, Settings, Target};
use aitls::services::{DEFAULT_NEMOTRON_URL, DEFAULT_YOLO26_URL};
use aitls::store::{self, CA_CERT, DEFAULT_STEM, Store};
use clap::Args;
use time::OffsetDateTime;

use super::inspect::{malformed, read_file};
use super::{Globals, Output};

/// Check that the running services serve the right certificate, correctly
///
/// Connects to each target (every address its name resolves to, in turn, as curl does),
/// makes a TLS handshake and reports the address, TLS version, cipher suite, ALPN and the
/// chain served, with the checks: trusted (the chain leads to --ca), host (the name is in
/// the certificate), current (the service serves DIR/server.crt, not a certificate replaced
/// since), tls13 (a warning when only TLS 1.2 is offered), client_cert when the service
/// asks for one (mTLS) and, with --http, http (a GET for the URL's path answers below 400). Targets are https://HOST[:PORT][/PATH] or HOST:PORT;
/// without any, the url of each entry of aitls.toml (checked against DIR/STEM.crt), else
/// the two services' defaults (https://localhost:8095, https://localhost:8091).
/// Targets are probed in parallel, each within --timeout. Exit 0 when every target passes
/// (warnings allowed), 1 when one fails, 2 for a malformed target.
///
/// Examples:
///   aitls probe                                    # YOLO26 and Nemotron on localhost
///   aitls probe https://localhost:8095/health --http
///   aitls probe api.internal:443 --client backend --timeout 2 --json
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ProbeArgs {
    /// https://HOST[:PORT][/PATH] or HOST:PORT [default: aitls.toml's urls, else
    /// https://localhost:8095 https://localhost:8091]
    #[arg(value_name = "TARGET")]
    pub targets: Vec<String>,

    /// The CA certificate(s) to trust [default: DIR/ca.crt]
    #[arg(long, value_name = "FILE", conflicts_with = "system")]
    pub ca: Option<PathBuf>,

    /// Trust the operating system's CA certificates instead of DIR/ca.crt
    #[arg(long)]
    pub system: bool,

    /// Client certificate for services that require one (mTLS); with --key
    #[arg(long, value_name = "FILE", requires = "key", conflicts_with = "client")]
    pub cert: Option<PathBuf>,

    /// The client certificate's private key; with --cert
    #[arg(
        long,
        value_name = "FILE",
        requires = "cert",
        conflicts_with = "client"
    )]
    pub key: Option<PathBuf>,

    /// Present DIR/STEM.crt and DIR/STEM.key as the client certificate (mTLS)
    #[arg(long, value_name = "STEM")]
    pub client: Option<String>,

    /// Also send a GET for the URL's path and check the status (400 and above fail)
    #[arg(long)]
    pub http: bool,

    /// Seconds each target may take, from connecting to the last byte
    #[arg(long, value_name = "SECS", default_value_t = 5,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
}

/// A target with the certificate it should serve.
pub struct Planned {
    url: String,
    stem: String,
    on_change: Option<String>,
}

/// The targets probed without TARGET: the project file's `url`s, each served from its
/// entry's `DIR/STEM.crt` (SPEC §8); without a project file that declares any, the two
/// services' default URLs, both served from `DIR/server.crt`.
fn default_targets(globals: &Globals) -> Vec<Planned> {
    if let Some(project) = &globals.project {
        let declared: Vec<Planned> = project
            .certs
            .iter()
            .filter_map(|entry| {
                Some(Planned {
                    url: entry.url.clone()?,
                    stem: entry.stem.clone(),
                    on_change: entry.on_change.clone(),
                })
            })
            .collect();
        if !declared.is_empty() {
            return declared;
        }
    }
    [DEFAULT_YOLO26_URL, DEFAULT_NEMOTRON_URL]
        .into_iter()
        .map(|url| Planned {
            url: url.to_owned(),
            stem: DEFAULT_STEM.to_owned(),
            on_change: None,
        })
        .collect()
}

/// A target given on the command line: served from the project entry whose `url` has the
/// same host and port (`aitls probe --http "$YOLO26_URL/health"` checks `yolo26.crt`), else
/// from `DIR/server.crt`.
fn declared_for(globals: &Globals, url: &str) -> Planned {
    let endpoint = |u: &str| probe::parse_target(u).ok().map(|t| (t.host, t.port));
    let entry = endpoint(url).and_then(|wanted| {
        globals.project.as_ref()?.certs.iter().find(|entry| {
            entry
                .url
                .as_deref()
                .is_some_and(|u| endpoint(u).as_ref() == Some(&wanted))
        })
    });
    Planned {
        url: url.to_owned(),
        stem: entry.map_or_else(|| DEFAULT_STEM.to_owned(), |e| e.stem.clone()),
        on_change: entry.and_then(|e| e.on_change.clone()),
    }
}

/// Runs `aitls probe`.
pub fn run(args: &ProbeArgs, globals: &Globals, out: &Output) -> anyhow::Result<ExitCode> {
    let planned = if args.targets.is_empty() {
        default_targets(globals)
    } else {
        args.targets
            .iter()
            .map(|url| declared_for(globals, url))
            .collect()
    };
    let targets: Vec<Target> = planned
        .iter()
        .map(|p| probe::parse_target(&p.url))
        .collect::<Result<_, _>>()?;

    let (anchors, anchors_label) = if args.system {
        system_roots()?
    } else {
        let path = args
            .ca
            .clone()
            .unwrap_or_else(|| Store::new(&globals.dir).path(CA_CERT));
        let fixes = match args.ca {
            None => vec![
                Store::new(&globals.dir).setup_fix(Fix::CreateCa),
                Fix::GiveCa,
            ],
            Some(_) => Vec::new(),
        };
        let bytes = read_file(&path, fixes)?;
        let certs = aitls::verify::parse_certs(&bytes).map_err(|r| malformed(&path, r))?;
        (
            certs.into_iter().map(|c| c.der).collect(),
            path.display().to_string(),
        )
    };

    let client = match (&args.client, &args.cert, &args.key) {
        (Some(stem), _, _) => {
            store::check_stem(stem).map_err(|e| match e {
                aitls::Error::InvalidValue { value, reason, .. } => aitls::Error::InvalidValue {
                    what: "--client",
                    value,
                    reason,
                },
                other => other,
            })?;
            let dir = Store::new(&globals.dir);
            let cert = dir.path(&store::cert_file(stem));
            let key = dir.path(&store::key_file(stem));
            Some(client_identity(&cert, &key)?)
        }
        (None, Some(cert), Some(key)) => Some(client_identity(cert, key)?),
        _ => None,
    };

    let mut jobs = Vec::with_capacity(targets.len());
    for (target, plan) in targets.into_iter().zip(&planned) {
        jobs.push((target, expected(&globals.dir, plan)?));
    }
    let settings = Settings {
        anchors,
        anchors_label,
        client,
        http: args.http,
        timeout: Duration::from_secs(args.timeout),
    };
    let reports = probe::probe_all(&jobs, &settings);
    let all_ok = reports.iter().all(|r| r.ok);
    if out.json() {
        out.json_doc(&super::render::probe::json(&reports, &globals.words))?;
    } else if out.quiet() {
        // Errors only: the failing checks, as errors, on stderr.
        for (message, hint) in super::render::probe::failures(&reports, &globals.words) {
            super::output::error(&message, hint.as_deref());
        }
    } else {
        out.text(&super::render::probe::text(
            &reports,
            out.style(),
            &globals.words,
        ))?;
    }
    Ok(if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The operating system's CA certificates, through rustls-native-certs (the files and
/// directories OpenSSL would read, `SSL_CERT_FILE`/`SSL_CERT_DIR` included).
fn system_roots() -> anyhow::Result<(Vec<Vec<u8>>, String)> {
    let found = rustls_native_certs::load_native_certs();
    if found.certs.is_empty() {
        let why = found
            .errors
            .first()
            .map_or_else(|| "none found".to_owned(), ToString::to_string);
        anyhow::bail!("cannot load the system's CA certificates: {why}");
    }
    Ok((
        found
            .certs
            .into_iter()
            .map(|c| c.as_ref().to_vec())
            .collect(),
        "the system's trust store".to_owned(),
    ))
}

/// Reads a client certificate (with its intermediates) and its unencrypted key.
fn client_identity(cert: &Path, key: &Path) -> anyhow::Result<ClientIdentity> {
    let bytes = read_file(cert, Vec::new())?;
    let chain = aitls::verify::parse_certs(&bytes).map_err(|r| malformed(cert, r))?;
    let key_bytes = read_file(key, Vec::new())?;
    let blocks = aitls::inspect::decode(&key_bytes).map_err(|r| malformed(key, r))?;
    let (key_der, key_format) = blocks
        .into_iter()
        .find_map(|b| match b {
            Block::PrivateKey(raw) => raw.plain_format().map(|format| (raw.der, format)),
            _ => None,
        })
        .ok_or_else(|| malformed(key, "holds no unencrypted private key".into()))?;
    Ok(ClientIdentity {
        chain: chain.into_iter().map(|c| c.der).collect(),
        key_der,
        key_format,
        label: cert.display().to_string(),
    })
}

/// `DIR/STEM.crt`, which the target should serve; absent when the file does not exist.
fn expected(dir: &Path, plan: &Planned) -> anyhow::Result<Expected> {
    let path = Store::new(dir).path(&store::cert_file(&plan.stem));
    let der = match store::read_limited(&path)? {
        None => None,
        Some(bytes) => aitls::verify::parse_certs(&bytes)
            .map_err(|r| malformed(&path, r))?
            .into_iter()
            .next()
            .map(|c| c.der),
    };
    let modified = store::modified_of(&path)?.map(OffsetDateTime::from);
    // DIR's CA, to tell a certificate it issued from another; unreadable is as absent.
    let ca_path = Store::new(dir).path(store::CA_CERT);
    let ca = store::read_limited(&ca_path)
        .ok()
        .flatten()
        .and_then(|bytes| aitls::verify::parse_certs(&bytes).ok())
        .and_then(|certs| certs.into_iter().next())
        .map(|cert| (ca_path, cert));
    Ok(Expected {
        stem: plan.stem.clone(),
        path,
        der,
        modified,
        on_change: plan.on_change.clone(),
        ca,
    })
}

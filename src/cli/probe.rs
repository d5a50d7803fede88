//! `aitls probe`: targets and files → [`aitls::probe::probe_all`] → one block per target;
//! exit 0 when every target passes, 1 when one fails, 2 for a malformed target or an
//! unreadable file. Also words the library's [`Fix`]es with the directory in force.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use aitls::inspect::Block;
use aitls::probe::{self, ClientIdentity, Expected, Fix, ProbeReport, Settings, Target};
use aitls::provision::{CA_CERT, DEFAULT_STEM};
use aitls::services::{DEFAULT_NEMOTRON_URL, DEFAULT_YOLO26_URL};
use aitls::store;
use clap::Args;
use serde::Serialize;
use time::OffsetDateTime;

use super::inspect::{malformed, read_file};
use super::output::shell_quote;
use super::{Globals, Output};

/// Check that the running services serve the right certificate, correctly
///
/// Connects to each target (every address its name resolves to, in turn, as curl does),
/// makes a TLS handshake and reports the address, TLS version, cipher suite, ALPN and the
/// chain served, with the checks: trusted (the chain leads to --ca), host (the name is in
/// the certificate), current (the service serves DIR/server.crt, not a certificate replaced
/// since), tls13 (a warning when only TLS 1.2 is offered) and, with --http, http (a GET for
/// the URL's path answers below 400). Targets are https://HOST[:PORT][/PATH] or HOST:PORT;
/// without any, the two services' defaults (https://localhost:8095, https://localhost:8091).
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
    /// https://HOST[:PORT][/PATH] or HOST:PORT [default: https://localhost:8095
    /// https://localhost:8091]
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
struct Planned {
    url: String,
    stem: String,
    on_change: Option<String>,
}

/// The targets probed without TARGET: the project file's URLs once it exists (issue 11),
/// else the two services' default URLs, both served from `DIR/server.crt`.
fn default_targets() -> Vec<Planned> {
    [DEFAULT_YOLO26_URL, DEFAULT_NEMOTRON_URL]
        .into_iter()
        .map(|url| Planned {
            url: url.to_owned(),
            stem: DEFAULT_STEM.to_owned(),
            on_change: None,
        })
        .collect()
}

/// Runs `aitls probe`.
pub fn run(args: &ProbeArgs, globals: &Globals, out: &Output) -> anyhow::Result<ExitCode> {
    let planned = if args.targets.is_empty() {
        default_targets()
    } else {
        args.targets
            .iter()
            .map(|url| Planned {
                url: url.clone(),
                stem: DEFAULT_STEM.to_owned(),
                on_change: None,
            })
            .collect()
    };
    let targets: Vec<Target> = planned
        .iter()
        .map(|p| probe::parse_target(&p.url))
        .collect::<Result<_, _>>()?;

    let (anchors, anchors_label) = if args.system {
        system_roots()?
    } else {
        let path = args.ca.clone().unwrap_or_else(|| globals.dir.join(CA_CERT));
        let hint = args
            .ca
            .is_none()
            .then_some("run `aitls ca` to create it, or give --ca FILE or --system");
        let bytes = read_file(&path, hint)?;
        let certs = aitls::verify::parse_certs(&bytes).map_err(|r| malformed(&path, r))?;
        (
            certs.into_iter().map(|c| c.der).collect(),
            path.display().to_string(),
        )
    };

    let client = match (&args.client, &args.cert, &args.key) {
        (Some(stem), _, _) => {
            store::check_stem(stem)?;
            let cert = globals.dir.join(format!("{stem}.crt"));
            let key = globals.dir.join(format!("{stem}.key"));
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
        let doc: Vec<ReportJson<'_>> = reports
            .iter()
            .map(|r| report_json(r, globals, &planned))
            .collect();
        out.json_doc(&doc)?;
    } else {
        out.text(&render(&reports, globals, &planned))?;
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
    let bytes = read_file(cert, None)?;
    let chain = aitls::verify::parse_certs(&bytes).map_err(|r| malformed(cert, r))?;
    let key_bytes = read_file(key, None)?;
    let blocks = aitls::inspect::decode(&key_bytes).map_err(|r| malformed(key, r))?;
    let (key_der, key_format) = blocks
        .into_iter()
        .find_map(|b| match b {
            Block::PrivateKey { der, format } => Some((der, format)),
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
    let path = dir.join(format!("{}.crt", plan.stem));
    let der = match store::read_limited(&path)? {
        None => None,
        Some(bytes) => aitls::verify::parse_certs(&bytes)
            .map_err(|r| malformed(&path, r))?
            .into_iter()
            .next()
            .map(|c| c.der),
    };
    let modified = store::modified_of(&path)?.map(OffsetDateTime::from);
    Ok(Expected {
        path: path.display().to_string(),
        der,
        modified,
        on_change: plan.on_change.clone(),
    })
}

/// `aitls` with the `--dir` in force, for fixes that name a command.
fn aitls_cmd(globals: &Globals) -> String {
    if globals.dir == Path::new("ai/certs") {
        "aitls".to_owned()
    } else {
        format!(
            "aitls --dir {}",
            shell_quote(&globals.dir.to_string_lossy())
        )
    }
}

/// A fix in words, with runnable commands where there is one.
fn fix_text(fix: &Fix, globals: &Globals, plan: &Planned) -> String {
    let aitls = aitls_cmd(globals);
    let cert = globals.dir.join(format!("{}.crt", plan.stem));
    match fix {
        Fix::StartService => "start the service, or probe the port it listens on".to_owned(),
        Fix::EnableTls => format!(
            "start it with the certificate and key: `eval \"$({aitls} env --format shell)\"` \
             sets YOLO26_SSL_CERTFILE/YOLO26_SSL_KEYFILE (uvicorn ssl_certfile/ssl_keyfile) and \
             LLAMA_ARG_SSL_CERT_FILE/LLAMA_ARG_SSL_KEY_FILE (llama-server)"
        ),
        Fix::Reload {
            on_change: Some(cmd),
        } => cmd.clone(),
        Fix::Reload { on_change: None } => {
            format!("restart the service so it reads {} again", cert.display())
        }
        Fix::AddName { names, host } => {
            let mut cmd = format!("{aitls} server");
            if plan.stem != DEFAULT_STEM {
                cmd.push_str(&format!(" --out {}", shell_quote(&plan.stem)));
            }
            for name in names.iter().chain(std::iter::once(host)) {
                cmd.push(' ');
                cmd.push_str(&shell_quote(name));
            }
            format!("{cmd}, then restart the service")
        }
        Fix::ServeCurrent => format!(
            "point the service at {} and its key (`{aitls} env` prints the settings), or give \
             --ca the CA that issued what it serves",
            cert.display()
        ),
        Fix::ClientCert => format!(
            "give a client certificate the service trusts: --client STEM for DIR/STEM.crt \
             (`{aitls} server --out backend --client backend` makes one), or --cert FILE --key FILE"
        ),
        Fix::EnableTls13 => "allow TLS 1.3 in the service's TLS settings (OpenSSL 1.1.1 and \
                             later offer it unless a maximum protocol version forbids it)"
            .to_owned(),
        _ => String::new(),
    }
}

/// One report as JSON: the library's report, with each fix in words.
#[derive(Serialize)]
struct ReportJson<'a> {
    target: &'a str,
    ok: bool,
    address: Option<&'a str>,
    tls_version: Option<&'a str>,
    cipher: Option<&'a str>,
    alpn: Option<&'a str>,
    chain: &'a [aitls::probe::ServedCert],
    checks: Vec<CheckJson<'a>>,
}

#[derive(Serialize)]
struct CheckJson<'a> {
    name: &'a str,
    ok: bool,
    warning: bool,
    detail: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<String>,
}

fn report_json<'a>(
    report: &'a ProbeReport,
    globals: &Globals,
    planned: &[Planned],
) -> ReportJson<'a> {
    let plan = plan_for(report, planned);
    ReportJson {
        target: &report.target,
        ok: report.ok,
        address: report.address.as_deref(),
        tls_version: report.tls_version.as_deref(),
        cipher: report.cipher.as_deref(),
        alpn: report.alpn.as_deref(),
        chain: &report.chain,
        checks: report
            .checks
            .iter()
            .map(|c| CheckJson {
                name: c.name,
                ok: c.ok,
                warning: c.warning,
                detail: &c.detail,
                fix: c
                    .fix
                    .as_ref()
                    .filter(|_| !c.ok || c.warning)
                    .map(|f| fix_text(f, globals, plan)),
            })
            .collect(),
    }
}

fn plan_for<'a>(report: &ProbeReport, planned: &'a [Planned]) -> &'a Planned {
    planned
        .iter()
        .find(|p| p.url == report.target)
        .unwrap_or(&planned[0])
}

fn mark(ok: bool, warning: bool) -> &'static str {
    match (ok, warning) {
        (true, false) => "ok  ",
        (true, true) => "warn",
        (false, _) => "FAIL",
    }
}

/// The human report: one block per target, one line per check, then the verdict.
fn render(reports: &[ProbeReport], globals: &Globals, planned: &[Planned]) -> String {
    let mut text = String::new();
    for report in reports {
        let plan = plan_for(report, planned);
        text.push_str(&format!("{}\n", report.target));
        if let Some(addr) = &report.address {
            let mut facts = vec![format!("connected to {addr}")];
            facts.extend(report.tls_version.clone());
            facts.extend(report.cipher.clone());
            if report.tls_version.is_some() {
                facts.push(format!("ALPN {}", report.alpn.as_deref().unwrap_or("none")));
            }
            text.push_str(&format!("  {}\n", facts.join(", ")));
        }
        for (i, cert) in report.chain.iter().enumerate() {
            text.push_str(&format!(
                "  {} {}, issued by {}, valid until {}, SHA-256 {}\n",
                if i == 0 { "serves " } else { "   then" },
                cert.subject,
                cert.issuer,
                cert.not_after.date(),
                cert.fingerprint_sha256
            ));
        }
        let width = report
            .checks
            .iter()
            .map(|c| c.name.len())
            .max()
            .unwrap_or(0);
        for check in &report.checks {
            text.push_str(&format!(
                "  {} {:width$}  {}\n",
                mark(check.ok, check.warning),
                check.name,
                check.detail
            ));
            if let Some(fix) = check.fix.as_ref().filter(|_| !check.ok || check.warning) {
                text.push_str(&format!(
                    "  {:4} {:width$}  fix: {}\n",
                    "",
                    "",
                    fix_text(fix, globals, plan)
                ));
            }
        }
    }
    let failed = reports.iter().filter(|r| !r.ok).count();
    let warned = reports
        .iter()
        .filter(|r| r.ok && r.checks.iter().any(|c| c.warning))
        .count();
    let n = reports.len();
    let noun = if n == 1 { "target" } else { "targets" };
    if failed > 0 {
        text.push_str(&format!("not ok: {failed} of {n} {noun} failed\n"));
    } else if warned > 0 {
        text.push_str(&format!(
            "ok, with warnings: {n} {noun} pass, {warned} with something to act on\n"
        ));
    } else {
        text.push_str(&format!("ok: {n} {noun} pass\n"));
    }
    text
}

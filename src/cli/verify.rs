//! `aitls verify`: files → [`aitls::verify::verify`] → one line per check; exit 0 when
//! valid, 1 when not, 2 when an input cannot be read.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use aitls::clients::Client;
use aitls::fix::Fix;
use aitls::store::{self, CA_CERT, CA_KEY, DEFAULT_STEM, Store};
use aitls::verify::{self, DirFacts, KeyInput, Nearby, Request};
use clap::Args;
use time::OffsetDateTime;

use super::inspect::{malformed, read_in};
use super::{Globals, Output};

/// Check a certificate as a TLS client would
///
/// Builds the path to the CA with rustls-webpki (what every rustls client runs) and adds
/// the checks a client or a careful operator makes besides: the CA's own constraints, a
/// subjectAltName, each --host matching as a browser matches it, the private key matching
/// the certificate, loadable by the servers (not encrypted) and readable by its owner only,
/// and, against DIR/ca.crt, the CA pair itself. Prints one line per check, with the fix
/// for each failure. Then the clients line: what each client family (OpenSSL, Python 3.13,
/// rustls, Go, Java, Chromium, Firefox, Apple, GnuTLS) will do, with the reason of each that
/// refuses; the verdict is theirs together (--client narrows the set). Exit 0 valid, 1 not
/// valid, 2 unreadable input. A certificate that expires within 30 days passes with a
/// warning.
///
/// Examples:
///   aitls verify                                   # ai/certs/server.crt against ai/certs/ca.crt
///   aitls verify --host localhost --host ::1 --json
///   aitls verify --client openssl --client python3.13  # only what the Python stack runs
///   aitls verify chain.pem --ca root.crt --key api.key --at 2027-01-01T00:00:00Z
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct VerifyArgs {
    /// Certificate, or a bundle with the leaf first then intermediates (PEM or DER)
    /// [default: DIR/server.crt]
    #[arg(value_name = "CERT")]
    pub cert: Option<PathBuf>,

    /// The CA certificate(s) to trust [default: DIR/ca.crt]
    #[arg(long, value_name = "FILE")]
    pub ca: Option<PathBuf>,

    /// Private key to check [default: CERT with .key instead of .crt, when it exists]
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,

    /// A name clients connect to (DNS name or IP address); repeatable
    #[arg(long, value_name = "NAME")]
    pub host: Vec<String>,

    /// Only these client families decide the verdict (repeatable; default: all)
    #[arg(long = "client", value_name = "NAME", value_parser = client_parser())]
    pub clients: Vec<Client>,

    /// Check validity at this time instead of now (RFC 3339, e.g. 2027-01-01T00:00:00Z)
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub at: Option<OffsetDateTime>,
}

/// Parses `--client`: a family of SPEC §6, listed for help and completions.
fn client_parser() -> impl clap::builder::TypedValueParser<Value = Client> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Client::ALL.map(Client::name))
        .map(|name| name.parse::<Client>().unwrap_or(Client::Rustls))
}

/// A certificate file aitls cannot read; a UTF-16 one (what some Windows editors save) is
/// named as such, since no TLS client reads it either.
fn unreadable(path: &Path, bytes: &[u8], reason: String) -> aitls::Error {
    if aitls::clients::facts::pem_quirks(bytes).utf16 {
        return malformed(
            path,
            "is UTF-16 text, which no TLS client reads; convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)".into(),
        );
    }
    malformed(path, reason)
}

/// Parses `--at`: RFC 3339, not before 1970 (certificates cannot be checked earlier).
pub(super) fn parse_time(s: &str) -> Result<OffsetDateTime, String> {
    let t = OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .map_err(|_| {
            // A date alone is the common slip: show it completed.
            let example = match time::Date::parse(
                s,
                &time::format_description::well_known::Iso8601::DATE,
            ) {
                Ok(_) => format!("{s}T00:00:00Z"),
                Err(_) => "2027-06-01T00:00:00Z".to_owned(),
            };
            format!(
                "expected an RFC 3339 date and time with its time zone (YYYY-MM-DDTHH:MM:SSZ), e.g. {example}"
            )
        })?;
    if t.unix_timestamp() < 0 {
        return Err("times before 1970 are not supported".into());
    }
    Ok(t)
}

/// Reads a key file for what it is; a file that is not a key at all is malformed input.
fn key_input(path: &Path, bytes: &[u8], mode: u32) -> anyhow::Result<KeyInput> {
    Ok(KeyInput {
        path: path.display().to_string(),
        facts: aitls::keyfile::read_file_bytes(bytes).map_err(|r| malformed(path, r))?,
        mode,
    })
}

/// The certificates in `dirs` (the checked certificate's directory and DIR), which a fix
/// may name: the issuer of a `--ca` that is not a CA, the server certificate of a CA.
/// Files that cannot be read are left out: they are not what was asked about.
fn nearby(dirs: &[Option<&Path>]) -> Vec<Nearby> {
    let mut found: Vec<Nearby> = Vec::new();
    for dir in dirs.iter().flatten() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let store = Store::new(dir);
        let Ok(Some(names)) = store.list_pki_files() else {
            continue;
        };
        for name in names
            .iter()
            .filter(|n| !n.ends_with(".key") && !n.ends_with(".csr"))
        {
            let path = store.path(name);
            if found.iter().any(|n| n.path == path) {
                continue;
            }
            let Ok(Some(bytes)) = store.read(name) else {
                continue;
            };
            if let Some(cert) = verify::parse_certs(&bytes)
                .ok()
                .and_then(|c| c.into_iter().next())
            {
                found.push(Nearby { path, cert });
            }
        }
    }
    found
}

/// Runs `aitls verify`.
pub fn run(args: &VerifyArgs, globals: &Globals, out: &Output) -> anyhow::Result<ExitCode> {
    let hosts = args
        .host
        .iter()
        .map(|h| verify::parse_host(h))
        .collect::<Result<Vec<_>, _>>()?;
    let dir = Store::new(&globals.dir);
    let cert_path = args
        .cert
        .clone()
        .unwrap_or_else(|| dir.path(&store::cert_file(DEFAULT_STEM)));
    let ca_path = args.ca.clone().unwrap_or_else(|| dir.path(CA_CERT));
    let setup = match args.cert {
        // A key without its certificate: `aitls server` refuses to overwrite it.
        None if dir.path(&store::key_file(DEFAULT_STEM)).exists() => vec![
            Fix::Restore {
                file: Some(store::cert_file(DEFAULT_STEM)),
            },
            Fix::ReplaceLoneKey {
                stem: DEFAULT_STEM.into(),
                key_type: None,
            },
        ],
        // The CA is there: only the server certificate is missing.
        None if dir.path(CA_CERT).exists() => vec![Fix::IssueServer {
            stem: DEFAULT_STEM.into(),
        }],
        None => vec![dir.setup_fix(Fix::CreateCaAndServer {
            stem: DEFAULT_STEM.into(),
        })],
        Some(_) => Vec::new(),
    };

    // A shared lock on DIR for every read: a concurrent `aitls server` is never seen
    // between its two renames (SPEC §2 verify). Files in DIR are read through it.
    let lock = dir.lock_shared()?;
    let lock = lock.as_ref();
    let cert_bytes = read_in(lock, &cert_path, setup)?.bytes;
    let chain =
        verify::parse_certs(&cert_bytes).map_err(|r| unreadable(&cert_path, &cert_bytes, r))?;
    let ca_bytes = read_in(
        lock,
        &ca_path,
        match args.ca {
            None => vec![dir.setup_fix(Fix::CreateCa), Fix::GiveCa],
            Some(_) => Vec::new(),
        },
    )?
    .bytes;
    let anchors = verify::parse_certs(&ca_bytes).map_err(|r| unreadable(&ca_path, &ca_bytes, r))?;

    let key_file = match &args.key {
        Some(k) => Some((k.clone(), read_in(lock, k, Vec::new())?)),
        None => {
            let sibling = store::key_beside(&cert_path);
            if sibling == cert_path {
                None
            } else {
                let read = match lock {
                    Some(dir) => dir.read_path(&sibling)?,
                    None => store::read_file(&sibling)?,
                };
                read.map(|file| (sibling, file))
            }
        }
    };
    let key_facts = key_file
        .as_ref()
        .map(|(_, file)| aitls::clients::facts::key_file(&file.bytes));
    let key = match key_file {
        Some((path, file)) => Some(key_input(&path, &file.bytes, file.mode)?),
        None => None,
    };
    // In DIR, the CA pair itself is checked too (SPEC §2 verify), read through the lock.
    let ca_key = if args.ca.is_none() {
        let ca_key_path = dir.path(CA_KEY);
        let read = match lock {
            Some(handle) => handle.read_path(&ca_key_path)?,
            None => store::read_file(&ca_key_path)?,
        };
        read.map(|file| key_input(&ca_key_path, &file.bytes, file.mode))
            .transpose()?
    } else {
        None
    };
    // Warnings about DIR itself when its CA is the one trusted (SPEC §4).
    let dir_facts = match lock {
        Some(handle) if ca_path == dir.path(CA_CERT) => Some(DirFacts {
            path: globals.dir.clone(),
            mode: handle.dir_mode(),
            ca_key: handle
                .stat(CA_KEY)?
                .map(|(mode, _)| (dir.path(CA_KEY), mode)),
        }),
        _ => None,
    };

    let at = match args.at {
        Some(at) => at,
        None => {
            let now = aitls::clock::now()?;
            if now.unix_timestamp() < 0 {
                // rustls-webpki counts time from 1970 and cannot check validity before.
                return Err(aitls::Error::Clock(format!(
                    "the system clock reads {}, before 1970, when validity cannot be checked; set the clock right, or give --at TIME",
                    now.date()
                ))
                .into());
            }
            now
        }
    };
    let request = Request {
        chain,
        anchors,
        ca_path: ca_path.display().to_string(),
        key,
        ca_key,
        hosts,
        at,
        stem: dir.stem_of(&cert_path).map(str::to_owned),
        own_ca: ca_path == dir.path(CA_CERT),
        nearby: nearby(&[cert_path.parent(), Some(globals.dir.as_path())]),
        dir: dir_facts,
        clients: if args.clients.is_empty() {
            Client::ALL.to_vec()
        } else {
            args.clients.clone()
        },
        ca_pem: aitls::clients::facts::pem_quirks(&ca_bytes),
        cert_pem: aitls::clients::facts::pem_quirks(&cert_bytes),
        key_file: key_facts,
    };
    let report = verify::verify(&request);
    if out.json() {
        out.json_doc(&super::render::verify::json(&report, &globals.words))?;
    } else if out.quiet() {
        // Errors only: the failing checks, as errors, on stderr.
        for (message, hint) in super::render::verify::failures(&cert_path, &report, &globals.words)
        {
            super::output::error(&message, hint.as_deref());
        }
    } else {
        out.text(&super::render::verify::text(
            &cert_path,
            &report,
            out.style(),
            &globals.words,
        ))?;
    }
    Ok(if report.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

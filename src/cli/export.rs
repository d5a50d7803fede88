//! `aitls export`: arguments → [`aitls::export`] → a file or stdout.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use aitls::export::{self, ExportRequest, Format, Password};
use aitls::store::DEFAULT_STEM;
use aitls::store::{self, Store};
use clap::{Args, ValueEnum};

use super::{Globals, Output};

/// Environment variable holding the PKCS#12 password (when --password-file is not given).
const PASSWORD_ENV: &str = "AITLS_P12_PASSWORD";

/// Export a certificate with its key and CA for other platforms (PKCS#12, Kubernetes ...)
///
/// STEM is a certificate of DIR (default server), or `ca` for the CA itself. Formats that
/// hold a private key are written like keys (mode 0600, atomically) and are never printed
/// to a terminal: use -o FILE or a redirect. PKCS#12 files are encrypted with AES-256-CBC
/// (PBKDF2-HMAC-SHA256) and MAC'd with HMAC-SHA256; the password comes from
/// --password-file, else AITLS_P12_PASSWORD, and an empty one is refused unless
/// --no-password.
///
/// Examples:
///   aitls export --format p12 --password-file pw.txt -o server.p12
///   aitls export api --format k8s-secret --namespace ai -o api-tls.yaml
///   aitls export ca --format pem-bundle -o bundle.pem   # for `bao write pki/config/ca`
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ExportArgs {
    /// The certificate's stem in DIR, or `ca` for the CA
    #[arg(value_name = "STEM", default_value = DEFAULT_STEM)]
    pub stem: String,

    /// What to write
    #[arg(long, value_name = "FORMAT", value_enum)]
    pub format: ExportFormat,

    /// Write to FILE (default: stdout, never a terminal for a key)
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Read the PKCS#12 password from the first line of FILE
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,

    /// Write the PKCS#12 file with an empty password
    #[arg(long, conflicts_with = "password_file")]
    pub no_password: bool,

    /// Kubernetes Secret (and Issuer) name [default: STEM-tls, or aitls-ca for the CA]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Kubernetes namespace of the Secret (and Issuer)
    #[arg(long, value_name = "NS")]
    pub namespace: Option<String>,
}

/// The formats of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// PKCS#12: key, certificate and CA, password-protected (Java, Windows, browsers)
    P12,
    /// The certificate followed by the CA certificate, PEM (nginx ssl_certificate)
    Fullchain,
    /// A Kubernetes kubernetes.io/tls Secret (tls.crt, tls.key, ca.crt), YAML
    K8sSecret,
    /// The CA as a Secret plus a cert-manager Issuer of kind CA, YAML (`ca` only)
    CertManager,
    /// Key and certificate in one PEM file (OpenBao/Vault pki/config/ca pem_bundle)
    PemBundle,
}

impl From<ExportFormat> for Format {
    fn from(f: ExportFormat) -> Self {
        match f {
            ExportFormat::P12 => Format::P12,
            ExportFormat::Fullchain => Format::Fullchain,
            ExportFormat::K8sSecret => Format::K8sSecret,
            ExportFormat::CertManager => Format::CertManager,
            ExportFormat::PemBundle => Format::PemBundle,
        }
    }
}

/// The password: --password-file's first line, else AITLS_P12_PASSWORD, else none.
fn password(args: &ExportArgs) -> anyhow::Result<Option<Password>> {
    if args.no_password {
        return Ok(Some(Password::Empty));
    }
    if let Some(path) = &args.password_file {
        let bytes = store::read_limited(path)?.ok_or_else(|| aitls::Error::Malformed {
            path: path.clone(),
            reason: "does not exist".into(),
            fixes: Vec::new(),
        })?;
        let text = String::from_utf8(bytes).map_err(|_| aitls::Error::Malformed {
            path: path.clone(),
            reason: "is not UTF-8 text".into(),
            fixes: Vec::new(),
        })?;
        let line = text.lines().next().unwrap_or("").to_owned();
        return Ok(Some(Password::Given(line)));
    }
    Ok(std::env::var(PASSWORD_ENV).ok().map(Password::Given))
}

/// Runs `aitls export`.
pub fn run(args: &ExportArgs, globals: &Globals, out: &Output) -> anyhow::Result<ExitCode> {
    let format = Format::from(args.format);
    if args.output.is_none() && out.json() {
        return Err(aitls::Error::InvalidValue {
            what: "--json",
            value: String::new(),
            reason: "the export itself goes to stdout; use -o FILE with --json".into(),
        }
        .into());
    }
    if args.output.is_none() && format.holds_key() && std::io::stdout().is_terminal() {
        return Err(aitls::Error::InvalidValue {
            what: "-o",
            value: String::new(),
            reason:
                "refusing to print a private key to the terminal; use -o FILE or redirect stdout"
                    .into(),
        }
        .into());
    }
    let request = ExportRequest {
        stem: args.stem.clone(),
        format,
        password: if format == Format::P12 {
            password(args)?
        } else {
            None
        },
        name: args.name.clone(),
        namespace: args.namespace.clone(),
    };
    let store = Store::new(&globals.dir);
    let rendered = export::export(&store, &request)?;
    match &args.output {
        None => out.data(&rendered.bytes)?,
        Some(path) => {
            let outcome = export::write_file(path, &rendered)?;
            if out.json() {
                out.json_doc(&outcome)?;
            } else {
                out.text(&format!(
                    "{} {} ({}, mode {})\n",
                    outcome.action,
                    outcome.file.display(),
                    what(format),
                    outcome.mode
                ))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn what(format: Format) -> &'static str {
    match format {
        Format::P12 => "PKCS#12 with key, certificate and CA",
        Format::Fullchain => "certificate and CA",
        Format::K8sSecret => "Kubernetes TLS Secret",
        Format::CertManager => "cert-manager CA Issuer and its Secret",
        Format::PemBundle => "PEM bundle with the key",
    }
}

//! `aitls export`: a certificate of DIR, with its key and the CA, in the forms other
//! issuers and platforms take (SPEC §10): PKCS#12, a full-chain PEM, a Kubernetes
//! `kubernetes.io/tls` Secret, a cert-manager CA `Issuer` with its Secret, and the PEM
//! bundle that OpenBao/Vault's `pki/config/ca` imports.
//!
//! The renderers are pure (bytes in, bytes out); [`export`] reads DIR under its lock and
//! [`write_file`] writes the result through [`crate::store`], as a key when it holds one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine;
use serde::Serialize;

use crate::cert::{self, CertInfo};
use crate::error::{Error, Result};
use crate::fix::{Fix, Need, Reissue};
use crate::issue;
use crate::plan::Action;
use crate::store::{CA_CERT, CA_KEY, CERT_MODE, KEY_MODE, NewFile, Store};

/// The stem that names the CA itself (`aitls export ca ...`).
pub const CA_STEM: &str = "ca";

/// PBKDF2 iterations for the PKCS#12 key derivation and MAC: 10,000 as Java's
/// `keystore.pkcs12.*IterationCount` defaults, above OpenSSL 3's 2,048.
const P12_ITERATIONS: u32 = 10_000;

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// PKCS#12 (`.p12`/`.pfx`): key, certificate and CA, AES-256-CBC with PBKDF2-HMAC-SHA256,
    /// HMAC-SHA256 MAC.
    P12,
    /// The certificate followed by the CA certificate, PEM.
    Fullchain,
    /// A Kubernetes `kubernetes.io/tls` Secret (tls.crt, tls.key, ca.crt), YAML.
    K8sSecret,
    /// The CA as a Secret plus a cert-manager `Issuer` of kind CA, YAML.
    CertManager,
    /// The key and certificate (then the CA, for a leaf) in one PEM file.
    PemBundle,
}

impl Format {
    /// Whether the output holds a private key (and is written as one: 0600).
    pub fn holds_key(self) -> bool {
        self != Format::Fullchain
    }
}

/// How the PKCS#12 file is protected.
#[derive(Debug, Clone)]
pub enum Password {
    /// Encrypt with this password; it must not be empty.
    Given(String),
    /// No password, asked for explicitly (`--no-password`): the file is still encrypted and
    /// MAC'd, with the empty password, which is how OpenSSL and Java read password-less
    /// PKCS#12.
    Empty,
}

/// What `aitls export` is asked for.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    /// The stem to export (`server`, or `ca` for the CA).
    pub stem: String,
    /// The output format.
    pub format: Format,
    /// The PKCS#12 password (`p12` only).
    pub password: Option<Password>,
    /// The Kubernetes object name (Secret, and Issuer for cert-manager).
    pub name: Option<String>,
    /// The Kubernetes namespace, when one is given.
    pub namespace: Option<String>,
}

/// An export, rendered in memory.
#[derive(Debug)]
pub struct Export {
    /// The bytes to write.
    pub bytes: Vec<u8>,
    /// Whether they hold a private key.
    pub holds_key: bool,
    /// The format.
    pub format: Format,
    /// The files of DIR it was made from.
    inputs: Vec<PathBuf>,
}

/// What `aitls export -o FILE` did: the wire format of its `--json` output.
#[derive(Debug, Clone, Serialize)]
pub struct ExportOutcome {
    /// `created`, or `replaced` when FILE existed.
    pub action: Action,
    /// The file written.
    pub file: PathBuf,
    /// The format (`p12`, `fullchain`, `k8s-secret`, `cert-manager`, `pem-bundle`).
    pub format: Format,
    /// Whether the file holds a private key.
    pub holds_key: bool,
    /// The file's mode, octal (`0600` when it holds a key, else `0644`).
    pub mode: String,
}

fn refused(message: String, fix: Fix) -> Error {
    Error::Refused {
        message,
        fixes: vec![fix],
    }
}

fn reissue(stem: &str, need: Need) -> Fix {
    Fix::Reissue(Reissue {
        stem: Some(stem.to_owned()),
        key_type: None,
        names: Vec::new(),
        need,
    })
}

/// Reads what the export needs from DIR, under the lock, and renders it.
pub fn export(store: &Store, req: &ExportRequest) -> Result<Export> {
    if req.stem != CA_STEM {
        crate::store::check_stem(&req.stem)?;
    }
    if req.format == Format::CertManager && req.stem != CA_STEM {
        return Err(Error::InvalidValue {
            what: "--format",
            value: "cert-manager".into(),
            reason: "cert-manager issues from the CA: export `ca` in this format".into(),
        });
    }
    if let Some(name) = &req.name {
        check_k8s_name(name, "--name", 253)?;
    }
    if let Some(ns) = &req.namespace {
        check_k8s_name(ns, "--namespace", 63)?;
    }
    let password = match (req.format, &req.password) {
        (Format::P12, Some(Password::Given(p))) if p.is_empty() => {
            return Err(Error::InvalidValue {
                what: "password",
                value: String::new(),
                reason: "an empty PKCS#12 password protects nothing; give one, or ask for none with --no-password".into(),
            });
        }
        (Format::P12, Some(Password::Given(p))) => p.as_str(),
        (Format::P12, Some(Password::Empty)) => "",
        (Format::P12, None) => {
            return Err(Error::InvalidValue {
                what: "password",
                value: String::new(),
                reason: "a PKCS#12 file needs a password (--password-file FILE or AITLS_P12_PASSWORD), or --no-password".into(),
            });
        }
        _ => "",
    };
    // A reader: the shared lock, so that no writer is half done while the files are read.
    let Some(lock) = store.lock_shared()? else {
        return Err(refused(
            format!(
                "no CA in {} (the directory does not exist or cannot be opened)",
                store.dir().display()
            ),
            store.setup_fix(Fix::CreateCa),
        ));
    };
    let read = |name: &str| -> Result<Option<Vec<u8>>> { Ok(lock.read(name)?.map(|f| f.bytes)) };
    let (cert_file, key_file) = if req.stem == CA_STEM {
        (CA_CERT.to_owned(), CA_KEY.to_owned())
    } else {
        (
            crate::store::cert_file(&req.stem),
            crate::store::key_file(&req.stem),
        )
    };
    let ca_pem = read(CA_CERT)?.ok_or_else(|| {
        refused(
            format!("no CA in {} ({CA_CERT} is missing)", store.dir().display()),
            store.setup_fix(Fix::CreateCa),
        )
    })?;
    let ca = parse(store, CA_CERT, &ca_pem)?;
    let cert_pem = read(&cert_file)?.ok_or_else(|| {
        refused(
            format!("{} does not exist", store.path(&cert_file).display()),
            Fix::IssueServer {
                stem: req.stem.clone(),
            },
        )
    })?;
    let cert = parse(store, &cert_file, &cert_pem)?;
    if req.stem != CA_STEM
        && !(cert.issuer_raw == ca.subject_raw && cert::is_signed_by(&cert, &ca.spki_der))
    {
        return Err(refused(
            format!(
                "{} was not issued by the CA {}; its chain would be wrong",
                store.path(&cert_file).display(),
                store.path(CA_CERT).display()
            ),
            reissue(&req.stem, Need::SignedByCa),
        ));
    }
    let mut inputs = vec![store.path(&cert_file), store.path(CA_CERT)];
    let key = if req.format.holds_key() {
        let key_bytes = read(&key_file)?.ok_or_else(|| {
            refused(
                format!(
                    "{} does not exist; the {} format holds the private key (a certificate signed from a CSR has its key elsewhere)",
                    store.path(&key_file).display(),
                    format_name(req.format)
                ),
                Fix::ExportWithoutKey,
            )
        })?;
        let key = issue::load_key(&key_bytes).map_err(|reason| Error::Malformed {
            path: store.path(&key_file),
            reason,
            fixes: Vec::new(),
        })?;
        if !cert::key_matches(&key, &cert) {
            return Err(refused(
                format!(
                    "{} does not match {}",
                    store.path(&key_file).display(),
                    store.path(&cert_file).display()
                ),
                reissue(&req.stem, Need::Renewal),
            ));
        }
        inputs.push(store.path(&key_file));
        Some(key)
    } else {
        None
    };
    let is_ca = req.stem == CA_STEM;
    let cert_pem = pem_of(&cert.der);
    let ca_pem = pem_of(&ca.der);
    let key_pem = key.as_ref().map(|k| k.serialize_pem()).unwrap_or_default();
    let default_name = if is_ca {
        "aitls-ca".to_owned()
    } else {
        format!("{}-tls", k8s_name_of(&req.stem))
    };
    let name = req.name.clone().unwrap_or(default_name);
    let namespace = req.namespace.as_deref();
    let bytes = match req.format {
        Format::Fullchain => {
            if is_ca {
                cert_pem.into_bytes()
            } else {
                format!("{cert_pem}{ca_pem}").into_bytes()
            }
        }
        Format::PemBundle => {
            if is_ca {
                format!("{key_pem}{cert_pem}").into_bytes()
            } else {
                format!("{key_pem}{cert_pem}{ca_pem}").into_bytes()
            }
        }
        Format::P12 => {
            let key = key.as_ref().map(|k| k.serialize_der()).unwrap_or_default();
            let mut chain = vec![cert.der.clone()];
            if !is_ca {
                chain.push(ca.der.clone());
            }
            p12(&key, &chain, &req.stem, password)?
        }
        Format::K8sSecret => {
            to_yaml(&[tls_secret(&name, namespace, &cert_pem, &key_pem, &ca_pem)])?.into_bytes()
        }
        Format::CertManager => {
            let secret = tls_secret(&name, namespace, &cert_pem, &key_pem, &ca_pem);
            let issuer = ca_issuer(&name, namespace, &name);
            format!("{}{}", to_yaml(&[secret])?, to_yaml(&[issuer])?).into_bytes()
        }
    };
    Ok(Export {
        bytes,
        holds_key: req.format.holds_key(),
        format: req.format,
        inputs,
    })
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::P12 => "p12",
        Format::Fullchain => "fullchain",
        Format::K8sSecret => "k8s-secret",
        Format::CertManager => "cert-manager",
        Format::PemBundle => "pem-bundle",
    }
}

fn parse(store: &Store, file: &str, bytes: &[u8]) -> Result<CertInfo> {
    cert::parse_pem(bytes).map_err(|reason| Error::Malformed {
        path: store.path(file),
        reason,
        fixes: Vec::new(),
    })
}

fn pem_of(der: &[u8]) -> String {
    pem::encode_config(
        &pem::Pem::new("CERTIFICATE", der.to_vec()),
        pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF),
    )
}

/// A PKCS#12 file holding `key_der` (PKCS#8) with `chain` (leaf first), encrypted with
/// PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) and MAC'd with HMAC-SHA256: what OpenSSL 3
/// reads without `-legacy`, and Java and Python's `cryptography` read as well.
pub fn p12(key_der: &[u8], chain: &[Vec<u8>], alias: &str, password: &str) -> Result<Vec<u8>> {
    use p12_keystore::{
        Certificate, EncryptionAlgorithm, KeyStore, KeyStoreEntry, MacAlgorithm, PrivateKey,
        PrivateKeyChain,
    };
    let err = |e: p12_keystore::error::Error| Error::crypto("writing the PKCS#12 file failed", e);
    let certs = chain
        .iter()
        .map(|der| Certificate::from_der(der))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(err)?;
    let key = PrivateKey::from_der(key_der).map_err(err)?;
    let local_key_id = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &chain[0]);
    let mut store = KeyStore::new();
    store.add_entry(
        alias,
        KeyStoreEntry::PrivateKeyChain(PrivateKeyChain::new(
            local_key_id.as_ref().to_vec(),
            key,
            certs,
        )),
    );
    store
        .writer(password)
        .encryption_algorithm(EncryptionAlgorithm::PbeWithHmacSha256AndAes256)
        .encryption_iterations(P12_ITERATIONS)
        .mac_algorithm(MacAlgorithm::HmacSha256)
        .mac_iterations(P12_ITERATIONS)
        .write()
        .map_err(err)
}

#[derive(Serialize)]
struct Metadata<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Manifest<'a> {
    api_version: &'a str,
    kind: &'a str,
    metadata: Metadata<'a>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    secret_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<BTreeMap<&'a str, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    spec: Option<IssuerSpec<'a>>,
}

#[derive(Serialize)]
struct IssuerSpec<'a> {
    ca: CaIssuer<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CaIssuer<'a> {
    secret_name: &'a str,
}

/// A `kubernetes.io/tls` Secret: the data values are base64 of the PEM files, as
/// `kubectl create secret tls` writes them.
fn tls_secret<'a>(
    name: &'a str,
    namespace: Option<&'a str>,
    cert_pem: &str,
    key_pem: &str,
    ca_pem: &str,
) -> Manifest<'a> {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let data = BTreeMap::from([
        ("tls.crt", b64(cert_pem)),
        ("tls.key", b64(key_pem)),
        ("ca.crt", b64(ca_pem)),
    ]);
    Manifest {
        api_version: "v1",
        kind: "Secret",
        metadata: Metadata { name, namespace },
        secret_type: Some("kubernetes.io/tls"),
        data: Some(data),
        spec: None,
    }
}

/// A cert-manager `Issuer` of kind CA that signs with the Secret `secret_name`
/// (<https://cert-manager.io/docs/configuration/ca/>).
fn ca_issuer<'a>(name: &'a str, namespace: Option<&'a str>, secret_name: &'a str) -> Manifest<'a> {
    Manifest {
        api_version: "cert-manager.io/v1",
        kind: "Issuer",
        metadata: Metadata { name, namespace },
        secret_type: None,
        data: None,
        spec: Some(IssuerSpec {
            ca: CaIssuer { secret_name },
        }),
    }
}

/// YAML documents, each starting with `---`.
fn to_yaml(docs: &[Manifest<'_>]) -> Result<String> {
    let mut options = serde_saphyr::SerializerOptions::default();
    // Base64 values stay plain one-line scalars, as kubectl writes them.
    options.prefer_block_scalars = false;
    let mut out = String::new();
    for doc in docs {
        out.push_str("---\n");
        out.push_str(
            &serde_saphyr::to_string_with_options(doc, options.clone())
                .map_err(|e| Error::crypto("writing YAML failed", e))?,
        );
    }
    Ok(out)
}

/// A Kubernetes object name made from a stem: lowercase letters, digits and hyphens.
fn k8s_name_of(stem: &str) -> String {
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_matches('-');
    if name.is_empty() {
        "aitls".into()
    } else {
        name.chars().take(200).collect()
    }
}

/// Checks a Kubernetes object name or namespace (RFC 1123 labels, as the API server does).
fn check_k8s_name(value: &str, what: &'static str, max: usize) -> Result<()> {
    let ok = !value.is_empty()
        && value.len() <= max
        && value.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
        && (what != "--namespace" || !value.contains('.'));
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidValue {
            what,
            value: value.to_owned(),
            reason: format!(
                "Kubernetes names are lowercase letters, digits and hyphens{}, at most {max} characters",
                if what == "--namespace" {
                    ""
                } else {
                    " (and dots)"
                }
            ),
        })
    }
}

/// Writes an export to `path` atomically, with mode 0600 when it holds a key, through a
/// [`Store`] on the file's directory (locked while writing). Refuses to write over one of
/// the files it was made from.
pub fn write_file(path: &Path, export: &Export) -> Result<ExportOutcome> {
    let bad = |reason: &str| Error::InvalidValue {
        what: "-o",
        value: path.display().to_string(),
        reason: reason.to_owned(),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| bad("name a file, not a directory"))?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let target = std::fs::canonicalize(&parent)
        .map(|p| p.join(&name))
        .map_err(|source| Error::Write {
            action: "write",
            path: path.to_owned(),
            source,
        })?;
    for input in &export.inputs {
        if std::fs::canonicalize(input).is_ok_and(|i| i == target) {
            return Err(bad(
                "this is one of the files being exported; choose another",
            ));
        }
    }
    let store = Store::new(parent);
    let lock = store.lock_output_dir()?;
    let existed = lock.exists(&name)?;
    let mode = if export.holds_key {
        KEY_MODE
    } else {
        CERT_MODE
    };
    lock.write_all(&[NewFile {
        name: name.clone(),
        contents: &export.bytes,
        mode,
    }])?;
    Ok(ExportOutcome {
        action: if existed {
            Action::Replaced
        } else {
            Action::Created
        },
        file: path.to_owned(),
        format: export.format,
        holds_key: export.holds_key,
        mode: format!("{mode:04o}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubernetes_names_follow_rfc_1123() {
        assert_eq!(k8s_name_of("Server_1"), "server-1");
        assert!(check_k8s_name("api-tls", "--name", 253).is_ok());
        assert!(check_k8s_name("a.b", "--name", 253).is_ok());
        assert!(check_k8s_name("a.b", "--namespace", 63).is_err());
        assert!(check_k8s_name("Api", "--name", 253).is_err());
        assert!(check_k8s_name("-a", "--name", 253).is_err());
    }

    #[test]
    fn yaml_documents_start_with_a_separator() {
        let yaml = to_yaml(&[ca_issuer("x", Some("ns"), "s")]).unwrap();
        assert!(
            yaml.starts_with("---\napiVersion: cert-manager.io/v1\n"),
            "{yaml}"
        );
        assert!(yaml.contains("secretName: s"), "{yaml}");
    }
}

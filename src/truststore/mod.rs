//! The CA in the machine's trust stores (SPEC §7): install, remove or check `ca.crt` in the
//! system store, the user's NSS databases (Chromium, Firefox: plain, snap, flatpak) and
//! Java's `cacerts`, by running each store's own tool as mkcert does.
//!
//! Besides [`crate::store`], this is the one library module that touches the disk and runs
//! programs: the stores are outside the certificate directory and belong to their tools.
//! It still never prints and never reads environment variables: the caller passes HOME,
//! JAVA_HOME and PATH in a [`TrustEnv`]. Every action is followed by a fresh read of the
//! store, and the result reports what that read found, never what the tool said it did.
//! One store failing never stops the others.

mod java;
mod macos;
mod nss;
mod system;
mod windows;

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

use crate::constraints::Constraints;
use crate::fix::Fix;

/// The kinds of trust store, as `--store` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    /// The operating system's store: Debian/Ubuntu/Alpine/SUSE `update-ca-certificates`,
    /// Fedora/RHEL `update-ca-trust`, Arch `trust`; on macOS the System keychain, on
    /// Windows the ROOT store.
    System,
    /// NSS databases: Chromium's `~/.pki/nssdb` and Firefox profiles.
    Nss,
    /// Java's `cacerts` keystore.
    Java,
}

impl StoreKind {
    /// Every kind, in the order they are handled.
    pub const ALL: [StoreKind; 3] = [StoreKind::System, StoreKind::Nss, StoreKind::Java];

    /// The `--store` name.
    pub fn name(self) -> &'static str {
        match self {
            StoreKind::System => "system",
            StoreKind::Nss => "nss",
            StoreKind::Java => "java",
        }
    }

    /// One line for `--help`.
    pub fn description(self) -> &'static str {
        match self {
            StoreKind::System => {
                "the system store (curl, wget, OpenSSL, Go, Python's ssl default paths)"
            }
            StoreKind::Nss => "NSS databases: Chromium ~/.pki/nssdb and Firefox profiles",
            StoreKind::Java => "Java cacerts (of $JAVA_HOME, or of the java on PATH)",
        }
    }
}

impl fmt::Display for StoreKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What to do with the CA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Add it to the stores (`aitls trust`).
    Install,
    /// Take it out again (`aitls trust --remove`).
    Remove,
    /// Only report whether it is there (`aitls trust --check`).
    Check,
}

/// What the caller's environment says about where the stores are.
#[derive(Debug, Clone, Default)]
pub struct TrustEnv {
    /// The user's home directory (NSS databases live under it).
    pub home: Option<PathBuf>,
    /// `$JAVA_HOME`, when set.
    pub java_home: Option<PathBuf>,
    /// `$PATH`, to find the tools and `java`.
    pub path: Option<OsString>,
}

/// The CA being trusted, and the name its entries carry in every store.
#[derive(Debug, Clone, Serialize)]
pub struct CaIdentity {
    /// Subject common name.
    pub common_name: String,
    /// SHA-256 fingerprint, uppercase hex with colons.
    pub fingerprint_sha256: String,
    /// The entry's name in the stores: `aitls <CN> <first 16 hex digits of the
    /// fingerprint>`, so several CAs (even with one CN) coexist and removal removes only
    /// this one.
    pub entry: String,
    /// The CA's name constraints; `null` when it is not name-constrained.
    pub name_constraints: Option<Constraints>,
    #[serde(skip)]
    der: Vec<u8>,
    #[serde(skip)]
    pem: String,
    /// The file it was read from, for the tools that take only a file (macOS, Windows).
    #[serde(skip)]
    file: Option<PathBuf>,
}

impl CaIdentity {
    /// Reads the identity of a CA certificate (DER).
    pub fn new(der: &[u8]) -> Result<Self, String> {
        let info = crate::cert::parse_der(der)?;
        let fingerprint = crate::inspect::fingerprint_sha256(der);
        let short: String = fingerprint.chars().filter(|c| *c != ':').take(16).collect();
        let common_name = info.common_name.unwrap_or_else(|| "CA".to_owned());
        Ok(CaIdentity {
            entry: format!("aitls {common_name} {short}"),
            common_name,
            fingerprint_sha256: fingerprint,
            name_constraints: crate::constraints::of_cert(der)?,
            pem: ::pem::encode_config(
                &::pem::Pem::new("CERTIFICATE", der.to_vec()),
                ::pem::EncodeConfig::new().set_line_ending(::pem::LineEnding::LF),
            ),
            der: der.to_vec(),
            file: None,
        })
    }

    /// Reads the CA certificate of the directory `store` (`ca.crt`): refused with the fix
    /// `aitls ca` when there is none, malformed input when it is no certificate.
    pub fn load(store: &crate::store::Store) -> crate::error::Result<Self> {
        let file = crate::store::CA_CERT;
        let path = store.path(file);
        let bytes = store.read(file)?.ok_or_else(|| crate::Error::Refused {
            message: format!("no CA in {} ({file} is missing)", store.dir().display()),
            fixes: vec![store.setup_fix(Fix::CreateCa)],
        })?;
        let malformed = |reason| crate::Error::Malformed {
            path: path.clone(),
            reason,
            fixes: Vec::new(),
        };
        let info = crate::cert::parse_pem(&bytes).map_err(malformed)?;
        let mut ca = CaIdentity::new(&info.der).map_err(malformed)?;
        ca.file = Some(path);
        Ok(ca)
    }

    /// The entry name as a file name or alias: lowercase letters, digits and hyphens.
    fn slug(&self) -> String {
        let mut slug = String::new();
        for c in self.entry.chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.ends_with('-') {
                slug.push('-');
            }
        }
        slug.trim_matches('-').to_owned()
    }
}

/// Why a store is not in the wanted state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Failure {
    /// The store belongs to root (or another user): permission denied; the same command as
    /// root would work.
    NeedsPrivileges {
        /// What could not be written.
        path: PathBuf,
    },
    /// The store's tool is not installed.
    MissingTool {
        /// The program.
        tool: String,
        /// The package that brings it.
        package: String,
    },
    /// The store was not found where it was asked for.
    NoStore {
        /// Where it was looked for, in words.
        looked: String,
    },
    /// The tool ran and failed.
    Tool {
        /// The command line, as run.
        command: String,
        /// The last line it wrote on stderr (or stdout), or its exit status.
        message: String,
    },
    /// The action ran, but the fresh read of the store does not show the wanted state.
    NotApplied {
        /// What the read found.
        found: String,
    },
    /// Anything else (an I/O error), in words.
    Other {
        /// The message.
        message: String,
    },
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::NeedsPrivileges { path } => {
                write!(
                    f,
                    "{}: permission denied (it belongs to root or another user)",
                    path.display()
                )
            }
            Failure::MissingTool { tool, package } => {
                write!(f, "{tool} is not installed (package {package})")
            }
            Failure::NoStore { looked } => write!(f, "no store found ({looked})"),
            Failure::Tool { command, message } => write!(f, "{command}: {message}"),
            Failure::NotApplied { found } => f.write_str(found),
            Failure::Other { message } => f.write_str(message),
        }
    }
}

/// The state of the CA in one store, read after the action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The CA was added and is there now (for `--check`: it is there).
    Installed,
    /// The CA was there already; nothing was changed.
    Already,
    /// The CA was there and is gone now.
    Removed,
    /// The CA is not in the store (`--check`, or `--remove` with nothing to remove).
    NotFound,
    /// The store is not in the wanted state.
    Failed,
}

impl Status {
    /// How the text output writes it.
    pub fn label(&self) -> &'static str {
        match self {
            Status::Installed => "installed",
            Status::Already => "already",
            Status::Removed => "removed",
            Status::NotFound => "not found",
            Status::Failed => "failed",
        }
    }
}

/// One store's result.
#[derive(Debug, Clone, Serialize)]
pub struct StoreResult {
    /// Which kind of store.
    pub store: StoreKind,
    /// Where it is: a directory, a database or a keystore file.
    pub location: String,
    /// The state found after the action.
    pub status: Status,
    /// Why, when `status` is `failed`.
    pub failure: Option<Failure>,
    /// Whether this store is now as asked (installed/already for install, removed/not found
    /// for remove, installed for check).
    pub ok: bool,
    /// What fixes a failure, when something does (the binary words it).
    #[serde(skip)]
    pub fix: Option<Fix>,
}

/// A store kind that was not asked for by name and is not on this machine.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    /// Which kind of store.
    pub store: StoreKind,
    /// Where it was looked for.
    pub looked: String,
}

/// What `aitls trust` did: the wire format of its `--json` output.
#[derive(Debug, Clone, Serialize)]
pub struct TrustReport {
    /// `install`, `remove` or `check`.
    pub action: Action,
    /// The CA.
    pub ca: CaIdentity,
    /// One entry per store location, in order.
    pub stores: Vec<StoreResult>,
    /// Store kinds that were not asked for and are not on this machine.
    pub skipped: Vec<Skipped>,
    /// Every store asked for is in the wanted state (and there was at least one).
    pub ok: bool,
}

/// A found store location, ready to act on.
trait Location {
    fn kind(&self) -> StoreKind;
    fn describe(&self) -> String;
    /// Whether the CA is in the store now.
    fn contains(&self, ca: &CaIdentity) -> Result<bool, Failure>;
    fn add(&self, ca: &CaIdentity) -> Result<(), Failure>;
    fn delete(&self, ca: &CaIdentity) -> Result<(), Failure>;
}

/// Installs, removes or checks `ca` in the stores of `kinds` (every kind when empty).
/// A kind named in `kinds` that is not found on this machine is a failure; an unnamed one
/// is listed in `skipped`.
pub fn run(ca: CaIdentity, action: Action, kinds: &[StoreKind], env: &TrustEnv) -> TrustReport {
    let explicit = !kinds.is_empty();
    let kinds: Vec<StoreKind> = if explicit {
        StoreKind::ALL
            .into_iter()
            .filter(|k| kinds.contains(k))
            .collect()
    } else {
        StoreKind::ALL.to_vec()
    };
    let mut stores = Vec::new();
    let mut skipped = Vec::new();
    for kind in kinds {
        let found = match kind {
            StoreKind::System => system::find(env),
            StoreKind::Nss => nss::find(env),
            StoreKind::Java => java::find(env),
        };
        match found {
            Ok(locations) => {
                for loc in locations {
                    stores.push(apply(&*loc, &ca, action));
                }
            }
            Err(looked) if explicit => {
                let failure = Failure::NoStore { looked };
                stores.push(StoreResult {
                    store: kind,
                    location: match kind {
                        StoreKind::System => "the system store",
                        StoreKind::Nss => "NSS databases",
                        StoreKind::Java => "Java cacerts",
                    }
                    .to_owned(),
                    status: Status::Failed,
                    fix: fix_for(&failure, kind, action),
                    failure: Some(failure),
                    ok: false,
                });
            }
            Err(looked) => skipped.push(Skipped {
                store: kind,
                looked,
            }),
        }
    }
    let ok = !stores.is_empty() && stores.iter().all(|s| s.ok);
    TrustReport {
        action,
        ca,
        stores,
        skipped,
        ok,
    }
}

fn apply(loc: &dyn Location, ca: &CaIdentity, action: Action) -> StoreResult {
    let result = |status: Status, failure: Option<Failure>| {
        let ok = match action {
            Action::Install => matches!(status, Status::Installed | Status::Already),
            Action::Remove => matches!(status, Status::Removed | Status::NotFound),
            Action::Check => status == Status::Installed,
        };
        StoreResult {
            store: loc.kind(),
            location: loc.describe(),
            status,
            fix: failure
                .as_ref()
                .and_then(|f| fix_for(f, loc.kind(), action)),
            failure,
            ok,
        }
    };
    let failed = |f: Failure| result(Status::Failed, Some(f));
    let before = match loc.contains(ca) {
        Ok(b) => b,
        Err(f) => return failed(f),
    };
    match (action, before) {
        (Action::Check, true) => result(Status::Installed, None),
        (Action::Check, false) | (Action::Remove, false) => result(Status::NotFound, None),
        (Action::Install, true) => result(Status::Already, None),
        (Action::Install, false) => match loc.add(ca).and_then(|()| loc.contains(ca)) {
            Ok(true) => result(Status::Installed, None),
            Ok(false) => failed(Failure::NotApplied {
                found: "the store does not list the CA after adding it".into(),
            }),
            Err(f) => failed(f),
        },
        (Action::Remove, true) => match loc.delete(ca).and_then(|()| loc.contains(ca)) {
            Ok(false) => result(Status::Removed, None),
            Ok(true) => failed(Failure::NotApplied {
                found: "the store still holds the CA after removing aitls's entry (it was also added another way)".into(),
            }),
            Err(f) => failed(f),
        },
    }
}

/// What fixes a store's failure: the same command as root, the package with the missing
/// tool, or creating the store.
fn fix_for(failure: &Failure, store: StoreKind, action: Action) -> Option<Fix> {
    match failure {
        Failure::NeedsPrivileges { .. } => Some(Fix::TrustAsRoot { store, action }),
        Failure::MissingTool { package, .. } => Some(Fix::InstallPackage {
            package: package.clone(),
        }),
        Failure::NoStore { .. } => match store {
            StoreKind::Nss => Some(Fix::CreateNssDb),
            StoreKind::Java => Some(Fix::SetJavaHome),
            StoreKind::System => None,
        },
        _ => None,
    }
}

/// Finds a program: in PATH, then in the sbin directories a non-root PATH often lacks
/// (`update-ca-certificates` lives in /usr/sbin).
fn find_tool(env: &TrustEnv, name: &str) -> Option<PathBuf> {
    let path = env.path.clone().unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/local/sbin", "/usr/sbin", "/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn tool_or_missing(env: &TrustEnv, name: &str, package: &str) -> Result<PathBuf, Failure> {
    find_tool(env, name).ok_or_else(|| Failure::MissingTool {
        tool: name.into(),
        package: package.into(),
    })
}

/// Runs a tool to the end and returns its stdout; a failure carries its messages.
fn run_tool(program: &Path, args: &[&std::ffi::OsStr]) -> Result<Vec<u8>, Failure> {
    run_tool_with_input(program, args, None)
}

/// Runs a tool with `input` on its stdin (the CA's PEM: certutil and keytool read the
/// certificate there, so no temporary file is needed).
fn run_tool_with_input(
    program: &Path,
    args: &[&std::ffi::OsStr],
    input: Option<&[u8]>,
) -> Result<Vec<u8>, Failure> {
    use std::io::Write;
    use std::process::Stdio;
    let command = std::iter::once(program.as_os_str())
        .chain(args.iter().copied())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let failed = |e: std::io::Error| Failure::Tool {
        command: command.clone(),
        message: e.to_string(),
    };
    let mut child = Command::new(program)
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(failed)?;
    if let (Some(bytes), Some(mut stdin)) = (input, child.stdin.take()) {
        // A certificate is a few KB, well within a pipe's buffer; a tool that exits
        // without reading it shows in its exit status, so a write error is not the story.
        let _ = stdin.write_all(bytes);
    }
    let out = child.wait_with_output().map_err(failed)?;
    if out.status.success() {
        return Ok(out.stdout);
    }
    // keytool writes its error on stdout and a warning on stderr: keep both.
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    // Tools spread one error over lines (certutil: "Could not find cert: X" then
    // ": PR_FILE_NOT_FOUND_ERROR: …"); keep them all, on one line.
    let mut message = text
        .lines()
        .map(|l| l.trim().trim_start_matches(':').trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    if message.is_empty() {
        message = out.status.to_string();
    }
    Err(Failure::Tool { command, message })
}

/// The DER of every certificate in a PEM text (a bundle, or a tool's `-rfc` output).
fn pem_certs(text: &[u8]) -> Vec<Vec<u8>> {
    ::pem::parse_many(text)
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.tag() == "CERTIFICATE" || p.tag() == "TRUSTED CERTIFICATE")
        .map(::pem::Pem::into_contents)
        .collect()
}

/// The CA's file, for tools that read only files.
fn ca_file(ca: &CaIdentity) -> Result<&Path, Failure> {
    ca.file.as_deref().ok_or_else(|| Failure::Other {
        message: "the CA was not read from a file".into(),
    })
}

/// Maps a write error: permission problems become [`Failure::NeedsPrivileges`].
fn write_failure(path: &Path, e: &std::io::Error) -> Failure {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            Failure::NeedsPrivileges {
                path: path.to_owned(),
            }
        }
        _ => Failure::Other {
            message: format!("cannot write {}: {e}", path.display()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_named_after_cn_and_fingerprint() {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let mut params = rcgen::CertificateParams::default();
        params.distinguished_name = rcgen::DistinguishedName::new();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "AI Services CA");
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Constrained(0));
        let cert = params.self_signed(&key).unwrap();
        let id = CaIdentity::new(cert.der()).unwrap();
        let short = id.fingerprint_sha256.replace(':', "")[..16].to_owned();
        assert_eq!(id.entry, format!("aitls AI Services CA {short}"));
        assert_eq!(
            id.slug(),
            format!("aitls-ai-services-ca-{}", short.to_ascii_lowercase())
        );
        assert_eq!(pem_certs(id.pem.as_bytes()), vec![cert.der().to_vec()]);
        assert!(id.name_constraints.is_none());
    }
}

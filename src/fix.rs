//! What the user can do about a problem, as data: the library chooses a [`Fix`] from the
//! situation, and the binary words it.
//!
//! The library returns facts and fixes; it never spells an `aitls …` command, because only
//! the binary knows how it was started (`--dir`, `AITLS_DIR`, the subcommand) and so what
//! the user must type. Errors ([`crate::Error::fixes`]), verify checks
//! ([`crate::verify::Check::fix`]) and the warnings of `ca` and `server`
//! ([`Warning::fix`]) carry fixes; `src/cli/fix.rs` is their one renderer.

use std::fmt;
use std::path::PathBuf;

use crate::key_type::KeyType;

/// A step that fixes a problem. Adding one: a variant here, its words in `src/cli/fix.rs`.
///
/// Not `#[non_exhaustive]` on purpose: the renderer matches every variant, so a new one
/// cannot ship without its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fix {
    /// Create the CA (`aitls ca`): there is none in the directory.
    CreateCa,
    /// Create the CA and then the server certificate under `stem`.
    CreateCaAndServer {
        /// The server certificate's stem (`--out`).
        stem: String,
    },
    /// Issue the server certificate under `stem` (`aitls server [--out STEM]`).
    IssueServer {
        /// The server certificate's stem (`--out`).
        stem: String,
    },
    /// Issue a new pair under `stem` over a key that has no readable certificate
    /// (`aitls server [--out STEM] --force`): the key is replaced, so this is the choice
    /// beside restoring the certificate.
    ReplaceLoneKey {
        /// The server certificate's stem.
        stem: String,
        /// The key type asked for, when known (`--key-type`).
        key_type: Option<KeyType>,
    },
    /// Replace aitls's own CA (`aitls ca --force`): the pair in the directory is broken,
    /// expired or weak. Every server certificate must be reissued afterwards.
    ReplaceCa,
    /// Renew aitls's own CA certificate for the same key (`aitls ca --renew`): a new
    /// validity and the CA profile, while every certificate it signed keeps verifying.
    RenewCa,
    /// Renew aitls's own CA certificate for `days` (`aitls ca --renew --days N`).
    RenewCaDays {
        /// The validity asked for.
        days: u32,
    },
    /// Renew the CA, then the server certificate under `stem`, which ends with the CA
    /// (`aitls ca --renew && aitls server [--out STEM]`).
    RenewCaAndServer {
        /// The server certificate's stem.
        stem: String,
    },
    /// Reissue the server certificate under `stem` now, for `days`
    /// (`aitls server [--out STEM] --force --days N`).
    ReissueDays {
        /// The server certificate's stem.
        stem: String,
        /// The validity asked for.
        days: u32,
    },
    /// Replace every copy of the renewed CA certificate elsewhere (trust stores, other
    /// hosts, containers) with the new file.
    DistributeCa {
        /// The renewed CA certificate.
        path: PathBuf,
    },
    /// Replace a CA that cannot sign, or that strict clients refuse (`aitls ca --force`):
    /// a new key, so every client that trusts the old `ca.crt` must be given the new one,
    /// and every server certificate is reissued.
    ReplaceUnfitCa,
    /// `ca.key` does not belong to `ca.crt`: restore the pair from a backup; a new CA
    /// (`aitls ca --force`) only when the key is lost.
    RestoreCaPair,
    /// Decrypt a key file: aitls signs unattended, and llama-server cannot be given a
    /// password.
    DecryptKey {
        /// The key file.
        path: PathBuf,
        /// Replace the file itself (the CA key, which only aitls reads), rather than write
        /// an unencrypted copy for the servers beside it.
        in_place: bool,
    },
    /// Rewrite a key as PKCS#8 v1 (RFC 5208), which every server loads, or reissue.
    RewriteKeyPkcs8V1,
    /// Put back a file of the CA pair that is missing or does not match.
    Restore {
        /// The file, when one is known to be missing.
        file: Option<String>,
    },
    /// Reissue a server certificate.
    Reissue(Reissue),
    /// Make a key file readable by its owner only (`chmod 600 PATH`).
    Chmod {
        /// The key file.
        path: PathBuf,
    },
    /// Make the certificate directory writable by its owner only: `chmod go-w DIR` when
    /// every user can write it (`others`), `chmod g-w DIR` when its group can.
    ChmodDir {
        /// The directory.
        path: PathBuf,
        /// Every user can write it (not only the group).
        others: bool,
    },
    /// Take over a file another user owns, if it is trusted (`chown UID PATH`), else
    /// remove it.
    Chown {
        /// The file.
        path: PathBuf,
        /// The user aitls runs as, who should own it.
        uid: u32,
    },
    /// Trust this CA file instead (`--ca PATH`).
    UseCa {
        /// The CA certificate to give.
        path: PathBuf,
    },
    /// Give the CA certificate to trust (`--ca FILE`).
    GiveCa,
    /// Give the certificate directory or the files to read (`--dir DIR` or FILE).
    GiveDir,
    /// Trust a CA that may sign certificates (CA:TRUE, keyCertSign, current).
    UseFitCa,
    /// Use the private key the certificate was issued for.
    UseIssuedKey,
    /// The issuing machine's clock is ahead: check it, or wait.
    CheckClock,
    /// Names are DNS names or IP addresses.
    NameSyntax,
    /// Issue the certificate only for names inside the CA's name constraints.
    PermittedNamesOnly,
    /// Run the same `aitls trust` for this store as root (`sudo aitls trust --store KIND`).
    TrustAsRoot {
        /// The store that needs root.
        store: crate::truststore::StoreKind,
        /// What was asked (install, `--remove`, `--check`).
        action: crate::truststore::Action,
    },
    /// Install the package that brings a missing tool.
    InstallPackage {
        /// The package, per distribution family.
        package: String,
    },
    /// Create an NSS database (browsers create theirs on first start).
    CreateNssDb,
    /// Point `JAVA_HOME` at a Java installation.
    SetJavaHome,
    /// Start the service, or probe the port it listens on: nothing accepted a connection.
    StartService,
    /// Give the service its certificate and key: it answered in plain HTTP, not TLS.
    ServeTls,
    /// Restart or reload the service so it reads its certificate file again.
    RestartService {
        /// The certificate file the service should serve.
        cert: PathBuf,
        /// The project file's `on_change` command for it, when there is one.
        on_change: Option<String>,
    },
    /// Point the service at this certificate (and its key): it serves another one.
    ServeCertificate {
        /// The certificate file.
        cert: PathBuf,
    },
    /// Present a client certificate the service trusts (mTLS).
    GiveClientCert,
    /// Allow TLS 1.3 in the service's TLS settings.
    AllowTls13,
    /// Issue for these names instead: a URL or `host:port` was given where a name goes.
    UseNames {
        /// The names, each as it should be given.
        names: Vec<String>,
    },
    /// Check the service running at `target` (`aitls probe TARGET`): a `host:port` was
    /// given where a name goes.
    ProbeService {
        /// The target as given (`localhost:8095`).
        target: String,
    },
    /// Give this host to `--host` instead (a URL or `host:port` was given).
    UseHost {
        /// The host name or address.
        host: String,
    },
    /// Give this stem to `--out` instead (a file name was given).
    UseStem {
        /// The stem.
        stem: String,
    },
    /// Move what is in the way at a file's name in DIR (a directory at `server.crt`).
    MoveAside {
        /// The path in the way.
        path: PathBuf,
    },
    /// Point aitls at this directory with `-d` (a directory was given as a file).
    UseDir {
        /// The directory.
        dir: PathBuf,
    },
    /// Point aitls at the project's certificate directory, found in a parent of the
    /// working directory: `looked_in` (absolute) has no CA, and making one there would
    /// make a second CA.
    UseFoundDir {
        /// The directory holding the CA (absolute).
        dir: PathBuf,
        /// The directory looked in (absolute).
        looked_in: PathBuf,
    },
    /// Verify this certificate instead (the one given is the CA, not a server
    /// certificate).
    VerifyCert {
        /// The server certificate.
        path: PathBuf,
    },
    /// Put certificate `index` (from 1) of the bundle first: it is the server certificate.
    ReorderBundle {
        /// Its position in the bundle, from 1.
        index: usize,
    },
    /// Write a project file (`aitls init`): a command needs one and there is none.
    InitProject,
    /// Give the names to certify after the CSR (`aitls sign CSR NAME...`).
    SignWithNames {
        /// The CSR as given.
        csr: PathBuf,
    },
    /// Renew the CA certificate with a path length that lets it sign `pathlen` levels of
    /// intermediates, keeping its key (`aitls ca --renew --pathlen N`).
    RenewCaPathlen {
        /// The path length asked for.
        pathlen: u8,
    },
    /// Renew the CA certificate with the name constraints asked for, keeping its key
    /// (`aitls ca --renew --permit NAME…`).
    RenewCaPermit {
        /// The permitted subtrees, each as `--permit` takes it.
        permit: Vec<String>,
    },
    /// Write under another stem (`--out STEM`).
    OtherStem,
    /// Export where the key lives, or choose a format without the key (`--format fullchain`).
    ExportWithoutKey,
}

/// How to reissue a server certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reissue {
    /// The stem when aitls manages the certificate (it is `DIR/STEM.crt`), so the fix is
    /// an `aitls server` command; `None` for a certificate from elsewhere.
    pub stem: Option<String>,
    /// The key type to keep, when known.
    pub key_type: Option<KeyType>,
    /// The names the new certificate needs, when they differ from the current ones;
    /// empty keeps them (and the command needs `--force`).
    pub names: Vec<String>,
    /// What the new certificate must have that this one lacks.
    pub need: Need,
}

/// What a reissued certificate must have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// Just a fresh validity period (expired or expiring, unreadable, key mismatch).
    Renewal,
    /// A signature by the CA being trusted.
    SignedByCa,
    /// extendedKeyUsage serverAuth.
    ServerAuth,
    /// keyUsage digitalSignature.
    DigitalSignature,
    /// Its names in subjectAltName.
    SubjectAltName,
    /// This name in subjectAltName.
    Name(String),
    /// Fewer names: the certificate is over the 64 KiB rustls reads.
    FewerNames,
}

/// Something the user should know that did not stop the command, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// What was found, in words (no command in it).
    pub message: String,
    /// What to do about it, when there is something to do.
    pub fix: Option<Fix>,
}

impl Warning {
    /// A warning with a fix.
    pub fn with_fix(message: impl Into<String>, fix: Fix) -> Self {
        Warning {
            message: message.into(),
            fix: Some(fix),
        }
    }
}

impl From<String> for Warning {
    fn from(message: String) -> Self {
        Warning { message, fix: None }
    }
}

impl From<&str> for Warning {
    fn from(message: &str) -> Self {
        message.to_owned().into()
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

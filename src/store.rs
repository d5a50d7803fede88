//! The certificate directory: its paths, its lock, and the only code that writes files.
//!
//! Every write goes temp file → fsync → rename → fsync of the directory (SPEC §1), so a
//! crash never leaves a half-written file under a final name, and a symlink at a target
//! path is replaced rather than followed (rename(2) replaces the link itself). Key files
//! are created with mode 0600 from their first byte: the temporary file is opened with
//! that mode, then `fchmod`-ed to exactly 0600 so that no umask can loosen or tighten it.
//! Writers hold an exclusive `flock` on the directory itself, which leaves no lock file
//! behind.

use std::fs::{self, File, Permissions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fix::Fix;

/// File name of the CA certificate.
pub const CA_CERT: &str = "ca.crt";
/// File name of the CA key.
pub const CA_KEY: &str = "ca.key";
/// Default stem of the server certificate and key.
pub const DEFAULT_STEM: &str = "server";

/// File name of the certificate under `stem` (`server` → `server.crt`).
pub fn cert_file(stem: &str) -> String {
    format!("{stem}.crt")
}

/// File name of the private key under `stem` (`server` → `server.key`).
pub fn key_file(stem: &str) -> String {
    format!("{stem}.key")
}

/// The key file that goes with a certificate file anywhere: the same path with `.key`
/// instead of its extension (`api.crt` → `api.key`).
pub fn key_beside(cert: &Path) -> PathBuf {
    cert.with_extension("key")
}

/// Whether a key file with these permission bits is readable or writable by its owner
/// only (no group or other bits): the one test behind every "chmod 600" aitls suggests.
pub fn is_owner_only(mode: u32) -> bool {
    mode & 0o077 == 0
}

/// Mode of private key files: owner read/write only.
pub const KEY_MODE: u32 = 0o600;
/// Mode of certificate files: public, world-readable.
pub const CERT_MODE: u32 = 0o644;
/// Mode of a certificate directory aitls creates (further narrowed by the umask).
const DIR_MODE: u32 = 0o755;

/// Largest file aitls reads from the directory. Certificates and keys are a few KiB; a
/// limit keeps a stray large file from being read whole into memory.
const MAX_READ: u64 = 1 << 20;

/// Prefix and suffix of temporary files, so a later run can recognise and remove those
/// left by a run that was killed between create and rename.
const TEMP_PREFIX: &str = ".aitls-";
const TEMP_SUFFIX: &str = ".tmp";

/// A certificate directory (`--dir`, `AITLS_DIR`, default `ai/certs`).
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

/// Proof that the directory is locked exclusively; the lock is released on drop.
#[derive(Debug)]
pub struct DirLock {
    _dir: File,
}

/// A shared lock on the directory, for a reader that must not see a writer's work half
/// done; released on drop.
#[derive(Debug)]
pub struct ReadLock {
    _dir: File,
}

/// One file to write: its name inside the directory, its content and its mode.
#[derive(Debug)]
pub struct NewFile<'a> {
    /// File name inside the directory (`server.key`).
    pub name: String,
    /// The bytes to write.
    pub contents: &'a [u8],
    /// The exact mode the file gets ([`KEY_MODE`] or [`CERT_MODE`]).
    pub mode: u32,
}

impl Store {
    /// A store for `dir`; nothing is touched until a method is called.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Store { dir: dir.into() }
    }

    /// The directory as given.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of `name` inside the directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The directory as an absolute path (for messages that must say where aitls looked,
    /// whatever the working directory); as given when it cannot be made absolute.
    pub fn absolute_dir(&self) -> PathBuf {
        std::path::absolute(&self.dir).unwrap_or_else(|_| self.dir.clone())
    }

    /// When the directory is relative and `name` is not in it: the same relative directory
    /// under a parent of the working directory that holds `name` (aitls run from a
    /// subdirectory of the project). The nearest parent wins.
    pub fn find_upward(&self, name: &str) -> Option<PathBuf> {
        if self.dir.is_absolute() {
            return None;
        }
        let cwd = std::env::current_dir().ok()?;
        cwd.ancestors()
            .skip(1)
            .map(|parent| parent.join(&self.dir))
            .find(|dir| dir.join(name).is_file())
    }

    /// The stem of `cert` when it is a server certificate of this directory
    /// (`DIR/STEM.crt`, not the CA's), as written by `aitls server --out STEM`.
    pub fn stem_of<'a>(&self, cert: &'a Path) -> Option<&'a str> {
        if cert.parent()? != self.dir || cert.extension()? != "crt" {
            return None;
        }
        let stem = cert.file_stem()?.to_str()?;
        (cert.file_name()?.to_str()? != CA_CERT && check_stem(stem).is_ok()).then_some(stem)
    }

    /// Creates the directory (with parents) if missing, then takes the exclusive lock,
    /// waiting for any other aitls run that holds it. Also removes temporary files that a
    /// killed run left behind: holding the lock, no other writer can own them.
    pub fn lock(&self) -> Result<DirLock> {
        // 0755 whatever the umask allows: under umask 000 a world-writable directory would
        // let any local user swap the certificates.
        fs::DirBuilder::new()
            .recursive(true)
            .mode(DIR_MODE)
            .create(&self.dir)
            .map_err(|source| Error::Write {
                action: "create directory",
                path: self.dir.clone(),
                source,
            })?;
        let lock_err = |source| Error::Write {
            action: "lock",
            path: self.dir.clone(),
            source,
        };
        let dir = File::open(&self.dir).map_err(lock_err)?;
        dir.lock().map_err(lock_err)?;
        let lock = DirLock { _dir: dir };
        self.remove_stale_temps();
        Ok(lock)
    }

    /// Takes a shared lock on the directory, waiting for a writer to finish; `None` when
    /// the directory does not exist (nothing to read, and nothing is created).
    pub fn read_lock(&self) -> Result<Option<ReadLock>> {
        let dir = match File::open(&self.dir) {
            Ok(dir) => dir,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(Error::Read {
                    path: self.dir.clone(),
                    source,
                });
            }
        };
        dir.lock_shared().map_err(|source| Error::Write {
            action: "lock",
            path: self.dir.clone(),
            source,
        })?;
        Ok(Some(ReadLock { _dir: dir }))
    }

    fn remove_stale_temps(&self) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX) {
                // Best effort: a leftover we cannot remove does no harm to correctness.
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    /// Reads `name` from the directory; `None` when it does not exist.
    pub fn read(&self, name: &str) -> Result<Option<Vec<u8>>> {
        read_limited(&self.path(name))
    }

    /// The permission bits of `name`, or `None` when it does not exist.
    pub fn mode(&self, name: &str) -> Result<Option<u32>> {
        mode_of(&self.path(name))
    }

    /// Writes every file atomically, while the caller holds the lock.
    ///
    /// All temporary files are written and synced first, then renamed in the given order,
    /// then the directory is synced once. Put the key before its certificate: a run killed
    /// between the renames then leaves a new key beside an old certificate, which the next
    /// run detects as a mismatch (SPEC §4).
    pub fn write_all(&self, _lock: &DirLock, files: &[NewFile<'_>]) -> Result<()> {
        let mut temps = Vec::with_capacity(files.len());
        for file in files {
            temps.push(self.write_temp(file)?);
        }
        for (temp, file) in temps.into_iter().zip(files) {
            let target = self.path(&file.name);
            temp.persist(&target).map_err(|e| Error::Write {
                action: "replace",
                path: target.clone(),
                source: e.error,
            })?;
        }
        self.sync_dir()
    }

    fn write_temp(&self, file: &NewFile<'_>) -> Result<tempfile::NamedTempFile> {
        let target = self.path(&file.name);
        let err = |source| Error::Write {
            action: "write",
            path: target.clone(),
            source,
        };
        let mut temp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .suffix(TEMP_SUFFIX)
            // Opened with O_CREAT|O_EXCL and this mode: a key is never readable by others,
            // not even between open and chmod.
            .permissions(Permissions::from_mode(file.mode))
            .tempfile_in(&self.dir)
            .map_err(err)?;
        // The umask may have removed bits; set exactly the mode we promise.
        temp.as_file()
            .set_permissions(Permissions::from_mode(file.mode))
            .map_err(err)?;
        temp.write_all(file.contents).map_err(err)?;
        temp.as_file().sync_all().map_err(err)?;
        Ok(temp)
    }

    fn sync_dir(&self) -> Result<()> {
        File::open(&self.dir)
            .and_then(|d| d.sync_all())
            .map_err(|source| Error::Write {
                action: "sync directory",
                path: self.dir.clone(),
                source,
            })
    }
}

/// Reads a file of at most 1 MiB; `None` when it does not exist.
pub fn read_limited(path: &Path) -> Result<Option<Vec<u8>>> {
    let read_err = |source| Error::Read {
        path: path.to_owned(),
        source,
    };
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(read_err(e)),
    };
    let meta = file.metadata().map_err(read_err)?;
    if meta.is_dir() {
        return Err(Error::Malformed {
            path: path.to_owned(),
            reason: "is a directory, not a file".into(),
            fixes: vec![Fix::UseDir {
                dir: path.to_owned(),
            }],
        });
    }
    read_capped(file, path).map(Some)
}

/// Reads at most [`MAX_READ`] bytes, refusing anything larger; `path` names the source in
/// errors.
fn read_capped(reader: impl Read, path: &Path) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    reader
        .take(MAX_READ + 1)
        .read_to_end(&mut buf)
        .map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
    if buf.len() as u64 > MAX_READ {
        return Err(Error::Malformed {
            path: path.to_owned(),
            reason: "is larger than 1 MiB; not a certificate or key".into(),
            fixes: Vec::new(),
        });
    }
    Ok(buf)
}

/// Reads standard input (`-` on the command line), with the same 1 MiB limit as files.
pub fn read_stdin() -> Result<Vec<u8>> {
    read_capped(io::stdin().lock(), Path::new("-"))
}

/// The permission bits of any file, or `None` when it does not exist.
pub fn mode_of(path: &Path) -> Result<Option<u32>> {
    match fs::metadata(path) {
        Ok(meta) => Ok(Some(meta.mode() & 0o7777)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Read {
            path: path.to_owned(),
            source,
        }),
    }
}

/// When the file at `path` was last modified, or `None` when it does not exist.
pub fn modified_of(path: &Path) -> Result<Option<std::time::SystemTime>> {
    match fs::metadata(path).and_then(|meta| meta.modified()) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Read {
            path: path.to_owned(),
            source,
        }),
    }
}

impl Store {
    /// The certificates, requests and keys in the directory (`*.crt`, `*.pem`, `*.cer`,
    /// `*.der`, `*.csr`, `*.key`), sorted by name; `None` when the directory does not exist.
    pub fn list_pki_files(&self) -> Result<Option<Vec<String>>> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(Error::Read {
                    path: self.dir.clone(),
                    source,
                });
            }
        };
        let mut names: Vec<String> = entries
            .flatten()
            .filter(|e| e.path().is_file())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| !n.starts_with('.'))
            .filter(|n| {
                [".crt", ".pem", ".cer", ".der", ".csr", ".key"]
                    .iter()
                    .any(|ext| n.ends_with(ext))
            })
            .collect();
        names.sort();
        Ok(Some(names))
    }
}

/// The nearest `name` that is a regular file in `start` or one of its parents, as Cargo
/// finds `Cargo.toml` (the project file, SPEC §5).
pub fn find_in_ancestors(start: &Path, name: &str) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

/// Writes a new file at `path` atomically (temporary file beside it, synced, then linked
/// into place without replacing anything), refusing when `path` already exists: `aitls
/// init` never overwrites a project file, even one created a moment before by another run.
pub fn write_new(path: &Path, contents: &[u8], mode: u32) -> Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let err = |source| Error::Write {
        action: "write",
        path: path.to_owned(),
        source,
    };
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .permissions(Permissions::from_mode(mode))
        .tempfile_in(parent)
        .map_err(err)?;
    temp.as_file()
        .set_permissions(Permissions::from_mode(mode))
        .map_err(err)?;
    temp.write_all(contents).map_err(err)?;
    temp.as_file().sync_all().map_err(err)?;
    match temp.persist_noclobber(path) {
        Ok(_) => {}
        Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => {
            return Err(Error::Refused {
                message: format!(
                    "{} already exists; refusing to overwrite it",
                    path.display()
                ),
                fixes: Vec::new(),
            });
        }
        Err(e) => return Err(err(e.error)),
    }
    File::open(parent)
        .and_then(|d| d.sync_all())
        .map_err(|source| Error::Write {
            action: "sync directory",
            path: parent.to_owned(),
            source,
        })
}

/// The stem inside a file name given where a stem goes (`api.crt` → `api`): the name ends
/// in an extension aitls writes or reads.
pub fn stem_in_file_name(name: &str) -> Option<&str> {
    let mut stem = name;
    while let Some(shorter) = [".crt", ".key", ".pem"]
        .iter()
        .find_map(|ext| stem.strip_suffix(ext))
    {
        stem = shorter;
    }
    (stem != name && !stem.is_empty() && stem != "ca").then_some(stem)
}

/// Checks that `--out STEM` names a plain file in the directory, and not the CA's.
pub fn check_stem(stem: &str) -> Result<()> {
    let bad = |reason: &str| Error::InvalidValue {
        what: "--out",
        value: stem.to_owned(),
        reason: reason.to_owned(),
    };
    if stem.is_empty() {
        return Err(bad("the stem is empty"));
    }
    if stem.contains(['/', '\\', '\0']) || stem == ".." {
        return Err(bad(
            "the stem is a file name in DIR, not a path; use --dir for the directory",
        ));
    }
    if stem.starts_with('.') {
        return Err(bad("the stem cannot start with a dot"));
    }
    if stem == "ca" {
        return Err(bad("`ca` is the CA's own stem"));
    }
    if stem_in_file_name(stem).is_some() {
        // `--out api.crt` would write api.crt.crt and api.crt.key.
        return Err(bad(
            "--out takes a stem, not a file name: the files are STEM.crt and STEM.key",
        ));
    }
    if stem.len() > 200 {
        return Err(bad("the stem is longer than 200 characters"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_given_as_stem_is_refused_with_the_stem_meant() {
        for (given, meant) in [
            ("api.crt", "api"),
            ("api.key", "api"),
            ("web.crt.pem", "web"),
        ] {
            let err = check_stem(given).unwrap_err();
            assert!(err.to_string().contains("not a file name"), "{err}");
            assert_eq!(err.fixes(), [Fix::UseStem { stem: meant.into() }]);
        }
        assert!(check_stem("api.v2").is_ok());
        assert_eq!(stem_in_file_name("ca.crt"), None);
        assert_eq!(stem_in_file_name("server"), None);
    }

    #[test]
    fn only_owner_bits_make_a_key_owner_only() {
        assert!(is_owner_only(0o600) && is_owner_only(0o400));
        assert!(!is_owner_only(0o640) && !is_owner_only(0o604));
    }
}

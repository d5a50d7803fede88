//! The certificate directory: its paths, its lock, and the only code that reads and writes
//! its files.
//!
//! The directory is opened once and locked with `flock` on that handle: exclusively by
//! writers, shared by readers (`verify`, `inspect` of DIR, `env`). Every later read, temp
//! file, rename and sync goes relative to the same handle (`openat`, `renameat`), so when
//! `DIR` is reached through a symlink that changes meanwhile, the lock still covers exactly
//! the files read and written (SPEC §4). This uses `rustix` (already in the tree through
//! clap's terminal-size support): safe wrappers for exactly these system calls.
//!
//! Every write goes temp file → fsync → rename → fsync of the directory (SPEC §1), so a
//! crash never leaves a half-written file under a final name, and a symlink at a target
//! path is replaced rather than followed (rename(2) replaces the link itself). Key files
//! are created with mode 0600 from their first byte: the temporary file is opened with
//! that mode, then `fchmod`-ed to exactly 0600 so that no umask can loosen or tighten it.
//!
//! Only regular files are read, checked on the opened handle (`fstat`), never by path, and
//! opened with `O_NONBLOCK` so that opening a FIFO cannot block: a FIFO, a device or a
//! directory where a certificate should be is an error naming it, never a hang (SPEC §4).

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use rustix::fs::{self as rfs, AtFlags, FileType, FlockOperation, Mode, OFlags};

use crate::error::{Error, Result};
use crate::fix::Fix;

/// File name of the CA certificate.
pub const CA_CERT: &str = "ca.crt";
/// File name of the CA key.
pub const CA_KEY: &str = "ca.key";
/// Default stem of the server certificate and key.
pub const DEFAULT_STEM: &str = "server";
/// The CA that signed a fixture when it is not the CA trusted (`aitls fixtures`).
pub const OTHER_CA_CERT: &str = "other-ca.crt";
/// The manifest of `aitls fixtures`.
pub const FIXTURES_MANIFEST: &str = "manifest.json";

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

/// Largest file aitls reads. Certificates and keys are a few KiB; a limit keeps a stray
/// large file (or a device that never ends) from being read whole into memory.
pub const MAX_READ: u64 = 1 << 20;

/// Prefix and suffix of temporary files, so a later run can recognise and remove those
/// left by a run that was killed between create and rename.
const TEMP_PREFIX: &str = ".aitls-";
const TEMP_SUFFIX: &str = ".tmp";

/// A certificate directory (`--dir`, `AITLS_DIR`, default `ai/certs`).
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

/// A file read whole, with the facts of the handle it was read from.
#[derive(Debug, Clone)]
pub struct FileRead {
    /// The contents (at most [`MAX_READ`] bytes).
    pub bytes: Vec<u8>,
    /// Permission bits.
    pub mode: u32,
    /// Owner's user id.
    pub uid: u32,
}

/// The certificate directory, opened and locked; reads go relative to this handle.
/// The lock is released on drop.
#[derive(Debug)]
pub struct DirHandle {
    fd: OwnedFd,
    path: PathBuf,
    mode: u32,
}

/// The directory locked exclusively, for a read-decide-write (`ca`, `server`).
#[derive(Debug)]
pub struct DirLock {
    handle: DirHandle,
}

/// The directory locked shared, for readers: no writer is half done while it is held.
#[derive(Debug)]
pub struct ReadLock {
    handle: DirHandle,
}

impl std::ops::Deref for DirLock {
    type Target = DirHandle;
    fn deref(&self) -> &DirHandle {
        &self.handle
    }
}

impl std::ops::Deref for ReadLock {
    type Target = DirHandle;
    fn deref(&self) -> &DirHandle {
        &self.handle
    }
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

/// The user this process runs as (effective uid): files owned by anyone else but root
/// may have been planted (SPEC §4).
pub fn current_uid() -> u32 {
    rustix::process::geteuid().as_raw()
}

/// Whether a file owned by `uid` can be trusted by this process: its own, or root's.
pub fn trusted_owner(uid: u32) -> bool {
    uid == 0 || uid == current_uid()
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

    /// What sets up this directory when it holds no CA: `create`, unless aitls runs in a
    /// subdirectory of a project whose CA directory is found above
    /// ([`Store::find_upward`]), where `create` would make a second CA; then
    /// [`Fix::UseFoundDir`] points at it. Every "nothing here" hint goes through this.
    ///
    /// Only the default search: a directory named explicitly (absolute, or by a project
    /// file) is never searched for.
    pub fn setup_fix(&self, create: Fix) -> Fix {
        match self.find_upward(CA_CERT) {
            Some(dir) => Fix::UseFoundDir {
                dir,
                looked_in: self.absolute_dir(),
            },
            None => create,
        }
    }

    /// Refuses a directory path that names something else (a file): aitls would
    /// otherwise report "File exists" and hint at commands that cannot work there.
    fn check_is_dir(&self) -> Result<()> {
        match std::fs::metadata(&self.dir) {
            Ok(meta) if !meta.is_dir() => {
                let parent = self.dir.parent().filter(|p| p.join(CA_CERT).is_file());
                Err(Error::Malformed {
                    path: self.dir.clone(),
                    reason: "is a file, not a directory: -d and AITLS_DIR name the certificate directory".into(),
                    // `-d ai/certs/ca.crt`: the directory holding it was meant.
                    fixes: parent
                        .map(|dir| Fix::UseDir {
                            dir: dir.to_owned(),
                        })
                        .into_iter()
                        .collect(),
                })
            }
            _ => Ok(()),
        }
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

    /// Creates the directory (with parents) if missing, opens it, and takes the exclusive
    /// lock, waiting for any other aitls run that holds it. Refuses a directory that every
    /// user can write (SPEC §4; `--force` does not change that). Also removes temporary
    /// files that a killed run left behind: holding the lock, no other writer owns them.
    pub fn lock(&self) -> Result<DirLock> {
        self.check_is_dir()?;
        // 0755 whatever the umask allows: under umask 000 a world-writable directory would
        // let any local user swap the certificates.
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(DIR_MODE)
            .create(&self.dir)
            .map_err(|source| Error::Write {
                action: "create directory",
                path: self.dir.clone(),
                source,
            })?;
        let handle = self
            .open_dir(FlockOperation::LockExclusive)
            .map_err(|source| Error::Write {
                action: "lock",
                path: self.dir.clone(),
                source,
            })?;
        if handle.mode & 0o002 != 0 {
            return Err(Error::Refused {
                message: format!(
                    "{} is writable by every user (mode {:04o}): another user could swap the CA or the keys in it",
                    self.dir.display(),
                    handle.mode
                ),
                fixes: vec![Fix::ChmodDir {
                    path: self.dir.clone(),
                    others: true,
                }],
            });
        }
        let lock = DirLock { handle };
        lock.remove_stale_temps();
        Ok(lock)
    }

    /// Opens the directory and takes a shared lock, waiting while a writer holds it, so a
    /// reader never sees a key without its certificate. `None` when the directory does not
    /// exist or this user cannot open it (a reader then reads the paths as they are).
    pub fn lock_shared(&self) -> Result<Option<ReadLock>> {
        self.check_is_dir()?;
        match self.open_dir(FlockOperation::LockShared) {
            Ok(handle) => Ok(Some(ReadLock { handle })),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound
                        | io::ErrorKind::PermissionDenied
                        | io::ErrorKind::NotADirectory
                ) =>
            {
                Ok(None)
            }
            Err(source) => Err(Error::Read {
                path: self.dir.clone(),
                source,
            }),
        }
    }

    /// Reads `name` by its path, without a lock (for readers looking around, such as
    /// verify's nearby certificates; writers read through [`DirLock`]). Only a regular
    /// file of at most [`MAX_READ`] bytes; `None` when it does not exist.
    pub fn read(&self, name: &str) -> Result<Option<Vec<u8>>> {
        Ok(read_file(&self.path(name))?.map(|f| f.bytes))
    }

    /// The certificates, requests and keys in the directory, without a lock (see
    /// [`DirHandle::list_pki_files`]); `None` when the directory does not exist.
    pub fn list_pki_files(&self) -> Result<Option<Vec<String>>> {
        let fd = match rfs::open(
            &self.dir,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        ) {
            Ok(fd) => fd,
            Err(rustix::io::Errno::NOENT) => return Ok(None),
            Err(e) => {
                return Err(Error::Read {
                    path: self.dir.clone(),
                    source: e.into(),
                });
            }
        };
        list_pki(&fd, &self.dir).map(Some)
    }

    /// Locks the existing directory of an output file (`aitls export -o FILE`), which is
    /// not a certificate directory: nothing is created and no stale temporary file is
    /// removed. A directory every user can write is accepted only when sticky (`/tmp`):
    /// there no other user can rename, replace or remove the file aitls writes, and the
    /// write itself goes to a new temporary file (`O_EXCL`) renamed over the target.
    pub fn lock_output_dir(&self) -> Result<DirLock> {
        let handle = self
            .open_dir(FlockOperation::LockExclusive)
            .map_err(|source| Error::Write {
                action: "lock",
                path: self.dir.clone(),
                source,
            })?;
        // S_ISVTX: only an entry's owner may rename or remove it.
        if handle.mode & 0o002 != 0 && handle.mode & 0o1000 == 0 {
            return Err(Error::Refused {
                message: format!(
                    "{} is writable by every user and not sticky (mode {:04o}): another user could replace the file written there",
                    self.dir.display(),
                    handle.mode
                ),
                fixes: vec![Fix::ChmodDir {
                    path: self.dir.clone(),
                    others: true,
                }],
            });
        }
        Ok(DirLock { handle })
    }

    fn open_dir(&self, op: FlockOperation) -> io::Result<DirHandle> {
        let fd = rfs::open(
            &self.dir,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        match rfs::flock(&fd, op) {
            Ok(()) => {}
            // A file system without locks (some network mounts): readers still read,
            // through the handle; writers must not write unlocked.
            Err(rustix::io::Errno::NOLCK | rustix::io::Errno::OPNOTSUPP)
                if op == FlockOperation::LockShared => {}
            Err(e) => return Err(e.into()),
        }
        // The facts of the directory as locked, not as the path resolves later.
        let stat = rfs::fstat(&fd)?;
        Ok(DirHandle {
            fd,
            path: self.dir.clone(),
            mode: stat.st_mode & 0o7777,
        })
    }
}

impl DirHandle {
    /// The directory's path, as given.
    pub fn dir(&self) -> &Path {
        &self.path
    }

    /// The directory's permission bits, as opened.
    pub fn dir_mode(&self) -> u32 {
        self.mode
    }

    /// Reads `name` from the directory; `None` when it does not exist. Only a regular file
    /// of at most [`MAX_READ`] bytes is read.
    pub fn read(&self, name: &str) -> Result<Option<FileRead>> {
        let path = self.path.join(name);
        let read = match rfs::openat(&self.fd, name, read_flags(), Mode::empty()) {
            Ok(fd) => read_regular(fd, &path).map(Some),
            Err(rustix::io::Errno::NOENT) => Ok(None),
            Err(e) => Err(open_error(
                rfs::statat(&self.fd, name, AtFlags::empty()),
                &path,
                e,
            )),
        };
        // Something at a file's own name in DIR (a directory at server.crt) is in the
        // way: it was not meant as DIR, so `-d` there is no fix.
        read.map_err(|err| match err {
            Error::Malformed { path, reason, .. } if reason.starts_with("is a directory") => {
                Error::Malformed {
                    fixes: vec![Fix::MoveAside { path: path.clone() }],
                    path,
                    reason,
                }
            }
            err => err,
        })
    }

    /// Reads `path` through this handle when it names a file directly in this directory
    /// (as given), else by its path; `None` when it does not exist.
    pub fn read_path(&self, path: &Path) -> Result<Option<FileRead>> {
        match self.name_in_dir(path) {
            Some(name) => self.read(&name),
            None => read_file(path),
        }
    }

    fn name_in_dir(&self, path: &Path) -> Option<String> {
        if path.parent()? != self.path {
            return None;
        }
        let name = path.file_name()?.to_str()?;
        (name != "..").then(|| name.to_owned())
    }

    /// The permission bits and owner of `name` (following a symlink), or `None` when it
    /// does not exist.
    pub fn stat(&self, name: &str) -> Result<Option<(u32, u32)>> {
        match rfs::statat(&self.fd, name, AtFlags::empty()) {
            Ok(st) => Ok(Some((st.st_mode & 0o7777, st.st_uid))),
            Err(rustix::io::Errno::NOENT) => Ok(None),
            Err(e) => Err(Error::Read {
                path: self.path.join(name),
                source: e.into(),
            }),
        }
    }

    /// Whether `name` exists in the directory.
    pub fn exists(&self, name: &str) -> Result<bool> {
        Ok(self.stat(name)?.is_some())
    }

    /// The certificates, requests and keys in the directory (`*.crt`, `*.pem`, `*.cer`,
    /// `*.der`, `*.csr`, `*.key`), sorted by name. Entries that are not regular files are
    /// listed too, so that a reader reports them instead of skipping them silently.
    pub fn list_pki_files(&self) -> Result<Vec<String>> {
        list_pki(&self.fd, &self.path)
    }
}

/// The `*.crt`, `*.pem`, `*.cer`, `*.der`, `*.csr` and `*.key` entries of an open
/// directory, sorted, whatever their type.
fn list_pki(fd: &OwnedFd, path: &Path) -> Result<Vec<String>> {
    let err = |e: rustix::io::Errno| Error::Read {
        path: path.to_owned(),
        source: e.into(),
    };
    let mut names = Vec::new();
    let mut dir = rfs::Dir::read_from(fd).map_err(err)?;
    while let Some(entry) = dir.read() {
        let entry = entry.map_err(err)?;
        let Ok(name) = entry.file_name().to_str() else {
            continue;
        };
        if name.starts_with('.')
            || ![".crt", ".pem", ".cer", ".der", ".csr", ".key"]
                .iter()
                .any(|ext| name.ends_with(ext))
        {
            continue;
        }
        names.push(name.to_owned());
    }
    names.sort();
    Ok(names)
}

impl DirLock {
    fn remove_stale_temps(&self) {
        let Ok(mut dir) = rfs::Dir::read_from(&self.handle.fd) else {
            return;
        };
        while let Some(Ok(entry)) = dir.read() {
            let Ok(name) = entry.file_name().to_str() else {
                continue;
            };
            if name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX) {
                // Best effort: a leftover we cannot remove does no harm to correctness.
                let _ = rfs::unlinkat(&self.handle.fd, name, AtFlags::empty());
            }
        }
    }

    /// Writes every file atomically into the locked directory.
    ///
    /// All temporary files are written and synced first, then renamed in the given order,
    /// then the directory is synced once. Put the certificate before its key: a run killed
    /// between the renames then leaves a new certificate beside the old key (a mismatch
    /// the next run reissues) or, on a first run, a certificate without a key, and never a
    /// key without its certificate, which aitls would refuse to overwrite (SPEC §2).
    pub fn write_all(&self, files: &[NewFile<'_>]) -> Result<()> {
        let mut temps = Vec::with_capacity(files.len());
        for file in files {
            temps.push(self.write_temp(file)?);
        }
        for (temp, file) in temps.iter_mut().zip(files) {
            rfs::renameat(&self.fd, temp.name.as_str(), &self.fd, file.name.as_str()).map_err(
                |e| Error::Write {
                    action: "replace",
                    path: self.path.join(&file.name),
                    source: e.into(),
                },
            )?;
            temp.renamed = true;
        }
        rfs::fsync(&self.fd).map_err(|e| Error::Write {
            action: "sync directory",
            path: self.path.clone(),
            source: e.into(),
        })
    }

    fn write_temp(&self, file: &NewFile<'_>) -> Result<Temp<'_>> {
        let target = self.path.join(&file.name);
        let err = |source: io::Error| Error::Write {
            action: "write",
            path: target.clone(),
            source,
        };
        let (fd, name) = loop {
            let mut random = [0u8; 8];
            rustix::rand::getrandom(&mut random, rustix::rand::GetRandomFlags::empty())
                .map_err(|e| err(e.into()))?;
            let name = format!("{TEMP_PREFIX}{}{TEMP_SUFFIX}", hex::encode(random));
            // O_EXCL with the final mode: a key is never readable by others, not even
            // between open and chmod; O_NOFOLLOW: never write through a planted link.
            match rfs::openat(
                &self.fd,
                name.as_str(),
                OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::from_raw_mode(file.mode),
            ) {
                Ok(fd) => break (fd, name),
                Err(rustix::io::Errno::EXIST) => continue,
                Err(e) => return Err(err(e.into())),
            }
        };
        let temp = Temp {
            dir: self,
            name,
            renamed: false,
        };
        // The umask may have removed bits; set exactly the mode we promise.
        rfs::fchmod(&fd, Mode::from_raw_mode(file.mode)).map_err(|e| err(e.into()))?;
        let mut f = File::from(fd);
        f.write_all(file.contents).map_err(err)?;
        f.sync_all().map_err(err)?;
        Ok(temp)
    }
}

/// A temporary file in the locked directory, removed on drop unless it was renamed.
struct Temp<'a> {
    dir: &'a DirLock,
    name: String,
    renamed: bool,
}

impl Drop for Temp<'_> {
    fn drop(&mut self) {
        if !self.renamed {
            let _ = rfs::unlinkat(&self.dir.handle.fd, self.name.as_str(), AtFlags::empty());
        }
    }
}

/// Flags for every read: `O_NONBLOCK` so that opening a FIFO returns at once instead of
/// waiting for a writer, `O_NOCTTY` so that a terminal device never becomes ours.
fn read_flags() -> OFlags {
    OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC
}

/// What a file that is not a regular file is, for the error message.
fn type_name(ft: FileType) -> &'static str {
    match ft {
        FileType::Fifo => "a FIFO (named pipe)",
        FileType::CharacterDevice => "a character device",
        FileType::BlockDevice => "a block device",
        FileType::Socket => "a socket",
        FileType::Directory => "a directory",
        FileType::Symlink => "a symbolic link",
        _ => "not a regular file",
    }
}

/// Reads an opened file after checking, on the handle, that it is a regular file no
/// larger than [`MAX_READ`].
fn read_regular(fd: OwnedFd, path: &Path) -> Result<FileRead> {
    let read_err = |e: io::Error| Error::Read {
        path: path.to_owned(),
        source: e,
    };
    let stat = rfs::fstat(fd.as_fd()).map_err(|e| read_err(e.into()))?;
    let ft = FileType::from_raw_mode(stat.st_mode);
    if ft != FileType::RegularFile {
        return Err(not_regular(path, ft));
    }
    if u64::try_from(stat.st_size).unwrap_or(u64::MAX) > MAX_READ {
        return Err(too_large(path));
    }
    let bytes = read_capped(File::from(fd), path)?;
    Ok(FileRead {
        bytes,
        mode: stat.st_mode & 0o7777,
        uid: stat.st_uid,
    })
}

fn too_large(path: &Path) -> Error {
    Error::Malformed {
        path: path.to_owned(),
        reason: "is larger than 1 MiB; not a certificate or key".into(),
        fixes: Vec::new(),
    }
}

/// Reads a file by path (a regular file of at most 1 MiB, checked on the opened handle);
/// `None` when it does not exist.
pub fn read_file(path: &Path) -> Result<Option<FileRead>> {
    match rfs::open(path, read_flags(), Mode::empty()) {
        Ok(fd) => read_regular(fd, path).map(Some),
        Err(rustix::io::Errno::NOENT) => Ok(None),
        Err(e) => Err(open_error(rfs::stat(path), path, e)),
    }
}

/// The error for a file that could not be opened: what it is when that is the reason
/// (a socket cannot be opened at all), else the system's reason.
fn open_error(stat: rustix::io::Result<rfs::Stat>, path: &Path, e: rustix::io::Errno) -> Error {
    match stat.map(|st| FileType::from_raw_mode(st.st_mode)) {
        Ok(ft) if ft != FileType::RegularFile => not_regular(path, ft),
        _ => Error::Read {
            path: path.to_owned(),
            source: e.into(),
        },
    }
}

fn not_regular(path: &Path, ft: FileType) -> Error {
    Error::Malformed {
        path: path.to_owned(),
        reason: format!(
            "is {}, not a regular file; aitls reads only regular files",
            type_name(ft)
        ),
        // A directory given where a file goes was probably meant as DIR.
        fixes: if ft == FileType::Directory {
            vec![Fix::UseDir {
                dir: path.to_owned(),
            }]
        } else {
            Vec::new()
        },
    }
}

/// Reads a file of at most 1 MiB by path; `None` when it does not exist.
pub fn read_limited(path: &Path) -> Result<Option<Vec<u8>>> {
    Ok(read_file(path)?.map(|f| f.bytes))
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
        return Err(too_large(path));
    }
    Ok(buf)
}

/// Reads standard input (`-` on the command line), with the same 1 MiB limit as files.
pub fn read_stdin() -> Result<Vec<u8>> {
    read_capped(io::stdin().lock(), Path::new("-"))
}

/// The permission bits of any file, or `None` when it does not exist.
pub fn mode_of(path: &Path) -> Result<Option<u32>> {
    match rfs::stat(path) {
        Ok(st) => Ok(Some(st.st_mode & 0o7777)),
        Err(rustix::io::Errno::NOENT) => Ok(None),
        Err(e) => Err(Error::Read {
            path: path.to_owned(),
            source: e.into(),
        }),
    }
}

/// When the file at `path` was last modified, or `None` when it does not exist.
pub fn modified_of(path: &Path) -> Result<Option<std::time::SystemTime>> {
    match std::fs::metadata(path).and_then(|meta| meta.modified()) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Read {
            path: path.to_owned(),
            source,
        }),
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

/// Writes a new file at `path` (mode `mode`), refusing when `path` exists: `aitls init`
/// never overwrites a project file, even one another run created a moment before. The
/// bytes go to a temporary file beside it, synced, then hard-linked into place: link(2)
/// never replaces a file, and a crash leaves either no file or the whole one.
pub fn write_new(path: &Path, contents: &[u8], mode: u32) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let err = |source| Error::Write {
        action: "write",
        path: path.to_owned(),
        source,
    };
    let mut random = [0u8; 8];
    rustix::rand::getrandom(&mut random, rustix::rand::GetRandomFlags::empty())
        .map_err(|e| err(e.into()))?;
    let temp = parent.join(format!("{TEMP_PREFIX}{}{TEMP_SUFFIX}", hex::encode(random)));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(&temp)
        .and_then(|mut file| {
            file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(mode))?;
            file.write_all(contents)?;
            file.sync_all()
        })
        .and_then(|()| std::fs::hard_link(&temp, path));
    // The temporary name goes either way; the link (or nothing) stays.
    let _ = std::fs::remove_file(&temp);
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(Error::Refused {
                message: format!(
                    "{} already exists; refusing to overwrite it",
                    path.display()
                ),
                fixes: Vec::new(),
            });
        }
        Err(e) => return Err(err(e)),
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

//! NSS databases: Chromium's `~/.pki/nssdb` (also snap Chromium's) and every Firefox
//! profile (plain, snap and flatpak), through NSS's own `certutil`.
//!
//! The entry's nickname is the CA's entry name; `-t C,,` trusts it to issue TLS server
//! certificates only (not e-mail or code signing), as mkcert does.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::{CaIdentity, Failure, Location, StoreKind, TrustEnv};

/// Where browsers keep NSS databases, relative to HOME: databases themselves, then
/// directories of Firefox profiles (each profile is a database).
const DATABASES: [&str; 2] = [".pki/nssdb", "snap/chromium/current/.pki/nssdb"];
const PROFILE_DIRS: [&str; 3] = [
    ".mozilla/firefox",
    "snap/firefox/common/.mozilla/firefox",
    ".var/app/org.mozilla.firefox/.mozilla/firefox",
];

/// certutil comes with NSS's tools, packaged apart from the library.
const PACKAGE: &str = "libnss3-tools on Debian/Ubuntu, nss-tools on Fedora/RHEL, nss on Arch";

struct Nss {
    /// The database directory.
    dir: PathBuf,
    /// `sql:` (cert9.db, NSS ≥ 3.35's default) or `dbm:` (legacy cert8.db).
    prefix: &'static str,
    env: TrustEnv,
}

fn database(dir: &Path, env: &TrustEnv) -> Option<Nss> {
    let prefix = if dir.join("cert9.db").is_file() {
        "sql:"
    } else if dir.join("cert8.db").is_file() {
        "dbm:"
    } else {
        return None;
    };
    Some(Nss {
        dir: dir.to_owned(),
        prefix,
        env: env.clone(),
    })
}

pub(super) fn find(env: &TrustEnv) -> Result<Vec<Box<dyn Location>>, String> {
    let Some(home) = &env.home else {
        return Err("HOME is not set".into());
    };
    let mut found: Vec<Box<dyn Location>> = Vec::new();
    for db in DATABASES {
        found.extend(database(&home.join(db), env).map(|n| Box::new(n) as Box<dyn Location>));
    }
    for profiles in PROFILE_DIRS {
        let Ok(entries) = std::fs::read_dir(home.join(profiles)) else {
            continue;
        };
        let mut dirs: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        dirs.sort();
        for dir in dirs {
            found.extend(database(&dir, env).map(|n| Box::new(n) as Box<dyn Location>));
        }
    }
    if found.is_empty() {
        return Err(format!(
            "no NSS database in {}/.pki/nssdb or a Firefox profile; Chromium and Firefox create theirs on first start",
            home.display()
        ));
    }
    Ok(found)
}

impl Nss {
    fn certutil(&self, args: &[&OsStr]) -> Result<Vec<u8>, Failure> {
        let tool = super::tool_or_missing(&self.env, "certutil", PACKAGE)?;
        let db = format!("{}{}", self.prefix, self.dir.display());
        let mut all: Vec<&OsStr> = vec![OsStr::new("-d"), OsStr::new(&db)];
        all.extend_from_slice(args);
        super::run_tool(&tool, &all)
    }

    fn file(&self) -> PathBuf {
        self.dir.join(if self.prefix == "sql:" {
            "cert9.db"
        } else {
            "cert8.db"
        })
    }

    fn writable(&self) -> Result<(), Failure> {
        let file = self.file();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&file)
            .map(drop)
            .map_err(|e| super::write_failure(&file, &e))
    }
}

impl Location for Nss {
    fn kind(&self) -> StoreKind {
        StoreKind::Nss
    }

    fn describe(&self) -> String {
        self.dir.display().to_string()
    }

    fn contains(&self, ca: &CaIdentity) -> Result<bool, Failure> {
        // certutil says only "bad database" for one it may not read: say what it is.
        let file = self.file();
        std::fs::File::open(&file).map_err(|e| super::write_failure(&file, &e))?;
        let nick = OsStr::new(&ca.entry);
        match self.certutil(&["-L".as_ref(), "-n".as_ref(), nick, "-a".as_ref()]) {
            Ok(pem) => Ok(super::pem_certs(&pem).contains(&ca.der)),
            // certutil: "Could not find cert: NICK; PR_FILE_NOT_FOUND_ERROR: File not found"
            // when the nickname is absent.
            Err(Failure::Tool { message, .. })
                if message.to_ascii_lowercase().contains("could not find cert") =>
            {
                Ok(false)
            }
            Err(f) => Err(f),
        }
    }

    fn add(&self, ca: &CaIdentity) -> Result<(), Failure> {
        self.writable()?;
        let tool = super::tool_or_missing(&self.env, "certutil", PACKAGE)?;
        let db = format!("{}{}", self.prefix, self.dir.display());
        // Without -i, certutil reads the certificate from stdin; -a: it is PEM.
        let args: [&OsStr; 8] = [
            "-d".as_ref(),
            db.as_ref(),
            "-A".as_ref(),
            "-t".as_ref(),
            "C,,".as_ref(),
            "-n".as_ref(),
            ca.entry.as_ref(),
            "-a".as_ref(),
        ];
        super::run_tool_with_input(&tool, &args, Some(ca.pem.as_bytes())).map(drop)
    }

    fn delete(&self, ca: &CaIdentity) -> Result<(), Failure> {
        self.writable()?;
        self.certutil(&["-D".as_ref(), "-n".as_ref(), ca.entry.as_ref()])
            .map(drop)
    }
}

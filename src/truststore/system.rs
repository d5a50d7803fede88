//! The operating system's store on Linux: a PEM file in the distribution's anchor
//! directory, then the distribution's tool rebuilds the bundle every OpenSSL, GnuTLS, Go and
//! curl client reads. The bundle is what is re-read: it is what clients see.
//!
//! On macOS and Windows the system store is the keychain or the ROOT store
//! ([`super::macos`], [`super::windows`]).

use std::ffi::OsStr;
use std::io::Write;
use std::path::PathBuf;

use super::{CaIdentity, Failure, Location, StoreKind, TrustEnv};

/// One distribution family's layout (the same table mkcert's `truststore_linux.go` uses).
struct Layout {
    /// Where local anchors go.
    anchors: &'static str,
    /// The extension the tool picks up there.
    ext: &'static str,
    /// The bundle the tool writes, which clients read.
    bundle: &'static str,
    /// The tool and its arguments after adding, and after removing.
    tool: &'static str,
    add_args: &'static [&'static str],
    /// Debian's tool leaves the links of removed certificates dangling in /etc/ssl/certs
    /// unless told to rebuild from scratch.
    remove_args: &'static [&'static str],
    package: &'static str,
}

const LAYOUTS: [Layout; 4] = [
    // Fedora, RHEL, CentOS.
    Layout {
        anchors: "/etc/pki/ca-trust/source/anchors",
        ext: "pem",
        bundle: "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
        tool: "update-ca-trust",
        add_args: &["extract"],
        remove_args: &["extract"],
        package: "ca-certificates",
    },
    // Debian, Ubuntu, Alpine.
    Layout {
        anchors: "/usr/local/share/ca-certificates",
        ext: "crt",
        bundle: "/etc/ssl/certs/ca-certificates.crt",
        tool: "update-ca-certificates",
        add_args: &[],
        remove_args: &["--fresh"],
        package: "ca-certificates",
    },
    // Arch.
    Layout {
        anchors: "/etc/ca-certificates/trust-source/anchors",
        ext: "crt",
        bundle: "/etc/ssl/certs/ca-certificates.crt",
        tool: "trust",
        add_args: &["extract-compat"],
        remove_args: &["extract-compat"],
        package: "p11-kit",
    },
    // openSUSE, SLES.
    Layout {
        anchors: "/etc/pki/trust/anchors",
        ext: "pem",
        bundle: "/var/lib/ca-certificates/ca-bundle.pem",
        tool: "update-ca-certificates",
        add_args: &[],
        remove_args: &[],
        package: "ca-certificates",
    },
];

/// Bundles hold a few hundred certificates (~250 KB); refuse to read anything absurd.
const MAX_BUNDLE: u64 = 64 << 20;

struct System {
    layout: &'static Layout,
    env: TrustEnv,
}

pub(super) fn find(env: &TrustEnv) -> Result<Vec<Box<dyn Location>>, String> {
    if cfg!(target_os = "macos") {
        return super::macos::find(env);
    }
    if cfg!(windows) {
        return super::windows::find(env);
    }
    LAYOUTS
        .iter()
        .find(|l| std::path::Path::new(l.anchors).is_dir())
        .map(|layout| {
            vec![Box::new(System {
                layout,
                env: env.clone(),
            }) as Box<dyn Location>]
        })
        .ok_or_else(|| format!("none of {} exists", LAYOUTS.map(|l| l.anchors).join(", ")))
}

impl System {
    fn file(&self, ca: &CaIdentity) -> PathBuf {
        PathBuf::from(self.layout.anchors).join(format!("{}.{}", ca.slug(), self.layout.ext))
    }

    fn rebuild(&self, args: &[&str]) -> Result<(), Failure> {
        let tool = super::tool_or_missing(&self.env, self.layout.tool, self.layout.package)?;
        let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
        super::run_tool(&tool, &args).map(drop)
    }
}

impl Location for System {
    fn kind(&self) -> StoreKind {
        StoreKind::System
    }

    fn describe(&self) -> String {
        format!("{} ({})", self.layout.anchors, self.layout.tool)
    }

    fn contains(&self, ca: &CaIdentity) -> Result<bool, Failure> {
        use std::io::Read;
        let mut text = Vec::new();
        match std::fs::File::open(self.layout.bundle) {
            Ok(f) => f
                .take(MAX_BUNDLE)
                .read_to_end(&mut text)
                .map_err(|e| Failure::Other {
                    message: format!("cannot read {}: {e}", self.layout.bundle),
                })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(e) => {
                return Err(Failure::Other {
                    message: format!("cannot read {}: {e}", self.layout.bundle),
                });
            }
        };
        Ok(super::pem_certs(&text).contains(&ca.der))
    }

    fn add(&self, ca: &CaIdentity) -> Result<(), Failure> {
        // Fail before writing anything when the tool is missing.
        super::tool_or_missing(&self.env, self.layout.tool, self.layout.package)?;
        let path = self.file(ca);
        // Written beside it, then renamed: the tool never sees half a certificate. The
        // name is fixed, so a run killed in between leaves at most one, which the next
        // run replaces.
        let tmp = PathBuf::from(self.layout.anchors).join(format!(".{}.tmp", ca.slug()));
        let write = || -> std::io::Result<()> {
            use std::os::unix::fs::OpenOptionsExt;
            match std::fs::remove_file(&tmp) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
            // Anchors are public certificates, read by the tool and by clients.
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o644)
                .open(&tmp)?;
            // Whatever the umask.
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o644))?;
            file.write_all(ca.pem.as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&tmp, &path)
        };
        write().map_err(|e| super::write_failure(&path, &e))?;
        self.rebuild(self.layout.add_args)
    }

    fn delete(&self, ca: &CaIdentity) -> Result<(), Failure> {
        super::tool_or_missing(&self.env, self.layout.tool, self.layout.package)?;
        let path = self.file(ca);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(super::write_failure(&path, &e)),
        }
        self.rebuild(self.layout.remove_args)
    }
}

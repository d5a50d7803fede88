//! Shared helpers: a clean `aitls` command in a fresh temporary directory, and readers
//! for what it writes.

#![allow(dead_code)] // not every test module uses every helper

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Output, Stdio};

use assert_cmd::Command;
use tempfile::TempDir;

/// A fresh working directory; `aitls` runs inside it, so the default `ai/certs` lands here.
pub struct Sandbox {
    pub tmp: TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        Sandbox {
            tmp: tempfile::tempdir().expect("temporary directory"),
        }
    }

    /// The working directory.
    pub fn root(&self) -> &Path {
        self.tmp.path()
    }

    /// The default certificate directory, `ai/certs`.
    pub fn certs(&self) -> PathBuf {
        self.root().join("ai/certs")
    }

    /// A file in the default certificate directory.
    pub fn file(&self, name: &str) -> PathBuf {
        self.certs().join(name)
    }

    /// `aitls` with a clean environment, run in the sandbox.
    pub fn aitls(&self) -> Command {
        aitls(self.root())
    }

    /// Starts `aitls ARGS` without waiting, capturing its output.
    pub fn spawn(&self, args: &[&str]) -> std::process::Child {
        aitls_std(self.root())
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn aitls")
    }

    /// Runs `aitls ARGS` and asserts success.
    pub fn ok(&self, args: &[&str]) -> Output {
        let out = self.aitls().args(args).output().expect("run aitls");
        assert!(
            out.status.success(),
            "aitls {args:?} failed: {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Runs `aitls --json ARGS`, asserts success and parses stdout.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.ok(&all);
        serde_json::from_slice(&out.stdout).expect("stdout is one JSON document")
    }

    /// A quick CA (ECDSA P-256) for tests that are not about the CA's key type.
    pub fn quick_ca(&self) {
        self.ok(&["ca", "--key-type", "ecdsa-p256"]);
    }

    /// A quick CA and server certificate (both ECDSA P-256).
    pub fn quick_pair(&self) {
        self.quick_ca();
        self.ok(&["server", "--key-type", "ecdsa-p256"]);
    }

    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.file(name)).unwrap_or_else(|e| panic!("reading {name}: {e}"))
    }
}

/// `aitls` run in `dir`, with AITLS_* and NO_COLOR removed from its environment.
pub fn aitls(dir: &Path) -> Command {
    Command::from_std(aitls_std(dir))
}

/// The same as [`aitls`], as a plain `std::process::Command` (for spawning in parallel).
pub fn aitls_std(dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_aitls"));
    cmd.current_dir(dir);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("AITLS_") {
            cmd.env_remove(&key);
        }
    }
    cmd.env_remove("NO_COLOR");
    cmd
}

/// Permission bits of a file.
pub fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o7777
}

/// The DER of the first certificate in a PEM file.
pub fn cert_der(path: &Path) -> Vec<u8> {
    let text = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let block = pem::parse(text).expect("PEM");
    assert_eq!(block.tag(), "CERTIFICATE");
    block.into_contents()
}

/// Runs `f` on the parsed certificate at `path`.
pub fn with_cert<T>(
    path: &Path,
    f: impl FnOnce(&x509_parser::certificate::X509Certificate<'_>) -> T,
) -> T {
    let der = cert_der(path);
    let (_, cert) = x509_parser::parse_x509_certificate(&der).expect("valid X.509");
    f(&cert)
}

/// Runs a real `openssl` with `args` in `dir`, returning its output.
pub fn openssl(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl is installed (.ci/run installs it)")
}

/// stdout as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// stderr as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The path of an external tool the test needs. A missing tool fails the test (never a
/// silent skip): `.ci/run` installs every tool a test uses, `package` names where it comes
/// from.
pub fn tool(name: &str, package: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| {
            panic!("`{name}` is not on PATH: .ci/run installs it ({package}); run the tests through it or install it")
        })
}

/// A loopback TCP port that was free a moment ago (bind port 0, read it, close).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind 127.0.0.1:0")
        .port()
}

/// Waits until something accepts TCP connections on `addr`, for at most `secs` seconds.
pub fn wait_for_port(addr: &str, secs: u64) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < deadline {
        if std::net::TcpStream::connect(addr).is_ok() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    false
}

/// A background server process, killed by its PID (and reaped) when dropped.
pub struct Background(pub std::process::Child);

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `openssl s_server` on 127.0.0.1:`port` serving `cert`/`key` from `dir`, plus `extra`.
pub fn s_server(dir: &Path, port: u16, cert: &str, key: &str, extra: &[&str]) -> Background {
    tool("openssl", "openssl");
    let child = StdCommand::new("openssl")
        .args(["s_server", "-quiet", "-www", "-accept"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-cert", cert, "-key", key])
        .args(extra)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start openssl s_server");
    let server = Background(child);
    assert!(
        wait_for_port(&format!("127.0.0.1:{port}"), 10),
        "s_server did not start"
    );
    server
}

/// Every object key anywhere in a JSON document (for the tests that check docs/json.md
/// names each field a command prints).
pub fn json_keys(value: &serde_json::Value, found: &mut std::collections::BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                found.insert(k.clone());
                json_keys(v, found);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| json_keys(v, found)),
        _ => {}
    }
}

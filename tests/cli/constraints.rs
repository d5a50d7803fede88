//! Leak-safe CAs (SPEC §7): `aitls ca --permit` writes critical nameConstraints; `server`
//! refuses names outside the constraints of any CA (an openssl-made one too); `verify` names
//! the violating name; `inspect` shows the constraints; and real clients accept a
//! constrained CA's leaf and refuse a leaf for an outside name signed with the same key.
//! (Chromium and Java accepting the leaf through their stores: `trust.rs`.)

use std::path::Path;
use std::process::Command;

use x509_parser::extensions::{GeneralName, ParsedExtension};

use crate::trust::{openssl_leaf, s_server};
use crate::util::{Sandbox, free_port, stderr, stdout, tool, with_cert};

fn permitted_and_critical(path: &Path) -> (Vec<String>, Vec<String>, bool) {
    with_cert(path, |cert| {
        let ext = cert
            .extensions()
            .iter()
            .find(|e| matches!(e.parsed_extension(), ParsedExtension::NameConstraints(_)))
            .expect("a nameConstraints extension");
        let ParsedExtension::NameConstraints(nc) = ext.parsed_extension() else {
            unreachable!()
        };
        let show = |trees: &Option<Vec<x509_parser::extensions::GeneralSubtree<'_>>>| {
            trees
                .iter()
                .flatten()
                .map(|t| match &t.base {
                    GeneralName::DNSName(d) => format!("DNS:{d}"),
                    GeneralName::IPAddress(b) => format!("IP:{}", hex::encode(b)),
                    other => other.to_string(),
                })
                .collect()
        };
        (
            show(&nc.permitted_subtrees),
            show(&nc.excluded_subtrees),
            ext.critical,
        )
    })
}

#[test]
fn ca_permit_writes_critical_name_constraints() {
    let sb = Sandbox::new();
    sb.ok(&[
        "ca",
        "--key-type",
        "ecdsa-p256",
        "--permit",
        "example.com",
        "--permit",
        ".test",
        "--permit",
        "10.0.0.0/8",
    ]);
    let (permitted, excluded, critical) = permitted_and_critical(&sb.file("ca.crt"));
    assert!(critical);
    assert_eq!(
        permitted,
        ["DNS:example.com", "DNS:.test", "IP:0a000000ff000000"]
    );
    assert!(excluded.is_empty());
}

#[test]
fn without_an_ip_range_every_ip_is_excluded() {
    let sb = Sandbox::new();
    sb.ok(&["ca", "--key-type", "ecdsa-p256", "--permit", "example.com"]);
    let (_, excluded, _) = permitted_and_critical(&sb.file("ca.crt"));
    assert_eq!(
        excluded,
        [
            "IP:0000000000000000",
            format!("IP:{}", "0".repeat(64)).as_str()
        ]
    );
}

#[test]
fn permit_local_covers_the_default_names() {
    let sb = Sandbox::new();
    sb.ok(&["ca", "--key-type", "ecdsa-p256", "--permit", "local"]);
    let (permitted, _, _) = permitted_and_critical(&sb.file("ca.crt"));
    assert_eq!(permitted.len(), 7, "{permitted:?}");
    sb.ok(&["server", "--key-type", "ecdsa-p256"]);
    sb.ok(&[
        "server",
        "--out",
        "yolo",
        "--key-type",
        "ecdsa-p256",
        "yolo.test",
        "llm.internal",
    ]);
    sb.ok(&["verify"]);
}

#[test]
fn bad_permit_values_are_usage_errors() {
    let sb = Sandbox::new();
    for bad in ["10.0.0.1/8", "*.example.com", "exa mple.com", "::1/129"] {
        let out = sb
            .aitls()
            .args(["ca", "--key-type", "ecdsa-p256", "--permit", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(stderr(&out).contains("--permit"), "{bad}: {}", stderr(&out));
        assert!(!sb.file("ca.key").exists());
    }
}

#[test]
fn server_refuses_names_outside_the_constraints_with_the_list_it_allows() {
    let sb = Sandbox::new();
    sb.ok(&["ca", "--key-type", "ecdsa-p256", "--permit", "example.com"]);
    // Issue 9: a CA permitting only example.com must not get a default localhost certificate.
    let out = sb
        .aitls()
        .args(["server", "--key-type", "ecdsa-p256"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("localhost, 127.0.0.1, ::1 are outside the name constraints"),
        "{err}"
    );
    assert!(
        err.contains("permits only example.com (no IP addresses)"),
        "{err}"
    );
    assert!(!sb.file("server.crt").exists() && !sb.file("server.key").exists());

    let out = sb
        .aitls()
        .args([
            "server",
            "--key-type",
            "ecdsa-p256",
            "api.example.com",
            "example.org",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error: example.org is outside"),
        "{}",
        stderr(&out)
    );
    sb.ok(&[
        "server",
        "--key-type",
        "ecdsa-p256",
        "api.example.com",
        "*.example.com",
    ]);
    // Every IP excluded does not upset rustls for a DNS-only certificate.
    sb.ok(&["verify", "--host", "api.example.com"]);
}

#[test]
fn server_honours_the_constraints_of_a_ca_made_with_openssl() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.certs()).unwrap();
    let out = Command::new(tool("openssl", "openssl"))
        .args([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "ca.key", "-out", "ca.crt", "-days", "30", "-subj", "/CN=Lab CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            "-addext", "nameConstraints=critical,permitted;DNS:lab.example,permitted;IP:192.168.0.0/255.255.0.0",
        ])
        .current_dir(sb.certs())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::set_permissions(
        sb.file("ca.key"),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    let out = sb
        .aitls()
        .args(["server", "--key-type", "ecdsa-p256"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("which permits only lab.example, 192.168.0.0/16"),
        "{}",
        stderr(&out)
    );
    sb.ok(&[
        "server",
        "--key-type",
        "ecdsa-p256",
        "api.lab.example",
        "192.168.1.5",
    ]);
}

#[test]
fn verify_names_the_violating_name_and_inspect_shows_the_constraints() {
    let sb = Sandbox::new();
    sb.ok(&["ca", "--key-type", "ecdsa-p256", "--permit", "local"]);
    openssl_leaf(&sb.certs(), "evil.example", "evil");
    let out = sb
        .aitls()
        .args(["verify", "ai/certs/evil.crt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("evil.example is outside the name constraints of CA \"AI Services CA\""),
        "{text}"
    );

    let out = sb.ok(&["inspect", "ai/certs/ca.crt"]);
    assert!(
        stdout(&out).contains(
            "name constraints     localhost, .localhost, .test, .internal, .home.arpa, 127.0.0.0/8, ::1/128 (critical)"
        ),
        "{}",
        stdout(&out)
    );
    let out = sb.ok(&["inspect"]);
    assert!(
        stdout(&out).contains("CA CN=AI Services CA, permits only localhost, .localhost"),
        "{}",
        stdout(&out)
    );
    let doc = sb.json(&["inspect", "ai/certs/ca.crt"]);
    let nc = &doc[0]["name_constraints"];
    assert_eq!(nc["critical"], true);
    assert_eq!(nc["permitted"][5], "127.0.0.0/8");
    assert_eq!(nc["excluded"], serde_json::json!([]));
}

#[test]
fn a_kept_ca_warns_when_permit_differs() {
    let sb = Sandbox::new();
    sb.ok(&["ca", "--key-type", "ecdsa-p256"]);
    let out = sb.ok(&["ca", "--key-type", "ecdsa-p256", "--permit", "local"]);
    assert!(
        stderr(&out).contains(
            "permits every name; --permit applies when the CA is renewed (same key); run `aitls ca --renew --permit localhost --permit .localhost "
        ),
        "{}",
        stderr(&out)
    );
}

fn curl(ca: &Path, name: &str, port: u16) -> std::process::Output {
    Command::new(tool("curl", "curl"))
        .args([
            "--silent",
            "--show-error",
            "--max-time",
            "10",
            "-o",
            "/dev/null",
            "--cacert",
        ])
        .arg(ca)
        .arg("--resolve")
        .arg(format!("{name}:{port}:127.0.0.1"))
        .arg(format!("https://{name}:{port}/"))
        .output()
        .unwrap()
}

/// Python's ssl with VERIFY_X509_STRICT (Python 3.13's default) connecting as `name`.
fn python_strict(ca: &Path, name: &str, port: u16) -> std::process::Output {
    const SCRIPT: &str = r#"
import socket, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[1])
ctx.verify_flags |= ssl.VERIFY_X509_STRICT
with socket.create_connection(("127.0.0.1", int(sys.argv[3])), timeout=10) as s:
    with ctx.wrap_socket(s, server_hostname=sys.argv[2]):
        print("ok")
"#;
    Command::new(tool("python3", "python3"))
        .arg("-c")
        .arg(SCRIPT)
        .arg(ca)
        .arg(name)
        .arg(port.to_string())
        .output()
        .unwrap()
}

/// node with the CA in NODE_EXTRA_CA_CERTS, as `aitls trust` tells node users to do.
fn node(ca: &Path, name: &str, port: u16) -> std::process::Output {
    const SCRIPT: &str = r#"
const https = require('https');
const [name, port] = process.argv.slice(1);
https.get({ host: '127.0.0.1', port, servername: name, headers: { host: name }, timeout: 10000 },
  r => { console.log('ok', r.statusCode); process.exit(0); })
  .on('error', e => { console.error(e.code, e.message); process.exit(1); });
"#;
    Command::new(tool("node", "nodejs"))
        .arg("-e")
        .arg(SCRIPT)
        .arg(name)
        .arg(port.to_string())
        .env("NODE_EXTRA_CA_CERTS", ca)
        .output()
        .unwrap()
}

#[test]
fn clients_accept_a_constrained_cas_leaf_and_refuse_an_outside_one_from_the_same_key() {
    let sb = Sandbox::new();
    sb.ok(&["ca", "--key-type", "ecdsa-p256", "--permit", "local"]);
    sb.ok(&[
        "server",
        "--key-type",
        "ecdsa-p256",
        "localhost",
        "api.test",
    ]);
    openssl_leaf(&sb.certs(), "evil.example", "evil");
    let ca = sb.file("ca.crt");
    let port = free_port();
    let _good = s_server(&sb.certs(), "server.crt", "server.key", port);
    let evil_port = free_port();
    let _evil = s_server(&sb.certs(), "evil.crt", "evil.key", evil_port);

    for name in ["localhost", "api.test"] {
        let out = curl(&ca, name, port);
        assert!(out.status.success(), "curl {name}: {}", stderr(&out));
        let out = python_strict(&ca, name, port);
        assert!(out.status.success(), "python {name}: {}", stderr(&out));
        let out = node(&ca, name, port);
        assert!(out.status.success(), "node {name}: {}", stderr(&out));
    }

    // OpenSSL names the reason: X509_V_ERR_PERMITTED_VIOLATION.
    let out = curl(&ca, "evil.example", evil_port);
    assert!(
        !out.status.success(),
        "curl accepted a leaf outside the constraints"
    );
    assert!(
        stderr(&out).contains("permitted subtree violation"),
        "{}",
        stderr(&out)
    );
    let out = python_strict(&ca, "evil.example", evil_port);
    assert!(
        !out.status.success(),
        "python accepted a leaf outside the constraints"
    );
    assert!(
        stderr(&out).contains("permitted subtree violation"),
        "{}",
        stderr(&out)
    );
    let out = node(&ca, "evil.example", evil_port);
    assert!(
        !out.status.success(),
        "node accepted a leaf outside the constraints"
    );
}

#[test]
fn renewal_keeps_the_constraints_and_permit_with_renew_changes_them_for_the_same_key() {
    let sb = Sandbox::new();
    sb.ok(&["ca", "--key-type", "ecdsa-p256", "--permit", "local"]);
    let key = sb.read("ca.key");
    sb.ok(&["ca", "--renew"]);
    let (permitted, _, critical) = permitted_and_critical(&sb.file("ca.crt"));
    assert!(critical && permitted.len() == 7, "{permitted:?}");
    sb.ok(&["ca", "--renew", "--permit", "example.com"]);
    assert_eq!(sb.read("ca.key"), key, "renewal changed the key");
    let (permitted, excluded, _) = permitted_and_critical(&sb.file("ca.crt"));
    assert_eq!(permitted, ["DNS:example.com"]);
    assert_eq!(excluded.len(), 2);
    let out = sb
        .aitls()
        .args(["server", "--key-type", "ecdsa-p256"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn the_permit_hint_on_a_kept_ca_constrains_it_when_pasted() {
    let sb = Sandbox::new();
    sb.ok(&["ca", "--key-type", "ecdsa-p256"]);
    let out = sb.ok(&["ca", "--permit", "local"]);
    let err = crate::util::stderr(&out);
    let start = err
        .find("run `aitls ca --renew --permit ")
        .unwrap_or_else(|| panic!("{err}"));
    let command = &err[start + "run `".len()..];
    let command = &command[..command.find('`').unwrap()];
    let args: Vec<&str> = command.split_whitespace().skip(1).collect();
    let key = sb.read("ca.key");
    sb.ok(&args);
    assert_eq!(sb.read("ca.key"), key, "renewal keeps the key");
    // The CA now permits what was asked: a plain `aitls ca --permit local` keeps it quietly.
    let out = sb.ok(&["ca", "--permit", "local"]);
    assert!(
        !crate::util::stderr(&out).contains("--permit"),
        "{}",
        crate::util::stderr(&out)
    );
    let refused = sb.aitls().args(["server", "example.com"]).output().unwrap();
    assert_eq!(refused.status.code(), Some(1), "{refused:?}");
}

//! `aitls probe` against real services: `openssl s_server` (TLS 1.3, TLS 1.2 only, mTLS,
//! another CA's certificate, a certificate replaced on disk, the wrong name), a uvicorn app
//! started as the guide starts YOLO26, a plain-HTTP Python server, a closed port and a port
//! that accepts and never answers. Every server binds loopback on a port the OS picks.

use crate::util::json_keys as keys;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::util::{Background, Sandbox, free_port, s_server, stderr, stdout, tool, wait_for_port};

#[derive(Debug, Deserialize)]
struct Report {
    target: String,
    ok: bool,
    address: Option<String>,
    tls_version: Option<String>,
    cipher: Option<String>,
    alpn: Option<String>,
    chain: Vec<Served>,
    checks: Vec<Check>,
}

#[derive(Debug, Deserialize)]
struct Served {
    subject: String,
    issuer: String,
    fingerprint_sha256: String,
    #[allow(dead_code)]
    not_after: String,
}

#[derive(Debug, Deserialize)]
struct Check {
    name: String,
    ok: bool,
    warning: bool,
    detail: String,
    fix: Option<String>,
}

impl Report {
    fn check(&self, name: &str) -> &Check {
        self.checks
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no {name} check in {self:#?}"))
    }

    fn names(&self) -> Vec<&str> {
        self.checks.iter().map(|c| c.name.as_str()).collect()
    }
}

/// `aitls --json probe ARGS`: the exit code and the parsed reports.
fn probe(sb: &Sandbox, args: &[&str]) -> (i32, Vec<Report>) {
    let out = sb
        .aitls()
        .args(["--json", "probe"])
        .args(args)
        .output()
        .expect("run aitls");
    let reports = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "probe {args:?}: stdout is not the report array ({e}):\n{}\n{}",
            stdout(&out),
            stderr(&out)
        )
    });
    (out.status.code().unwrap_or(-1), reports)
}

fn sha256_fingerprint(sb: &Sandbox, file: &str) -> String {
    let out = crate::util::openssl(
        &sb.certs(),
        &["x509", "-in", file, "-noout", "-fingerprint", "-sha256"],
    );
    stdout(&out)
        .trim()
        .split_once('=')
        .expect("openssl prints sha256 Fingerprint=…")
        .1
        .to_owned()
}

#[test]
fn probe_passes_a_service_serving_the_current_certificate() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let port = free_port();
    let _server = s_server(&sb.certs(), port, "server.crt", "server.key", &[]);
    let url = format!("https://localhost:{port}");
    let (code, reports) = probe(&sb, &[&url]);
    assert_eq!(code, 0, "{reports:#?}");
    let r = &reports[0];
    assert!(r.ok);
    assert_eq!(r.target, url);
    assert_eq!(
        r.address.as_deref(),
        Some(format!("127.0.0.1:{port}").as_str())
    );
    assert_eq!(r.tls_version.as_deref(), Some("TLSv1.3"));
    assert!(
        r.cipher
            .as_deref()
            .is_some_and(|c| c.starts_with("TLS_AES_")),
        "{r:?}"
    );
    assert_eq!(r.names(), ["trusted", "host", "current", "tls13"]);
    assert!(r.checks.iter().all(|c| c.ok && !c.warning), "{r:#?}");
    assert_eq!(r.alpn, None, "s_server without -alpn chooses none");
    assert_eq!(r.chain.len(), 1);
    assert_eq!(r.chain[0].subject, "CN=localhost");
    assert_eq!(r.chain[0].issuer, "CN=AI Services CA");
    assert_eq!(
        r.chain[0].fingerprint_sha256,
        sha256_fingerprint(&sb, "server.crt")
    );

    // The human report: one block, one line per check, like `aitls verify`.
    let out = sb.ok(&["probe", &url]);
    let text = stdout(&out);
    assert!(
        text.contains(&format!("connected to 127.0.0.1:{port}, TLSv1.3")),
        "{text}"
    );
    assert!(text.contains("ok   trusted"), "{text}");
    assert!(
        text.contains("ok   current  serves ai/certs/server.crt"),
        "{text}"
    );
    assert!(text.contains("ok: 1 target pass"), "{text}");
}

#[test]
fn probe_warns_when_the_service_offers_only_tls_1_2() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let port = free_port();
    let _server = s_server(
        &sb.certs(),
        port,
        "server.crt",
        "server.key",
        &["-tls1_2", "-alpn", "http/1.1"],
    );
    let (code, reports) = probe(&sb, &[&format!("localhost:{port}")]);
    assert_eq!(code, 0, "a warning does not fail the probe: {reports:#?}");
    let r = &reports[0];
    assert_eq!(r.tls_version.as_deref(), Some("TLSv1.2"));
    assert_eq!(
        r.alpn.as_deref(),
        Some("http/1.1"),
        "the service chose by ALPN"
    );
    let tls13 = r.check("tls13");
    assert!(tls13.ok && tls13.warning, "{tls13:?}");
    assert!(tls13.detail.contains("does not offer TLS 1.3"), "{tls13:?}");
    assert!(tls13.fix.is_some());
}

#[test]
fn probe_presents_a_client_certificate_to_a_service_that_requires_one() {
    let sb = Sandbox::new();
    sb.quick_pair();
    sb.ok(&[
        "server",
        "--out",
        "backend",
        "--client",
        "--key-type",
        "ecdsa-p256",
        "backend",
    ]);
    let port = free_port();
    let _server = s_server(
        &sb.certs(),
        port,
        "server.crt",
        "server.key",
        &["-Verify", "1", "-CAfile", "ca.crt"],
    );
    let url = format!("https://localhost:{port}");

    let (code, reports) = probe(&sb, &[&url]);
    assert_eq!(code, 1, "{reports:#?}");
    let client = reports[0].check("client_cert");
    assert!(!client.ok);
    assert!(client.detail.contains("certificate_required"), "{client:?}");
    assert!(
        client
            .fix
            .as_deref()
            .is_some_and(|f| f.contains("--client")),
        "{client:?}"
    );

    // TLS 1.2 has no certificate_required alert: the refusal comes inside the handshake.
    let port12 = free_port();
    let _server12 = s_server(
        &sb.certs(),
        port12,
        "server.crt",
        "server.key",
        &["-Verify", "1", "-CAfile", "ca.crt", "-tls1_2"],
    );
    let url12 = format!("https://localhost:{port12}");
    let (code, reports) = probe(&sb, &[&url12]);
    assert_eq!(code, 1, "{reports:#?}");
    let handshake = reports[0].check("handshake");
    assert!(
        handshake
            .detail
            .contains("asked for a client certificate (mTLS)"),
        "{handshake:?}"
    );
    assert!(
        reports[0].check("trusted").ok,
        "the chain was served before the refusal"
    );
    let (code, _) = probe(&sb, &[&url12, "--client", "backend"]);
    assert_eq!(code, 0);

    let (code, reports) = probe(&sb, &[&url, "--client", "backend"]);
    assert_eq!(code, 0, "{reports:#?}");
    let client = reports[0].check("client_cert");
    assert!(
        client.ok && client.detail.contains("backend.crt"),
        "{client:?}"
    );

    let (code, _) = probe(
        &sb,
        &[
            &url,
            "--cert",
            "ai/certs/backend.crt",
            "--key",
            "ai/certs/backend.key",
        ],
    );
    assert_eq!(code, 0);
}

#[test]
fn probe_names_the_issuer_of_a_chain_it_does_not_trust() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let other = Sandbox::new();
    other.ok(&["ca", "--cn", "Other CA", "--key-type", "ecdsa-p256"]);
    other.ok(&["server", "--key-type", "ecdsa-p256"]);
    let port = free_port();
    let _server = s_server(&other.certs(), port, "server.crt", "server.key", &[]);
    let (code, reports) = probe(&sb, &[&format!("https://localhost:{port}")]);
    assert_eq!(code, 1);
    let trusted = reports[0].check("trusted");
    assert!(!trusted.ok);
    assert!(
        trusted
            .detail
            .contains("the chain leads to CN=Other CA, not to a CA in ai/certs/ca.crt"),
        "{trusted:?}"
    );
    // The served certificate is not the one in DIR either.
    assert!(!reports[0].check("current").ok);

    // --system trusts the OS store, which does not hold the aitls CA.
    let (code, reports) = probe(&other, &[&format!("https://localhost:{port}"), "--system"]);
    assert_eq!(code, 1);
    let trusted = reports[0].check("trusted");
    assert!(
        trusted.detail.contains("the system's trust store"),
        "{trusted:?}"
    );
}

#[test]
fn probe_tells_a_service_still_serving_a_replaced_certificate_to_reload() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let port = free_port();
    // s_server reads the files once, as a service does at start-up.
    let _server = s_server(&sb.certs(), port, "server.crt", "server.key", &[]);
    sb.ok(&["server", "--force", "--key-type", "ecdsa-p256"]);
    let (code, reports) = probe(&sb, &[&format!("https://localhost:{port}")]);
    assert_eq!(code, 1, "{reports:#?}");
    let r = &reports[0];
    assert!(
        r.check("trusted").ok,
        "the old certificate is still trusted"
    );
    let current = r.check("current");
    assert!(!current.ok);
    assert!(
        current
            .detail
            .contains("serves the certificate replaced on")
            && current.detail.contains("restart or reload the service"),
        "{current:?}"
    );
}

#[test]
fn probe_lists_the_names_a_certificate_holds_when_the_host_is_not_one() {
    let sb = Sandbox::new();
    sb.quick_ca();
    sb.ok(&["server", "--key-type", "ecdsa-p256", "api.internal"]);
    let port = free_port();
    let _server = s_server(&sb.certs(), port, "server.crt", "server.key", &[]);
    let (code, reports) = probe(&sb, &[&format!("https://localhost:{port}")]);
    assert_eq!(code, 1);
    let host = reports[0].check("host");
    assert!(!host.ok);
    assert!(
        host.detail
            .contains("localhost is not among the certificate's names")
            && host.detail.contains("it holds api.internal"),
        "{host:?}"
    );
    assert!(
        host.fix
            .as_deref()
            .is_some_and(|f| f == "aitls server --key-type ecdsa-p256 api.internal localhost"),
        "{host:?}"
    );
}

/// The YOLO26 stand-in: a tiny ASGI app serving /health, started by the real uvicorn with
/// --ssl-certfile/--ssl-keyfile as the guide starts the service.
fn uvicorn(sb: &Sandbox, port: u16) -> Background {
    let uvicorn = tool("uvicorn", "uvicorn from PyPI, .ci/requirements.txt");
    std::fs::write(
        sb.root().join("health_app.py"),
        r#"
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    status = 200 if scope["path"] == "/health" else 404
    body = b'{"status": "healthy"}' if status == 200 else b"not found"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})
"#,
    )
    .unwrap();
    let child = Command::new(uvicorn)
        .args(["health_app:app", "--host", "127.0.0.1", "--port"])
        .arg(port.to_string())
        .args(["--ssl-certfile", "ai/certs/server.crt"])
        .args(["--ssl-keyfile", "ai/certs/server.key"])
        .args(["--log-level", "warning"])
        .current_dir(sb.root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start uvicorn");
    let server = Background(child);
    assert!(
        wait_for_port(&format!("127.0.0.1:{port}"), 20),
        "uvicorn did not start"
    );
    server
}

#[test]
fn probe_http_gets_the_health_path_of_a_uvicorn_service() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let port = free_port();
    let _server = uvicorn(&sb, port);
    let (code, reports) = probe(
        &sb,
        &[&format!("https://localhost:{port}/health"), "--http"],
    );
    assert_eq!(code, 0, "{reports:#?}");
    let http = reports[0].check("http");
    assert!(
        http.ok && http.detail.contains("GET /health answered 200"),
        "{http:?}"
    );
    assert_eq!(
        reports[0].names(),
        ["trusted", "host", "current", "tls13", "http"]
    );

    let (code, reports) = probe(
        &sb,
        &[&format!("https://127.0.0.1:{port}/nothere"), "--http"],
    );
    assert_eq!(code, 1, "404 fails the http check");
    let http = reports[0].check("http");
    assert!(!http.ok && http.detail.contains("404"), "{http:?}");
}

#[test]
fn probe_recognises_a_service_that_speaks_plain_http() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let python = tool("python3", "python3");
    let port = free_port();
    let child = Command::new(python)
        .args(["-m", "http.server", "--bind", "127.0.0.1"])
        .arg(port.to_string())
        .current_dir(sb.root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start python3 -m http.server");
    let _server = Background(child);
    assert!(wait_for_port(&format!("127.0.0.1:{port}"), 10));
    let (code, reports) = probe(&sb, &[&format!("localhost:{port}")]);
    assert_eq!(code, 1);
    let handshake = reports[0].check("handshake");
    assert!(
        handshake
            .detail
            .contains("speaks plain HTTP, not TLS: did it get ssl_certfile / --ssl-cert-file?"),
        "{handshake:?}"
    );
}

#[test]
fn probe_says_nothing_listens_on_a_closed_port() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let port = free_port();
    let out = sb
        .aitls()
        .args(["probe", &format!("127.0.0.1:{port}")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "FAIL connect  nothing listens on 127.0.0.1:{port}: is the service running?"
        )),
        "{text}"
    );
}

#[test]
fn probe_gives_up_on_a_port_that_accepts_and_never_answers_within_the_timeout() {
    let sb = Sandbox::new();
    sb.quick_pair();
    // The kernel completes the TCP handshake for a listener nobody accepts from: the
    // connection is made, and the ClientHello is never answered.
    let silent = [
        TcpListener::bind("127.0.0.1:0").unwrap(),
        TcpListener::bind("127.0.0.1:0").unwrap(),
    ];
    let targets: Vec<String> = silent
        .iter()
        .map(|l| format!("127.0.0.1:{}", l.local_addr().unwrap().port()))
        .collect();
    let started = Instant::now();
    let (code, reports) = probe(&sb, &[&targets[0], &targets[1], "--timeout", "1"]);
    let took = started.elapsed();
    assert_eq!(code, 1);
    // Each target gets its own second, and they run side by side: well under 2 s in all.
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_millis(1900),
        "took {took:?}"
    );
    for r in &reports {
        let handshake = r.check("handshake");
        assert!(
            handshake.detail.contains("timed out after 1 s")
                && handshake
                    .detail
                    .contains("never answered the TLS handshake"),
            "{handshake:?}"
        );
    }
}

#[test]
fn probe_finds_a_localhost_service_that_listens_on_127_0_0_1_only() {
    // localhost resolves to ::1 first on most systems; s_server here binds 127.0.0.1 only.
    let sb = Sandbox::new();
    sb.quick_pair();
    let port = free_port();
    let _server = s_server(&sb.certs(), port, "server.crt", "server.key", &[]);
    let (code, reports) = probe(&sb, &[&format!("https://localhost:{port}")]);
    assert_eq!(code, 0, "{reports:#?}");
    assert_eq!(
        reports[0].address.as_deref(),
        Some(format!("127.0.0.1:{port}").as_str())
    );
}

#[test]
fn probe_without_targets_checks_the_two_services_default_urls() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let (_, reports) = probe(&sb, &["--timeout", "1"]);
    let targets: Vec<&str> = reports.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(
        targets,
        ["https://localhost:8095", "https://localhost:8091"]
    );
}

#[test]
fn probe_refuses_a_malformed_target_with_exit_2() {
    let sb = Sandbox::new();
    sb.quick_pair();
    for bad in [
        "localhost",
        "http://localhost:8095",
        "https://localhost:99999",
    ] {
        let out = sb.aitls().args(["probe", bad]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = stderr(&out);
        assert!(
            err.starts_with("error: invalid target") && err.contains("https://localhost:8095"),
            "{bad}: {err}"
        );
    }
}

#[test]
fn docs_json_md_describes_every_probe_field() {
    let doc = std::fs::read_to_string(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/json.md"),
    )
    .unwrap();
    let section = doc
        .split_once("## `aitls probe`")
        .expect("docs/json.md has an `aitls probe` section")
        .1;
    let sb = Sandbox::new();
    sb.quick_pair();
    let port = free_port();
    let _server = s_server(&sb.certs(), port, "server.crt", "server.key", &["-tls1_2"]);
    let closed = free_port();
    let out = sb
        .aitls()
        .args(["--json", "probe", "--http"])
        .arg(format!("https://localhost:{port}/"))
        .arg(format!("127.0.0.1:{closed}"))
        .output()
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut found = std::collections::BTreeSet::new();
    keys(&value, &mut found);
    assert!(
        found.contains("fix") && found.contains("fingerprint_sha256"),
        "{found:?}"
    );
    let missing: Vec<&String> = found
        .iter()
        .filter(|k| !section.contains(&format!("`{k}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/json.md does not describe {missing:?}"
    );
    for r in value.as_array().unwrap() {
        for c in r["checks"].as_array().unwrap() {
            let name = c["name"].as_str().unwrap();
            assert!(
                section.contains(&format!("| `{name}` |")),
                "check {name} undocumented"
            );
        }
    }
}

#[test]
fn probe_tells_a_different_ca_of_the_same_name_from_a_replaced_certificate() {
    // The service serves a certificate from another CA named like aitls's own.
    let sb = Sandbox::new();
    sb.quick_pair();
    let other = Sandbox::new();
    other.quick_pair();
    let port = free_port();
    let _server = s_server(&other.certs(), port, "server.crt", "server.key", &[]);
    let target = format!("https://localhost:{port}");
    let (code, reports) = probe(&sb, &[&target]);
    assert_eq!(code, 1);
    let r = &reports[0];
    let trusted = r.check("trusted");
    assert!(
        trusted.detail.starts_with(
            "the chain's issuer is a different CA than ai/certs/ca.crt: same name \"AI Services CA\", different key: the certificate was signed by key ID "
        ),
        "{trusted:?}"
    );
    let current = r.check("current");
    assert_eq!(
        current.detail,
        "serves a certificate that is not ai/certs/server.crt (issued by a different CA with the same name, CN=AI Services CA)"
    );
    // Never `aitls server NAMES` for a certificate this CA did not issue.
    for check in &r.checks {
        let fix = check.fix.as_deref().unwrap_or_default();
        assert!(!fix.contains("aitls server"), "{check:?}");
    }

    // --ca an old copy while DIR/ca.crt signs what is served: use DIR/ca.crt.
    let (code, reports) = probe(
        &other,
        &[&target, "--ca", &sb.file("ca.crt").display().to_string()],
    );
    assert_eq!(code, 1);
    let trusted = reports[0].check("trusted");
    assert!(
        trusted.detail.ends_with("; ai/certs/ca.crt signed it"),
        "{trusted:?}"
    );
    assert_eq!(trusted.fix.as_deref(), Some("use --ca ai/certs/ca.crt"));
}

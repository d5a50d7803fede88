//! Real TLS handshakes with the files aitls writes: `openssl s_server` with `curl` as the
//! client (the seed guide's Verification section, automated), and rustls on both sides
//! in-process. A client that trusts another CA must fail.

use std::io::{Read, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};

use crate::util::Sandbox;

/// A free TCP port on the loopback interface.
pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `openssl s_server` serving `server.crt`/`server.key`, killed on drop.
pub(crate) struct SServer(Child);

impl SServer {
    pub(crate) fn start(certs: &Path, port: u16) -> Self {
        let child = Command::new("openssl")
            .args(["s_server", "-quiet", "-www", "-accept", &port.to_string()])
            .args(["-cert", "server.crt", "-key", "server.key"])
            .current_dir(certs)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("openssl is installed (.ci/run installs it)");
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "s_server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        SServer(child)
    }
}

impl Drop for SServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn curl(cacert: &Path, url: &str) -> std::process::Output {
    Command::new("curl")
        .args(["--silent", "--show-error", "--max-time", "10", "--cacert"])
        .arg(cacert)
        .arg(url)
        .output()
        .expect("curl is installed (.ci/run installs it)")
}

#[test]
fn curl_trusts_openssl_s_server_with_the_default_rsa_files() {
    let sb = Sandbox::new();
    sb.ok(&["ca"]);
    sb.ok(&["server"]);
    let port = free_port();
    let _server = SServer::start(&sb.certs(), port);
    for host in ["localhost", "127.0.0.1", "[::1]"] {
        let out = curl(&sb.file("ca.crt"), &format!("https://{host}:{port}/"));
        assert!(
            out.status.success(),
            "curl https://{host}:{port}/: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("s_server"),
            "the page came through"
        );
    }

    let other = Sandbox::new();
    other.quick_ca();
    let out = curl(&other.file("ca.crt"), &format!("https://localhost:{port}/"));
    assert_eq!(
        out.status.code(),
        Some(60),
        "another CA: certificate problem"
    );
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// Serves one TLS connection with the files in `certs`, answering "pong" to "ping".
pub(crate) fn rustls_server(certs: &Path) -> (u16, std::thread::JoinHandle<()>) {
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(certs.join("server.crt"))
            .unwrap()
            .map(Result::unwrap)
            .collect();
    let key = PrivateKeyDer::from_pem_file(certs.join("server.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("rustls accepts the key and certificate as a pair");
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (tcp, _) = listener.accept().unwrap();
        let conn = rustls::ServerConnection::new(config).unwrap();
        let mut tls = rustls::StreamOwned::new(conn, tcp);
        let mut buf = [0u8; 4];
        // A client that rejects the certificate aborts the handshake: not a server bug.
        if tls.read_exact(&mut buf).is_ok() && &buf == b"ping" {
            let _ = tls.write_all(b"pong");
            let _ = tls.flush();
        }
    });
    (port, handle)
}

/// Connects to `port` as `name`, trusting only `ca`; returns the reply or the error.
pub(crate) fn rustls_client(ca: &Path, port: u16, name: &str) -> Result<Vec<u8>, String> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(ca).unwrap() {
        roots.add(cert.unwrap()).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let server_name = match name.parse::<IpAddr>() {
        Ok(ip) => ServerName::IpAddress(ip.into()),
        Err(_) => ServerName::try_from(name.to_owned()).unwrap(),
    };
    let conn = rustls::ClientConnection::new(Arc::new(config), server_name).unwrap();
    let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    tls.write_all(b"ping").map_err(|e| e.to_string())?;
    let mut reply = Vec::new();
    let mut buf = [0u8; 4];
    tls.read_exact(&mut buf).map_err(|e| e.to_string())?;
    reply.extend_from_slice(&buf);
    Ok(reply)
}

#[test]
fn rustls_client_and_server_handshake_with_aitls_files() {
    for kt in ["ecdsa-p256", "ecdsa-p384", "rsa2048", "ed25519"] {
        let sb = Sandbox::new();
        sb.quick_ca();
        sb.ok(&["server", "--key-type", kt]);
        for name in ["localhost", "127.0.0.1"] {
            let (port, server) = rustls_server(&sb.certs());
            let reply = rustls_client(&sb.file("ca.crt"), port, name);
            assert_eq!(reply.as_deref(), Ok(&b"pong"[..]), "{kt} as {name}");
            server.join().unwrap();
        }
    }
}

#[test]
fn rustls_client_rejects_another_ca_and_a_name_not_in_the_certificate() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let other = Sandbox::new();
    other.quick_ca();

    let (port, server) = rustls_server(&sb.certs());
    let err = rustls_client(&other.file("ca.crt"), port, "localhost").unwrap_err();
    // Both CAs are named "AI Services CA", so webpki finds a candidate issuer by name and
    // rejects its signature; a differently named CA gives UnknownIssuer.
    assert!(
        err.contains("BadSignature") || err.contains("UnknownIssuer"),
        "{err}"
    );
    server.join().unwrap();

    let (port, server) = rustls_server(&sb.certs());
    let err = rustls_client(&sb.file("ca.crt"), port, "yolo.internal").unwrap_err();
    assert!(err.contains("not valid for name"), "{err}");
    server.join().unwrap();
}

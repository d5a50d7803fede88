//! `aitls probe` as data: is the running service serving the right certificate, correctly?
//!
//! The seed's Verification section (`openssl s_client -connect … -CAfile ca.crt`, then
//! `curl --cacert ca.crt https://…/health`) in one pass per target: connect (each address
//! the name resolves to, in turn, as curl does), hand-shake with rustls, and report what was
//! negotiated and served with the checks `trusted`, `host`, `current`, `tls13` and, with
//! `--http`, `http` (a GET over the same connection, by ureq).
//!
//! The handshake never aborts on a bad certificate: a verifier records the chain served and
//! lets the handshake finish (the signature over the handshake is still checked), so an
//! untrusted chain can be reported with the issuer it chains to and a name mismatch with the
//! names the certificate holds. Nothing secret is sent to the service; the GET of `--http`
//! carries no credentials.
//!
//! Takes parsed values (the CA's certificates, the expected leaf, a client identity) and
//! does network I/O only; never reads files, never prints, never reads the environment.
//! Fixes are data ([`Fix`]); `src/cli/fix.rs` words them with the directory in force.

mod checks;
mod connect;
mod failure;
mod http;
mod target;
mod tls;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustls::ClientConnection;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::ServerName;
use serde::Serialize;
use time::OffsetDateTime;

use crate::cert::{self, CertInfo};
use crate::fix::Fix;

use checks::{current_check, host_check, tls13_check, trusted_check};
use connect::connect;
use failure::{await_client_verdict, client_cert_check};
use http::http_check;
use tls::{Client, Socket, cipher_name, client_config, handshake, served_cert, version_name};

pub use target::{Target, parse_target};

/// Targets probed at once. Each probe mostly waits on the network, so this is not tied to
/// the cores; it bounds the threads (and sockets) a long target list can open.
const MAX_PARALLEL: usize = 16;

/// After a TLS 1.3 handshake in which the service asked for a client certificate, the
/// service decides on it only after our Finished, so its verdict (session tickets, or an
/// alert such as `certificate_required`) arrives after the handshake. Wait this long for it.
const CLIENT_CERT_VERDICT_WAIT: Duration = Duration::from_secs(1);

/// The certificate and key to present when the service asks for one (mTLS).
#[derive(Debug, Clone)]
pub struct ClientIdentity {
    /// The certificate, then any intermediates, DER.
    pub chain: Vec<Vec<u8>>,
    /// The private key, DER.
    pub key_der: Vec<u8>,
    /// Its encoding: `pkcs8`, `pkcs1` or `sec1` (as [`crate::inspect::Block`] names them).
    pub key_format: &'static str,
    /// Its certificate file, as shown to the user.
    pub label: String,
}

/// What every target is probed with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The CA certificates to trust, DER.
    pub anchors: Vec<Vec<u8>>,
    /// Where they came from, as shown (`ai/certs/ca.crt`, `the system's trust store`).
    pub anchors_label: String,
    /// A client certificate for mTLS.
    pub client: Option<ClientIdentity>,
    /// Also send a GET for the target's path.
    pub http: bool,
    /// The bound on each target, from the first connection attempt to the last byte.
    pub timeout: Duration,
}

/// The certificate a target should serve: `DIR/STEM.crt` (what `current` compares with).
#[derive(Debug, Clone)]
pub struct Expected {
    /// Its stem (`server` for `DIR/server.crt`).
    pub stem: String,
    /// The file, as shown to the user.
    pub path: std::path::PathBuf,
    /// The certificate's DER; `None` when the file does not exist (no `current` check).
    pub der: Option<Vec<u8>>,
    /// When the file was last written.
    pub modified: Option<OffsetDateTime>,
    /// The project file's `on_change` command for this certificate, when it has one.
    pub on_change: Option<String>,
    /// The directory's CA certificate (`DIR/ca.crt`) and its path, when it exists: what
    /// tells a certificate this directory issued from one it did not.
    pub ca: Option<(std::path::PathBuf, CertInfo)>,
}

impl Expected {
    /// Whether `cert` was issued by this directory's CA (its signature verifies with the
    /// CA's key): only then is it one that `aitls server` replaced or can reissue.
    fn issued_here(&self, cert: &CertInfo) -> bool {
        self.ca.as_ref().is_some_and(|(_, ca)| {
            cert.issuer_raw == ca.subject_raw && cert::is_signed_by(cert, &ca.spki_der)
        })
    }
}

/// The report for one target: the wire format of `aitls probe --json` (an array of these).
#[derive(Debug, Clone, Serialize)]
pub struct ProbeReport {
    /// The target as given.
    pub target: String,
    /// Whether every check passed (warnings do not count against it).
    pub ok: bool,
    /// The address connected to (`[::1]:8095`, `127.0.0.1:8095`), when a connection was made.
    pub address: Option<String>,
    /// The negotiated protocol version (`TLSv1.3`, `TLSv1.2`), as OpenSSL names it.
    pub tls_version: Option<String>,
    /// The negotiated cipher suite, by its IANA name (`TLS_AES_256_GCM_SHA384`).
    pub cipher: Option<String>,
    /// The application protocol the service chose by ALPN (`http/1.1`), if any.
    pub alpn: Option<String>,
    /// The certificates served, leaf first.
    pub chain: Vec<ServedCert>,
    /// Every check made, in order.
    pub checks: Vec<Check>,
}

/// One certificate of the chain served.
#[derive(Debug, Clone, Serialize)]
pub struct ServedCert {
    /// Subject name (`CN=localhost`).
    pub subject: String,
    /// Issuer name (`CN=AI Services CA`).
    pub issuer: String,
    /// End of validity.
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    /// SHA-256 of the DER, as `openssl x509 -fingerprint -sha256` prints it.
    pub fingerprint_sha256: String,
}

/// One named check and its result.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// `connect`, `handshake`, `trusted`, `host`, `current`, `tls13`, `client_cert` or `http`.
    pub name: &'static str,
    /// Whether it passed.
    pub ok: bool,
    /// Passed, but with something to act on (TLS 1.2 only).
    pub warning: bool,
    /// What was found, in words.
    pub detail: String,
    /// What fixes a failure or warning, as data; `src/cli/fix.rs` words it.
    #[serde(skip)]
    pub fix: Option<Fix>,
}

impl Check {
    fn pass(name: &'static str, detail: String) -> Self {
        Check {
            name,
            ok: true,
            warning: false,
            detail,
            fix: None,
        }
    }

    fn warn(name: &'static str, detail: String, fix: Option<Fix>) -> Self {
        Check {
            name,
            ok: true,
            warning: true,
            detail,
            fix,
        }
    }

    fn fail(name: &'static str, detail: String, fix: Option<Fix>) -> Self {
        Check {
            name,
            ok: false,
            warning: false,
            detail,
            fix,
        }
    }
}

/// Probes every target, at most 16 at once, each within `settings.timeout`;
/// reports come back in the order of `targets`.
pub fn probe_all(targets: &[(Target, Expected)], settings: &Settings) -> Vec<ProbeReport> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<ProbeReport>>> = targets.iter().map(|_| Mutex::new(None)).collect();
    let workers = targets.len().clamp(1, MAX_PARALLEL);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((target, expected)) = targets.get(i) else {
                        break;
                    };
                    let report = probe(target, expected, settings, &provider);
                    if let Ok(mut slot) = slots[i].lock() {
                        *slot = Some(report);
                    }
                }
            });
        }
    });
    slots
        .into_iter()
        .zip(targets)
        .map(|(slot, (target, _))| {
            slot.into_inner().ok().flatten().unwrap_or_else(|| {
                failed(
                    target,
                    Check::fail("connect", "the probe stopped unexpectedly".into(), None),
                )
            })
        })
        .collect()
}

fn failed(target: &Target, check: Check) -> ProbeReport {
    ProbeReport {
        target: target.input.clone(),
        ok: false,
        address: None,
        tls_version: None,
        cipher: None,
        alpn: None,
        chain: Vec::new(),
        checks: vec![check],
    }
}

/// Probes one target.
fn probe(
    target: &Target,
    expected: &Expected,
    settings: &Settings,
    provider: &Arc<CryptoProvider>,
) -> ProbeReport {
    let deadline = Instant::now() + settings.timeout;
    let Client {
        config,
        recorder,
        auth,
    } = match client_config(provider, settings) {
        Ok(c) => c,
        Err(e) => {
            return failed(
                target,
                Check::fail("handshake", e, Some(Fix::GiveClientCert)),
            );
        }
    };
    let (tcp, addr) = match connect(target, deadline, settings.timeout) {
        Ok(c) => c,
        Err(check) => return failed(target, *check),
    };
    let mut report = ProbeReport {
        target: target.input.clone(),
        ok: false,
        address: Some(addr.to_string()),
        tls_version: None,
        cipher: None,
        alpn: None,
        chain: Vec::new(),
        checks: Vec::new(),
    };
    let server_name = match ServerName::try_from(target.host.clone()) {
        Ok(n) => n,
        Err(_) => {
            report.checks.push(Check::fail(
                "handshake",
                format!("{:?} is not a DNS name or IP address", target.host),
                None,
            ));
            return report;
        }
    };
    let _ = tcp.set_nodelay(true);
    let mut conn = match ClientConnection::new(config, server_name.clone()) {
        Ok(c) => c,
        Err(e) => {
            report
                .checks
                .push(Check::fail("handshake", format!("rustls: {e}"), None));
            return report;
        }
    };
    let mut sock = Socket {
        tcp: &tcp,
        first: Vec::new(),
        received: 0,
    };
    let handshake = handshake(&mut conn, &mut sock, deadline, target, addr, settings)
        .map_err(|failure| failure.into_check(settings, &auth.asked));
    let served: Vec<Vec<u8>> = recorder.chain.lock().map(|c| c.clone()).unwrap_or_default();
    let infos: Vec<CertInfo> = served
        .iter()
        .filter_map(|d| cert::parse_der(d).ok())
        .collect();
    report.chain = served.iter().filter_map(|d| served_cert(d)).collect();
    report.tls_version = conn.protocol_version().map(version_name);
    report.cipher = conn
        .negotiated_cipher_suite()
        .map(|s| cipher_name(s.suite()));
    report.alpn = conn
        .alpn_protocol()
        .map(|p| String::from_utf8_lossy(p).into_owned());

    let mut client_verdict = None;
    match handshake {
        Err(check) => report.checks.push(check),
        Ok(()) => {
            if auth.asked.load(Ordering::Relaxed)
                && conn.protocol_version() == Some(rustls::ProtocolVersion::TLSv1_3)
            {
                client_verdict = Some(await_client_verdict(&mut conn, &mut sock, deadline));
            }
        }
    }
    let handshake_ok = report.checks.is_empty();

    if let Some(leaf) = infos.first().filter(|_| infos.len() == served.len()) {
        report
            .checks
            .push(trusted_check(&infos, settings, expected));
        report
            .checks
            .push(host_check(leaf, &server_name, target, expected));
        if let Some(check) = current_check(leaf, expected) {
            report.checks.push(check);
        }
    } else if !served.is_empty() {
        report.checks.push(Check::fail(
            "trusted",
            "the service serves a certificate that cannot be read (malformed DER)".into(),
            Some(Fix::ServeCertificate {
                cert: expected.path.clone(),
            }),
        ));
    }
    if handshake_ok && let Some(version) = conn.protocol_version() {
        report.checks.push(tls13_check(version));
    }
    if handshake_ok && auth.asked.load(Ordering::Relaxed) {
        report
            .checks
            .push(client_cert_check(settings, client_verdict.as_ref()));
    }
    let alive = handshake_ok && client_verdict.as_ref().is_none_or(|v| v.is_ok());
    if settings.http && alive {
        report
            .checks
            .push(http_check(conn, tcp, addr, target, deadline, settings));
    }
    report.ok = !report.checks.is_empty() && report.checks.iter().all(|c| c.ok);
    report
}

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

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{ResolvesClientCert, WantsClientCert};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, TrustAnchor, UnixTime};
use rustls::sign::CertifiedKey;
use rustls::{
    ClientConfig, ClientConnection, ConfigBuilder, DigitallySignedStruct, SignatureScheme,
};
use serde::Serialize;
use time::OffsetDateTime;

use crate::cert::{self, CertInfo};
use crate::error::{Error, Result};
use crate::fix::{Fix, Need, Reissue};
use crate::names::SanName;

/// The port of an `https://` URL without one.
const HTTPS_PORT: u16 = 443;

/// Targets probed at once. Each probe mostly waits on the network, so this is not tied to
/// the cores; it bounds the threads (and sockets) a long target list can open.
const MAX_PARALLEL: usize = 16;

/// After a TLS 1.3 handshake in which the service asked for a client certificate, the
/// service decides on it only after our Finished, so its verdict (session tickets, or an
/// alert such as `certificate_required`) arrives after the handshake. Wait this long for it.
const CLIENT_CERT_VERDICT_WAIT: Duration = Duration::from_secs(1);

/// What to probe: `https://host[:port][/path]` or `host:port`.
#[derive(Debug, Clone)]
pub struct Target {
    /// The target as given.
    pub input: String,
    /// Host name or IP address (without brackets).
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// Path of the `--http` GET (`/` when the target has none).
    pub path: String,
}

impl Target {
    /// `host:port`, with an IPv6 address in brackets.
    pub fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// Parses a target; a malformed one is a usage error (exit 2) that names it.
pub fn parse_target(input: &str) -> Result<Target> {
    let bad = |reason: &str| Error::InvalidValue {
        what: "target",
        value: input.to_owned(),
        reason: format!(
            "{reason}; give https://HOST[:PORT][/PATH] or HOST:PORT, e.g. https://localhost:8095"
        ),
    };
    if input.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("it contains spaces or control characters"));
    }
    let (rest, default_port) = match input.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("https") => (rest, Some(HTTPS_PORT)),
        Some((scheme, _)) if scheme.eq_ignore_ascii_case("http") => {
            return Err(bad("probe checks TLS, so the URL must be https://"));
        }
        Some((scheme, _)) => return Err(bad(&format!("{scheme}:// is not https://"))),
        None => (input, None),
    };
    let split = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(split);
    if default_port.is_none() && !path.is_empty() {
        return Err(bad("a path needs the https:// form"));
    }
    if authority.contains('@') {
        return Err(bad("user names and passwords are not supported"));
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6
            .split_once(']')
            .ok_or_else(|| bad("unclosed [ in the host"))?;
        (host, after.strip_prefix(':'))
    } else if authority.matches(':').count() > 1 {
        return Err(bad("an IPv6 address goes in brackets, as in [::1]:8095"));
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(bad("there is no host"));
    }
    if ServerName::try_from(host).is_err() {
        return Err(bad(&format!("{host:?} is not a DNS name or IP address")));
    }
    let port = match (port, default_port) {
        (Some(p), _) => p
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| bad(&format!("the port {p:?} is not a number from 1 to 65535")))?,
        (None, Some(p)) => p,
        (None, None) => return Err(bad("the port is missing")),
    };
    // The fragment is the client's business; the query goes to the service.
    let path = path.split('#').next().unwrap_or_default();
    let path = if path.is_empty() || path.starts_with('?') {
        format!("/{path}")
    } else {
        path.to_owned()
    };
    Ok(Target {
        input: input.to_owned(),
        host: host.to_ascii_lowercase(),
        port,
        path,
    })
}

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

/// The time left before `deadline`, or a timeout error.
fn left(deadline: Instant) -> io::Result<Duration> {
    let now = Instant::now();
    if now >= deadline {
        return Err(io::ErrorKind::TimedOut.into());
    }
    Ok(deadline - now)
}

fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s} s")
    }
}

/// The addresses `target` resolves to, in the resolver's order (for `localhost`: `::1`
/// first, then `127.0.0.1`), within the deadline: the lookup runs on its own thread,
/// since getaddrinfo cannot be interrupted.
fn resolve(target: &Target, deadline: Instant) -> std::result::Result<Vec<SocketAddr>, String> {
    if let Ok(ip) = target.host.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, target.port)]);
    }
    let (tx, rx) = mpsc::channel();
    let query = (target.host.clone(), target.port);
    std::thread::spawn(move || {
        let _ = tx.send(query.to_socket_addrs().map(Iterator::collect::<Vec<_>>));
    });
    let wait = left(deadline).unwrap_or_default();
    match rx.recv_timeout(wait) {
        Ok(Ok(addrs)) if !addrs.is_empty() => Ok(addrs),
        Ok(Ok(_)) => Err(format!("{} has no address", target.host)),
        Ok(Err(e)) => Err(format!("cannot resolve {}: {e}", target.host)),
        Err(_) => Err(format!(
            "resolving {} took longer than {}",
            target.host,
            secs(wait)
        )),
    }
}

/// Connects to each address in turn until one accepts, sharing what is left of the
/// deadline among the addresses not yet tried.
fn connect(
    target: &Target,
    deadline: Instant,
    timeout: Duration,
) -> std::result::Result<(TcpStream, SocketAddr), Box<Check>> {
    let addrs = resolve(target, deadline).map_err(|e| Box::new(Check::fail("connect", e, None)))?;
    connect_in_turn(&addrs, target, deadline, timeout)
}

/// Tries each address in order until one accepts; what is left of the deadline is shared
/// among the addresses not yet tried, so one that never answers cannot eat the others' time.
fn connect_in_turn(
    addrs: &[SocketAddr],
    target: &Target,
    deadline: Instant,
    timeout: Duration,
) -> std::result::Result<(TcpStream, SocketAddr), Box<Check>> {
    let mut refused = Vec::new();
    let mut other = Vec::new();
    for (i, addr) in addrs.iter().enumerate() {
        let Ok(remaining) = left(deadline) else { break };
        let share = remaining / u32::try_from(addrs.len() - i).unwrap_or(1);
        match TcpStream::connect_timeout(addr, share.max(Duration::from_millis(1))) {
            Ok(stream) => return Ok((stream, *addr)),
            Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => refused.push(*addr),
            Err(e) => other.push(format!("{addr}: {}", io_reason(&e))),
        }
    }
    let authority = target.authority();
    let tried = |list: &[SocketAddr]| {
        list.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    Err(Box::new(if other.is_empty() && !refused.is_empty() {
        let which = if addrs.len() > 1 || target.host.parse::<IpAddr>().is_err() {
            format!(" (connection refused on {})", tried(&refused))
        } else {
            String::new()
        };
        Check::fail(
            "connect",
            format!("nothing listens on {authority}{which}: is the service running?"),
            Some(Fix::StartService),
        )
    } else {
        let mut detail = format!("cannot connect to {authority}: {}", other.join("; "));
        if !refused.is_empty() {
            detail.push_str(&format!("; connection refused on {}", tried(&refused)));
        }
        if other.len() + refused.len() < addrs.len() {
            detail.push_str(&format!(" (no answer within {})", secs(timeout)));
        }
        Check::fail("connect", detail, Some(Fix::StartService))
    }))
}

fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => "no answer (timed out)".into(),
        io::ErrorKind::ConnectionRefused => "connection refused".into(),
        io::ErrorKind::ConnectionReset => "the connection was reset".into(),
        io::ErrorKind::HostUnreachable => "host unreachable".into(),
        io::ErrorKind::NetworkUnreachable => "network unreachable".into(),
        _ => e.to_string(),
    }
}

/// Records the chain the service serves and lets the handshake go on whatever it is;
/// the handshake signature is still verified with the provider's algorithms.
#[derive(Debug)]
struct Recorder {
    provider: Arc<CryptoProvider>,
    chain: Mutex<Vec<Vec<u8>>>,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut chain) = self.chain.lock() {
            *chain = std::iter::once(end_entity)
                .chain(intermediates)
                .map(|c| c.as_ref().to_vec())
                .collect();
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Presents the client identity, if any, and records that the service asked for one.
#[derive(Debug)]
struct ClientAuth {
    key: Option<Arc<CertifiedKey>>,
    asked: AtomicBool,
}

impl ResolvesClientCert for ClientAuth {
    fn resolve(
        &self,
        _root_hint_subjects: &[&[u8]],
        _sigschemes: &[SignatureScheme],
    ) -> Option<Arc<CertifiedKey>> {
        self.asked.store(true, Ordering::Relaxed);
        self.key.clone()
    }

    fn has_certs(&self) -> bool {
        true
    }
}

/// The socket, remembering the first bytes the service sent (to recognise a plain-HTTP
/// reply to our ClientHello).
struct Socket<'a> {
    tcp: &'a TcpStream,
    first: Vec<u8>,
    received: usize,
}

impl Read for Socket<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = (&*self.tcp).read(buf)?;
        let keep = n.min(16usize.saturating_sub(self.first.len()));
        self.first.extend_from_slice(&buf[..keep]);
        self.received += n;
        Ok(n)
    }
}

impl Write for Socket<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (&*self.tcp).write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        (&*self.tcp).flush()
    }
}

fn client_config(
    provider: &Arc<CryptoProvider>,
    settings: &Settings,
) -> std::result::Result<Client, String> {
    let recorder = Arc::new(Recorder {
        provider: Arc::clone(provider),
        chain: Mutex::new(Vec::new()),
    });
    let key = match &settings.client {
        None => None,
        Some(id) => {
            let der = id.key_der.clone();
            let key_der = match id.key_format {
                "pkcs1" => PrivateKeyDer::Pkcs1(der.into()),
                "sec1" => PrivateKeyDer::Sec1(der.into()),
                _ => PrivateKeyDer::Pkcs8(der.into()),
            };
            let signing = provider
                .key_provider
                .load_private_key(key_der)
                .map_err(|e| format!("the client key cannot be used: {e}"))?;
            let chain = id
                .chain
                .iter()
                .map(|c| CertificateDer::from(c.clone()))
                .collect();
            Some(Arc::new(CertifiedKey::new(chain, signing)))
        }
    };
    let auth = Arc::new(ClientAuth {
        key,
        asked: AtomicBool::new(false),
    });
    let builder: ConfigBuilder<ClientConfig, WantsClientCert> =
        ClientConfig::builder_with_provider(Arc::clone(provider))
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .dangerous()
            .with_custom_certificate_verifier(recorder.clone());
    let mut config = builder.with_client_cert_resolver(auth.clone());
    // What the services' HTTP/1.1 clients (httpx, requests) offer.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    config.resumption = rustls::client::Resumption::disabled();
    Ok(Client {
        config: Arc::new(config),
        recorder,
        auth,
    })
}

/// A client configuration and the two observers it reports through.
struct Client {
    config: Arc<ClientConfig>,
    recorder: Arc<Recorder>,
    auth: Arc<ClientAuth>,
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

/// Drives the handshake to its end within the deadline; a failure becomes the
/// `handshake` check, in words.
fn handshake(
    conn: &mut ClientConnection,
    sock: &mut Socket<'_>,
    deadline: Instant,
    target: &Target,
    addr: SocketAddr,
    settings: &Settings,
) -> std::result::Result<(), Failure> {
    while conn.is_handshaking() {
        let step = left(deadline).and_then(|remaining| {
            sock.tcp.set_read_timeout(Some(remaining))?;
            sock.tcp.set_write_timeout(Some(remaining))?;
            conn.complete_io(sock)
        });
        match step {
            Ok((0, 0)) if conn.is_handshaking() => {
                return Err(Failure::Check(Box::new(closed_during_handshake(
                    sock, target,
                ))));
            }
            Ok(_) => {}
            Err(e) => return Err(handshake_failure(&e, sock, target, addr, settings)),
        }
    }
    Ok(())
}

/// Whether the first bytes the service sent are an HTTP response: the service speaks
/// plain HTTP and answered our ClientHello as a bad request. Python's http.server takes
/// the ClientHello for an HTTP/0.9 request and answers with the bare HTML error page.
fn looks_like_http(first: &[u8]) -> bool {
    let lower = first.to_ascii_lowercase();
    lower.starts_with(b"http/")
        || lower.starts_with(b"<!doctype html")
        || lower.starts_with(b"<html")
}

fn plain_http(target: &Target) -> Check {
    Check::fail(
        "handshake",
        format!(
            "the service on {} speaks plain HTTP, not TLS: did it get ssl_certfile / --ssl-cert-file?",
            target.authority()
        ),
        Some(Fix::ServeTls),
    )
}

fn closed_during_handshake(sock: &Socket<'_>, target: &Target) -> Check {
    if looks_like_http(&sock.first) {
        return plain_http(target);
    }
    let detail = if sock.received == 0 {
        format!(
            "the service on {} closed the connection without answering the TLS handshake: is it serving TLS on this port?",
            target.authority()
        )
    } else {
        format!(
            "the service on {} closed the connection during the TLS handshake",
            target.authority()
        )
    };
    Check::fail("handshake", detail, Some(Fix::ServeTls))
}

/// Why a handshake failed: in words already, or an alert to word once it is known
/// whether the service asked for a client certificate.
enum Failure {
    Check(Box<Check>),
    Alert(u8),
}

impl Failure {
    fn into_check(self, settings: &Settings, asked: &AtomicBool) -> Check {
        match self {
            Failure::Check(check) => *check,
            Failure::Alert(code) => alert_check(code, settings, asked.load(Ordering::Relaxed)),
        }
    }
}

fn handshake_failure(
    e: &io::Error,
    sock: &Socket<'_>,
    target: &Target,
    addr: SocketAddr,
    settings: &Settings,
) -> Failure {
    if let Some(rustls::Error::AlertReceived(alert)) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        && !looks_like_http(&sock.first)
    {
        return Failure::Alert(u8::from(*alert));
    }
    Failure::Check(Box::new(handshake_failure_check(
        e, sock, target, addr, settings,
    )))
}

fn handshake_failure_check(
    e: &io::Error,
    sock: &Socket<'_>,
    target: &Target,
    addr: SocketAddr,
    settings: &Settings,
) -> Check {
    if looks_like_http(&sock.first) {
        return plain_http(target);
    }
    if matches!(
        e.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
    ) {
        let what = if sock.received == 0 {
            "accepted the connection but never answered the TLS handshake"
        } else {
            "stopped answering during the TLS handshake"
        };
        return Check::fail(
            "handshake",
            format!(
                "timed out after {}: the service on {addr} {what}",
                secs(settings.timeout)
            ),
            None,
        );
    }
    if matches!(
        e.kind(),
        io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset | io::ErrorKind::BrokenPipe
    ) {
        return closed_during_handshake(sock, target);
    }
    match e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        Some(rustls::Error::InvalidMessage(_)) if sock.received > 0 => Check::fail(
            "handshake",
            format!(
                "the service on {} does not speak TLS (its first bytes are not a TLS record)",
                target.authority()
            ),
            Some(Fix::ServeTls),
        ),
        Some(rustls::Error::PeerIncompatible(why)) => Check::fail(
            "handshake",
            format!(
                "the service and aitls have no TLS version, cipher suite or group in common ({why:?})"
            ),
            Some(Fix::AllowTls13),
        ),
        Some(other) => Check::fail("handshake", format!("TLS handshake failed: {other}"), None),
        None => Check::fail(
            "handshake",
            format!("TLS handshake failed: {}", io_reason(e)),
            None,
        ),
    }
}

/// A TLS alert, by its RFC 8446 name, with what it means for a person.
fn alert_check(code: u8, settings: &Settings, asked_for_cert: bool) -> Check {
    let (name, meaning, fix) = match code {
        // TLS 1.2 has no certificate_required: OpenSSL and others refuse a missing client
        // certificate with handshake_failure (or bad_certificate).
        40 | 42 | 46 if asked_for_cert && settings.client.is_none() => (
            alert_words(code, false).0,
            "it asked for a client certificate (mTLS) and refuses the connection without one",
            Some(Fix::GiveClientCert),
        ),
        _ => alert_words(code, settings.client.is_some()),
    };
    Check::fail(
        "handshake",
        format!("the service sent the TLS alert {name} ({code}): {meaning}"),
        fix,
    )
}

fn alert_words(code: u8, sent_cert: bool) -> (&'static str, &'static str, Option<Fix>) {
    let refused_cert = if sent_cert {
        "it refused the client certificate"
    } else {
        "it wants a client certificate (mTLS)"
    };
    match code {
        0 => ("close_notify", "it closed the connection", None),
        10 => (
            "unexpected_message",
            "it did not expect what aitls sent",
            None,
        ),
        20 => (
            "bad_record_mac",
            "a record failed its integrity check",
            None,
        ),
        22 => ("record_overflow", "a record was too long", None),
        40 => (
            "handshake_failure",
            "no common TLS parameters, or it refused the client's credentials",
            Some(Fix::GiveClientCert),
        ),
        42 => ("bad_certificate", refused_cert, Some(Fix::GiveClientCert)),
        43 => (
            "unsupported_certificate",
            refused_cert,
            Some(Fix::GiveClientCert),
        ),
        44 => (
            "certificate_revoked",
            "the client certificate is revoked",
            Some(Fix::GiveClientCert),
        ),
        45 => (
            "certificate_expired",
            "the client certificate has expired",
            Some(Fix::GiveClientCert),
        ),
        46 => (
            "certificate_unknown",
            refused_cert,
            Some(Fix::GiveClientCert),
        ),
        47 => (
            "illegal_parameter",
            "it found a field of the handshake out of range",
            None,
        ),
        48 => (
            "unknown_ca",
            "it does not trust the CA that issued the client certificate",
            Some(Fix::GiveClientCert),
        ),
        49 => (
            "access_denied",
            "it denies access to this client",
            Some(Fix::GiveClientCert),
        ),
        50 => (
            "decode_error",
            "it could not decode a handshake message",
            None,
        ),
        51 => (
            "decrypt_error",
            "a handshake signature or check failed",
            None,
        ),
        70 => (
            "protocol_version",
            "it accepts neither TLS 1.3 nor TLS 1.2",
            Some(Fix::AllowTls13),
        ),
        71 => (
            "insufficient_security",
            "it wants stronger ciphers than offered",
            None,
        ),
        80 => ("internal_error", "it failed inside (see its log)", None),
        86 => (
            "inappropriate_fallback",
            "it saw a protocol downgrade",
            None,
        ),
        90 => ("user_canceled", "it cancelled the handshake", None),
        109 => (
            "missing_extension",
            "it needs a TLS extension that was not sent",
            None,
        ),
        110 => (
            "unsupported_extension",
            "it did not expect an extension",
            None,
        ),
        112 => (
            "unrecognized_name",
            "it has no certificate for this host name (SNI)",
            None,
        ),
        116 => (
            "certificate_required",
            "it requires a client certificate (mTLS) and none was sent",
            Some(Fix::GiveClientCert),
        ),
        120 => (
            "no_application_protocol",
            "it speaks none of the protocols offered by ALPN (http/1.1)",
            None,
        ),
        _ => ("unknown alert", "see RFC 8446 section 6", None),
    }
}

/// After a TLS 1.3 handshake with a client-certificate request: wait for the service's
/// first records, which carry its verdict on the certificate (tickets, or an alert).
fn await_client_verdict(
    conn: &mut ClientConnection,
    sock: &mut Socket<'_>,
    deadline: Instant,
) -> std::result::Result<(), String> {
    let Ok(remaining) = left(deadline) else {
        return Ok(());
    };
    if sock
        .tcp
        .set_read_timeout(Some(remaining.min(CLIENT_CERT_VERDICT_WAIT)))
        .is_err()
    {
        return Ok(());
    }
    match conn.read_tls(sock) {
        Ok(0) => Err("the service closed the connection after the handshake".into()),
        Ok(_) => match conn.process_new_packets() {
            Ok(_) => Ok(()),
            Err(rustls::Error::AlertReceived(alert)) => {
                let code = u8::from(alert);
                let (name, meaning, _) = alert_words(code, false);
                Err(format!(
                    "the service sent the TLS alert {name} ({code}): {meaning}"
                ))
            }
            Err(e) => Err(format!("the service failed the connection: {e}")),
        },
        // No verdict within the wait: nothing refused it.
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
            ) =>
        {
            Ok(())
        }
        Err(e) => Err(format!(
            "the service failed the connection: {}",
            io_reason(&e)
        )),
    }
}

fn client_cert_check(
    settings: &Settings,
    verdict: Option<&std::result::Result<(), String>>,
) -> Check {
    match (&settings.client, verdict) {
        (Some(id), None | Some(Ok(()))) => Check::pass(
            "client_cert",
            format!(
                "the service asked for a client certificate; sent {}",
                id.label
            ),
        ),
        (None, None | Some(Ok(()))) => Check::pass(
            "client_cert",
            "the service asked for a client certificate and accepted none (optional)".into(),
        ),
        (Some(id), Some(Err(why))) => Check::fail(
            "client_cert",
            format!("the service refused {}: {why}", id.label),
            Some(Fix::GiveClientCert),
        ),
        (None, Some(Err(why))) => {
            Check::fail("client_cert", why.clone(), Some(Fix::GiveClientCert))
        }
    }
}

fn served_cert(der: &[u8]) -> Option<ServedCert> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    Some(ServedCert {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        not_after: OffsetDateTime::from_unix_timestamp(cert.validity().not_after.timestamp())
            .ok()?,
        fingerprint_sha256: crate::inspect::fingerprint_sha256(der),
    })
}

fn version_name(v: rustls::ProtocolVersion) -> String {
    match v {
        rustls::ProtocolVersion::TLSv1_3 => "TLSv1.3".into(),
        rustls::ProtocolVersion::TLSv1_2 => "TLSv1.2".into(),
        other => format!("{other:?}"),
    }
}

/// rustls names TLS 1.3 suites `TLS13_…`; the IANA (and OpenSSL) name is `TLS_…`.
fn cipher_name(suite: rustls::CipherSuite) -> String {
    let name = suite
        .as_str()
        .map_or_else(|| format!("{suite:?}"), str::to_owned);
    match name.strip_prefix("TLS13_") {
        Some(rest) => format!("TLS_{rest}"),
        None => name,
    }
}

fn dn_of(info: &CertInfo) -> String {
    x509_parser::parse_x509_certificate(&info.der)
        .map(|(_, c)| c.issuer().to_string())
        .unwrap_or_else(|_| "an unreadable issuer".into())
}

fn subject_of(der: &[u8]) -> String {
    x509_parser::parse_x509_certificate(der)
        .map(|(_, c)| c.subject().to_string())
        .unwrap_or_default()
}

fn now_unix() -> UnixTime {
    UnixTime::now()
}

/// `trusted`: the served chain builds a path to a trusted CA, as a rustls client builds it.
fn trusted_check(chain: &[CertInfo], settings: &Settings, expected: &Expected) -> Check {
    let leaf = CertificateDer::from(chain[0].der.as_slice());
    let intermediates: Vec<CertificateDer<'_>> = chain[1..]
        .iter()
        .map(|c| CertificateDer::from(c.der.as_slice()))
        .collect();
    let anchor_ders: Vec<CertificateDer<'_>> = settings
        .anchors
        .iter()
        .map(|d| CertificateDer::from(d.as_slice()))
        .collect();
    let anchors: Vec<TrustAnchor<'_>> = anchor_ders
        .iter()
        .filter_map(|d| webpki::anchor_from_trusted_cert(d).ok())
        .collect();
    let ee = match webpki::EndEntityCert::try_from(&leaf) {
        Ok(ee) => ee,
        Err(e) => {
            return Check::fail(
                "trusted",
                format!(
                    "rustls cannot read the served certificate ({})",
                    crate::verify::webpki_reason(&e)
                ),
                Some(Fix::ServeCertificate {
                    cert: expected.path.clone(),
                }),
            );
        }
    };
    let result = ee.verify_for_usage(
        webpki::ALL_VERIFICATION_ALGS,
        &anchors,
        &intermediates,
        now_unix(),
        webpki::KeyUsage::server_auth(),
        None,
        None,
    );
    let top = chain.last().unwrap_or(&chain[0]);
    let issuer = dn_of(top);
    if result.is_err() {
        // Signed by a different CA of the same name as the one trusted (a copy of
        // ca.crt from before `aitls ca --force`): say that, not an algorithm error.
        let trusted: Vec<CertInfo> = settings
            .anchors
            .iter()
            .filter_map(|d| cert::parse_der(d).ok())
            .collect();
        if let Some(other) = cert::same_name_other_key(top, &trusted) {
            return other_ca_same_name(top, other, settings, expected);
        }
    }
    match result {
        Ok(path) => {
            let anchor_name = anchor_ders
                .iter()
                .find(|d| {
                    webpki::anchor_from_trusted_cert(d)
                        .is_ok_and(|a| a.subject == path.anchor().subject)
                })
                .map(|d| subject_of(d))
                .unwrap_or(issuer);
            Check::pass(
                "trusted",
                format!(
                    "issued by {anchor_name}, trusted by {}",
                    settings.anchors_label
                ),
            )
        }
        Err(webpki::Error::UnknownIssuer) => {
            let held: Vec<String> = anchor_ders.iter().take(3).map(|d| subject_of(d)).collect();
            let held = if settings.anchors.len() > 3 || held.is_empty() {
                String::new()
            } else {
                format!(" ({})", held.join(", "))
            };
            Check::fail(
                "trusted",
                format!(
                    "the chain leads to {issuer}, not to a CA in {}{held}: clients that trust it refuse this service",
                    settings.anchors_label
                ),
                Some(Fix::ServeCertificate {
                    cert: expected.path.clone(),
                }),
            )
        }
        Err(webpki::Error::CertExpired { .. })
            if chain[0].not_after < OffsetDateTime::now_utc() =>
        {
            Check::fail(
                "trusted",
                format!(
                    "the served certificate expired on {}",
                    chain[0].not_after.date()
                ),
                Some(Fix::ServeCertificate {
                    cert: expected.path.clone(),
                }),
            )
        }
        Err(e) => Check::fail(
            "trusted",
            format!(
                "not trusted: {} (issuer {issuer})",
                crate::verify::webpki_reason(&e)
            ),
            Some(Fix::ServeCertificate {
                cert: expected.path.clone(),
            }),
        ),
    }
}

/// The chain's issuer is a different CA than the one trusted, with the same name.
fn other_ca_same_name(
    top: &CertInfo,
    other: &CertInfo,
    settings: &Settings,
    expected: &Expected,
) -> Check {
    let mut detail = format!(
        "the chain's issuer is a different CA than {}: same name {}, {}",
        settings.anchors_label,
        other
            .common_name
            .as_ref()
            .map_or_else(|| "(no common name)".to_owned(), |cn| format!("{cn:?}")),
        cert::key_difference(top, other)
    );
    // The directory's own CA signed it: trust that one.
    let signer = expected
        .ca
        .as_ref()
        .filter(|(path, ca)| {
            path.display().to_string() != settings.anchors_label
                && top.issuer_raw == ca.subject_raw
                && cert::is_signed_by(top, &ca.spki_der)
        })
        .map(|(path, _)| path.clone());
    if let Some(path) = &signer {
        detail.push_str(&format!("; {} signed it", path.display()));
    }
    Check::fail(
        "trusted",
        detail,
        Some(match signer {
            Some(path) => Fix::UseCa { path },
            None => Fix::ServeCertificate {
                cert: expected.path.clone(),
            },
        }),
    )
}

fn name_text(n: &SanName) -> String {
    match n {
        SanName::Dns(d) => d.clone(),
        SanName::Ip(ip) => ip.to_string(),
    }
}

/// `host`: the name connected to is among the certificate's names, as rustls matches it.
fn host_check(
    leaf: &CertInfo,
    name: &ServerName<'_>,
    target: &Target,
    expected: &Expected,
) -> Check {
    let der = CertificateDer::from(leaf.der.as_slice());
    let matches = webpki::EndEntityCert::try_from(&der)
        .is_ok_and(|ee| ee.verify_is_valid_for_subject_name(name).is_ok());
    let names: Vec<String> = leaf.names.iter().map(name_text).collect();
    if matches {
        Check::pass(
            "host",
            format!("{} is among the certificate's names", target.host),
        )
    } else {
        let held = if names.is_empty() {
            "no subjectAltName at all".to_owned()
        } else {
            names.join(", ")
        };
        Check::fail(
            "host",
            format!(
                "{} is not among the certificate's names: it holds {held}",
                target.host
            ),
            Some(Fix::Reissue(Reissue {
                // An `aitls server` command only when DIR holds the certificate to
                // reissue and its CA issued the one served.
                stem: expected
                    .der
                    .as_ref()
                    .filter(|_| expected.issued_here(leaf))
                    .map(|_| expected.stem.clone()),
                key_type: leaf.key_type,
                names: names
                    .iter()
                    .cloned()
                    .chain(std::iter::once(target.host.clone()))
                    .collect(),
                need: Need::Name(target.host.clone()),
            })),
        )
    }
}

/// `current`: the served leaf is the certificate in the directory.
fn current_check(leaf: &CertInfo, expected: &Expected) -> Option<Check> {
    let file_der = expected.der.as_ref()?;
    if *file_der == leaf.der {
        return Some(Check::pass(
            "current",
            format!("serves {}", expected.path.display()),
        ));
    }
    let Ok(file) = cert::parse_der(file_der) else {
        return Some(Check::fail(
            "current",
            format!(
                "{} cannot be read as a certificate",
                expected.path.display()
            ),
            None,
        ));
    };
    // A certificate this directory's CA did not issue is not one the file replaced.
    if !expected.issued_here(leaf) {
        return Some(Check::fail(
            "current",
            format!(
                "serves a certificate that is not {} (issued by {}{})",
                expected.path.display(),
                match &expected.ca {
                    Some((_, ca)) if ca.subject_raw == leaf.issuer_raw => {
                        "a different CA with the same name, "
                    }
                    _ => "",
                },
                dn_of(leaf)
            ),
            Some(Fix::ServeCertificate {
                cert: expected.path.clone(),
            }),
        ));
    }
    // notBefore has one-second precision: a certificate reissued within the second of the
    // one served still counts as the newer (the served one is what the file replaced).
    Some(if file.not_before >= leaf.not_before {
        let when = expected.modified.unwrap_or(file.not_before);
        Check::fail(
            "current",
            format!(
                "serves the certificate replaced on {} ({}): restart or reload the service",
                when_text(when),
                expected.path.display()
            ),
            Some(Fix::RestartService {
                cert: expected.path.clone(),
                on_change: expected.on_change.clone(),
            }),
        )
    } else {
        Check::fail(
            "current",
            format!(
                "serves a certificate other than {} (issued {}, the file's {}): the service reads other files",
                expected.path.display(),
                leaf.not_before.date(),
                file.not_before.date()
            ),
            Some(Fix::ServeCertificate {
                cert: expected.path.clone(),
            }),
        )
    })
}

fn when_text(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!("{} {:02}:{:02} UTC", t.date(), t.hour(), t.minute())
}

/// `tls13`: the seed's security table asks for TLS 1.3; 1.2 is a warning.
fn tls13_check(version: rustls::ProtocolVersion) -> Check {
    if version == rustls::ProtocolVersion::TLSv1_3 {
        Check::pass("tls13", "TLS 1.3".into())
    } else {
        Check::warn(
            "tls13",
            format!(
                "negotiated {}: the service does not offer TLS 1.3, which the AI services guide asks for",
                version_name(version).replace("TLSv", "TLS ")
            ),
            Some(Fix::AllowTls13),
        )
    }
}

/// `http`: a GET for the target's path over the probed connection, by ureq.
fn http_check(
    conn: ClientConnection,
    tcp: TcpStream,
    addr: SocketAddr,
    target: &Target,
    deadline: Instant,
    settings: &Settings,
) -> Check {
    let Ok(remaining) = left(deadline) else {
        return Check::fail(
            "http",
            format!(
                "no time left for GET {} within {}",
                target.path,
                secs(settings.timeout)
            ),
            None,
        );
    };
    let connector = http::HandOver::new(rustls::StreamOwned::new(conn, tcp));
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .timeout_global(Some(remaining))
        .build();
    let agent = ureq::Agent::with_parts(config, connector, http::Pinned(addr));
    let url = format!("https://{}{}", target.authority(), target.path);
    match agent.get(&url).call() {
        Ok(response) => {
            let status = response.status();
            let text = format!(
                "GET {} answered {} {}",
                target.path,
                status.as_u16(),
                status.canonical_reason().unwrap_or_default()
            );
            if status.as_u16() >= 400 {
                Check::fail("http", text.trim_end().to_owned(), None)
            } else {
                Check::pass("http", text.trim_end().to_owned())
            }
        }
        Err(e) => Check::fail(
            "http",
            format!("GET {} failed: {}", target.path, http::reason(&e, settings)),
            None,
        ),
    }
}

/// The transport that hands ureq the connection already probed, so the GET goes to the
/// same address over the same TLS session (no second handshake).
mod http {
    use super::*;
    use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};
    use ureq::unversioned::transport::{
        Buffers, ConnectionDetails, Connector, LazyBuffers, NextTimeout, Transport,
    };

    type Stream = rustls::StreamOwned<ClientConnection, TcpStream>;

    pub(super) struct Handed {
        stream: Stream,
        buffers: LazyBuffers,
    }

    impl fmt::Debug for Handed {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("Handed")
        }
    }

    /// Gives the probed connection to ureq once.
    pub(super) struct HandOver(Mutex<Option<Handed>>);

    impl HandOver {
        pub(super) fn new(stream: Stream) -> Self {
            HandOver(Mutex::new(Some(Handed {
                stream,
                // ureq's own default sizes for a TCP transport.
                buffers: LazyBuffers::new(128 * 1024, 128 * 1024),
            })))
        }
    }

    impl fmt::Debug for HandOver {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("HandOver")
        }
    }

    impl Connector for HandOver {
        type Out = Handed;

        fn connect(
            &self,
            _details: &ConnectionDetails,
            _chained: Option<()>,
        ) -> std::result::Result<Option<Handed>, ureq::Error> {
            Ok(self.0.lock().ok().and_then(|mut h| h.take()))
        }
    }

    fn timeout_of(t: NextTimeout) -> Option<Duration> {
        t.not_zero().map(|d| *d)
    }

    impl Transport for Handed {
        fn buffers(&mut self) -> &mut dyn Buffers {
            &mut self.buffers
        }

        fn transmit_output(
            &mut self,
            amount: usize,
            timeout: NextTimeout,
        ) -> std::result::Result<(), ureq::Error> {
            self.stream.sock.set_write_timeout(timeout_of(timeout))?;
            let output = &self.buffers.output()[..amount];
            self.stream.write_all(output)?;
            self.stream.flush()?;
            Ok(())
        }

        fn await_input(&mut self, timeout: NextTimeout) -> std::result::Result<bool, ureq::Error> {
            self.stream.sock.set_read_timeout(timeout_of(timeout))?;
            let input = self.buffers.input_append_buf();
            let n = self.stream.read(input)?;
            self.buffers.input_appended(n);
            Ok(n > 0)
        }

        fn is_open(&mut self) -> bool {
            true
        }

        fn is_tls(&self) -> bool {
            true
        }
    }

    /// Resolves every name to the address already connected to.
    #[derive(Debug)]
    pub(super) struct Pinned(pub(super) SocketAddr);

    impl Resolver for Pinned {
        fn resolve(
            &self,
            _uri: &ureq::http::Uri,
            _config: &ureq::config::Config,
            _timeout: NextTimeout,
        ) -> std::result::Result<ResolvedSocketAddrs, ureq::Error> {
            let mut addrs = self.empty();
            addrs.push(self.0);
            Ok(addrs)
        }
    }

    /// A failed GET in words.
    pub(super) fn reason(e: &ureq::Error, settings: &Settings) -> String {
        match e {
            ureq::Error::Timeout(_) => format!("no answer within {}", secs(settings.timeout)),
            ureq::Error::Io(io) => {
                if let Some(rustls::Error::AlertReceived(alert)) =
                    io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>())
                {
                    let code = u8::from(*alert);
                    let (name, meaning, _) = alert_words(code, settings.client.is_some());
                    format!("the service sent the TLS alert {name} ({code}): {meaning}")
                } else {
                    io_reason(io)
                }
            }
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_as_urls_or_host_port() {
        let t = parse_target("https://localhost:8095/health").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("localhost", 8095, "/health")
        );
        let t = parse_target("HTTPS://Example.com").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("example.com", 443, "/")
        );
        let t = parse_target("https://[::1]:8091?x=1").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("::1", 8091, "/?x=1")
        );
        assert_eq!(t.authority(), "[::1]:8091");
        let t = parse_target("127.0.0.1:8095").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("127.0.0.1", 8095, "/")
        );
    }

    #[test]
    fn malformed_targets_are_refused_with_the_forms() {
        for bad in [
            "localhost",
            "http://localhost:8095",
            "ftp://x:1",
            "https://:8095",
            "https://localhost:0",
            "https://localhost:65536",
            "https://localhost:80a",
            "::1:8095",
            "https://[::1:8095",
            "https://user@localhost:8095",
            "localhost:8095/health",
            "local host:1",
            "https://bad_name!:1",
        ] {
            let err = parse_target(bad).expect_err(bad);
            assert_eq!(err.kind(), crate::ErrorKind::Input, "{bad}");
            assert!(
                err.to_string().contains("https://localhost:8095"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn alerts_are_named_as_in_the_rfc() {
        assert_eq!(alert_words(116, false).0, "certificate_required");
        assert_eq!(alert_words(48, true).0, "unknown_ca");
        assert_eq!(alert_words(70, false).0, "protocol_version");
        assert_eq!(alert_words(112, false).0, "unrecognized_name");
        assert_eq!(alert_words(40, false).0, "handshake_failure");
    }

    #[test]
    fn cipher_suites_have_their_iana_names() {
        assert_eq!(
            cipher_name(rustls::CipherSuite::TLS13_AES_256_GCM_SHA384),
            "TLS_AES_256_GCM_SHA384"
        );
        assert_eq!(
            cipher_name(rustls::CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256),
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
        );
    }

    #[test]
    fn each_address_is_tried_in_turn_as_curl_does() {
        // A service on 127.0.0.1 only, reached through a name whose first address is ::1
        // (localhost on most systems): the refused ::1 must not end the probe.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let addrs: Vec<SocketAddr> = vec![
            format!("[::1]:{port}").parse().unwrap(),
            format!("127.0.0.1:{port}").parse().unwrap(),
        ];
        let target = parse_target(&format!("localhost:{port}")).unwrap();
        let timeout = Duration::from_secs(5);
        let (_, addr) =
            connect_in_turn(&addrs, &target, Instant::now() + timeout, timeout).unwrap();
        assert_eq!(addr, addrs[1]);
        drop(listener);
        let err = connect_in_turn(&addrs, &target, Instant::now() + timeout, timeout).unwrap_err();
        assert_eq!(err.name, "connect");
        assert!(
            err.detail
                .contains(&format!("nothing listens on localhost:{port}"))
                && err
                    .detail
                    .contains(&format!("[::1]:{port}, 127.0.0.1:{port}")),
            "{}",
            err.detail
        );
    }

    #[test]
    fn an_http_reply_is_recognised() {
        assert!(looks_like_http(b"HTTP/1.0 400 Bad request"));
        assert!(looks_like_http(b"<!DOCTYPE HTML>\n<html"));
        assert!(!looks_like_http(b"\x15\x03\x03\x00\x02"));
    }
}

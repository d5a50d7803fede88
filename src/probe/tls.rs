//! The rustls side of a probe: the verifier that records the served chain, the client
//! certificate resolver, the client configuration, the handshake loop, and the names of
//! what was negotiated (version, cipher suite) and served.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{ResolvesClientCert, WantsClientCert};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::sign::CertifiedKey;
use rustls::{
    ClientConfig, ClientConnection, ConfigBuilder, DigitallySignedStruct, SignatureScheme,
};
use time::OffsetDateTime;

use super::connect::left;
use super::failure::{Failure, closed_during_handshake, handshake_failure};
use super::target::Target;
use super::{ServedCert, Settings};

/// Records the chain the service serves and lets the handshake go on whatever it is;
/// the handshake signature is still verified with the provider's algorithms.
#[derive(Debug)]
pub(super) struct Recorder {
    provider: Arc<CryptoProvider>,
    pub(super) chain: Mutex<Vec<Vec<u8>>>,
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
pub(super) struct ClientAuth {
    key: Option<Arc<CertifiedKey>>,
    pub(super) asked: AtomicBool,
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
pub(super) struct Socket<'a> {
    pub(super) tcp: &'a TcpStream,
    pub(super) first: Vec<u8>,
    pub(super) received: usize,
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

pub(super) fn client_config(
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
pub(super) struct Client {
    pub(super) config: Arc<ClientConfig>,
    pub(super) recorder: Arc<Recorder>,
    pub(super) auth: Arc<ClientAuth>,
}

/// Drives the handshake to its end within the deadline; a failure becomes the
/// `handshake` check, in words.
pub(super) fn handshake(
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

pub(super) fn served_cert(der: &[u8]) -> Option<ServedCert> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    Some(ServedCert {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        not_after: OffsetDateTime::from_unix_timestamp(cert.validity().not_after.timestamp())
            .ok()?,
        fingerprint_sha256: crate::inspect::fingerprint_sha256(der),
    })
}

pub(super) fn version_name(v: rustls::ProtocolVersion) -> String {
    match v {
        rustls::ProtocolVersion::TLSv1_3 => "TLSv1.3".into(),
        rustls::ProtocolVersion::TLSv1_2 => "TLSv1.2".into(),
        other => format!("{other:?}"),
    }
}

/// rustls names TLS 1.3 suites `TLS13_…`; the IANA (and OpenSSL) name is `TLS_…`.
pub(super) fn cipher_name(suite: rustls::CipherSuite) -> String {
    let name = suite
        .as_str()
        .map_or_else(|| format!("{suite:?}"), str::to_owned);
    match name.strip_prefix("TLS13_") {
        Some(rest) => format!("TLS_{rest}"),
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

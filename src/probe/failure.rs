//! Why a handshake failed, in words: a plain-HTTP service, a connection closed mid-handshake,
//! TLS alerts (named as in the RFC), and the service's verdict on a client certificate.

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use rustls::ClientConnection;

use crate::fix::Fix;

use super::connect::{io_reason, left, secs};
use super::target::Target;
use super::tls::Socket;
use super::{CLIENT_CERT_VERDICT_WAIT, Check, Settings};

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

pub(super) fn closed_during_handshake(sock: &Socket<'_>, target: &Target) -> Check {
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
pub(super) enum Failure {
    Check(Box<Check>),
    Alert(u8),
}

impl Failure {
    pub(super) fn into_check(self, settings: &Settings, asked: &AtomicBool) -> Check {
        match self {
            Failure::Check(check) => *check,
            Failure::Alert(code) => alert_check(code, settings, asked.load(Ordering::Relaxed)),
        }
    }
}

pub(super) fn handshake_failure(
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

pub(super) fn alert_words(code: u8, sent_cert: bool) -> (&'static str, &'static str, Option<Fix>) {
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
pub(super) fn await_client_verdict(
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

pub(super) fn client_cert_check(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alerts_are_named_as_in_the_rfc() {
        assert_eq!(alert_words(116, false).0, "certificate_required");
        assert_eq!(alert_words(48, true).0, "unknown_ca");
        assert_eq!(alert_words(70, false).0, "protocol_version");
        assert_eq!(alert_words(112, false).0, "unrecognized_name");
        assert_eq!(alert_words(40, false).0, "handshake_failure");
    }

    #[test]
    fn an_http_reply_is_recognised() {
        assert!(looks_like_http(b"HTTP/1.0 400 Bad request"));
        assert!(looks_like_http(b"<!DOCTYPE HTML>\n<html"));
        assert!(!looks_like_http(b"\x15\x03\x03\x00\x02"));
    }
}

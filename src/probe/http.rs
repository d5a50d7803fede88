//! `--http`: a GET for the target's path by ureq over the connection already probed (same
//! address, same TLS session), with ureq's errors in words.

use std::fmt;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rustls::ClientConnection;
use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, LazyBuffers, NextTimeout, Transport,
};

use super::connect::{io_reason, left, secs};
use super::failure::alert_words;
use super::target::Target;
use super::{Check, Settings};

/// `http`: a GET for the target's path over the probed connection, by ureq.
pub(super) fn http_check(
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
    let connector = HandOver::new(rustls::StreamOwned::new(conn, tcp));
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .timeout_global(Some(remaining))
        .build();
    let agent = ureq::Agent::with_parts(config, connector, Pinned(addr));
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
            format!("GET {} failed: {}", target.path, reason(&e, settings)),
            None,
        ),
    }
}

// The transport that hands ureq the connection already probed, so the GET goes to the
// same address over the same TLS session (no second handshake).

type Stream = rustls::StreamOwned<ClientConnection, TcpStream>;

struct Handed {
    stream: Stream,
    buffers: LazyBuffers,
}

impl fmt::Debug for Handed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Handed")
    }
}

/// Gives the probed connection to ureq once.
struct HandOver(Mutex<Option<Handed>>);

impl HandOver {
    fn new(stream: Stream) -> Self {
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
struct Pinned(SocketAddr);

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
fn reason(e: &ureq::Error, settings: &Settings) -> String {
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

//! Reaching the service: name resolution within the deadline and a TCP connection to each
//! address in turn (as curl does); the deadline helpers; I/O errors in words.

use std::io;
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::fix::Fix;

use super::Check;
use super::target::Target;

/// The time left before `deadline`, or a timeout error.
pub(super) fn left(deadline: Instant) -> io::Result<Duration> {
    let now = Instant::now();
    if now >= deadline {
        return Err(io::ErrorKind::TimedOut.into());
    }
    Ok(deadline - now)
}

pub(super) fn secs(d: Duration) -> String {
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
pub(super) fn resolve(
    target: &Target,
    deadline: Instant,
) -> std::result::Result<Vec<SocketAddr>, String> {
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
pub(super) fn connect(
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

pub(super) fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => "no answer (timed out)".into(),
        io::ErrorKind::ConnectionRefused => "connection refused".into(),
        io::ErrorKind::ConnectionReset => "the connection was reset".into(),
        io::ErrorKind::HostUnreachable => "host unreachable".into(),
        io::ErrorKind::NetworkUnreachable => "network unreachable".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::parse_target;

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
}

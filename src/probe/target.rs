//! Probe targets: `https://host[:port][/path]` or `host:port`, parsed and checked; a
//! malformed one is a usage error naming the accepted forms.

use rustls::pki_types::ServerName;

use crate::error::{Error, Result};

/// The port of an `https://` URL without one.
const HTTPS_PORT: u16 = 443;

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
}

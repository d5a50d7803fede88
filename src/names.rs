//! Subject alternative names: telling IP addresses from DNS names, and refusing names
//! that no TLS client would ever match.
//!
//! Pure functions on strings; no I/O. Internationalised names are converted to their
//! ASCII (punycode) form with the `idna` crate (UTS #46), which is what certificates carry
//! (RFC 5280 §4.2.1.6: dNSName is an IA5String).

use std::fmt;
use std::net::IpAddr;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::fix::Fix;

/// One name a server certificate is valid for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(untagged)]
pub enum SanName {
    /// A DNS name in lowercase ASCII (punycode for internationalised names), possibly
    /// starting with `*.`.
    Dns(String),
    /// An IPv4 or IPv6 address.
    Ip(IpAddr),
}

impl fmt::Display for SanName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SanName::Dns(name) => f.write_str(name),
            SanName::Ip(ip) => write!(f, "{ip}"),
        }
    }
}

/// The names a server certificate gets when none are given: the seed recipe's
/// `localhost` and `127.0.0.1`, plus the IPv6 loopback, which `localhost` resolves to
/// first on many systems.
pub const DEFAULT_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// The longest DNS name in its textual form (RFC 1035 §2.3.4: 255 octets on the wire,
/// which is 253 characters without the trailing dot).
const MAX_NAME_LEN: usize = 253;
/// The longest DNS label (RFC 1035 §2.3.4).
const MAX_LABEL_LEN: usize = 63;

/// Parses one name as given on the command line.
///
/// IP addresses (v4, v6, optionally in brackets) become [`SanName::Ip`]; anything else must
/// be a DNS name: labels of letters, digits, hyphens and underscores, at most 63
/// characters, no empty label, at most 253 characters in all. A leftmost `*.` wildcard is
/// allowed when at least two labels follow it (`*.example.com`, not `*.com`), since
/// browsers refuse wildcards directly under a top-level domain.
///
/// A URL or `host:port` is refused, with the host alone as the fix ([`Fix::UseNames`]).
pub fn parse(input: &str) -> Result<SanName> {
    parse_name(input).map_err(|e| match (e, host_in(input)) {
        (Error::InvalidName { name, .. }, Some(host)) => Error::InvalidName {
            name,
            reason: "a name is the host alone, without a scheme, port or path".into(),
            fixes: std::iter::once(Fix::UseNames { names: vec![host] })
                .chain(probe_target(input).map(|target| Fix::ProbeService { target }))
                .collect(),
        },
        (e, _) => e,
    })
}

/// The host inside a URL (`https://localhost:8095/x`) or a `host:port`
/// (`localhost:8095`, `[::1]:8095`), when `input` is one and the host is a valid name.
pub fn host_in(input: &str) -> Option<String> {
    let rest = input.split_once("://").map_or(input, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split_once(']')?.0
    } else {
        match host_port.split_once(':') {
            Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
            Some(_) => return None,
            None => host_port,
        }
    };
    (host != input && parse_name(host).is_ok()).then(|| host.to_owned())
}

/// `input` as a target of `aitls probe`, when it names a port: `localhost:8095` or an
/// `https://` URL with one (the user may have meant to check the service there).
fn probe_target(input: &str) -> Option<String> {
    let rest = match input.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("https") => rest,
        Some(_) => return None,
        None => input,
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    let port = match authority.strip_prefix('[') {
        Some(v6) => v6.split_once(']')?.1.strip_prefix(':')?,
        None => authority.rsplit_once(':')?.1,
    };
    (!port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())).then(|| input.to_owned())
}

fn parse_name(input: &str) -> Result<SanName> {
    let bad = |reason: &str| Error::InvalidName {
        name: input.to_owned(),
        reason: reason.to_owned(),
        fixes: vec![Fix::NameSyntax],
    };
    if input.is_empty() {
        return Err(bad("the name is empty"));
    }
    let unbracketed = input
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(input);
    if let Ok(ip) = unbracketed.parse::<IpAddr>() {
        return Ok(SanName::Ip(ip));
    }
    if input.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("names cannot contain spaces or control characters"));
    }
    let (wildcard, rest) = match input.strip_prefix("*.") {
        Some(rest) => (true, rest),
        None => (false, input),
    };
    if rest.contains('*') {
        return Err(bad(
            "a wildcard is only allowed as the whole leftmost label, as in *.example.com",
        ));
    }
    if rest.is_empty() {
        return Err(bad(
            "a wildcard needs a domain after it, as in *.example.com",
        ));
    }
    if rest.split('.').any(str::is_empty) {
        return Err(bad(
            "the name has an empty label (leading, trailing or doubled dot)",
        ));
    }
    let ascii = if rest.is_ascii() {
        rest.to_ascii_lowercase()
    } else {
        idna::domain_to_ascii(rest).map_err(|_| bad("not a valid internationalised domain name"))?
    };
    let labels: Vec<&str> = ascii.split('.').collect();
    for label in &labels {
        if label.is_empty() {
            return Err(bad("the name has an empty label"));
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(bad("a label is longer than 63 characters"));
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(bad(
                "labels may only hold letters, digits, hyphens and underscores",
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(bad("a label cannot start or end with a hyphen"));
        }
    }
    if labels.iter().all(|l| l.bytes().all(|b| b.is_ascii_digit())) {
        return Err(bad(
            "not a valid IP address, and all-numeric names are not DNS names",
        ));
    }
    if wildcard && labels.len() < 2 {
        return Err(bad(
            "a wildcard directly under a top-level domain (*.tld) is refused by browsers",
        ));
    }
    let full = if wildcard {
        format!("*.{ascii}")
    } else {
        ascii
    };
    if full.len() > MAX_NAME_LEN {
        return Err(bad("the name is longer than 253 characters"));
    }
    Ok(SanName::Dns(full))
}

/// Parses every name, drops duplicates (keeping the first), and falls back to
/// [`DEFAULT_NAMES`] when `inputs` is empty.
pub fn parse_all<S: AsRef<str>>(inputs: &[S]) -> Result<Vec<SanName>> {
    let mut names: Vec<SanName> = Vec::new();
    if inputs.is_empty() {
        for name in DEFAULT_NAMES {
            names.push(parse(name)?);
        }
        return Ok(names);
    }
    for input in inputs {
        let name = parse(input.as_ref()).map_err(|e| with_all_names_meant(e, inputs))?;
        if !names.contains(&name) {
            names.push(name);
        }
    }
    Ok(names)
}

/// Widens a [`Fix::UseNames`] for one name to the whole list, so the fix keeps the other
/// names given; left as is when another name cannot be mended.
fn with_all_names_meant<S: AsRef<str>>(err: Error, inputs: &[S]) -> Error {
    let Error::InvalidName {
        name,
        reason,
        fixes,
    } = err
    else {
        return err;
    };
    let meant: Option<Vec<String>> = inputs
        .iter()
        .map(|i| {
            let i = i.as_ref();
            match parse_name(i) {
                Ok(_) => Some(i.to_owned()),
                Err(_) => host_in(i),
            }
        })
        .collect();
    let fixes = match (meant, fixes.first()) {
        (Some(names), Some(Fix::UseNames { .. })) => std::iter::once(Fix::UseNames { names })
            .chain(fixes.into_iter().skip(1))
            .collect(),
        _ => fixes,
    };
    Error::InvalidName {
        name,
        reason,
        fixes,
    }
}

/// The common name a certificate gets when `--cn` is not given: the first DNS name, else
/// the first IP address.
pub fn default_common_name(names: &[SanName]) -> Option<String> {
    names
        .iter()
        .find(|n| matches!(n, SanName::Dns(_)))
        .or_else(|| names.first())
        .map(ToString::to_string)
}

/// Longest common name: `ub-common-name` is 64 (RFC 5280, Appendix A.1).
const MAX_COMMON_NAME: usize = 64;

/// Checks a `--cn` value: 1 to 64 characters, no control characters.
pub fn check_common_name(cn: &str) -> Result<String> {
    let bad = |reason: &str| Error::InvalidValue {
        what: "--cn",
        value: cn.to_owned(),
        reason: reason.to_owned(),
    };
    if cn.trim().is_empty() {
        return Err(bad("the common name is empty"));
    }
    if cn.chars().count() > MAX_COMMON_NAME {
        return Err(bad("a common name has at most 64 characters (RFC 5280)"));
    }
    if cn.chars().any(char::is_control) {
        return Err(bad("the common name contains control characters"));
    }
    Ok(cn.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dns(s: &str) -> SanName {
        SanName::Dns(s.into())
    }

    #[test]
    fn the_host_of_a_url_or_host_port_is_the_fix() {
        // With a port, the service there may be what was meant: `aitls probe` it.
        for (given, host, probe) in [
            ("localhost:8095", "localhost", true),
            ("https://localhost", "localhost", false),
            ("https://user@api.internal:8443/v1?x", "api.internal", true),
            ("[::1]:8095", "::1", true),
            ("10.0.0.5:80", "10.0.0.5", true),
        ] {
            assert_eq!(host_in(given).as_deref(), Some(host), "{given}");
            let err = parse(given).unwrap_err();
            let mut fixes = vec![Fix::UseNames {
                names: vec![host.to_owned()],
            }];
            if probe {
                fixes.push(Fix::ProbeService {
                    target: given.to_owned(),
                });
            }
            assert_eq!(err.fixes(), fixes, "{given}");
        }
        for plain in ["localhost", "bad name", "x:y"] {
            assert_eq!(host_in(plain), None, "{plain}");
        }
        let err = parse_all(&["api.internal", "localhost:8095"]).unwrap_err();
        assert_eq!(
            err.fixes(),
            [
                Fix::UseNames {
                    names: vec!["api.internal".into(), "localhost".into()]
                },
                Fix::ProbeService {
                    target: "localhost:8095".into()
                }
            ]
        );
    }

    #[test]
    fn ip_addresses_are_recognised() {
        assert_eq!(
            parse("127.0.0.1").unwrap(),
            SanName::Ip("127.0.0.1".parse().unwrap())
        );
        assert_eq!(parse("::1").unwrap(), SanName::Ip("::1".parse().unwrap()));
        assert_eq!(
            parse("[fe80::1]").unwrap(),
            SanName::Ip("fe80::1".parse().unwrap())
        );
    }

    #[test]
    fn dns_names_are_lowercased() {
        assert_eq!(parse("API.Example.COM").unwrap(), dns("api.example.com"));
        assert_eq!(parse("localhost").unwrap(), dns("localhost"));
        assert_eq!(parse("yolo26_api").unwrap(), dns("yolo26_api"));
    }

    #[test]
    fn internationalised_names_become_punycode() {
        assert_eq!(
            parse("bücher.example").unwrap(),
            dns("xn--bcher-kva.example")
        );
        assert_eq!(parse("*.müller.de").unwrap(), dns("*.xn--mller-kva.de"));
    }

    #[test]
    fn wildcards_follow_browser_rules() {
        assert_eq!(parse("*.example.com").unwrap(), dns("*.example.com"));
        for bad in [
            "*",
            "*.",
            "*.com",
            "a.*.com",
            "f*.example.com",
            "*.*.example.com",
        ] {
            assert!(parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn malformed_names_are_refused_with_the_name() {
        for bad in [
            "",
            "a b",
            "a..b",
            ".a",
            "a.",
            "-a.com",
            "a-.com",
            "a/b",
            "127.0.0.256",
            "1.2.3",
            "tab\there",
        ] {
            let err = parse(bad).unwrap_err();
            assert!(err.to_string().contains(&format!("{bad:?}")), "{err}");
        }
        let long_label = "a".repeat(64);
        assert!(parse(&format!("{long_label}.com")).is_err());
        assert!(parse(&"a".repeat(63)).is_ok());
        let long_name = vec!["a".repeat(63); 4].join(".");
        assert!(parse(&long_name).is_err(), "255 characters is too long");
    }

    #[test]
    fn defaults_and_duplicates() {
        let names = parse_all::<&str>(&[]).unwrap();
        assert_eq!(names.len(), 3);
        assert_eq!(names[0], dns("localhost"));
        let names = parse_all(&["a.test", "A.test", "10.0.0.1"]).unwrap();
        assert_eq!(names.len(), 2);
    }

    #[test]
    fn common_names_are_checked() {
        assert_eq!(
            check_common_name("AI Services CA").unwrap(),
            "AI Services CA"
        );
        assert!(check_common_name("").is_err());
        assert!(check_common_name("a\nb").is_err());
        assert!(check_common_name(&"x".repeat(65)).is_err());
    }

    #[test]
    fn common_name_prefers_dns() {
        let names = parse_all(&["10.0.0.1", "svc.local"]).unwrap();
        assert_eq!(default_common_name(&names).unwrap(), "svc.local");
        let names = parse_all(&["10.0.0.1"]).unwrap();
        assert_eq!(default_common_name(&names).unwrap(), "10.0.0.1");
    }
}

//! Name constraints (RFC 5280 §4.2.1.10): what `aitls ca --permit` writes into a CA, and the
//! one check every signer runs before it issues (`server`, `sign`): is each name inside the
//! constraints of the CA that will sign it?
//!
//! Pure functions on values and DER; no I/O. The matching follows what the clients of SPEC §6
//! enforce, which is RFC 5280 plus one widely shared convention:
//! - a dNSName subtree `example.com` holds `example.com` and every name under it
//!   (`api.example.com`); a subtree written with a leading dot, `.example.com`, holds only the
//!   names under it (OpenSSL `nc_dns`, Go `matchDomainConstraint`, Chromium
//!   `name_constraints.cc`, NSS and rustls-webpki all read the dot this way);
//! - an iPAddress subtree is an address and mask; an address is inside when it is of the same
//!   family and equal under the mask;
//! - constraints of one name form only restrict names of that form: a CA that permits only
//!   DNS names puts no limit on IP addresses at all (RFC 5280 §4.2.1.10, "If no name of the
//!   type is in the certificate, the certificate is acceptable"). So [`for_permits`]
//!   excludes every IPv4 and IPv6 address when no IP range is permitted: otherwise a leaked
//!   key could still vouch for any IP.

use std::fmt;
use std::net::IpAddr;
use std::path::Path;

use rcgen::{CidrSubnet, GeneralSubtree};
use serde::Serialize;
use x509_parser::prelude::*;

use crate::error::{Error, Result};
use crate::names::SanName;

/// The one-word shorthand `--permit local` stands for [`LOCAL_STACK`].
pub const LOCAL: &str = "local";

/// What `--permit local` permits: the names that never leave the machine or are reserved
/// for private use, so a CA limited to them cannot vouch for any public site.
/// `localhost` and `.localhost` (RFC 6761 §6.3), `.test` (RFC 6761 §6.2), `.internal`
/// (ICANN's reserved private TLD, 2024), `.home.arpa` (RFC 8375), and the loopback ranges
/// `127.0.0.0/8` and `::1/128`.
pub const LOCAL_STACK: [&str; 7] = [
    "localhost",
    ".localhost",
    ".test",
    ".internal",
    ".home.arpa",
    "127.0.0.0/8",
    "::1/128",
];

/// One subtree of a name constraint.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subtree {
    /// A DNS name or, with a leading dot, only the names under it (lowercase ASCII).
    Dns(String),
    /// An IP range: network address (host bits zero) and prefix length.
    Ip {
        /// The network address.
        addr: IpAddr,
        /// The prefix length (0..=32 for IPv4, 0..=128 for IPv6).
        prefix: u8,
    },
    /// A subtree of a form aitls never puts in a certificate (email, URI, directory name),
    /// as text; it constrains none of the names aitls issues.
    Other(String),
}

impl fmt::Display for Subtree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subtree::Dns(name) => f.write_str(name),
            Subtree::Ip { addr, prefix } => write!(f, "{addr}/{prefix}"),
            Subtree::Other(text) => f.write_str(text),
        }
    }
}

impl Serialize for Subtree {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Subtree {
    /// Whether `name` is inside this subtree. `None` when the subtree is of another name
    /// form and so says nothing about `name`.
    fn holds(&self, name: &SanName) -> Option<bool> {
        match (self, name) {
            (Subtree::Dns(base), SanName::Dns(name)) => Some(dns_within(name, base)),
            (Subtree::Ip { addr, prefix }, SanName::Ip(ip)) => Some(ip_within(*ip, *addr, *prefix)),
            _ => None,
        }
    }
}

fn dns_within(name: &str, base: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let base = base.trim_end_matches('.').to_ascii_lowercase();
    if base.is_empty() {
        // An empty dNSName subtree holds every DNS name.
        return true;
    }
    match base.strip_prefix('.') {
        Some(_) => name.len() > base.len() && name.ends_with(&base),
        None => name == base || name.ends_with(&format!(".{base}")),
    }
}

fn ip_bits(ip: IpAddr) -> (u128, u8) {
    match ip {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
        IpAddr::V6(v6) => (u128::from(v6), 128),
    }
}

fn mask(prefix: u8, width: u8) -> u128 {
    let all = if width == 32 {
        u128::from(u32::MAX)
    } else {
        u128::MAX
    };
    if prefix == 0 {
        0
    } else {
        all & !((1u128 << (width - prefix.min(width))) - 1)
    }
}

fn ip_within(ip: IpAddr, net: IpAddr, prefix: u8) -> bool {
    if ip.is_ipv4() != net.is_ipv4() {
        return false;
    }
    let ((ip, width), (net, _)) = (ip_bits(ip), ip_bits(net));
    let m = mask(prefix, width);
    ip & m == net & m
}

/// The name constraints of a CA.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Constraints {
    /// Whether the extension is marked critical (clients that do not understand it must
    /// then refuse the CA; RFC 5280 says it MUST be).
    pub critical: bool,
    /// permittedSubtrees: a name of a form listed here must be inside one of them.
    pub permitted: Vec<Subtree>,
    /// excludedSubtrees: a name inside one of these is refused.
    pub excluded: Vec<Subtree>,
}

impl Constraints {
    /// Whether a certificate for `name` under this CA is accepted by clients that enforce
    /// name constraints.
    pub fn allows(&self, name: &SanName) -> bool {
        if self.excluded.iter().any(|s| s.holds(name) == Some(true)) {
            return false;
        }
        let verdicts: Vec<bool> = self
            .permitted
            .iter()
            .filter_map(|s| s.holds(name))
            .collect();
        verdicts.is_empty() || verdicts.contains(&true)
    }

    /// The names among `names` that the constraints refuse, in order.
    pub fn outside<'a>(&self, names: &'a [SanName]) -> Vec<&'a SanName> {
        names.iter().filter(|n| !self.allows(n)).collect()
    }

    /// What is allowed, in words: `localhost, .test, 127.0.0.0/8` plus what is excluded.
    pub fn describe(&self) -> String {
        let list = |s: &[Subtree]| {
            s.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut text = if self.permitted.is_empty() {
            "any name".to_owned()
        } else {
            list(&self.permitted)
        };
        let no_ip = self.excluded.contains(&all_v4()) && self.excluded.contains(&all_v6());
        let others: Vec<Subtree> = self
            .excluded
            .iter()
            .filter(|s| !(no_ip && (**s == all_v4() || **s == all_v6())))
            .cloned()
            .collect();
        if no_ip {
            text.push_str(" (no IP addresses)");
        }
        if !others.is_empty() {
            text.push_str(&format!(" except {}", list(&others)));
        }
        text
    }

    /// The extension for rcgen to write (rcgen marks it critical).
    pub fn to_rcgen(&self) -> rcgen::NameConstraints {
        let conv = |s: &Subtree| match s {
            Subtree::Dns(name) => Some(GeneralSubtree::DnsName(name.clone())),
            Subtree::Ip { addr, prefix } => Some(GeneralSubtree::IpAddress(
                CidrSubnet::from_addr_prefix(*addr, *prefix),
            )),
            Subtree::Other(_) => None,
        };
        rcgen::NameConstraints {
            permitted_subtrees: self.permitted.iter().filter_map(conv).collect(),
            excluded_subtrees: self.excluded.iter().filter_map(conv).collect(),
        }
    }
}

fn all_v4() -> Subtree {
    Subtree::Ip {
        addr: IpAddr::from([0, 0, 0, 0]),
        prefix: 0,
    }
}

fn all_v6() -> Subtree {
    Subtree::Ip {
        addr: IpAddr::from([0u16; 8]),
        prefix: 0,
    }
}

/// Parses one `--permit` value: `local` (the [`LOCAL_STACK`] set), a DNS name
/// (`example.com`: it and every name under it), `.suffix` (only names under it), an IP
/// range (`10.0.0.0/8`, `fd00::/8`) or a single address (`::1`, taken as `/32` or `/128`).
pub fn parse_permit(input: &str) -> Result<Vec<Subtree>> {
    let bad = |reason: &str| Error::InvalidValue {
        what: "--permit",
        value: input.to_owned(),
        reason: reason.to_owned(),
    };
    if input == LOCAL {
        return LOCAL_STACK.iter().map(|p| parse_one(p, &bad)).collect();
    }
    Ok(vec![parse_one(input, &bad)?])
}

fn parse_one(input: &str, bad: &dyn Fn(&str) -> Error) -> Result<Subtree> {
    if let Some((addr, prefix)) = input.split_once('/') {
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| bad("an IP range is an address and a prefix length, as in 10.0.0.0/8"))?;
        let width = ip_bits(addr).1;
        let prefix: u8 = prefix
            .parse()
            .ok()
            .filter(|p| *p <= width)
            .ok_or_else(|| bad(&format!("the prefix length must be 0..={width}")))?;
        let (bits, _) = ip_bits(addr);
        if bits & !mask(prefix, width) != 0 {
            let net = match addr {
                IpAddr::V4(_) => {
                    IpAddr::from(std::net::Ipv4Addr::from((bits & mask(prefix, 32)) as u32))
                }
                IpAddr::V6(_) => IpAddr::from(std::net::Ipv6Addr::from(bits & mask(prefix, 128))),
            };
            return Err(bad(&format!(
                "the address has host bits set; the range is {net}/{prefix}"
            )));
        }
        return Ok(Subtree::Ip { addr, prefix });
    }
    let (dot, rest) = match input.strip_prefix('.') {
        Some(rest) => (".", rest),
        None => ("", input),
    };
    if let Some(domain) = rest.strip_prefix("*.") {
        return Err(bad(&format!(
            "name constraints take no wildcards; .{domain} permits every name under {domain}"
        )));
    }
    match crate::names::parse(rest) {
        Ok(SanName::Ip(ip)) if dot.is_empty() => Ok(Subtree::Ip {
            addr: ip,
            prefix: ip_bits(ip).1,
        }),
        Ok(SanName::Dns(name)) => Ok(Subtree::Dns(format!("{dot}{name}"))),
        Ok(SanName::Ip(_)) => Err(bad("an IP address cannot have a leading dot")),
        Err(Error::InvalidName { reason, .. }) => Err(bad(&reason)),
        Err(e) => Err(e),
    }
}

/// Parses every `--permit` value and builds the constraints of a new CA: the permitted
/// subtrees in the order given (duplicates dropped) and, when no IP range is among them,
/// every IPv4 and IPv6 address excluded (see the module comment). `None` when `inputs` is
/// empty: an unconstrained CA.
pub fn for_permits<S: AsRef<str>>(inputs: &[S]) -> Result<Option<Constraints>> {
    if inputs.is_empty() {
        return Ok(None);
    }
    let mut permitted: Vec<Subtree> = Vec::new();
    for input in inputs {
        for subtree in parse_permit(input.as_ref())? {
            if !permitted.contains(&subtree) {
                permitted.push(subtree);
            }
        }
    }
    let mut excluded = Vec::new();
    if !permitted.iter().any(|s| matches!(s, Subtree::Ip { .. })) {
        excluded = vec![all_v4(), all_v6()];
    }
    Ok(Some(Constraints {
        critical: true,
        permitted,
        excluded,
    }))
}

/// Whether a set of constraints leaves DNS names unconstrained (it permits only IP ranges).
pub fn dns_unconstrained(c: &Constraints) -> bool {
    !c.permitted.iter().any(|s| matches!(s, Subtree::Dns(_)))
        && !c.excluded.iter().any(|s| matches!(s, Subtree::Dns(_)))
}

fn subtree_of(name: &GeneralName<'_>) -> Subtree {
    match name {
        GeneralName::DNSName(dns) => Subtree::Dns(dns.to_ascii_lowercase()),
        GeneralName::IPAddress(bytes) if bytes.len() == 8 || bytes.len() == 32 => {
            let half = bytes.len() / 2;
            let (addr, m) = bytes.split_at(half);
            let addr = if half == 4 {
                IpAddr::from(<[u8; 4]>::try_from(addr).unwrap_or_default())
            } else {
                IpAddr::from(<[u8; 16]>::try_from(addr).unwrap_or_default())
            };
            let prefix = m.iter().map(|b| b.leading_ones()).sum::<u32>();
            Subtree::Ip {
                addr,
                prefix: u8::try_from(prefix).unwrap_or(u8::MAX),
            }
        }
        other => Subtree::Other(other.to_string()),
    }
}

/// The name constraints of a certificate (DER), `None` when it has none. A malformed
/// extension reads as `Err`.
pub fn of_cert(der: &[u8]) -> std::result::Result<Option<Constraints>, String> {
    let (_, x509) = X509Certificate::from_der(der)
        .map_err(|_| "is not a valid certificate (malformed DER)".to_owned())?;
    let ext = x509
        .tbs_certificate
        .name_constraints()
        .map_err(|_| "has a malformed nameConstraints extension".to_owned())?;
    Ok(ext.map(|ext| {
        let list = |trees: &Option<Vec<x509_parser::extensions::GeneralSubtree<'_>>>| {
            trees
                .iter()
                .flatten()
                .map(|t| subtree_of(&t.base))
                .collect()
        };
        Constraints {
            critical: ext.critical,
            permitted: list(&ext.value.permitted_subtrees),
            excluded: list(&ext.value.excluded_subtrees),
        }
    }))
}

/// The check every signer runs before issuing: refuses (exit 1) when a name in `names` is
/// outside the name constraints of the CA certificate `ca_der` (read from `ca_path`),
/// naming each such name and what the CA permits. A CA without constraints allows all.
/// Used by `aitls server` and `aitls sign`, for CAs made by aitls or by anyone else.
pub fn ensure_permitted(ca_der: &[u8], ca_path: &Path, names: &[SanName]) -> Result<()> {
    let constraints = of_cert(ca_der).map_err(|reason| Error::Malformed {
        path: ca_path.to_owned(),
        reason,
        fixes: Vec::new(),
    })?;
    let Some(constraints) = constraints else {
        return Ok(());
    };
    let outside = constraints.outside(names);
    if outside.is_empty() {
        return Ok(());
    }
    let listed = outside
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    Err(Error::Refused {
        message: format!(
            "{listed} {} outside the name constraints of the CA {}, which permits only {}",
            if outside.len() == 1 { "is" } else { "are" },
            ca_path.display(),
            constraints.describe()
        ),
        fixes: vec![crate::fix::Fix::PermittedNamesOnly],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> SanName {
        crate::names::parse(s).unwrap()
    }

    fn permits(p: &[&str]) -> Constraints {
        for_permits(p).unwrap().unwrap()
    }

    #[test]
    fn a_dns_subtree_holds_the_name_and_names_under_it() {
        let c = permits(&["example.com"]);
        assert!(c.allows(&name("example.com")));
        assert!(c.allows(&name("api.example.com")));
        assert!(c.allows(&name("*.example.com")));
        assert!(!c.allows(&name("badexample.com")));
        assert!(!c.allows(&name("example.org")));
    }

    #[test]
    fn a_leading_dot_holds_only_names_under_it() {
        let c = permits(&[".test"]);
        assert!(c.allows(&name("api.test")));
        assert!(!c.allows(&name("test")));
        assert!(!c.allows(&name("latest")));
    }

    #[test]
    fn without_an_ip_range_no_ip_is_allowed() {
        let c = permits(&["example.com"]);
        assert!(!c.allows(&name("127.0.0.1")));
        assert!(!c.allows(&name("::1")));
        assert!(c.describe().contains("no IP addresses"));
    }

    #[test]
    fn ip_ranges_match_by_mask_and_family() {
        let c = permits(&["10.0.0.0/8", "::1"]);
        assert!(c.allows(&name("10.200.3.4")));
        assert!(!c.allows(&name("11.0.0.1")));
        assert!(c.allows(&name("::1")));
        assert!(!c.allows(&name("::2")));
        // Only IP ranges: DNS names stay unconstrained (RFC 5280), and aitls says so.
        assert!(c.allows(&name("anything.example")));
        assert!(dns_unconstrained(&c));
    }

    #[test]
    fn local_covers_the_default_names_and_refuses_public_ones() {
        let c = permits(&[LOCAL]);
        for ok in [
            "localhost",
            "127.0.0.1",
            "::1",
            "yolo.test",
            "llm.internal",
            "nas.home.arpa",
            "a.localhost",
        ] {
            assert!(c.allows(&name(ok)), "{ok}");
        }
        for bad in ["example.com", "10.0.0.5", "test", "printer.local"] {
            assert!(!c.allows(&name(bad)), "{bad}");
        }
    }

    #[test]
    fn bad_permits_are_refused_with_the_reason() {
        for (input, says) in [
            ("10.0.0.1/8", "10.0.0.0/8"),
            ("10.0.0.0/33", "0..=32"),
            ("*.example.com", ".example.com"),
            ("exa mple.com", "spaces"),
            ("", "empty"),
        ] {
            let err = parse_permit(input).unwrap_err().to_string();
            assert!(err.contains(says), "{input}: {err}");
        }
    }

    #[test]
    fn constraints_survive_a_round_trip_through_a_certificate() {
        let c = permits(&["example.com", ".test", "10.0.0.0/8", "fd00::/8"]);
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let mut params = rcgen::CertificateParams::default();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.name_constraints = Some(c.to_rcgen());
        let cert = params.self_signed(&key).unwrap();
        let read = of_cert(cert.der()).unwrap().unwrap();
        assert_eq!(read, c);
        assert!(read.critical);
        let names = [
            name("api.example.com"),
            name("example.org"),
            name("10.1.1.1"),
        ];
        let err = ensure_permitted(cert.der(), Path::new("ca.crt"), &names).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("example.org is outside"), "{text}");
        assert!(
            text.contains("example.com, .test, 10.0.0.0/8, fd00::/8"),
            "{text}"
        );
    }
}

//! What each TLS client family will do with a certificate (SPEC §6): a model per family,
//! each rule a small function whose doc comment names the source it follows.
//!
//! rustls-webpki builds and checks the path in [`crate::verify`]; this module adds what
//! webpki does not decide, because the clients of an AI stack disagree: OpenSSL at Debian's
//! security level 2 refuses an RSA-1024 key that Java and Go take, Python 3.13's strict
//! mode refuses a CA without keyUsage, Go refuses a negative serial, Java refuses an
//! underscore in a host name, NSS cannot import an Ed25519 CA. A family's verdict is the
//! conjunction of its rules; a rule may apply to some programs of a family only (node
//! bundles its own OpenSSL at security level 1; curl and Python refuse the partial
//! wildcards that `openssl s_client` and node take), and then says which.
//!
//! The rules are checked against the real clients by the differential suite
//! (`tests/cli/clients.rs`); Apple is modelled from its published requirements only, since
//! its trust evaluation does not run on Linux.
//!
//! Pure: takes [`Facts`], returns [`Verdict`]s; never reads files, never prints.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

mod apple;
mod browsers;
pub mod facts;
mod gnutls;
mod go;
mod java;
mod openssl;
mod rules;
mod rustls;

pub use facts::{CertFacts, Facts, KeyFile, PemQuirks};

/// A client family of SPEC §6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Client {
    /// OpenSSL 3 at Debian's default security level 2: curl, nginx, uvicorn and Python
    /// ≤ 3.12, llama-server, `openssl s_client`; node (bundled OpenSSL, level 1).
    Openssl,
    /// Python ≥ 3.13: OpenSSL with `VERIFY_X509_STRICT` in the default context.
    Python313,
    /// rustls with rustls-webpki (what aitls itself runs).
    Rustls,
    /// Go's crypto/tls and crypto/x509 ≥ 1.23: Traefik, Go services and tools.
    Go,
    /// Java's JSSE with the PKIX trust manager.
    Java,
    /// Chromium and Chrome on Linux (its own verifier, trust from the NSS database).
    Chromium,
    /// Firefox (NSS).
    Firefox,
    /// Safari, macOS and iOS trust evaluation (Apple's published requirements).
    Apple,
    /// GnuTLS: wget, apt, curl-gnutls, emacs.
    Gnutls,
}

impl Client {
    /// Every family, in the order reports list them.
    pub const ALL: [Client; 9] = [
        Client::Openssl,
        Client::Python313,
        Client::Rustls,
        Client::Go,
        Client::Java,
        Client::Chromium,
        Client::Firefox,
        Client::Apple,
        Client::Gnutls,
    ];

    /// The name `--client` takes and reports print.
    pub fn name(self) -> &'static str {
        match self {
            Client::Openssl => "openssl",
            Client::Python313 => "python3.13",
            Client::Rustls => "rustls",
            Client::Go => "go",
            Client::Java => "java",
            Client::Chromium => "chromium",
            Client::Firefox => "firefox",
            Client::Apple => "apple",
            Client::Gnutls => "gnutls",
        }
    }

    /// The family's rules, in the order they are reported.
    fn rules(self) -> &'static [Rule] {
        match self {
            Client::Openssl => openssl::RULES,
            Client::Python313 => openssl::STRICT_RULES,
            Client::Rustls => rustls::RULES,
            Client::Go => go::RULES,
            Client::Java => java::RULES,
            Client::Chromium => browsers::CHROMIUM_RULES,
            Client::Firefox => browsers::FIREFOX_RULES,
            Client::Apple => apple::RULES,
            Client::Gnutls => gnutls::RULES,
        }
    }
}

impl fmt::Display for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Client {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Client::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!(
                    "unknown client {s:?}; one of {}",
                    Client::ALL.map(Client::name).join(", ")
                )
            })
    }
}

/// One rule's refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Why, in words.
    pub reason: String,
    /// The programs of the family that refuse, when not all of them do.
    pub only: &'static [&'static str],
}

impl Refusal {
    /// Every program of the family refuses.
    pub fn all(reason: impl Into<String>) -> Self {
        Refusal {
            reason: reason.into(),
            only: &[],
        }
    }
}

/// A rule: the facts in, a refusal out when the family refuses.
pub type Rule = fn(&Facts) -> Option<Refusal>;

/// One family's verdict: an element of `"clients"` in `aitls verify --json`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Verdict {
    /// The family (`openssl`, `python3.13`, …).
    pub name: &'static str,
    /// Whether every program of the family accepts.
    pub accepts: bool,
    /// Why it refuses; `null` when it accepts.
    pub reason: Option<String>,
    /// When only some programs of the family refuse: which (e.g. `["curl", "python"]`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub refused_by: Vec<&'static str>,
}

/// The family's verdict: its first refusal that holds for every program of the family,
/// else the first that holds for some (naming them), else acceptance.
pub fn judge(client: Client, facts: &Facts) -> Verdict {
    let refusals: Vec<Refusal> = client.rules().iter().filter_map(|r| r(facts)).collect();
    let whole = refusals.iter().find(|r| r.only.is_empty());
    let (reason, refused_by) = match whole {
        Some(r) => (Some(r.reason.clone()), Vec::new()),
        None => match refusals.first() {
            Some(first) => {
                let mut by: Vec<&'static str> = Vec::new();
                for r in &refusals {
                    for m in r.only {
                        if !by.contains(m) {
                            by.push(m);
                        }
                    }
                }
                (Some(first.reason.clone()), by)
            }
            None => (None, Vec::new()),
        },
    };
    Verdict {
        name: client.name(),
        accepts: reason.is_none(),
        reason,
        refused_by,
    }
}

/// Every family in `clients` refuses, for one reason (a certificate no client can read).
pub fn refuse_all(clients: &[Client], reason: &str) -> Vec<Verdict> {
    clients
        .iter()
        .map(|c| Verdict {
            name: c.name(),
            accepts: false,
            reason: Some(reason.to_owned()),
            refused_by: Vec::new(),
        })
        .collect()
}

/// The verdicts of `clients`, in the order given.
pub fn judge_all(clients: &[Client], facts: &Facts) -> Vec<Verdict> {
    clients.iter().map(|c| judge(*c, facts)).collect()
}

/// The verdicts on a CA as the root of a sound server certificate (ECDSA P-256, SHA-2,
/// serverAuth, both key identifiers, `localhost`): every refusal comes from the CA itself.
/// What `aitls ca` warns about.
pub fn judge_ca(ca: &CertFacts) -> Vec<Verdict> {
    let leaf = CertFacts {
        is_ca: false,
        key_usage: Some(1),
        ski: true,
        aki: true,
        eku_present: true,
        eku_server_auth: true,
        eku_any: false,
        key: facts::PubKey::Ec(256),
        sig_hash: facts::SigHash::Strong,
        sig_ed25519: ca.key == facts::PubKey::Ed25519,
        serial_negative: false,
        serial_len: 16,
        der_len: 700,
        unknown_critical: Vec::new(),
        validity_days: 365,
        dns: vec!["localhost".into()],
        ips: Vec::new(),
        cn: Some("localhost".into()),
        permitted_dns: Vec::new(),
        excluded_dns: Vec::new(),
        bc_critical: false,
        self_issued: false,
    };
    let facts = Facts {
        leaf,
        issuers: vec![ca.clone()],
        hosts: Vec::new(),
        ca_pem: PemQuirks::default(),
        cert_pem: PemQuirks::default(),
        key: None,
        webpki: None,
        universal: None,
    };
    judge_all(&Client::ALL, &facts)
        .into_iter()
        .filter(|v| !v.accepts)
        .collect()
}

/// The verdicts on a server certificate `aitls server` made (what it warns about): the
/// certificate and its CA (DER), its names as the hosts clients connect to (wildcards
/// left out), and its key file when it was just written.
pub fn judge_issued(
    cert_der: &[u8],
    ca_der: &[u8],
    names: &[crate::names::SanName],
    key_pem: Option<&[u8]>,
) -> Vec<Verdict> {
    let hosts: Vec<crate::names::SanName> = names
        .iter()
        .filter(|n| !matches!(n, crate::names::SanName::Dns(d) if d.contains('*')))
        .cloned()
        .collect();
    match facts::path_facts(
        cert_der,
        &[ca_der],
        &hosts,
        PemQuirks::default(),
        key_pem.map(facts::key_file),
    ) {
        Ok(f) => judge_all(&Client::ALL, &f)
            .into_iter()
            .filter(|v| !v.accepts)
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Refusals grouped by reason, in words for a warning: `refused by chromium, firefox:
/// REASON` (naming the programs when only some of a family refuse).
pub fn refusal_warnings(verdicts: &[Verdict]) -> Vec<String> {
    let mut groups: Vec<(Vec<String>, String)> = Vec::new();
    for v in verdicts.iter().filter(|v| !v.accepts) {
        let who = if v.refused_by.is_empty() {
            v.name.to_owned()
        } else {
            format!("{} ({})", v.name, v.refused_by.join(", "))
        };
        let reason = v.reason.clone().unwrap_or_default();
        match groups.iter_mut().find(|(_, r)| *r == reason) {
            Some((names, _)) => names.push(who),
            None => groups.push((vec![who], reason)),
        }
    }
    groups
        .into_iter()
        .map(|(names, reason)| format!("refused by {}: {reason}", names.join(", ")))
        .collect()
}

/// The families that refuse a certificate for what it says itself, without its issuer or
/// a host (what `aitls inspect` shows): a CA as the root of a sound server certificate, a
/// server certificate alone.
pub fn judge_alone(der: &[u8]) -> Vec<Verdict> {
    let Ok(cert) = facts::cert_facts(der) else {
        return Vec::new();
    };
    if cert.is_ca {
        return judge_ca(&cert);
    }
    let facts = Facts {
        leaf: cert,
        issuers: Vec::new(),
        hosts: Vec::new(),
        ca_pem: PemQuirks::default(),
        cert_pem: PemQuirks::default(),
        key: None,
        webpki: None,
        universal: None,
    };
    judge_all(&Client::ALL, &facts)
        .into_iter()
        .filter(|v| !v.accepts)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::SanName;

    fn leaf() -> CertFacts {
        let ca = CertFacts {
            is_ca: true,
            key_usage: Some(0b110_0000),
            ski: true,
            aki: false,
            eku_present: false,
            eku_server_auth: false,
            eku_any: false,
            key: facts::PubKey::Ec(256),
            sig_hash: facts::SigHash::Strong,
            sig_ed25519: false,
            serial_negative: false,
            serial_len: 16,
            der_len: 500,
            unknown_critical: Vec::new(),
            validity_days: 365,
            dns: Vec::new(),
            ips: Vec::new(),
            cn: Some("CA".into()),
            permitted_dns: Vec::new(),
            excluded_dns: Vec::new(),
            bc_critical: true,
            self_issued: true,
        };
        CertFacts {
            is_ca: false,
            key_usage: Some(1),
            aki: true,
            eku_present: true,
            eku_server_auth: true,
            dns: vec!["f*.example.test".into()],
            cn: Some("f*.example.test".into()),
            bc_critical: false,
            self_issued: false,
            ..ca
        }
    }

    fn facts(leaf: CertFacts, hosts: &[&str]) -> Facts {
        let mut ca = leaf.clone();
        ca.is_ca = true;
        ca.self_issued = true;
        ca.bc_critical = true;
        ca.dns.clear();
        Facts {
            leaf,
            issuers: vec![ca],
            hosts: hosts
                .iter()
                .map(|h| SanName::Dns((*h).to_owned()))
                .collect(),
            ca_pem: PemQuirks::default(),
            cert_pem: PemQuirks::default(),
            key: None,
            webpki: None,
            universal: None,
        }
    }

    #[test]
    fn client_names_round_trip_and_unknown_ones_are_refused() {
        for c in Client::ALL {
            assert_eq!(c.name().parse::<Client>(), Ok(c));
        }
        assert!(
            "safari"
                .parse::<Client>()
                .unwrap_err()
                .contains("python3.13")
        );
    }

    #[test]
    fn a_refusal_by_some_programs_names_them_and_fails_the_family() {
        let v = judge(Client::Openssl, &facts(leaf(), &["foo.example.test"]));
        assert!(!v.accepts);
        assert_eq!(v.refused_by, ["curl", "python"]);
        assert!(judge(Client::Java, &facts(leaf(), &["foo.example.test"])).accepts);
        assert!(!judge(Client::Go, &facts(leaf(), &["foo.example.test"])).accepts);
    }

    #[test]
    fn a_shared_failure_is_every_familys() {
        let mut f = facts(leaf(), &[]);
        f.universal = Some("expired".into());
        for c in Client::ALL {
            assert_eq!(judge(c, &f).reason.as_deref(), Some("expired"), "{c}");
        }
    }

    #[test]
    fn warnings_group_families_by_reason() {
        let mut ca = leaf();
        ca.key = facts::PubKey::Ed25519;
        ca.is_ca = true;
        let w = refusal_warnings(&judge_ca(&ca));
        assert!(
            w.iter()
                .any(|w| w.starts_with("refused by chromium, firefox: ")),
            "{w:?}"
        );
    }
}

//! Fact tests shared by several families' rules. Each returns what is wrong, in words, or
//! `None`; the families' rule functions (with their sources) decide who refuses.

use super::facts::{CertFacts, Facts, PubKey, SigHash, dns_matches, in_subtree};
use crate::names::SanName;

/// The role of a certificate in the path, for messages.
pub(super) fn role(f: &Facts, c: &CertFacts) -> &'static str {
    if std::ptr::eq(c, &f.leaf) {
        "the server certificate"
    } else if f.ca().is_some_and(|ca| std::ptr::eq(c, ca)) {
        "the CA"
    } else {
        "an intermediate"
    }
}

/// An RSA key smaller than `min` bits anywhere in the path.
pub(super) fn rsa_below(f: &Facts, min: u32) -> Option<String> {
    f.path().find_map(|c| match c.key {
        PubKey::Rsa(bits) if bits < min => Some(format!(
            "{} has an RSA-{bits} key (at least {min} bits needed)",
            role(f, c)
        )),
        _ => None,
    })
}

/// A signature made with a hash in `weak` on a certificate whose signature is checked
/// (every certificate but the CA's own self-signature).
pub(super) fn weak_signature(f: &Facts, weak: &[SigHash]) -> Option<String> {
    f.signed().find_map(|c| {
        weak.contains(&c.sig_hash).then(|| {
            let hash = if c.sig_hash == SigHash::Md5 {
                "MD5"
            } else {
                "SHA-1"
            };
            format!("{} is signed with {hash}", role(f, c))
        })
    })
}

/// An unknown critical extension; `with_ca` includes the trusted CA itself.
pub(super) fn unknown_critical(f: &Facts, with_ca: bool) -> Option<String> {
    // Without the CA (a certificate judged alone), the leaf is still checked.
    let n = f.issuers.len();
    f.path()
        .take(if with_ca { n + 1 } else { n.max(1) })
        .find_map(|c| {
            c.unknown_critical.first().map(|oid| {
                format!(
                    "{} has a critical extension it does not know ({oid})",
                    role(f, c)
                )
            })
        })
}

/// An extendedKeyUsage on the leaf without serverAuth (anyExtendedKeyUsage counts when
/// `any_ok`).
pub(super) fn eku_not_server(f: &Facts, any_ok: bool) -> Option<String> {
    let l = &f.leaf;
    (l.eku_present && !l.eku_server_auth && !(any_ok && l.eku_any)).then(|| {
        if l.eku_any {
            "extendedKeyUsage holds anyExtendedKeyUsage but not serverAuth".to_owned()
        } else {
            "extendedKeyUsage does not include serverAuth".to_owned()
        }
    })
}

/// A leaf name outside an issuer's nameConstraints (dNSName subtrees).
pub(super) fn name_constraints(f: &Facts) -> Option<String> {
    let leaf = &f.leaf;
    let mut names: Vec<&str> = leaf.dns.iter().map(String::as_str).collect();
    if names.is_empty() {
        names.extend(leaf.cn.as_deref());
    }
    for issuer in &f.issuers {
        for name in &names {
            let name = name.trim_start_matches("*.");
            if !issuer.permitted_dns.is_empty()
                && !issuer.permitted_dns.iter().any(|b| in_subtree(name, b))
            {
                return Some(format!(
                    "{name} is outside the CA's name constraints (permitted: {})",
                    issuer.permitted_dns.join(", ")
                ));
            }
            if let Some(b) = issuer.excluded_dns.iter().find(|b| in_subtree(name, b)) {
                return Some(format!(
                    "{name} is excluded by the CA's name constraints ({b})"
                ));
            }
        }
    }
    None
}

/// How a client matches a host name against the certificate.
#[derive(Debug, Clone, Copy)]
pub(super) struct Matching {
    /// A wildcard may stand for part of the leftmost label (`f*.example.com`).
    pub partial: bool,
    /// Without a dNSName, the subject CN is matched instead (RFC 6125 §6.4.4's legacy).
    pub cn_fallback: bool,
}

/// The first `--host` the certificate does not cover, as a client with `m` matches.
pub(super) fn host_mismatch(f: &Facts, m: Matching) -> Option<String> {
    let leaf = &f.leaf;
    f.hosts.iter().find_map(|host| {
        let ok = match host {
            SanName::Ip(ip) => leaf.ips.contains(ip),
            SanName::Dns(h) => {
                if leaf.dns.is_empty() {
                    m.cn_fallback
                        && leaf
                            .cn
                            .as_deref()
                            .is_some_and(|cn| dns_matches(cn, h, m.partial))
                } else {
                    leaf.dns.iter().any(|p| dns_matches(p, h, m.partial))
                }
            }
        };
        (!ok).then(|| {
            if leaf.dns.is_empty() && leaf.ips.is_empty() && !m.cn_fallback {
                format!("{host}: no subjectAltName, and the common name is not read")
            } else if leaf
                .dns
                .iter()
                .any(|p| p.contains('*') && !p.starts_with("*."))
                && !m.partial
            {
                format!(
                    "{host}: partial wildcards ({}) are not matched",
                    leaf.dns.join(", ")
                )
            } else {
                format!("{host} is not among the certificate's names")
            }
        })
    })
}

/// No subjectAltName at all, for a client that never reads the CN.
pub(super) fn no_san(f: &Facts) -> Option<String> {
    (f.leaf.dns.is_empty() && f.leaf.ips.is_empty())
        .then(|| "no subjectAltName, and the common name is not read".to_owned())
}

/// A DNS host name with an underscore (not a letter-digit-hyphen name, RFC 952/1123).
pub(super) fn underscore_host(f: &Facts) -> Option<String> {
    f.hosts.iter().find_map(|h| match h {
        SanName::Dns(d) if d.contains('_') => Some(format!(
            "{d}: a host name with an underscore is refused before the handshake"
        )),
        _ => None,
    })
}

/// An Ed25519 key in the path: the CA's or an intermediate's first (what signs), then the
/// server's own key.
pub(super) fn ed25519_in_path(f: &Facts) -> Option<&'static str> {
    if let Some(c) = f.issuers.iter().rev().find(|c| c.key == PubKey::Ed25519) {
        return Some(role(f, c));
    }
    (f.leaf.key == PubKey::Ed25519).then_some("the server key")
}

/// The CA file is UTF-16: no PEM reader finds a certificate in it.
pub(super) fn ca_file_utf16(f: &Facts) -> Option<String> {
    f.ca_pem
        .utf16
        .then(|| "the CA file is UTF-16 text: no certificate is found in it".to_owned())
}

/// The CA file starts with a UTF-8 byte order mark.
pub(super) fn ca_file_bom(f: &Facts) -> Option<String> {
    f.ca_pem.bom.then(|| {
        "the CA file starts with a byte order mark: no certificate is read from it".to_owned()
    })
}

/// The key file is encrypted: a server started without a terminal cannot load it.
pub(super) fn key_encrypted(f: &Facts) -> Option<String> {
    f.key
        .is_some_and(|k| k.encrypted)
        .then(|| "the private key is encrypted: the server cannot load it unattended".to_owned())
}

/// The certificates a server sends (the leaf and the intermediates), in octets.
pub(super) fn sent_chain_len(f: &Facts) -> usize {
    f.signed().map(|c| c.der_len).sum()
}

/// A failure every client shares (no path to the CA, expired, key mismatch).
///
/// Source: the checks of [`crate::verify`], which every client in the model makes.
pub(super) fn shared_failure(f: &Facts) -> Option<super::Refusal> {
    f.universal.clone().map(super::Refusal::all)
}

/// Name constraints of the issuers, the CA's own excepted (a trust anchor taken from a
/// key store carries none).
pub(super) fn name_constraints_below_ca(f: &Facts) -> Option<String> {
    let mut g = f.clone();
    if let Some(ca) = g.issuers.last_mut() {
        ca.permitted_dns.clear();
        ca.excluded_dns.clear();
    }
    name_constraints(&g)
}

/// The key file is PKCS#8 version 2 (RFC 5958 OneAsymmetricKey, the public key inside).
pub(super) fn key_pkcs8_v2(f: &Facts) -> Option<String> {
    f.key.is_some_and(|k| k.pkcs8_v2).then(|| {
        "the private key is PKCS#8 v2 (RFC 5958, with the public key inside), which this TLS library cannot read".to_owned()
    })
}

/// The server certificate has keyUsage without digitalSignature: with TLS 1.3 (and ECDHE)
/// the server signs the handshake with its key, which that keyUsage forbids.
pub(super) fn ku_forbids_handshake_signature(f: &Facts) -> Option<String> {
    f.leaf.key_usage.filter(|ku| ku & 1 == 0).map(|_| {
        "the server certificate's keyUsage lacks digitalSignature, which a TLS 1.3 handshake needs".to_owned()
    })
}

/// The server's certificate or key file is UTF-16: no PEM reader finds anything in it.
pub(super) fn server_file_utf16(f: &Facts) -> Option<String> {
    let key = f.key.is_some_and(|k| k.pem.utf16);
    (f.cert_pem.utf16 || key).then(|| {
        format!(
            "the server's {} file is UTF-16 text: the server cannot load it",
            if key { "key" } else { "certificate" }
        )
    })
}

/// The server's certificate or key file starts with a UTF-8 byte order mark, which PEM
/// readers that want `-----BEGIN` at the start of a line do not skip.
pub(super) fn server_file_bom(f: &Facts) -> Option<String> {
    let key = f.key.is_some_and(|k| k.pem.bom);
    (f.cert_pem.bom || key).then(|| {
        format!(
            "the server's {} file starts with a byte order mark: the server finds no PEM in it",
            if key { "key" } else { "certificate" }
        )
    })
}

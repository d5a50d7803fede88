//! `aitls inspect`: every item in full (`aitls inspect FILE…`), or one line per item of a
//! directory (`aitls inspect`). One small renderer per kind of item.

use std::collections::HashMap;
use std::path::Path;

use aitls::cert::EXPIRY_WARNING_DAYS;
use aitls::fix::Fix;
use aitls::inspect::{
    Body, CertView, CsrView, EncryptedKeyView, Item, KeyFacts, KeyView, PublicKeyView, SanView,
    Status,
};

use super::Style;
use crate::cli::fix::Words;

use aitls::cert::when;

/// `ecdsa-p256`, or `rsa 1024` for a key aitls does not generate.
fn key_summary(key: &KeyFacts) -> String {
    if let Some(kt) = key.key_type {
        return kt.name().to_owned();
    }
    match (&key.key_curve, key.key_bits) {
        (Some(curve), _) => format!("{} {curve}", key.key_algorithm),
        (None, Some(bits)) => format!("{} {bits}", key.key_algorithm),
        (None, None) => key.key_algorithm.clone(),
    }
}

/// `ECDSA P-256 (256 bits)`, `RSA 2048 bits`.
fn key_long(key: &KeyFacts) -> String {
    let alg = key.key_algorithm.to_uppercase();
    match (&key.key_curve, key.key_bits) {
        (Some(curve), Some(bits)) => format!("{alg} {curve} ({bits} bits)"),
        (None, Some(bits)) => format!("{alg} ({bits} bits)"),
        (_, None) => alg,
    }
}

fn pin(key: &KeyFacts) -> &str {
    key.pin_sha256
        .as_deref()
        .unwrap_or("unknown: aitls cannot compute with this algorithm")
}

fn days_text(status: Status, days_left: i64) -> String {
    match status {
        Status::Expired => format!("EXPIRED {} ago", aitls::cert::days(-days_left)),
        Status::NotYetValid => "NOT YET VALID".to_owned(),
        Status::Valid => format!("{} left", aitls::cert::days(days_left)),
    }
}

/// subjectAltNames as OpenSSL prints them (`DNS:…`, `IP:…`, then the others).
fn san_list(san: &SanView, none: &str) -> String {
    let mut names: Vec<String> = san.dns_names.iter().map(|d| format!("DNS:{d}")).collect();
    names.extend(san.ip_addresses.iter().map(|ip| format!("IP:{ip}")));
    names.extend(san.other_names.iter().cloned());
    if names.is_empty() {
        none.to_owned()
    } else {
        names.join(", ")
    }
}

/// The lines of one item in full: a heading, then `label  value` lines.
struct Fields(String);

impl Fields {
    fn new(heading: String) -> Self {
        Fields(format!("{heading}\n"))
    }

    fn add(&mut self, label: &str, value: &str) -> &mut Self {
        self.0.push_str(&format!("  {label:<20} {value}\n"));
        self
    }
}

fn certificate(c: &CertView, heading: String) -> Fields {
    let mut f = Fields::new(format!("{heading}: certificate"));
    let self_issued = if c.self_issued { " (self-issued)" } else { "" };
    let basic = match &c.basic_constraints {
        None => "none".to_owned(),
        Some(bc) => format!(
            "{}{}{}",
            if bc.ca { "CA:TRUE" } else { "CA:FALSE" },
            bc.path_len
                .map_or_else(String::new, |l| format!(", pathlen:{l}")),
            if bc.critical { " (critical)" } else { "" }
        ),
    };
    let list = |v: &Option<Vec<String>>| {
        v.as_ref()
            .map_or_else(|| "none".to_owned(), |k| k.join(", "))
    };
    f.add("subject", &c.subject)
        .add("issuer", &format!("{}{self_issued}", c.issuer))
        .add("serial", &c.serial)
        .add("not before", &when(c.not_before))
        .add(
            "not after",
            &format!(
                "{} ({})",
                when(c.not_after),
                days_text(c.status, c.days_left)
            ),
        )
        .add("public key", &key_long(&c.key))
        .add("signature", &c.signature_algorithm)
        .add("names", &san_list(&c.names, "none (no subjectAltName)"))
        .add("basic constraints", &basic);
    if let Some(nc) = &c.name_constraints {
        f.add(
            "name constraints",
            &format!(
                "{}{}",
                nc.describe(),
                if nc.critical { " (critical)" } else { "" }
            ),
        );
    }
    f.add("key usage", &list(&c.key_usage))
        .add("extended key usage", &list(&c.extended_key_usage))
        .add(
            "subject key id",
            c.subject_key_id.as_deref().unwrap_or("none"),
        )
        .add(
            "authority key id",
            c.authority_key_id.as_deref().unwrap_or("none"),
        )
        .add("SHA-256 fingerprint", &c.fingerprint_sha256)
        .add("SPKI pin", pin(&c.key))
        .add("refused by", &refused_by(c));
    f
}

/// The client families that refuse the certificate, in one line.
fn refused_by(c: &CertView) -> String {
    if c.refused_by.is_empty() {
        return "none: every client family accepts it".into();
    }
    c.refused_by
        .iter()
        .map(|v| format!("{} ({})", v.name, v.reason.as_deref().unwrap_or("refuses")))
        .collect::<Vec<_>>()
        .join("; ")
}

fn request(r: &CsrView, heading: String) -> Fields {
    let mut f = Fields::new(format!("{heading}: certificate request"));
    f.add("subject", &r.subject)
        .add("public key", &key_long(&r.key))
        .add("signature", &r.signature_algorithm)
        .add("names", &san_list(&r.names, "none"))
        .add("SPKI pin", pin(&r.key));
    f
}

fn private_key(k: &KeyView, heading: String) -> Fields {
    let mut f = Fields::new(format!("{heading}: private key ({})", k.encoding));
    f.add("type", &key_long(&k.key))
        .add("SPKI pin", pin(&k.key));
    if let Some(mode) = &k.mode {
        let note = if k.owner_only == Some(true) {
            "owner only"
        } else {
            "READABLE BY OTHERS: chmod 600"
        };
        f.add("file mode", &format!("{mode} ({note})"));
    }
    f
}

fn encrypted_key(k: &EncryptedKeyView, heading: String) -> Fields {
    let mut f = Fields::new(format!("{heading}: encrypted private key ({})", k.encoding));
    f.add(
        "type",
        k.key_algorithm
            .as_deref()
            .unwrap_or("hidden by the encryption"),
    )
    .add(
        "encryption",
        k.encryption.as_deref().unwrap_or("not recognised"),
    );
    if let Some(mode) = &k.mode {
        f.add("file mode", mode);
    }
    f
}

fn public_key(p: &PublicKeyView, heading: String) -> Fields {
    let mut f = Fields::new(format!("{heading}: public key"));
    f.add("type", &key_long(&p.key))
        .add("SPKI pin", pin(&p.key));
    f
}

/// Every item in full, a blank line between items. An item of a bundle is headed with
/// its place (`bundle.pem [3/144]`).
pub fn items(items: &[Item]) -> String {
    // Items per file, so bundles can say "[3/144]" without a quadratic count.
    let mut per_file: HashMap<&str, usize> = HashMap::new();
    for item in items {
        *per_file.entry(item.file.as_str()).or_default() += 1;
    }
    let mut text = String::new();
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            text.push('\n');
        }
        let of = per_file.get(item.file.as_str()).copied().unwrap_or(1);
        let heading = if of > 1 {
            format!("{} [{}/{of}]", item.file, item.index)
        } else {
            item.file.clone()
        };
        let fields = match &item.body {
            Body::Certificate(c) => certificate(c, heading),
            Body::CertificateRequest(r) => request(r, heading),
            Body::PrivateKey(k) => private_key(k, heading),
            Body::EncryptedPrivateKey(k) => encrypted_key(k, heading),
            Body::PublicKey(p) => public_key(p, heading),
        };
        text.push_str(&fields.0);
    }
    text
}

/// A file name without its directory, as the overview of one directory shows it.
fn short(file: &str) -> String {
    Path::new(file)
        .file_name()
        .map_or_else(|| file.to_owned(), |n| n.to_string_lossy().into_owned())
}

fn certificate_line(c: &CertView, style: Style) -> String {
    let is_ca = c.basic_constraints.as_ref().is_some_and(|b| b.ca);
    let mut parts = vec![format!(
        "{} {}",
        if is_ca { "CA" } else { "certificate" },
        c.subject
    )];
    let names: Vec<String> = c
        .names
        .dns_names
        .iter()
        .chain(c.names.ip_addresses.iter())
        .cloned()
        .collect();
    if !names.is_empty() {
        parts.push(format!("for {}", names.join(", ")));
    }
    if let Some(nc) = &c.name_constraints {
        parts.push(format!("permits only {}", nc.describe()));
    }
    parts.push(key_summary(&c.key));
    match (&c.issued_by, c.self_issued) {
        (Some(ca), _) => parts.push(format!("issued by {}", short(ca))),
        (None, true) => {}
        (None, false) => parts.push("issuer not in this directory".to_owned()),
    }
    parts.push(match c.status {
        Status::Valid => {
            let s = format!(
                "valid until {} ({} left)",
                c.not_after.date(),
                aitls::cert::days(c.days_left)
            );
            if c.days_left < EXPIRY_WARNING_DAYS {
                style.paint("1;33", &s)
            } else {
                s
            }
        }
        Status::Expired => style.paint("1;31", &format!("EXPIRED on {}", c.not_after.date())),
        Status::NotYetValid => {
            style.paint("1;33", &format!("not valid until {}", c.not_before.date()))
        }
    });
    parts.join(", ")
}

fn private_key_line(k: &KeyView, file: &str, style: Style, words: &Words) -> String {
    let mut parts = vec![format!("{} private key", key_summary(&k.key))];
    if let Some(mode) = &k.mode {
        parts.push(if k.owner_only == Some(true) {
            format!("mode {mode}")
        } else {
            style.paint(
                "1;31",
                &format!(
                    "mode {mode}, READABLE BY OTHERS: run `{}`",
                    words.action(&Fix::Chmod { path: file.into() })
                ),
            )
        });
    }
    parts.push(match &k.certificate {
        Some(cert) => format!("matches {}", short(cert)),
        None => style.paint("1;33", "matches no certificate here"),
    });
    parts.join(", ")
}

/// One line per item of a directory, labels aligned (`server.crt  certificate …`).
pub fn overview(items: &[Item], style: Style, words: &Words) -> String {
    let mut per_file: HashMap<&str, usize> = HashMap::new();
    for item in items {
        *per_file.entry(item.file.as_str()).or_default() += 1;
    }
    let label = |item: &Item| {
        let name = short(&item.file);
        if per_file.get(item.file.as_str()).copied().unwrap_or(1) > 1 {
            format!("{name}[{}]", item.index)
        } else {
            name
        }
    };
    let width = items.iter().map(|i| label(i).len()).max().unwrap_or(0);
    let mut text = String::new();
    for item in items {
        let line = match &item.body {
            Body::Certificate(c) => certificate_line(c, style),
            Body::PrivateKey(k) => private_key_line(k, &item.file, style, words),
            Body::EncryptedPrivateKey(k) => format!(
                "encrypted private key ({}){}",
                k.encoding,
                k.mode
                    .as_ref()
                    .map_or_else(String::new, |m| format!(", mode {m}"))
            ),
            Body::CertificateRequest(r) => {
                format!("certificate request {}, {}", r.subject, key_summary(&r.key))
            }
            Body::PublicKey(p) => format!("{} public key", key_summary(&p.key)),
        };
        text.push_str(&format!("{:width$}  {line}\n", label(item)));
    }
    text
}

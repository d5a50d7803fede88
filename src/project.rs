//! The project file, `aitls.toml` (SPEC §5): where the certificate directory is and which
//! certificates a stack declares, each with the options of `aitls server`.
//!
//! [`parse`] turns the file's text into a [`Project`] whose every value is validated with
//! the same functions the command line uses ([`crate::names`], [`crate::store::check_stem`],
//! [`crate::issue::check_days`], [`crate::services::check_https_url`]), so a value the file
//! accepts is one `aitls server` would accept. Every error is an [`Error::Project`] that
//! names the file, the line and the key. Finding the file ([`find`]) and reading it
//! ([`load`]) go through [`crate::store`]; this module never prints and never reads the
//! environment or the working directory: the binary passes where to start.

use std::ops::Range;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Result};
use crate::issue;
use crate::key_type::KeyType;
use crate::names::{self, SanName};
use crate::services;
use crate::store;

/// The project file's name, looked for in the working directory and its parents.
pub const FILE_NAME: &str = "aitls.toml";

/// The certificate directory when the file has no `dir` (relative to the file).
pub const DEFAULT_DIR: &str = "ai/certs";

/// A project file, read and validated.
#[derive(Debug, Clone)]
pub struct Project {
    /// The file it was read from.
    pub path: PathBuf,
    /// The certificate directory: `dir`, resolved from the file's directory.
    pub dir: PathBuf,
    /// The `[ca]` table: options of `aitls ca` (all optional).
    pub ca: CaOptions,
    /// The `[certs.*]` entries, in the file's order.
    pub certs: Vec<CertEntry>,
}

/// `[ca]`: what `aitls ca` would be given on its command line. `None`: not given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaOptions {
    /// `cn`: the subject common name of a new CA.
    pub cn: Option<String>,
    /// `key_type`: the key type of a new CA.
    pub key_type: Option<KeyType>,
    /// `days`: the validity of a new or renewed CA.
    pub days: Option<u32>,
    /// `renew_within`: renew the CA when it expires within this many days.
    pub renew_within: Option<u32>,
    /// `permit`: name constraints of a new CA (`aitls ca --permit`), validated.
    pub permit: Option<crate::constraints::Constraints>,
}

/// Which AI service of the seed a certificate is for: `aitls env` points it at the pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Service {
    /// The YOLO26 server (uvicorn): `YOLO26_SSL_*` and `YOLO26_URL`.
    Yolo26,
    /// Nemotron (llama-server): `LLAMA_ARG_SSL_*` and `NEMOTRON_URL`.
    Nemotron,
}

impl Service {
    /// The name used in the file.
    pub fn name(self) -> &'static str {
        match self {
            Service::Yolo26 => "yolo26",
            Service::Nemotron => "nemotron",
        }
    }
}

/// One `[certs.STEM]` entry: what `aitls server --out STEM` would be given. `None`: not
/// given (taken from the existing certificate, else the default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertEntry {
    /// The table's name: the files are `DIR/STEM.crt` and `DIR/STEM.key`.
    pub stem: String,
    /// `names`: subjectAltNames, validated.
    pub names: Option<Vec<SanName>>,
    /// `cn`: the subject common name, one of the names.
    pub cn: Option<String>,
    /// `key_type`.
    pub key_type: Option<KeyType>,
    /// `days`: validity.
    pub days: Option<u32>,
    /// `client`: add clientAuth (mTLS).
    pub client: Option<bool>,
    /// `renew_within`: reissue when the certificate expires within this many days.
    pub renew_within: Option<u32>,
    /// `service`: which AI service uses this pair (`aitls env`).
    pub service: Option<Service>,
    /// `url`: where the service listens (`aitls env`, `aitls probe`).
    pub url: Option<String>,
    /// `on_change`: a shell command run after this pair was created, renewed or replaced.
    pub on_change: Option<String>,
}

impl Project {
    /// The entry whose stem is `stem`.
    pub fn cert(&self, stem: &str) -> Option<&CertEntry> {
        self.certs.iter().find(|c| c.stem == stem)
    }

    /// The entry declared for `service`.
    pub fn service(&self, service: Service) -> Option<&CertEntry> {
        self.certs.iter().find(|c| c.service == Some(service))
    }

    /// Every entry's `url`, in the file's order: what `aitls probe` checks by default.
    pub fn urls(&self) -> Vec<&str> {
        self.certs.iter().filter_map(|c| c.url.as_deref()).collect()
    }
}

// The file as serde reads it. Values that need checking keep their span, so an error can
// name the line.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    dir: Option<Spanned<String>>,
    ca: Option<RawCa>,
    #[serde(default)]
    certs: IndexMap<String, Spanned<RawCert>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCa {
    cn: Option<Spanned<String>>,
    key_type: Option<Spanned<String>>,
    days: Option<Spanned<u32>>,
    renew_within: Option<u32>,
    permit: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCert {
    names: Option<Spanned<Vec<Spanned<String>>>>,
    cn: Option<Spanned<String>>,
    key_type: Option<Spanned<String>>,
    days: Option<Spanned<u32>>,
    client: Option<bool>,
    renew_within: Option<u32>,
    service: Option<Spanned<Service>>,
    url: Option<Spanned<String>>,
    on_change: Option<Spanned<String>>,
}

/// Finds the project file for a run started in `start`: `start/aitls.toml` or the nearest
/// parent's.
pub fn find(start: &Path) -> Option<PathBuf> {
    store::find_in_ancestors(start, FILE_NAME)
}

/// Reads and validates the project file at `path` (at most 1 MiB). A missing file is an
/// error: the caller found it, or the user named it.
pub fn load(path: &Path) -> Result<Project> {
    let bytes = store::read_limited(path)?.ok_or_else(|| Error::Malformed {
        path: path.to_owned(),
        reason: "does not exist".into(),
        fixes: Vec::new(),
    })?;
    let text = String::from_utf8(bytes).map_err(|_| Error::Malformed {
        path: path.to_owned(),
        reason: "is not UTF-8 text, as TOML must be".into(),
        fixes: Vec::new(),
    })?;
    parse(path, &text)
}

/// Parses and validates the text of the project file at `path`; `path` names the file in
/// errors and its directory anchors a relative `dir`.
pub fn parse(path: &Path, text: &str) -> Result<Project> {
    let err = |span: Option<Range<usize>>, key: Option<String>, reason: String| Error::Project {
        path: path.to_owned(),
        line: span.map_or(1, |s| line_of(text, s.start)),
        key,
        reason,
    };
    let de = toml::Deserializer::parse(text).map_err(|e| {
        let key = e.span().and_then(|s| key_on_line(text, s.start));
        err(e.span(), key, e.message().to_owned())
    })?;
    let raw: RawFile = serde_path_to_error::deserialize(de).map_err(|e| {
        let key = key_path(e.path());
        let inner = e.into_inner();
        err(inner.span(), key, friendly(inner.message()))
    })?;

    let at = |span: Range<usize>, key: String, reason: String| err(Some(span), Some(key), reason);
    let base = path.parent().unwrap_or(Path::new(""));
    let dir = match &raw.dir {
        Some(d) if d.get_ref().is_empty() => {
            return Err(at(d.span(), "dir".into(), "the directory is empty".into()));
        }
        Some(d) => base.join(d.get_ref()),
        None => base.join(DEFAULT_DIR),
    };

    let ca = match raw.ca {
        None => CaOptions::default(),
        Some(c) => CaOptions {
            cn: c
                .cn
                .map(|cn| check(&cn, "ca.cn", names::check_common_name))
                .transpose()
                .map_err(|(s, k, r)| at(s, k, r))?,
            key_type: c
                .key_type
                .map(|kt| key_type(&kt, "ca.key_type"))
                .transpose()
                .map_err(|(s, k, r)| at(s, k, r))?,
            days: c
                .days
                .map(|d| days(&d, "ca.days", issue::MAX_CA_DAYS))
                .transpose()
                .map_err(|(s, k, r)| at(s, k, r))?,
            renew_within: c.renew_within,
            permit: match c.permit {
                None => None,
                Some(list) => {
                    // One at a time first, so the error names the value at fault.
                    for (i, value) in list.iter().enumerate() {
                        crate::constraints::for_permits(&[value.get_ref()]).map_err(|e| {
                            at(value.span(), format!("ca.permit[{i}]"), reason_of(e))
                        })?;
                    }
                    let values: Vec<&str> = list.iter().map(|v| v.get_ref().as_str()).collect();
                    crate::constraints::for_permits(&values).map_err(|e| {
                        let span = list.first().map_or(0..0, Spanned::span);
                        at(span, "ca.permit".into(), reason_of(e))
                    })?
                }
            },
        },
    };

    let mut certs: Vec<CertEntry> = Vec::with_capacity(raw.certs.len());
    for (stem, entry) in raw.certs {
        let span = entry.span();
        let entry = entry.into_inner();
        let key = |k: &str| format!("certs.{stem}.{k}");
        store::check_stem(&stem).map_err(|e| {
            let reason = match e {
                Error::InvalidValue { reason, .. } => reason,
                other => other.to_string(),
            };
            at(
                span.clone(),
                format!("certs.{stem}"),
                format!("invalid stem {stem:?}: {reason}"),
            )
        })?;
        let names = match entry.names {
            None => None,
            Some(list) if list.get_ref().is_empty() => {
                return Err(at(
                    list.span(),
                    key("names"),
                    "at least one name is needed".into(),
                ));
            }
            Some(list) => {
                let mut parsed: Vec<SanName> = Vec::new();
                for (i, name) in list.into_inner().into_iter().enumerate() {
                    let san = names::parse(name.get_ref()).map_err(|e| {
                        at(name.span(), format!("{}[{i}]", key("names")), e.to_string())
                    })?;
                    if !parsed.contains(&san) {
                        parsed.push(san);
                    }
                }
                Some(parsed)
            }
        };
        let cn = match entry.cn {
            None => None,
            Some(cn) => {
                let value = check(&cn, &key("cn"), names::check_common_name)
                    .map_err(|(s, k, r)| at(s, k, r))?;
                if let Some(names) = &names
                    && !names.iter().any(|n| n.to_string() == value)
                {
                    return Err(at(
                        cn.span(),
                        key("cn"),
                        format!("the common name {value:?} is not one of the names"),
                    ));
                }
                Some(value)
            }
        };
        let url = match entry.url {
            None => None,
            Some(url) => {
                services::check_https_url(url.get_ref())
                    .map_err(|reason| at(url.span(), key("url"), reason))?;
                Some(url.into_inner())
            }
        };
        if let Some(service) = &entry.service
            && let Some(first) = certs.iter().find(|c| c.service == Some(*service.get_ref()))
        {
            return Err(at(
                service.span(),
                key("service"),
                format!(
                    "service {} is already the service of [certs.{}]; each service has one certificate",
                    service.get_ref().name(),
                    first.stem
                ),
            ));
        }
        let on_change = match entry.on_change {
            Some(cmd) if cmd.get_ref().trim().is_empty() => {
                return Err(at(
                    cmd.span(),
                    key("on_change"),
                    "the command is empty".into(),
                ));
            }
            other => other.map(Spanned::into_inner),
        };
        certs.push(CertEntry {
            names,
            cn,
            key_type: entry
                .key_type
                .map(|kt| key_type(&kt, &key("key_type")))
                .transpose()
                .map_err(|(s, k, r)| at(s, k, r))?,
            days: entry
                .days
                .map(|d| days(&d, &key("days"), issue::MAX_SERVER_DAYS))
                .transpose()
                .map_err(|(s, k, r)| at(s, k, r))?,
            client: entry.client,
            renew_within: entry.renew_within,
            service: entry.service.map(Spanned::into_inner),
            url,
            on_change,
            stem,
        });
    }
    Ok(Project {
        path: path.to_owned(),
        dir,
        ca,
        certs,
    })
}

/// A value's error before the file's path is attached: its span, its key, the reason.
type ValueError = (Range<usize>, String, String);

/// Checks a string value with a library check, keeping only the check's reason.
fn check(
    value: &Spanned<String>,
    key: &str,
    f: impl Fn(&str) -> Result<String>,
) -> std::result::Result<String, ValueError> {
    f(value.get_ref()).map_err(|e| (value.span(), key.to_owned(), reason_of(e)))
}

fn key_type(value: &Spanned<String>, key: &str) -> std::result::Result<KeyType, ValueError> {
    value.get_ref().parse::<KeyType>().map_err(|reason| {
        let known: Vec<&str> = KeyType::ALL.iter().map(|k| k.name()).collect();
        (
            value.span(),
            key.to_owned(),
            format!("{reason}; one of {}", known.join(", ")),
        )
    })
}

fn days(value: &Spanned<u32>, key: &str, max: u32) -> std::result::Result<u32, ValueError> {
    let days = *value.get_ref();
    issue::check_days(days, max).map(|()| days).map_err(|e| {
        let reason = match e {
            Error::InvalidValue { reason, .. } => format!("{reason}, not {days}"),
            other => other.to_string(),
        };
        (value.span(), key.to_owned(), reason)
    })
}

/// The reason of a library error without the command-line option it names.
fn reason_of(err: Error) -> String {
    match err {
        Error::InvalidValue { value, reason, .. } => format!("{value:?}: {reason}"),
        other => other.to_string(),
    }
}

/// The line (from 1) of byte `offset`.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// For a syntax error: the key the line at `offset` defines (`key = …`) or opens
/// (`[certs.yolo26]`), when it says.
fn key_on_line(text: &str, offset: usize) -> Option<String> {
    let start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = text[start..].lines().next()?.trim();
    let key = if let Some(header) = line.strip_prefix('[') {
        header.trim_start_matches('[').split(']').next()?
    } else {
        line.split_once('=')?.0
    };
    let key = key.trim();
    (!key.is_empty()).then(|| key.to_owned())
}

/// The dotted key of a serde path (`certs.yolo26.names[1]`), without the markers that
/// `toml::Spanned` adds; `None` for the whole document.
fn key_path(path: &serde_path_to_error::Path) -> Option<String> {
    use serde_path_to_error::Segment;
    let mut key = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Map { key: k } | Segment::Enum { variant: k } => {
                if k.starts_with("$__serde_spanned") {
                    continue;
                }
                if !key.is_empty() {
                    key.push('.');
                }
                key.push_str(k);
            }
            Segment::Seq { index } => key.push_str(&format!("[{index}]")),
            Segment::Unknown => {}
        }
    }
    (!key.is_empty()).then_some(key)
}

/// serde's messages in the words of the file: "expected a whole number" rather than a
/// Rust type, "key" rather than "field".
fn friendly(message: &str) -> String {
    let message = message
        .replace(
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        )
        .replace("expected a sequence", "expected an array")
        .replace("expected struct RawCert", "expected a table")
        .replace("expected struct RawCa", "expected a table")
        .replace("expected a map", "expected a table");
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return format!("unknown key {rest}");
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return format!("unknown service {rest}");
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Project> {
        parse(Path::new("/p/aitls.toml"), text)
    }

    fn error(text: &str) -> (usize, Option<String>, String) {
        match parse_str(text).unwrap_err() {
            Error::Project {
                line, key, reason, ..
            } => (line, key, reason),
            other => panic!("not a project error: {other}"),
        }
    }

    #[test]
    fn the_example_of_the_spec_parses_in_order() {
        let p = parse_str(
            r#"dir = "ai/certs"
[ca]
cn = "AI Services CA"
key_type = "rsa4096"
days = 365
[certs.yolo26]
names = ["localhost", "127.0.0.1", "::1"]
key_type = "rsa2048"
service = "yolo26"
url = "https://localhost:8095"
on_change = "systemctl restart yolo26"
[certs.nemotron]
names = ["localhost", "127.0.0.1", "::1"]
service = "nemotron"
url = "https://localhost:8091"
[certs.backend]
names = ["backend"]
client = true
"#,
        )
        .unwrap();
        assert_eq!(p.dir, Path::new("/p/ai/certs"));
        assert_eq!(p.ca.key_type, Some(KeyType::Rsa4096));
        let stems: Vec<&str> = p.certs.iter().map(|c| c.stem.as_str()).collect();
        assert_eq!(stems, ["yolo26", "nemotron", "backend"]);
        assert_eq!(p.service(Service::Nemotron).unwrap().stem, "nemotron");
        assert_eq!(
            p.urls(),
            ["https://localhost:8095", "https://localhost:8091"]
        );
        assert_eq!(p.cert("backend").unwrap().client, Some(true));
        assert_eq!(p.cert("backend").unwrap().key_type, None);
    }

    #[test]
    fn the_file_order_is_kept_whatever_the_names() {
        let p = parse_str("[certs.z]\n[certs.a]\n[certs.m]\n").unwrap();
        let stems: Vec<&str> = p.certs.iter().map(|c| c.stem.as_str()).collect();
        assert_eq!(stems, ["z", "a", "m"]);
        assert_eq!(p.dir, Path::new("/p/ai/certs"));
    }

    #[test]
    fn each_error_names_its_line_and_key() {
        let cases: &[(&str, usize, Option<&str>, &str)] = &[
            (
                "dir = \"d\"\nbogus = 1\n",
                2,
                Some("bogus"),
                "unknown key `bogus`",
            ),
            (
                "[certs.a]\nnames = [\"x\"]\ncolor = \"red\"\n",
                3,
                Some("certs.a.color"),
                "unknown key",
            ),
            (
                "[ca]\ndays = \"ten\"\n",
                2,
                Some("ca.days"),
                "expected a whole number",
            ),
            (
                "[certs.a]\nclient = \"yes\"\n",
                2,
                Some("certs.a.client"),
                "expected a boolean",
            ),
            (
                "[certs.a]\nnames = [\"ok\", 3]\n",
                2,
                Some("certs.a.names[1]"),
                "expected a string",
            ),
            (
                "[certs.a]\nnames = [\"ok\",\n  \"bad name\"]\n",
                3,
                Some("certs.a.names[1]"),
                "invalid name",
            ),
            (
                "[certs.a]\n[certs.a]\n",
                2,
                Some("certs.a"),
                "duplicate key",
            ),
            (
                "\n[certs.\"a.crt\"]\n",
                2,
                Some("certs.a.crt"),
                "invalid stem",
            ),
            (
                "[certs.a]\nservice = \"yolo\"\n",
                2,
                Some("certs.a.service"),
                "unknown service",
            ),
            (
                "[certs.a]\nservice = \"yolo26\"\n[certs.b]\nservice = \"yolo26\"\n",
                4,
                Some("certs.b.service"),
                "already",
            ),
            (
                "[certs.a]\nurl = \"http://localhost:8095\"\n",
                2,
                Some("certs.a.url"),
                "https",
            ),
            ("[certs.a]\ndays = 900\n", 2, Some("certs.a.days"), "825"),
            (
                "[certs.a]\nkey_type = \"dsa\"\n",
                2,
                Some("certs.a.key_type"),
                "ecdsa-p256",
            ),
            (
                "[certs.a]\nnames = []\n",
                2,
                Some("certs.a.names"),
                "at least one",
            ),
            (
                "[certs.a]\nnames = [\"x\"]\ncn = \"y\"\n",
                3,
                Some("certs.a.cn"),
                "not one of the names",
            ),
            ("dir = \"x\n", 1, Some("dir"), "string"),
        ];
        for (text, line, key, reason) in cases {
            let (l, k, r) = error(text);
            assert_eq!((l, k.as_deref()), (*line, *key), "{text:?}: {r}");
            assert!(r.contains(reason), "{text:?}: {r}");
            assert!(!r.contains("u32") && !r.contains("Raw"), "{r}");
        }
    }

    #[test]
    fn every_prefix_of_a_file_parses_or_names_a_line_within_it() {
        let text = "dir = \"d\"\n[ca]\ndays = 30\n[certs.a]\nnames = [\"a\", \"10.0.0.1\"]\n\
                    url = \"https://a:1\"\nservice = \"yolo26\"\non_change = \"true\"\n";
        for end in (0..=text.len()).filter(|i| text.is_char_boundary(*i)) {
            match parse_str(&text[..end]) {
                Ok(_) => {}
                Err(Error::Project { line, .. }) => {
                    assert!(
                        (1..=text[..end].lines().count().max(1)).contains(&line),
                        "{end}"
                    )
                }
                Err(other) => panic!("{end}: {other}"),
            }
        }
    }

    #[test]
    fn the_message_names_the_file_line_and_key() {
        let err = parse_str("[ca]\n\ndays = 0\n").unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Input);
        let text = err.to_string();
        assert!(
            text.starts_with("/p/aitls.toml, line 3, key ca.days: "),
            "{text}"
        );
    }
}

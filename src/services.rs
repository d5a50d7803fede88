//! The AI services' TLS settings (`aitls env`): which environment variables point the
//! YOLO26 server (uvicorn), llama-server (Nemotron) and the backend at the files in a
//! certificate directory, as in the seed guide's "YOLO26 TLS Setup", "Nemotron" and
//! "Backend Configuration". Each service has its own stem, so services on other hosts get
//! certificates for their own names.
//!
//! This module decides the names and values only. It checks that the files it names exist
//! (through [`Store`], the one module that touches the disk) and validates the service
//! URLs; quoting the values for dotenv or a shell is the front end's job.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::fix::Fix;
use crate::store::{self, CA_CERT, Store};

/// Where the YOLO26 detection service listens (the seed's `uvicorn.run(port=8095)`).
pub const DEFAULT_YOLO26_URL: &str = "https://localhost:8095";
/// Where llama-server serves Nemotron (the seed's `llama-server --port 8091`).
pub const DEFAULT_NEMOTRON_URL: &str = "https://localhost:8091";

/// The settings, in the order they are printed. Field names are the environment
/// variables; with `--json` this struct is the document (every value a string, as in the
/// environment, so it can be merged into one as is).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Settings {
    /// Absolute path of the server certificate (`DIR/STEM.crt`), for uvicorn's `ssl_certfile`.
    #[serde(rename = "YOLO26_SSL_CERTFILE")]
    pub yolo26_ssl_certfile: String,
    /// Absolute path of the server key (`DIR/STEM.key`), for uvicorn's `ssl_keyfile`.
    #[serde(rename = "YOLO26_SSL_KEYFILE")]
    pub yolo26_ssl_keyfile: String,
    /// Absolute path of Nemotron's certificate, for llama-server, which reads this
    /// variable as its `--ssl-cert-file`.
    #[serde(rename = "LLAMA_ARG_SSL_CERT_FILE")]
    pub llama_arg_ssl_cert_file: String,
    /// Absolute path of Nemotron's key, llama-server's `--ssl-key-file`.
    #[serde(rename = "LLAMA_ARG_SSL_KEY_FILE")]
    pub llama_arg_ssl_key_file: String,
    /// The URL the backend uses to reach YOLO26.
    #[serde(rename = "YOLO26_URL")]
    pub yolo26_url: String,
    /// The URL the backend uses to reach Nemotron (llama-server).
    #[serde(rename = "NEMOTRON_URL")]
    pub nemotron_url: String,
    /// Absolute path of the CA certificate (`DIR/ca.crt`) the backend trusts.
    #[serde(rename = "AI_CA_CERT_PATH")]
    pub ai_ca_cert_path: String,
    /// Always `true`: with a private CA there is no reason to turn verification off.
    #[serde(rename = "AI_VERIFY_SSL")]
    pub ai_verify_ssl: String,
}

impl Settings {
    /// The settings as (variable, value) pairs, in print order.
    pub fn vars(&self) -> [(&'static str, &str); 8] {
        [
            ("YOLO26_SSL_CERTFILE", &self.yolo26_ssl_certfile),
            ("YOLO26_SSL_KEYFILE", &self.yolo26_ssl_keyfile),
            ("LLAMA_ARG_SSL_CERT_FILE", &self.llama_arg_ssl_cert_file),
            ("LLAMA_ARG_SSL_KEY_FILE", &self.llama_arg_ssl_key_file),
            ("YOLO26_URL", &self.yolo26_url),
            ("NEMOTRON_URL", &self.nemotron_url),
            ("AI_CA_CERT_PATH", &self.ai_ca_cert_path),
            ("AI_VERIFY_SSL", &self.ai_verify_ssl),
        ]
    }
}

/// What `aitls env` is asked for.
#[derive(Debug, Clone)]
pub struct EnvRequest {
    /// The certificate directory, already made absolute by the caller (the library does
    /// not read the current directory). Symlinks in it are kept as given.
    pub dir: PathBuf,
    /// Stem of YOLO26's certificate and key (uvicorn).
    pub yolo26_stem: String,
    /// Stem of Nemotron's certificate and key (llama-server).
    pub nemotron_stem: String,
    /// YOLO26's URL (checked with [`check_https_url`]).
    pub yolo26_url: String,
    /// Nemotron's URL (checked with [`check_https_url`]).
    pub nemotron_url: String,
}

/// Builds the settings for `request`, refusing (exit 1) when a file they name is missing:
/// a service pointed at a missing file fails later and further from the cause.
pub fn settings(request: &EnvRequest) -> Result<Settings> {
    store::check_stem(&request.yolo26_stem)?;
    store::check_stem(&request.nemotron_stem)?;
    for (what, url) in [
        ("--yolo-url", &request.yolo26_url),
        ("--nemotron-url", &request.nemotron_url),
    ] {
        check_https_url(url).map_err(|reason| Error::InvalidValue {
            what,
            value: url.clone(),
            reason,
        })?;
    }
    let dir = utf8(&request.dir)?;
    let store = Store::new(&request.dir);
    // A shared lock: a concurrent `aitls server` is not seen between its two renames.
    let lock = store.lock_shared()?;
    let mut missing = Vec::new();
    let mut stems_missing: Vec<&str> = Vec::new();
    let exists = |name: &str| -> Result<bool> {
        Ok(match &lock {
            Some(dir) => dir.exists(name)?,
            None => store::mode_of(&store.path(name))?.is_some(),
        })
    };
    if !exists(CA_CERT)? {
        missing.push(store.path(CA_CERT));
    }
    for stem in [&request.yolo26_stem, &request.nemotron_stem] {
        for name in [store::cert_file(stem), store::key_file(stem)] {
            let path = store.path(&name);
            if !missing.contains(&path) && !exists(&name)? {
                missing.push(path);
                if !stems_missing.contains(&stem.as_str()) {
                    stems_missing.push(stem);
                }
            }
        }
    }
    if !missing.is_empty() {
        let mut err = missing_files(&missing, store.path(CA_CERT).as_path(), &stems_missing);
        // A key without its certificate: `aitls server` refuses to overwrite it (SPEC §2),
        // so the choice is restoring the certificate or a new pair.
        if let (Error::Refused { fixes, .. }, Some(stem)) = (&mut err, stems_missing.first()) {
            let (cert, key) = (store::cert_file(stem), store::key_file(stem));
            if missing.contains(&store.path(&cert))
                && !missing.contains(&store.path(CA_CERT))
                && exists(&key)?
            {
                *fixes = vec![
                    Fix::Restore { file: Some(cert) },
                    Fix::ReplaceLoneKey {
                        stem: (*stem).to_owned(),
                        key_type: None,
                    },
                ];
            }
        }
        return Err(err);
    }

    let join = |name: &str| format!("{}/{name}", dir.trim_end_matches('/'));
    let (yolo26, nemotron) = (&request.yolo26_stem, &request.nemotron_stem);
    Ok(Settings {
        yolo26_ssl_certfile: join(&store::cert_file(yolo26)),
        yolo26_ssl_keyfile: join(&store::key_file(yolo26)),
        llama_arg_ssl_cert_file: join(&store::cert_file(nemotron)),
        llama_arg_ssl_key_file: join(&store::key_file(nemotron)),
        yolo26_url: request.yolo26_url.clone(),
        nemotron_url: request.nemotron_url.clone(),
        ai_ca_cert_path: join(CA_CERT),
        ai_verify_ssl: "true".to_owned(),
    })
}

/// The refusal for missing files, with what creates them: the CA and the first stem's
/// certificate, or that certificate (the message lists every missing file).
fn missing_files(missing: &[PathBuf], ca_cert: &Path, stems: &[&str]) -> Error {
    let list: Vec<String> = missing.iter().map(|p| p.display().to_string()).collect();
    let stem = stems
        .first()
        .copied()
        .unwrap_or(store::DEFAULT_STEM)
        .to_owned();
    let fix = if missing.iter().any(|p| p == ca_cert) {
        Fix::CreateCaAndServer { stem }
    } else {
        Fix::IssueServer { stem }
    };
    let noun = if missing.len() == 1 { "file" } else { "files" };
    Error::Refused {
        message: format!("missing {noun} {}", list.join(", ")),
        fixes: vec![fix],
    }
}

/// Paths go into environment variables as text; a path that is not UTF-8 cannot be
/// written faithfully into dotenv or JSON, so it is refused rather than mangled.
fn utf8(dir: &Path) -> Result<&str> {
    dir.to_str().ok_or_else(|| Error::InvalidValue {
        what: "--dir",
        value: dir.to_string_lossy().into_owned(),
        reason: "the path is not valid UTF-8, so it cannot be written into an environment file"
            .to_owned(),
    })
}

/// Checks that `url` is an `https://` URL with a host, as the services' clients need;
/// returns why not. Plain HTTP is refused: these settings exist to turn TLS on.
pub fn check_https_url(url: &str) -> std::result::Result<(), String> {
    const EXAMPLE: &str = "use https://HOST:PORT, e.g. https://localhost:8095";
    let Some(rest) = url
        .get(..8)
        .filter(|scheme| scheme.eq_ignore_ascii_case("https://"))
        .and_then(|_| url.get(8..))
    else {
        return Err(format!("not an https:// URL; {EXAMPLE}"));
    };
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "\"'`\\<>{}|^".contains(c))
    {
        return Err(format!(
            "contains spaces, quotes or control characters; {EXAMPLE}"
        ));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    // An IPv6 literal is bracketed ([::1]:8095); the port follows the closing bracket.
    let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
        match v6.split_once(']') {
            Some((host, after)) => (host, after.strip_prefix(':')),
            None => return Err(format!("unclosed [ in the host; {EXAMPLE}")),
        }
    } else {
        match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    if host.is_empty() {
        return Err(format!("the URL has no host; {EXAMPLE}"));
    }
    if let Some(port) = port
        && !port.parse::<u16>().is_ok_and(|p| p > 0)
    {
        return Err(format!(
            "the port {port:?} is not a number from 1 to 65535; {EXAMPLE}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_urls_are_accepted() {
        for url in [
            "https://localhost:8095",
            "HTTPS://localhost:8091/",
            "https://ai.example.com/detect?x=1",
            "https://[::1]:8095",
            "https://10.0.0.5",
        ] {
            assert_eq!(check_https_url(url), Ok(()), "{url}");
        }
    }

    #[test]
    fn other_urls_are_refused_with_an_example() {
        for url in [
            "http://localhost:8095",
            "localhost:8095",
            "https://",
            "https://:8095",
            "https://localhost:0",
            "https://localhost:99999",
            "https://localhost:80a",
            "https://local host",
            "https://[::1:8095",
            "https://x'y",
            "",
            "ftp://x",
        ] {
            let reason = check_https_url(url).expect_err(url);
            assert!(reason.contains("https://localhost:8095"), "{url}: {reason}");
        }
    }

    #[test]
    fn missing_ca_hints_at_both_commands() {
        let err = missing_files(
            &[PathBuf::from("/d/ca.crt"), PathBuf::from("/d/web.crt")],
            Path::new("/d/ca.crt"),
            &["web"],
        );
        assert_eq!(err.to_string(), "missing files /d/ca.crt, /d/web.crt");
        assert_eq!(err.fixes(), [Fix::CreateCaAndServer { stem: "web".into() }]);
        let err = missing_files(
            &[PathBuf::from("/d/server.key")],
            Path::new("/d/ca.crt"),
            &["server"],
        );
        assert_eq!(
            err.fixes(),
            [Fix::IssueServer {
                stem: "server".into()
            }]
        );
        let err = missing_files(
            &[
                PathBuf::from("/d/nemotron.crt"),
                PathBuf::from("/d/nemotron.key"),
            ],
            Path::new("/d/ca.crt"),
            &["nemotron", "yolo"],
        );
        assert_eq!(
            err.fixes(),
            [Fix::IssueServer {
                stem: "nemotron".into()
            }]
        );
    }
}

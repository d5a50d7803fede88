//! `aitls env`: the settings as `.env` lines or `export` lines.

use aitls::services::Settings;

use crate::cli::quote::{dotenv_value, single_quote};

/// The settings as `.env` lines; an error when a value cannot be written so that
/// python-dotenv and docker compose read it back alike.
pub fn dotenv(settings: &Settings) -> Result<String, aitls::Error> {
    let mut text = String::new();
    for (name, value) in settings.vars() {
        let quoted = dotenv_value(value).ok_or_else(|| aitls::Error::InvalidValue {
            what: "--dir",
            value: value.to_owned(),
            reason: "this path cannot be written in a .env file that python-dotenv and docker \
                     compose read alike; use --format shell or --format json"
                .to_owned(),
        })?;
        text.push_str(&format!("{name}={quoted}\n"));
    }
    Ok(text)
}

/// The settings as `export NAME='value'` lines, safe to `eval`.
pub fn shell(settings: &Settings) -> String {
    settings
        .vars()
        .iter()
        .map(|(name, value)| format!("export {name}={}\n", single_quote(value)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(dir: &str) -> Settings {
        Settings {
            yolo26_ssl_certfile: format!("{dir}/server.crt"),
            yolo26_ssl_keyfile: format!("{dir}/server.key"),
            llama_arg_ssl_cert_file: format!("{dir}/nemotron.crt"),
            llama_arg_ssl_key_file: format!("{dir}/nemotron.key"),
            yolo26_url: "https://localhost:8095".into(),
            nemotron_url: "https://localhost:8091".into(),
            ai_ca_cert_path: format!("{dir}/ca.crt"),
            ai_verify_ssl: "true".into(),
        }
    }

    #[test]
    fn dotenv_lines_name_every_variable_once() {
        let text = dotenv(&settings("/srv/my certs")).unwrap();
        assert_eq!(text.lines().count(), 8);
        assert!(
            text.contains("AI_CA_CERT_PATH='/srv/my certs/ca.crt'\n"),
            "{text}"
        );
        assert!(text.contains("AI_VERIFY_SSL=true\n"), "{text}");
    }

    #[test]
    fn a_path_no_dotenv_dialect_reads_alike_is_refused() {
        let err = dotenv(&settings("/it's $HOME")).unwrap_err();
        assert!(err.to_string().contains("--dir"), "{err}");
    }

    #[test]
    fn shell_lines_are_exports_in_single_quotes() {
        let text = shell(&settings("/srv/it's"));
        assert!(
            text.contains(r"export AI_CA_CERT_PATH='/srv/it'\''s/ca.crt'"),
            "{text}"
        );
    }
}

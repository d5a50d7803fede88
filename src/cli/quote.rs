//! Quoting values for the places aitls prints them into: a POSIX shell (hints, fixes,
//! `aitls env --format shell`) and a `.env` file (`aitls env`).
//!
//! Pure functions from text to text; every quoting rule aitls has lives here, once.

/// Characters that need no quoting in a POSIX shell word.
fn shell_bare(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@%+,".contains(&b))
}

/// Quotes `s` for a POSIX shell when it needs quoting (a path in a hint stays readable).
pub fn shell_quote(s: &str) -> String {
    if shell_bare(s) {
        s.to_owned()
    } else {
        single_quote(s)
    }
}

/// Quotes `s` in single quotes for a POSIX shell, always: nothing inside single quotes is
/// special except `'` itself, written `'\''` (close, escaped quote, reopen). The result is
/// safe to `eval` whatever `s` holds, newlines and `$(…)` included.
pub fn single_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Characters a dotenv value may hold unquoted in every dialect we target.
fn dotenv_bare(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:@%+,=".contains(&b))
}

/// Writes `value` for a .env file read by python-dotenv (the backend) or docker compose's
/// `env_file`, so both read back exactly `value`:
/// - plain paths and URLs stay bare;
/// - anything else without `'`, `\` or control characters goes in single quotes, which
///   both dialects take literally (no `${…}` interpolation, no escapes);
/// - otherwise double quotes, escaping `\`, `"`, newline, CR and tab, which both decode.
///
/// Returns `None` when no form is read back the same by both: other control characters,
/// or `$` inside double quotes (both interpolate there, and their escapes differ).
pub fn dotenv_value(value: &str) -> Option<String> {
    if dotenv_bare(value) {
        return Some(value.to_owned());
    }
    if !value.contains(['\'', '\\']) && !value.chars().any(char::is_control) {
        return Some(format!("'{value}'"));
    }
    if value.contains('$')
        || value
            .chars()
            .any(|c| c.is_control() && !"\n\r\t".contains(c))
    {
        return None;
    }
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('"');
    for c in value.chars() {
        match c {
            '\\' => quoted.push_str(r"\\"),
            '"' => quoted.push_str("\\\""),
            '\n' => quoted.push_str(r"\n"),
            '\r' => quoted.push_str(r"\r"),
            '\t' => quoted.push_str(r"\t"),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    Some(quoted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotenv_values_are_bare_single_or_double_quoted() {
        assert_eq!(
            dotenv_value("/srv/ai/certs/ca.crt").as_deref(),
            Some("/srv/ai/certs/ca.crt")
        );
        assert_eq!(
            dotenv_value("https://localhost:8095").as_deref(),
            Some("https://localhost:8095")
        );
        assert_eq!(
            dotenv_value("/my certs/$HOME/ca.crt").as_deref(),
            Some("'/my certs/$HOME/ca.crt'")
        );
        assert_eq!(
            dotenv_value(r#"/it's "x"\y"#).as_deref(),
            Some(r#""/it's \"x\"\\y""#)
        );
        assert_eq!(dotenv_value("/a\nb").as_deref(), Some(r#""/a\nb""#));
        assert_eq!(dotenv_value("/it's $HOME"), None);
        assert_eq!(dotenv_value("/bell\x07"), None);
    }

    #[test]
    fn shell_quoting_closes_and_reopens_around_quotes() {
        assert_eq!(single_quote("/a b/c"), "'/a b/c'");
        assert_eq!(single_quote("it's"), r"'it'\''s'");
        assert_eq!(single_quote(""), "''");
    }

    #[test]
    fn plain_words_stay_bare_for_the_shell() {
        assert_eq!(shell_quote("ai/certs/server.key"), "ai/certs/server.key");
        assert_eq!(shell_quote("my certs"), "'my certs'");
        assert_eq!(shell_quote(""), "''");
    }
}

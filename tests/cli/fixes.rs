//! Fixes and errors (issue #8): every hint, warning and verify fix is chosen from the
//! situation and names the directory in force, whether it came from `--dir` or
//! `AITLS_DIR`; with `--json` an error is also one JSON object on stdout.

use serde::Deserialize;

use crate::util::{Sandbox, stderr};

/// The JSON error object (SPEC §3).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonError {
    error: String,
    hint: Option<String>,
    exit_code: i32,
}

/// Runs `aitls --json ARGS`, expecting an error: the object on stdout, checked against
/// the exit code and the stderr line.
fn json_error(sb: &Sandbox, args: &[&str]) -> JsonError {
    let out = sb.aitls().arg("--json").args(args).output().unwrap();
    let err: JsonError = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: stdout is not the error object ({e}): {out:?}"));
    assert_eq!(out.status.code(), Some(err.exit_code), "{args:?}");
    assert!(
        stderr(&out).starts_with(&format!("error: {}", err.error)),
        "{args:?}: {}",
        stderr(&out)
    );
    err
}

#[test]
fn with_json_a_refusal_is_one_object_with_its_hint_and_exit_code() {
    let sb = Sandbox::new();
    let err = json_error(&sb, &["server"]);
    assert!(err.error.starts_with("no CA in ai/certs"), "{err:?}");
    assert_eq!(err.hint.as_deref(), Some("run `aitls ca` to create it"));
    assert_eq!(err.exit_code, 1);
}

#[test]
fn with_json_bad_input_and_bad_usage_are_objects_with_exit_code_2() {
    let sb = Sandbox::new();
    let err = json_error(&sb, &["verify", "nothere.crt"]);
    assert_eq!(err.exit_code, 2);
    assert!(err.error.contains("nothere.crt"), "{err:?}");
    let err = json_error(&sb, &["server", "--days", "0"]);
    assert_eq!(err.exit_code, 2);
    assert!(err.error.contains("--days"), "{err:?}");
    assert_eq!(err.hint, None);
}

#[test]
fn a_warning_and_a_hint_name_the_directory_alike() {
    let sb = Sandbox::new();
    sb.ok(&["-d", "my certs", "ca", "--key-type", "ecdsa-p256"]);
    // Kept, with a warning whose fix must name the same directory as an error's hint.
    let out = sb.ok(&["-d", "my certs", "ca", "--key-type", "ecdsa-p384"]);
    let err = stderr(&out);
    assert!(
        err.contains("warning: kept the existing CA")
            && err.contains("run `aitls --dir 'my certs' ca --force`"),
        "{err}"
    );
    let out = sb.aitls().args(["-d", "my certs", "env"]).output().unwrap();
    assert!(
        stderr(&out).contains("hint: run `aitls --dir 'my certs' server` to issue"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_directory_from_aitls_dir_is_named_in_error_hints() {
    let sb = Sandbox::new();
    let out = sb
        .aitls()
        .env("AITLS_DIR", "lab/certs")
        .arg("server")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("hint: run `aitls --dir lab/certs ca`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_empty_aitls_dir_is_reported_as_the_variable() {
    let sb = Sandbox::new();
    let out = sb
        .aitls()
        .env("AITLS_DIR", "")
        .arg("server")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: invalid AITLS_DIR \"\": the environment variable is set but empty"),
        "{err}"
    );
    assert!(!err.contains("--dir"), "{err}");
    // --dir wins over the empty variable.
    sb.aitls()
        .env("AITLS_DIR", "")
        .args(["-d", "x", "ca", "--key-type", "ecdsa-p256"])
        .assert()
        .success();
}

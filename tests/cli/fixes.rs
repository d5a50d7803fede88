//! Fixes (issue #8): every hint, warning and verify fix is chosen from the situation and
//! names the directory in force, whether it came from `--dir` or `AITLS_DIR`.

use crate::util::{Sandbox, stderr};

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

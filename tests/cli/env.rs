//! Tests of `aitls env`: each format carries the same absolute paths, the shell format
//! survives `eval` in bash whatever the directory is called, the dotenv format reads back
//! the same in python-dotenv, and missing files or bad URLs are refused with a hint.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::util::{Sandbox, aitls, stderr, stdout};

const VARS: [&str; 8] = [
    "YOLO26_SSL_CERTFILE",
    "YOLO26_SSL_KEYFILE",
    "LLAMA_ARG_SSL_CERT_FILE",
    "LLAMA_ARG_SSL_KEY_FILE",
    "YOLO26_URL",
    "NEMOTRON_URL",
    "AI_CA_CERT_PATH",
    "AI_VERIFY_SSL",
];

/// A quick CA and server certificate (ECDSA) in `dir`, given as `--dir`.
fn quick_pair_in(sandbox: &Sandbox, dir: &str) {
    sandbox.ok(&["-d", dir, "ca", "--key-type", "ecdsa-p256"]);
    sandbox.ok(&["-d", dir, "server", "--key-type", "ecdsa-p256"]);
}

/// What every format must say for the certificates in `dir` (absolute).
fn expected(dir: &Path) -> Vec<(&'static str, String)> {
    let path = |name: &str| dir.join(name).to_str().expect("UTF-8 test path").to_owned();
    vec![
        ("YOLO26_SSL_CERTFILE", path("server.crt")),
        ("YOLO26_SSL_KEYFILE", path("server.key")),
        ("LLAMA_ARG_SSL_CERT_FILE", path("server.crt")),
        ("LLAMA_ARG_SSL_KEY_FILE", path("server.key")),
        ("YOLO26_URL", "https://localhost:8095".to_owned()),
        ("NEMOTRON_URL", "https://localhost:8091".to_owned()),
        ("AI_CA_CERT_PATH", path("ca.crt")),
        ("AI_VERIFY_SSL", "true".to_owned()),
    ]
}

/// A JSON object of strings, sorted by key.
fn json_map(value: &Value) -> Vec<(String, String)> {
    let mut map: Vec<(String, String)> = value
        .as_object()
        .expect("a JSON object")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().expect("string values").to_owned()))
        .collect();
    map.sort();
    map
}

/// `expected` sorted by key, to compare with [`json_map`].
fn pairs(expected: &[(&'static str, String)]) -> Vec<(String, String)> {
    let mut map: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    map.sort();
    map
}

#[test]
fn dotenv_is_the_default_with_absolute_paths() {
    let sandbox = Sandbox::new();
    sandbox.quick_pair();
    let out = sandbox.ok(&["env"]);
    let lines: Vec<String> = expected(&sandbox.certs())
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    assert_eq!(stdout(&out), lines.join("\n") + "\n");
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    for (_, value) in expected(&sandbox.certs())
        .iter()
        .filter(|(k, _)| k.contains("FILE") || k.contains("PATH"))
    {
        assert!(
            Path::new(value).is_absolute() && Path::new(value).is_file(),
            "{value}"
        );
    }
}

#[test]
fn json_format_and_global_json_print_the_same_object() {
    let sandbox = Sandbox::new();
    sandbox.quick_pair();
    let by_format = sandbox.ok(&["env", "--format", "json"]).stdout;
    let by_global = sandbox.ok(&["--json", "env"]).stdout;
    assert_eq!(by_format, by_global);
    let value: Value = serde_json::from_slice(&by_format).expect("one JSON document");
    // Every value a string, as the environment holds them, and the keys in print order.
    assert_eq!(json_map(&value), pairs(&expected(&sandbox.certs())));
    let text = String::from_utf8(by_format.clone()).unwrap();
    let positions: Vec<usize> = VARS
        .iter()
        .map(|v| text.find(&format!("\"{v}\"")).unwrap())
        .collect();
    assert!(positions.is_sorted(), "keys out of order: {text}");
    let explicit = sandbox.ok(&["--json", "env", "--format", "json"]).stdout;
    assert_eq!(explicit, by_format);
}

#[test]
fn format_other_than_json_conflicts_with_global_json() {
    let sandbox = Sandbox::new();
    sandbox.quick_pair();
    let out = sandbox
        .aitls()
        .args(["--json", "env", "--format", "shell"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--json"), "{}", stderr(&out));
    // No settings on stdout: only the JSON error object (SPEC §3).
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["exit_code"], 2);
}

/// A directory name that breaks naive quoting: a space, a single quote, a double quote,
/// a `$`, a command substitution and a backslash.
const NASTY: &str = r#"it's a "dir" $HOME $(touch pwned) \n"#;

#[test]
fn shell_format_round_trips_through_eval_with_quotes_and_spaces() {
    let sandbox = Sandbox::new();
    let dir = format!("{NASTY}/certs");
    quick_pair_in(&sandbox, &dir);
    let out = sandbox.ok(&["-d", &dir, "env", "--format", "shell"]);
    for line in stdout(&out).lines() {
        assert!(line.starts_with("export "), "{line}");
    }
    let script = r#"eval "$("$AITLS" -d "$D" env --format shell)" || exit 9
        for v in YOLO26_SSL_CERTFILE YOLO26_SSL_KEYFILE LLAMA_ARG_SSL_CERT_FILE LLAMA_ARG_SSL_KEY_FILE YOLO26_URL NEMOTRON_URL AI_CA_CERT_PATH AI_VERIFY_SSL; do
            printf '%s=%s\n' "$v" "${!v}"
        done
        test -f "$YOLO26_SSL_CERTFILE" && test -f "$YOLO26_SSL_KEYFILE" && test -f "$AI_CA_CERT_PATH""#;
    let eval = Command::new("bash")
        .args(["-c", script])
        .current_dir(sandbox.root())
        .env("AITLS", env!("CARGO_BIN_EXE_aitls"))
        .env("D", &dir)
        .env_remove("AITLS_DIR")
        .output()
        .expect("bash is installed");
    assert!(eval.status.success(), "eval failed: {}", stderr(&eval));
    let want: Vec<String> = expected(&sandbox.root().join(&dir))
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    assert_eq!(stdout(&eval), want.join("\n") + "\n");
    assert!(
        !sandbox.root().join("pwned").exists(),
        "eval ran a command substitution from the path"
    );
}

#[test]
fn shell_format_also_evals_in_posix_sh() {
    // POSIX sh (dash on Debian) has no ${!v}; check one variable through plain `sh`.
    let sandbox = Sandbox::new();
    let dir = format!("{NASTY}/certs");
    quick_pair_in(&sandbox, &dir);
    let eval = Command::new("sh")
        .args([
            "-c",
            r#"eval "$("$AITLS" -d "$D" env --format shell)" && printf '%s' "$AI_CA_CERT_PATH""#,
        ])
        .current_dir(sandbox.root())
        .env("AITLS", env!("CARGO_BIN_EXE_aitls"))
        .env("D", &dir)
        .output()
        .expect("sh is installed");
    assert!(eval.status.success(), "{}", stderr(&eval));
    assert_eq!(
        stdout(&eval),
        sandbox.root().join(&dir).join("ca.crt").to_str().unwrap()
    );
}

/// Reads a .env file with python-dotenv, the loader of the Python backend (`.ci/run`
/// installs it).
fn python_dotenv(file: &Path) -> Vec<(String, String)> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import json, sys, dotenv\nprint(json.dumps(dotenv.dotenv_values(sys.argv[1])))",
        ])
        .arg(file)
        .output()
        .expect("python3 is installed");
    assert!(
        out.status.success(),
        "python-dotenv (`python3 -m pip install python-dotenv`): {}",
        stderr(&out)
    );
    json_map(&serde_json::from_slice(&out.stdout).expect("JSON"))
}

#[test]
fn dotenv_reads_back_exactly_in_python_dotenv() {
    // One directory that needs single quotes (space, `$`) and one that needs double
    // quotes (a single quote and a backslash).
    for dir in ["my certs $HOME/x", r"it's \ here/x"] {
        let sandbox = Sandbox::new();
        quick_pair_in(&sandbox, dir);
        let out = sandbox.ok(&["-d", dir, "env"]);
        let file = sandbox.root().join(".env");
        std::fs::write(&file, &out.stdout).unwrap();
        let read = python_dotenv(&file);
        assert_eq!(
            read,
            pairs(&expected(&sandbox.root().join(dir))),
            "{}",
            stdout(&out)
        );
    }
}

#[test]
fn dotenv_refuses_a_path_it_cannot_write_faithfully() {
    let sandbox = Sandbox::new();
    let dir = "it's $HOME";
    quick_pair_in(&sandbox, dir);
    let out = sandbox.aitls().args(["-d", dir, "env"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--format shell"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    // The other formats can carry it.
    sandbox.ok(&["-d", dir, "env", "--format", "shell"]);
    sandbox.ok(&["-d", dir, "env", "--format", "json"]);
}

#[test]
fn paths_are_absolute_but_symlinks_are_kept() {
    let sandbox = Sandbox::new();
    quick_pair_in(&sandbox, "real");
    std::os::unix::fs::symlink("real", sandbox.root().join("current")).unwrap();
    let out = sandbox.ok(&["--json", "env", "-d", "current"]);
    let value: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json_map(&value),
        pairs(&expected(&sandbox.root().join("current")))
    );
}

#[test]
fn aitls_dir_environment_variable_is_honoured() {
    let sandbox = Sandbox::new();
    quick_pair_in(&sandbox, "from-env");
    let out = aitls(sandbox.root())
        .env("AITLS_DIR", "from-env")
        .args(["--json", "env"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let value: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json_map(&value),
        pairs(&expected(&sandbox.root().join("from-env")))
    );
}

#[test]
fn out_stem_and_urls_are_used() {
    let sandbox = Sandbox::new();
    sandbox.quick_ca();
    sandbox.ok(&[
        "server",
        "--out",
        "nemotron",
        "--key-type",
        "ecdsa-p256",
        "llm.internal",
    ]);
    let out = sandbox.ok(&[
        "env",
        "--out",
        "nemotron",
        "--yolo-url",
        "https://yolo.internal:9000",
        "--nemotron-url",
        "https://[::1]:8091/",
        "--format",
        "json",
    ]);
    let value: Value = serde_json::from_slice(&out.stdout).unwrap();
    let certs = sandbox.certs();
    assert_eq!(
        value["YOLO26_SSL_CERTFILE"],
        certs.join("nemotron.crt").to_str().unwrap()
    );
    assert_eq!(
        value["YOLO26_SSL_KEYFILE"],
        certs.join("nemotron.key").to_str().unwrap()
    );
    assert_eq!(value["YOLO26_URL"], "https://yolo.internal:9000");
    assert_eq!(value["NEMOTRON_URL"], "https://[::1]:8091/");
    // --out is the stem of both services.
    assert_eq!(
        value["LLAMA_ARG_SSL_CERT_FILE"],
        certs.join("nemotron.crt").to_str().unwrap()
    );
}

#[test]
fn each_service_has_its_own_stem() {
    // The guide's recipe for Nemotron on another host: its own certificate for its own
    // name, while YOLO26 keeps the local one.
    let sandbox = Sandbox::new();
    sandbox.quick_pair();
    sandbox.ok(&[
        "server",
        "--out",
        "nemotron",
        "--key-type",
        "ecdsa-p256",
        "llm.internal",
    ]);
    let out = sandbox.ok(&[
        "env",
        "--nemotron",
        "nemotron",
        "--nemotron-url",
        "https://llm.internal:8091",
        "--format",
        "json",
    ]);
    let value: Value = serde_json::from_slice(&out.stdout).unwrap();
    let path = |name: &str| sandbox.file(name).to_str().unwrap().to_owned();
    assert_eq!(value["YOLO26_SSL_CERTFILE"], path("server.crt"));
    assert_eq!(value["YOLO26_SSL_KEYFILE"], path("server.key"));
    assert_eq!(value["LLAMA_ARG_SSL_CERT_FILE"], path("nemotron.crt"));
    assert_eq!(value["LLAMA_ARG_SSL_KEY_FILE"], path("nemotron.key"));
    assert_eq!(value["NEMOTRON_URL"], "https://llm.internal:8091");
    // Each file serves the name its service is reached by.
    let host_ok = |cert: &str, host: &str| {
        sandbox
            .aitls()
            .args(["verify", cert, "--host", host])
            .output()
            .unwrap()
            .status
            .success()
    };
    assert!(host_ok(&path("nemotron.crt"), "llm.internal"));
    assert!(host_ok(&path("server.crt"), "localhost"));
    assert!(!host_ok(&path("server.crt"), "llm.internal"));

    // --yolo26 alone moves YOLO26 only; a missing stem names its own command.
    let out = sandbox.ok(&["env", "--yolo26", "nemotron", "--format", "json"]);
    let value: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["YOLO26_SSL_CERTFILE"], path("nemotron.crt"));
    assert_eq!(value["LLAMA_ARG_SSL_KEY_FILE"], path("server.key"));
    let out = sandbox
        .aitls()
        .args(["env", "--nemotron", "llm", "--yolo26", "yolo"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("hint: run `aitls server --out yolo` to issue"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn non_https_urls_are_usage_errors_with_an_example() {
    let sandbox = Sandbox::new();
    sandbox.quick_pair();
    for (flag, url) in [
        ("--yolo-url", "http://localhost:8095"),
        ("--nemotron-url", "localhost:8091"),
        ("--yolo-url", "https://localhost:http"),
    ] {
        let out = sandbox.aitls().args(["env", flag, url]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag} {url}");
        let err = stderr(&out);
        assert!(
            err.contains(flag) && err.contains("https://localhost:8095"),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn missing_files_fail_with_a_hint_and_print_nothing() {
    let sandbox = Sandbox::new();
    let out = sandbox.aitls().arg("env").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.starts_with("error: missing files "), "{err}");
    assert!(
        err.contains(&sandbox.file("ca.crt").display().to_string()),
        "{err}"
    );
    assert!(
        err.contains("hint: run `aitls ca && aitls server` to create them"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    assert!(
        !sandbox.certs().exists(),
        "env must not create the directory"
    );

    // With the CA but no server certificate, the hint is the next step only.
    sandbox.quick_ca();
    let out = sandbox
        .aitls()
        .args(["env", "--out", "web"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("web.crt") && err.contains("web.key") && !err.contains("ca.crt"),
        "{err}"
    );
    assert!(err.contains("hint: run `aitls server --out web`"), "{err}");
}

#[test]
fn a_lone_missing_key_is_reported() {
    let sandbox = Sandbox::new();
    sandbox.quick_pair();
    std::fs::remove_file(sandbox.file("server.key")).unwrap();
    let out = sandbox
        .aitls()
        .args(["env", "--format", "shell"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("missing file "), "{}", stderr(&out));
    assert!(stderr(&out).contains("server.key"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}

#[test]
fn hint_repeats_the_dir_flag() {
    let sandbox = Sandbox::new();
    let out = sandbox
        .aitls()
        .args(["-d", "other dir", "env"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("`aitls --dir 'other dir' ca && aitls --dir 'other dir' server`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn quiet_still_prints_the_settings() {
    let sandbox = Sandbox::new();
    sandbox.quick_pair();
    let out = sandbox.ok(&["-q", "env"]);
    assert_eq!(stdout(&out).lines().count(), VARS.len());
}

#[test]
fn bad_stem_is_a_usage_error() {
    let sandbox = Sandbox::new();
    sandbox.quick_pair();
    let out = sandbox
        .aitls()
        .args(["env", "--out", "../x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

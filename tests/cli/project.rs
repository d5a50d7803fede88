//! The project file, `aitls.toml` (SPEC §5): found like Cargo.toml, its `dir` is DIR from
//! any subdirectory, `--dir`/`AITLS_DIR` win, every error names file, line and key;
//! `aitls init`; the docs name every key the parser accepts.

use std::path::{Path, PathBuf};

use crate::util::{Sandbox, aitls, stderr, stdout};

/// A quick project: an ECDSA CA in `certs` and the given entries.
pub const QUICK_HEAD: &str = "dir = \"certs\"\n[ca]\nkey_type = \"ecdsa-p256\"\n";

/// Writes `aitls.toml` in `dir`.
pub fn write_project(dir: &Path, text: &str) {
    std::fs::write(dir.join("aitls.toml"), text).unwrap();
}

fn subdir(s: &Sandbox) -> PathBuf {
    let sub = s.root().join("src/deep");
    std::fs::create_dir_all(&sub).unwrap();
    sub
}

#[test]
fn commands_in_a_subdirectory_use_the_directory_the_file_names() {
    let s = Sandbox::new();
    write_project(s.root(), QUICK_HEAD);
    let sub = subdir(&s);
    let out = aitls(&sub)
        .args(["ca", "--key-type", "ecdsa-p256"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(s.root().join("certs/ca.crt").is_file());
    assert!(!sub.join("ai").exists() && !s.root().join("ai").exists());
    // Every command, not only those that write: inspect and verify read the same place.
    let out = aitls(&sub)
        .args(["server", "--key-type", "ecdsa-p256"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = aitls(&sub).arg("verify").output().unwrap();
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&aitls(&sub).arg("inspect").output().unwrap()).contains("server.crt"));
}

#[test]
fn dir_flag_and_environment_win_over_the_project_file() {
    let s = Sandbox::new();
    write_project(s.root(), QUICK_HEAD);
    s.ok(&["--dir", "flag", "ca", "--key-type", "ecdsa-p256"]);
    assert!(s.root().join("flag/ca.crt").is_file());
    let out = s
        .aitls()
        .env("AITLS_DIR", "fromenv")
        .args(["ca", "--key-type", "ecdsa-p256"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(s.root().join("fromenv/ca.crt").is_file());
    assert!(!s.root().join("certs").exists());
}

#[test]
fn without_a_project_file_the_directory_is_ai_certs_here() {
    let s = Sandbox::new();
    let sub = subdir(&s);
    let out = aitls(&sub)
        .args(["ca", "--key-type", "ecdsa-p256"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(sub.join("ai/certs/ca.crt").is_file());
}

#[test]
fn manifest_option_and_environment_name_the_file() {
    let s = Sandbox::new();
    let deploy = s.root().join("deploy");
    std::fs::create_dir_all(&deploy).unwrap();
    write_project(&deploy, QUICK_HEAD);
    s.ok(&[
        "--manifest",
        "deploy/aitls.toml",
        "ca",
        "--key-type",
        "ecdsa-p256",
    ]);
    // `dir` is resolved from the file's directory, not from the working directory.
    assert!(deploy.join("certs/ca.crt").is_file());
    let out = s
        .aitls()
        .env("AITLS_MANIFEST", deploy.join("aitls.toml"))
        .args(["--json", "ca"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["action"], "kept", "{doc}");
    let out = s
        .aitls()
        .args(["--manifest", "missing.toml", "ca"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.toml"), "{}", stderr(&out));
    // A hint repeats the file it was given, so it works when pasted.
    let out = s
        .aitls()
        .args(["--manifest", "deploy/aitls.toml", "server", "--out", "web"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::remove_file(deploy.join("certs/ca.crt")).unwrap();
    let out = s
        .aitls()
        .args(["--manifest", "deploy/aitls.toml", "server", "--out", "web2"])
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("aitls --manifest deploy/aitls.toml ca"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_malformed_file_found_above_is_named_by_its_full_path() {
    let s = Sandbox::new();
    write_project(
        s.root(),
        "[ca]
colour = 1
",
    );
    let sub = subdir(&s);
    let out = aitls(&sub).arg("inspect").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let expected = format!(
        "error: {}, line 2, key ca.colour: ",
        s.root().join("aitls.toml").display()
    );
    assert!(stderr(&out).starts_with(&expected), "{}", stderr(&out));
}

#[test]
fn a_hint_given_in_a_subdirectory_works_as_printed_there() {
    let s = Sandbox::new();
    write_project(s.root(), QUICK_HEAD);
    let sub = subdir(&s);
    let out = aitls(&sub)
        .args(["server", "--key-type", "ecdsa-p256"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let hint = err
        .lines()
        .find_map(|l| l.strip_prefix("hint: run `"))
        .and_then(|l| l.split('`').next())
        .unwrap_or_else(|| panic!("no command in {err}"));
    // With a project file, no --dir is needed: the command finds the file again.
    assert_eq!(hint, "aitls ca");
    let run = std::process::Command::new("sh")
        .args([
            "-c",
            &hint.replacen("aitls", env!("CARGO_BIN_EXE_aitls"), 1),
        ])
        .arg("--")
        .current_dir(&sub)
        .env_remove("AITLS_DIR")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(s.root().join("certs/ca.crt").is_file());
    assert!(!sub.join("ai").exists());
}

/// One malformed file per kind of error: (file, line, key, words of the reason).
const MALFORMED: &[(&str, usize, &str, &str)] = &[
    (
        "dir = \"certs\"\ncolour = \"red\"\n",
        2,
        "colour",
        "unknown key",
    ),
    (
        "[certs.api]\nnames = [\"api\"]\nexpires = 3\n",
        3,
        "certs.api.expires",
        "unknown key",
    ),
    (
        "[ca]\n\ndays = \"ten\"\n",
        3,
        "ca.days",
        "expected a whole number",
    ),
    (
        "[certs.api]\nclient = \"yes\"\n",
        2,
        "certs.api.client",
        "expected a boolean",
    ),
    (
        "[certs.api]\nnames = [\"api\",\n  \"bad name!\"]\n",
        3,
        "certs.api.names[1]",
        "invalid name",
    ),
    (
        "[certs.api]\nnames = [\"api\"]\n[certs.api]\nnames = [\"web\"]\n",
        3,
        "certs.api",
        "duplicate key",
    ),
    ("[certs.\"api.crt\"]\n", 1, "certs.api.crt", "invalid stem"),
    (
        "[certs.api]\nservice = \"yolo\"\n",
        2,
        "certs.api.service",
        "unknown service",
    ),
    (
        "[certs.a]\nservice = \"yolo26\"\n[certs.b]\nservice = \"yolo26\"\n",
        4,
        "certs.b.service",
        "already",
    ),
    (
        "[certs.api]\nurl = \"http://localhost:8095\"\n",
        2,
        "certs.api.url",
        "https",
    ),
];

#[test]
fn a_malformed_file_names_file_line_and_key_and_nothing_is_written() {
    for (text, line, key, reason) in MALFORMED {
        let s = Sandbox::new();
        write_project(s.root(), text);
        for args in [&["sync"][..], &["ca", "--key-type", "ecdsa-p256"]] {
            let out = s.aitls().args(args).output().unwrap();
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{text:?} {args:?}: {err}");
            // Found in the working directory, the file is named as `aitls.toml`.
            let expected = format!("error: aitls.toml, line {line}, key {key}: ");
            assert!(err.starts_with(&expected), "{text:?}:\n{err}");
            assert!(err.contains(reason), "{text:?}: {err}");
            assert_eq!(err.lines().count(), 1, "{err}");
            assert!(!s.root().join("ai").exists() && !s.root().join("certs").exists());
        }
    }
}

#[test]
fn a_broken_project_file_does_not_stop_completions_or_init_elsewhere() {
    let s = Sandbox::new();
    write_project(s.root(), "colour = 1\n");
    s.ok(&["completions", "bash"]);
    let sub = subdir(&s);
    let out = aitls(&sub).arg("init").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(sub.join("aitls.toml").is_file());
}

#[test]
fn init_writes_the_seeds_stack_that_sync_creates_and_never_overwrites() {
    let s = Sandbox::new();
    let out = s.ok(&["init"]);
    let text = stdout(&out);
    assert!(text.contains("`aitls sync`"), "{text}");
    let file = std::fs::read_to_string(s.root().join("aitls.toml")).unwrap();
    for stanza in [
        "[certs.yolo26]",
        "[certs.nemotron]",
        "[certs.backend]",
        "client = true",
    ] {
        assert!(file.contains(stanza), "{file}");
    }
    assert!(file.lines().filter(|l| l.contains('#')).count() > 10);
    let out = s.aitls().arg("init").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let path = s.root().join("aitls.toml");
    assert!(
        stderr(&out).contains(&path.display().to_string()),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), file);

    // The file as written, RSA-4096 CA and all, converges.
    let doc = s.json(&["sync"]);
    let stems: Vec<&str> = doc
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["stem"].as_str().unwrap())
        .collect();
    assert_eq!(stems, ["ca", "yolo26", "nemotron", "backend"]);
    assert!(
        doc.as_array()
            .unwrap()
            .iter()
            .all(|i| i["action"] == "created")
    );
    assert_eq!(doc[0]["key_type"], "rsa4096");
    assert!(s.file("backend.crt").is_file());
}

#[test]
fn init_with_manifest_writes_that_file() {
    let s = Sandbox::new();
    std::fs::create_dir(s.root().join("deploy")).unwrap();
    s.ok(&["--manifest", "deploy/aitls.toml", "init"]);
    assert!(s.root().join("deploy/aitls.toml").is_file());
    assert!(!s.root().join("aitls.toml").exists());
}

/// Every key the parser accepts, as its own error message lists them: an unknown key in
/// each table makes it say which ones it knows.
fn accepted_keys() -> Vec<String> {
    let mut keys = Vec::new();
    for (text, prefix) in [
        ("zzz = 1\n", ""),
        ("[ca]\nzzz = 1\n", "ca."),
        ("[certs.x]\nzzz = 1\n", "certs.*."),
    ] {
        let s = Sandbox::new();
        write_project(s.root(), text);
        let err = stderr(&s.aitls().arg("sync").output().unwrap());
        let list = err
            .split("expected one of ")
            .nth(1)
            .unwrap_or_else(|| panic!("no list of keys in {err}"));
        keys.extend(
            list.split('`')
                .skip(1)
                .step_by(2)
                .map(|k| format!("{prefix}{k}")),
        );
    }
    keys
}

#[test]
fn the_docs_name_every_key_the_parser_accepts() {
    let keys = accepted_keys();
    assert!(keys.len() > 10, "{keys:?}");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let guide = std::fs::read_to_string(root.join("docs/guide.md")).unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    for key in &keys {
        if key == "certs" || key == "ca" {
            continue;
        }
        let leaf = key.rsplit('.').next().unwrap();
        // The guide's table names each key as `[ca] days` or `[certs.*] days`.
        let table = match key.rsplit_once('.') {
            Some((table, _)) => format!("`[{table}]` `{leaf}`"),
            None => format!("`{leaf}`"),
        };
        assert!(
            guide.contains(&table),
            "docs/guide.md does not document {table}"
        );
    }
    assert!(readme.contains("aitls.toml") && readme.contains("aitls sync"));
    assert!(keys.iter().any(|k| k == "certs.*.on_change"), "{keys:?}");
}

#[test]
fn probe_without_targets_checks_the_urls_the_project_file_declares() {
    let s = Sandbox::new();
    let (a, b) = (crate::util::free_port(), crate::util::free_port());
    let text = format!(
        "{QUICK_HEAD}[certs.yolo26]\nkey_type = \"ecdsa-p256\"\nurl = \"https://localhost:{a}\"\n\
         [certs.backend]\nnames = [\"backend\"]\nkey_type = \"ecdsa-p256\"\n\
         [certs.nemotron]\nkey_type = \"ecdsa-p256\"\nurl = \"https://127.0.0.1:{b}/health\"\n"
    );
    write_project(s.root(), &text);
    s.ok(&["sync"]);
    let out = s
        .aitls()
        .args(["--json", "probe", "--timeout", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "nothing listens there");
    let reports: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let targets: Vec<&str> = reports
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        [
            format!("https://localhost:{a}"),
            format!("https://127.0.0.1:{b}/health")
        ]
    );
}

#[test]
fn server_out_stem_without_names_is_the_entry_for_stem() {
    let s = Sandbox::new();
    let text = format!(
        "{QUICK_HEAD}[certs.api]\nnames = [\"api.internal\", \"10.0.0.5\"]\n\
         key_type = \"ecdsa-p384\"\nclient = true\ndays = 90\n"
    );
    write_project(s.root(), &text);
    s.ok(&["ca"]);
    let doc = s.json(&["server", "--out", "api"]);
    assert_eq!(
        doc["names"],
        serde_json::json!(["api.internal", "10.0.0.5"])
    );
    assert_eq!(doc["key_type"], "ecdsa-p384");
    assert!(
        (88..=90).contains(&doc["days_left"].as_i64().unwrap()),
        "{doc}"
    );
    let der = crate::util::cert_der(&s.root().join("certs/api.crt"));
    let (_, cert) = x509_parser::parse_x509_certificate(&der).unwrap();
    assert!(
        cert.extended_key_usage()
            .unwrap()
            .unwrap()
            .value
            .client_auth
    );
    // Run again: the entry is what was issued, so it is kept.
    assert_eq!(s.json(&["server", "--out", "api"])["action"], "kept");
    // Names on the command line: the entry is not used.
    let doc = s.json(&[
        "server",
        "--out",
        "api",
        "other.internal",
        "--key-type",
        "ecdsa-p256",
    ]);
    assert_eq!(doc["names"], serde_json::json!(["other.internal"]));
}

#[test]
fn ca_takes_the_files_ca_options_unless_the_command_line_gives_them() {
    let s = Sandbox::new();
    write_project(
        s.root(),
        "dir = \"certs\"\n[ca]\nkey_type = \"ecdsa-p256\"\ncn = \"Lab CA\"\ndays = 30\n",
    );
    let doc = s.json(&["ca"]);
    assert_eq!(doc["key_type"], "ecdsa-p256");
    assert_eq!(doc["common_name"], "Lab CA");
    assert!(doc["days_left"].as_i64().unwrap() <= 30, "{doc}");
    let other = Sandbox::new();
    write_project(other.root(), "[ca]\nkey_type = \"ecdsa-p256\"\n");
    let doc = other.json(&["ca", "--key-type", "ecdsa-p384"]);
    assert_eq!(doc["key_type"], "ecdsa-p384");
}

#[test]
fn env_takes_the_services_urls_from_the_entries() {
    let s = Sandbox::new();
    let text = format!(
        "{QUICK_HEAD}[certs.server]\nkey_type = \"ecdsa-p256\"\nservice = \"yolo26\"\n\
         url = \"https://yolo.internal:9000\"\n\
         [certs.llm]\nkey_type = \"ecdsa-p256\"\nservice = \"nemotron\"\n\
         url = \"https://llm.internal:9001\"\n"
    );
    write_project(s.root(), &text);
    s.ok(&["sync"]);
    let doc = s.json(&["env"]);
    assert_eq!(doc["YOLO26_URL"], "https://yolo.internal:9000");
    assert_eq!(doc["NEMOTRON_URL"], "https://llm.internal:9001");
    // Each service's files are its entry's stem.
    let certs = s.root().join("certs");
    assert_eq!(
        doc["YOLO26_SSL_CERTFILE"],
        certs.join("server.crt").display().to_string()
    );
    assert_eq!(
        doc["LLAMA_ARG_SSL_CERT_FILE"],
        certs.join("llm.crt").display().to_string()
    );
    assert_eq!(
        doc["LLAMA_ARG_SSL_KEY_FILE"],
        certs.join("llm.key").display().to_string()
    );
    let doc = s.json(&["env", "--nemotron", "server"]);
    assert_eq!(
        doc["LLAMA_ARG_SSL_CERT_FILE"],
        certs.join("server.crt").display().to_string()
    );
    let doc = s.json(&["env", "--yolo-url", "https://other:1"]);
    assert_eq!(doc["YOLO26_URL"], "https://other:1");
    assert_eq!(doc["NEMOTRON_URL"], "https://llm.internal:9001");
}

#[test]
fn the_ca_options_of_the_file_renew_the_ca_for_its_own_key() {
    let s = Sandbox::new();
    write_project(s.root(), QUICK_HEAD);
    s.ok(&["sync"]);
    let key = std::fs::read(s.root().join("certs/ca.key")).unwrap();
    // A renewal window longer than the CA's life: the next sync renews it, same key.
    write_project(
        s.root(),
        "dir = \"certs\"\n[ca]\nkey_type = \"ecdsa-p256\"\nrenew_within = 400\n",
    );
    let doc = s.json(&["sync"]);
    assert_eq!(doc[0]["action"], "renewed", "{doc}");
    assert_eq!(std::fs::read(s.root().join("certs/ca.key")).unwrap(), key);
}

#[test]
fn a_permit_in_ca_makes_a_leak_safe_ca_whose_outsiders_are_refused() {
    let s = Sandbox::new();
    let text = "dir = \"certs\"\n[ca]\nkey_type = \"ecdsa-p256\"\npermit = [\"localhost\", \".internal\"]\n\
                [certs.api]\nnames = [\"api.internal\"]\nkey_type = \"ecdsa-p256\"\n\
                [certs.web]\nnames = [\"www.example.com\"]\nkey_type = \"ecdsa-p256\"\n";
    write_project(s.root(), text);
    let out = s.aitls().args(["--json", "sync"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc[1]["action"], "created", "{doc}");
    assert!(
        doc[2]["error"]
            .as_str()
            .unwrap()
            .contains("www.example.com"),
        "{doc}"
    );
    let inspect = stdout(
        &s.aitls()
            .args(["inspect", "certs/ca.crt"])
            .output()
            .unwrap(),
    );
    assert!(inspect.contains(".internal"), "{inspect}");

    let bad = Sandbox::new();
    write_project(
        bad.root(),
        "[ca]\npermit = [\"localhost\",\n  \"10.0.0.0/33\"]\n",
    );
    let err = stderr(&bad.aitls().arg("sync").output().unwrap());
    assert!(
        err.starts_with("error: aitls.toml, line 3, key ca.permit[1]: "),
        "{err}"
    );
}

#[test]
fn probe_of_a_declared_url_checks_that_entrys_certificate() {
    // The guide's `aitls probe --http "$YOLO26_URL/health"`: the target is the yolo26
    // entry's url, so the service must serve yolo26.crt, not server.crt.
    let s = Sandbox::new();
    let port = crate::util::free_port();
    let text = format!(
        "{QUICK_HEAD}[certs.yolo26]\nkey_type = \"ecdsa-p256\"\nurl = \"https://127.0.0.1:{port}\"\n"
    );
    write_project(s.root(), &text);
    s.ok(&["sync"]);
    let certs = s.root().join("certs");
    let _served = crate::util::s_server(&certs, port, "yolo26.crt", "yolo26.key", &[]);
    let target = format!("https://127.0.0.1:{port}/health");
    let current = |s: &Sandbox| {
        let out = s
            .aitls()
            .args(["--json", "probe", &target])
            .output()
            .unwrap();
        let reports: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        reports[0]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "current")
            .cloned()
            .unwrap_or_else(|| panic!("no current check: {reports}"))
    };
    assert_eq!(current(&s)["ok"], true);
    s.ok(&["server", "--out", "yolo26", "--force"]);
    let check = current(&s);
    assert_eq!(check["ok"], false, "{check}");
    assert!(
        check["detail"].as_str().unwrap().contains("yolo26.crt"),
        "{check}"
    );
}

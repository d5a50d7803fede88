//! `aitls sync` (SPEC §5): the CA then every entry in order, under one lock; one line per
//! pair or a JSON array; `--dry-run`; `on_change` hooks only after a change, after the
//! lock, a failing one reported with exit 1.

use crate::util::json_keys as collect;
use std::path::Path;

use serde_json::Value;

use crate::project::{QUICK_HEAD, write_project};
use crate::util::{Sandbox, aitls, cert_der, stderr, stdout};

/// Three quick entries (ECDSA), in an order that is not alphabetical; each hook appends
/// `STEM CERT KEY` to `hooks.log` in the project's directory.
fn stack() -> String {
    let mut text = QUICK_HEAD.to_owned();
    for (stem, names, extra) in [
        (
            "yolo26",
            "\"localhost\", \"127.0.0.1\"",
            "service = \"yolo26\"\n",
        ),
        ("nemotron", "\"llm.internal\"", ""),
        ("backend", "\"backend\"", "client = true\n"),
    ] {
        text.push_str(&format!(
            "[certs.{stem}]\nnames = [{names}]\nkey_type = \"ecdsa-p256\"\n{extra}\
             on_change = 'echo \"$AITLS_STEM $AITLS_CERT $AITLS_KEY\" >> hooks.log'\n"
        ));
    }
    text
}

fn hook_log(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("hooks.log"))
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn items(doc: &Value) -> &Vec<Value> {
    doc.as_array().expect("sync --json prints an array")
}

fn field<'a>(doc: &'a Value, key: &str) -> Vec<&'a str> {
    items(doc)
        .iter()
        .map(|i| i[key].as_str().unwrap_or("-"))
        .collect()
}

#[test]
fn sync_creates_the_ca_then_every_entry_in_order_then_keeps_them() {
    let s = Sandbox::new();
    write_project(s.root(), &stack());
    let out = s.ok(&["sync"]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with("ran ")).collect();
    assert_eq!(lines.len(), 4, "one line per pair:\n{text}");
    for (line, stem) in lines.iter().zip(["ca", "yolo26", "nemotron", "backend"]) {
        assert!(line.starts_with(&format!("created {stem}: ")), "{line}");
    }
    let certs = s.root().join("certs");
    for stem in ["yolo26", "nemotron", "backend"] {
        assert!(certs.join(format!("{stem}.crt")).is_file());
        assert_eq!(crate::util::mode(&certs.join(format!("{stem}.key"))), 0o600);
    }
    // The entries' options were applied: names and clientAuth.
    let der = cert_der(&certs.join("backend.crt"));
    let (_, cert) = x509_parser::parse_x509_certificate(&der).unwrap();
    let eku = cert.extended_key_usage().unwrap().unwrap().value;
    assert!(eku.client_auth && eku.server_auth);
    let doc = s.json(&["sync"]);
    assert_eq!(field(&doc, "stem"), ["ca", "yolo26", "nemotron", "backend"]);
    assert_eq!(field(&doc, "action"), ["kept"; 4]);
    assert_eq!(items(&doc)[2]["names"][0], "llm.internal");
    assert!(items(&doc).iter().all(|i| i["hook"].is_null()));
}

#[test]
fn a_hook_runs_once_after_its_pair_changed_and_not_when_it_was_kept() {
    let s = Sandbox::new();
    write_project(s.root(), &stack());
    s.ok(&["sync"]);
    let log = hook_log(s.root());
    assert_eq!(log.len(), 3, "{log:?}");
    let certs = s.root().join("certs");
    assert_eq!(
        log[0],
        format!(
            "yolo26 {} {}",
            certs.join("yolo26.crt").display(),
            certs.join("yolo26.key").display()
        )
    );
    s.ok(&["sync"]);
    assert_eq!(hook_log(s.root()).len(), 3, "kept pairs run no hook");
    // Names changed for one entry: that pair is replaced, and only its hook runs.
    let text = stack().replace("\"llm.internal\"", "\"llm.internal\", \"llm2.internal\"");
    write_project(s.root(), &text);
    let doc = s.json(&["sync"]);
    assert_eq!(field(&doc, "action"), ["kept", "kept", "replaced", "kept"]);
    assert_eq!(items(&doc)[2]["hook"]["ok"], true);
    let log = hook_log(s.root());
    assert_eq!(log.len(), 4);
    assert!(log[3].starts_with("nemotron "), "{log:?}");
}

#[test]
fn a_failing_hook_is_reported_with_exit_1_and_the_other_entries_still_converge() {
    let s = Sandbox::new();
    let text = stack().replacen(
        "on_change = 'echo \"$AITLS_STEM $AITLS_CERT $AITLS_KEY\" >> hooks.log'",
        "on_change = 'echo restarting >&2; exit 3'",
        1,
    );
    write_project(s.root(), &text);
    let out = s.aitls().arg("sync").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("error: on_change of yolo26") && err.contains("exited with status 3"),
        "{err}"
    );
    assert!(
        err.contains("restarting"),
        "the hook's own output is shown: {err}"
    );
    assert!(s.root().join("certs/backend.crt").is_file());
    assert_eq!(hook_log(s.root()).len(), 2, "the other hooks ran");
    // JSON says the same, and a pair kept afterwards runs no hook (exit 0 again).
    let fresh = Sandbox::new();
    write_project(fresh.root(), &text);
    let out = fresh.aitls().args(["--json", "sync"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(items(&doc)[1]["hook"]["ok"], false);
    assert_eq!(items(&doc)[1]["hook"]["exit_code"], 3);
    assert_eq!(items(&doc)[2]["hook"]["ok"], true);
    fresh.ok(&["sync"]);
}

#[test]
fn dry_run_prints_the_plan_writes_nothing_and_runs_no_hook() {
    let s = Sandbox::new();
    write_project(s.root(), &stack());
    let out = s.ok(&["sync", "--dry-run"]);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(
        text.lines().all(|l| l.starts_with("would create ")),
        "{text}"
    );
    assert!(!s.root().join("certs").exists(), "no directory was created");
    assert!(hook_log(s.root()).is_empty());

    s.ok(&["sync"]);
    let before: Vec<Vec<u8>> = ["ca.crt", "ca.key", "nemotron.crt", "nemotron.key"]
        .iter()
        .map(|f| std::fs::read(s.root().join("certs").join(f)).unwrap())
        .collect();
    write_project(
        s.root(),
        &stack().replace("\"llm.internal\"", "\"llm3.internal\""),
    );
    let doc = s.json(&["sync", "--dry-run"]);
    assert_eq!(field(&doc, "action"), ["kept", "kept", "replaced", "kept"]);
    assert!(items(&doc).iter().all(|i| i["dry_run"] == true));
    assert!(
        items(&doc)[2]["reason"]
            .as_str()
            .unwrap()
            .contains("llm3.internal")
    );
    let after: Vec<Vec<u8>> = ["ca.crt", "ca.key", "nemotron.crt", "nemotron.key"]
        .iter()
        .map(|f| std::fs::read(s.root().join("certs").join(f)).unwrap())
        .collect();
    assert_eq!(before, after);
    assert_eq!(hook_log(s.root()).len(), 3, "only the real sync ran hooks");
}

#[test]
fn sync_from_a_subdirectory_converges_the_projects_files() {
    let s = Sandbox::new();
    write_project(s.root(), &stack());
    let sub = s.root().join("services/yolo");
    std::fs::create_dir_all(&sub).unwrap();
    let out = aitls(&sub).arg("sync").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(s.root().join("certs/yolo26.crt").is_file());
    assert!(!sub.join("certs").exists() && !sub.join("ai").exists());
    // Hooks run in the project file's directory, whatever the working directory.
    assert_eq!(hook_log(s.root()).len(), 3);
    let out = s.aitls().args(["--json", "sync"]).output().unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(field(&doc, "action"), ["kept"; 4]);
}

#[test]
fn four_parallel_syncs_leave_matching_pairs_and_run_each_hook_once() {
    let s = Sandbox::new();
    write_project(s.root(), &stack());
    let children: Vec<_> = (0..4).map(|_| s.spawn(&["sync"])).collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let mut log = hook_log(s.root());
    log.sort();
    let stems: Vec<&str> = log.iter().map(|l| l.split(' ').next().unwrap()).collect();
    assert_eq!(stems, ["backend", "nemotron", "yolo26"], "{log:?}");
    for stem in ["yolo26", "nemotron", "backend"] {
        let cert = s.root().join(format!("certs/{stem}.crt"));
        let out = s
            .aitls()
            .args(["--json", "verify"])
            .arg(&cert)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let key = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "key")
            .unwrap_or_else(|| panic!("{stem}: no key check in {report}"));
        assert_eq!(key["ok"], true, "{stem}: {report}");
        assert_eq!(report["valid"], true, "{stem}: {report}");
    }
}

#[test]
fn an_entry_that_cannot_converge_is_reported_and_the_others_still_do() {
    let s = Sandbox::new();
    write_project(s.root(), &stack());
    // A directory where nemotron's certificate goes: that entry cannot be read.
    std::fs::create_dir_all(s.root().join("certs/nemotron.crt")).unwrap();
    let out = s.aitls().arg("sync").output().unwrap();
    assert_ne!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(err.contains("error: nemotron: "), "{err}");
    assert!(
        !err.contains("-d "),
        "no hint to use the file as DIR: {err}"
    );
    assert!(stdout(&out).contains("failed nemotron"), "{}", stdout(&out));
    assert!(s.root().join("certs/backend.crt").is_file());
    let log = hook_log(s.root());
    assert_eq!(log.len(), 2, "{log:?}");
}

#[test]
fn sync_without_a_project_file_names_init() {
    let s = Sandbox::new();
    let out = s.aitls().arg("sync").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("aitls.toml"), "{err}");
    assert!(err.contains("hint: run `aitls init` to write one"), "{err}");
    assert!(!s.root().join("ai").exists());
}

#[test]
fn docs_json_md_describes_every_field_of_sync_and_init() {
    let doc = std::fs::read_to_string(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/json.md"),
    )
    .unwrap();
    let s = Sandbox::new();
    let text = stack().replacen(
        "on_change = 'echo \"$AITLS_STEM $AITLS_CERT $AITLS_KEY\" >> hooks.log'",
        "on_change = 'exit 3'",
        1,
    );
    write_project(s.root(), &text);
    std::fs::create_dir_all(s.root().join("certs/nemotron.crt")).unwrap();
    let out = s.aitls().args(["--json", "sync"]).output().unwrap();
    let mut keys = std::collections::BTreeSet::new();
    collect(&serde_json::from_slice(&out.stdout).unwrap(), &mut keys);
    let other = Sandbox::new();
    collect(&other.json(&["init"]), &mut keys);
    let missing: Vec<&String> = keys
        .iter()
        .filter(|k| !doc.contains(&format!("`{k}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/json.md does not describe {missing:?}"
    );
}

#[test]
fn hooks_run_after_the_lock_is_released() {
    // A hook that needs the directory's lock itself: were the lock still held, it would
    // wait until `timeout` kills it, and the hook would fail.
    let s = Sandbox::new();
    let bin = env!("CARGO_BIN_EXE_aitls");
    let text = format!(
        "{QUICK_HEAD}[certs.api]\nnames = [\"api\"]\nkey_type = \"ecdsa-p256\"\n\
         on_change = 'timeout 10 {bin} server --out other --key-type ecdsa-p256 >&2'\n"
    );
    write_project(s.root(), &text);
    let doc = s.json(&["sync"]);
    assert_eq!(items(&doc)[1]["hook"]["ok"], true, "{doc}");
    assert!(s.root().join("certs/other.crt").is_file());
}

#[test]
fn a_ca_that_cannot_be_used_stops_sync_with_one_error() {
    let s = Sandbox::new();
    write_project(s.root(), &stack());
    std::fs::create_dir_all(s.root().join("certs")).unwrap();
    std::fs::write(s.root().join("certs/ca.key"), "not a key").unwrap();
    let out = s.aitls().args(["--json", "sync"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["error"].as_str().unwrap().contains("ca.key"), "{doc}");
    assert!(!s.root().join("certs/yolo26.crt").exists());
    assert!(hook_log(s.root()).is_empty());
}

#[test]
fn dry_run_before_any_ca_reports_a_lone_key_as_the_real_run_would() {
    let s = Sandbox::new();
    write_project(s.root(), &stack());
    std::fs::create_dir_all(s.root().join("certs")).unwrap();
    std::fs::write(s.root().join("certs/backend.key"), "someone's key").unwrap();
    let out = s
        .aitls()
        .args(["--json", "sync", "--dry-run"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        field(&doc, "action")[..3],
        ["created", "created", "created"]
    );
    assert!(
        items(&doc)[3]["error"]
            .as_str()
            .unwrap()
            .contains("backend.key")
    );
    let real = s.aitls().args(["--json", "sync"]).output().unwrap();
    assert_eq!(real.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&real.stdout).unwrap();
    assert!(
        items(&doc)[3]["error"]
            .as_str()
            .unwrap()
            .contains("backend.key")
    );
    assert_eq!(
        std::fs::read_to_string(s.root().join("certs/backend.key")).unwrap(),
        "someone's key"
    );
}

//! Tests of `aitls fixtures` (SPEC §9): the cases and their files, reruns that keep what
//! still fits, and the manifest against the real clients: every case is served by
//! `openssl s_server` on a loopback port and each installed client (the probes of
//! `clients.rs`: `openssl s_client`, curl, Python's ssl with and without
//! `VERIFY_X509_STRICT`, node, rustls, Go, GnuTLS, NSS, Java; Chromium for a subset) must
//! decide as the manifest says. The pytest example of `docs/fixtures.md` runs as written.

use crate::util::json_keys as keys;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use serde::Deserialize;

use crate::clients::{self, Case as Served, Verdict};
use crate::util::{Sandbox, mode, stderr, stdout, tool};

const CASES: [&str; 14] = [
    "good",
    "expired",
    "not-yet-valid",
    "wrong-host",
    "untrusted-ca",
    "self-signed",
    "issuer-not-ca",
    "no-san",
    "client-only-eku",
    "key-mismatch",
    "ca-without-keyusage",
    "too-long",
    "wildcard",
    "ip-only",
];

const FAMILIES: [&str; 9] = [
    "openssl",
    "python3.13",
    "rustls",
    "go",
    "java",
    "chromium",
    "firefox",
    "apple",
    "gnutls",
];

#[derive(Debug, Deserialize)]
struct Manifest {
    version: u32,
    ca: String,
    cases: Vec<ManifestCase>,
}

#[derive(Debug, Deserialize)]
struct ManifestCase {
    name: String,
    description: String,
    host: String,
    files: Files,
    expect: String,
    clients: BTreeMap<String, Expect>,
}

#[derive(Debug, Deserialize)]
struct Files {
    ca: String,
    cert: String,
    key: String,
    other_ca: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Expect {
    accepts: bool,
    category: Option<String>,
    reason: Option<String>,
    #[serde(default)]
    refused_by: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Report {
    cases: Vec<CaseOutcome>,
    manifest_written: bool,
}

#[derive(Debug, Deserialize)]
struct CaseOutcome {
    name: String,
    action: String,
    reason: String,
}

fn manifest(dir: &Path) -> Manifest {
    let text = std::fs::read(dir.join("manifest.json")).unwrap();
    serde_json::from_slice(&text).unwrap()
}

fn fixtures(sb: &Sandbox, args: &[&str]) -> Report {
    let mut all = vec!["fixtures"];
    all.extend_from_slice(args);
    serde_json::from_value(sb.json(&all)).unwrap()
}

/// Every file under `dir`, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                files.insert(p, bytes);
            }
        }
    }
    files
}

fn actions(report: &Report) -> BTreeMap<&str, &str> {
    report
        .cases
        .iter()
        .map(|c| (c.name.as_str(), c.action.as_str()))
        .collect()
}

#[test]
fn every_case_is_written_with_its_files_under_a_ca_of_its_own() {
    let sb = Sandbox::new();
    sb.quick_ca();
    let report = fixtures(&sb, &[]);
    assert_eq!(
        report
            .cases
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        CASES
    );
    assert!(report.cases.iter().all(|c| c.action == "created"));
    let out = sb.certs().join("fixtures");
    // The fixtures CA is its own, its key owner-only, and never the project's CA.
    assert_eq!(mode(&out.join("ca.key")), 0o600);
    assert_ne!(
        std::fs::read(out.join("ca.crt")).unwrap(),
        sb.read("ca.crt"),
        "the fixtures must not be signed by the project's CA"
    );
    let m = manifest(&out);
    assert_eq!(m.version, 1);
    assert_eq!(m.ca, "ca.crt");
    assert_eq!(
        m.cases.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        CASES
    );
    for case in &m.cases {
        let dir = out.join(&case.name);
        assert!(!case.description.is_empty());
        assert_eq!(case.files.ca, format!("{}/ca.crt", case.name));
        assert_eq!(case.files.cert, format!("{}/server.crt", case.name));
        assert_eq!(case.files.key, format!("{}/server.key", case.name));
        assert_eq!(mode(&dir.join("server.key")), 0o600, "{}", case.name);
        assert_eq!(mode(&dir.join("server.crt")), 0o644, "{}", case.name);
        assert_eq!(
            case.files.other_ca.is_some(),
            case.name == "untrusted-ca",
            "{}",
            case.name
        );
        if let Some(other) = &case.files.other_ca {
            assert!(out.join(other).is_file());
        }
        assert_eq!(
            case.clients.keys().map(String::as_str).collect::<Vec<_>>(),
            {
                let mut f = FAMILIES.to_vec();
                f.sort_unstable();
                f
            },
            "{}",
            case.name
        );
        for (family, e) in &case.clients {
            assert_eq!(
                e.accepts,
                e.category.is_none() && e.reason.is_none(),
                "{} {family}: {e:?}",
                case.name
            );
            assert_ne!(
                e.category.as_deref(),
                Some("other"),
                "{} {family}",
                case.name
            );
        }
        let all = |accepts: bool| case.clients.values().all(|e| e.accepts == accepts);
        let expect = if all(true) {
            "accept"
        } else if all(false) {
            "refuse"
        } else {
            "depends"
        };
        assert_eq!(case.expect, expect, "{}", case.name);
    }
    // What each case stands for, as the model words it in categories.
    let category = |case: &str, family: &str| {
        let c = m.cases.iter().find(|c| c.name == case).unwrap();
        c.clients[family].category.clone()
    };
    for case in ["good", "wildcard", "ip-only"] {
        for family in FAMILIES {
            assert_eq!(category(case, family), None, "{case} {family}");
        }
    }
    for (case, expected) in [
        ("expired", "expired"),
        ("not-yet-valid", "not_yet_valid"),
        ("wrong-host", "hostname_mismatch"),
        ("untrusted-ca", "unknown_issuer"),
        ("self-signed", "self_signed"),
        ("issuer-not-ca", "issuer_not_ca"),
        ("client-only-eku", "bad_eku"),
        ("key-mismatch", "key_mismatch"),
    ] {
        for family in FAMILIES {
            assert_eq!(
                category(case, family).as_deref(),
                Some(expected),
                "{case} {family}"
            );
        }
    }
    assert_eq!(
        category("no-san", "rustls").as_deref(),
        Some("hostname_mismatch")
    );
    assert_eq!(
        category("ca-without-keyusage", "python3.13").as_deref(),
        Some("bad_key_usage")
    );
    assert_eq!(category("ca-without-keyusage", "openssl"), None);
    assert_eq!(
        category("too-long", "apple").as_deref(),
        Some("validity_too_long")
    );
}

#[test]
fn a_rerun_keeps_what_still_fits_and_rewrites_the_rest() {
    let sb = Sandbox::new();
    let out = sb.root().join("tls");
    let outdir = out.to_str().unwrap();
    fixtures(&sb, &[outdir]);
    let before = snapshot(&out);

    // Nothing changed: everything kept, byte for byte, the manifest too.
    let again = fixtures(&sb, &[outdir]);
    assert!(again.cases.iter().all(|c| c.action == "kept"), "{again:?}");
    assert!(!again.manifest_written);
    assert_eq!(snapshot(&out), before);

    // A missing key, a key that no longer matches: only those cases are rewritten.
    std::fs::remove_file(out.join("wildcard/server.key")).unwrap();
    std::fs::copy(out.join("expired/server.key"), out.join("good/server.key")).unwrap();
    let report = fixtures(&sb, &[outdir]);
    let acts = actions(&report);
    assert_eq!(acts["wildcard"], "created");
    assert_eq!(acts["good"], "replaced");
    assert_eq!(
        acts.values().filter(|a| **a == "kept").count(),
        12,
        "{acts:?}"
    );
    let after = snapshot(&out);
    assert_eq!(
        after[&out.join("expired/server.crt")],
        before[&out.join("expired/server.crt")]
    );
    assert_eq!(after[&out.join("ca.key")], before[&out.join("ca.key")]);

    // 340 days on: the good ones are renewed before they expire, the expired one stays
    // expired (untouched), the 826-day one still has over a year.
    let faketime = tool("faketime", "faketime");
    let later = Command::new(faketime)
        .arg("+340 days")
        .arg(env!("CARGO_BIN_EXE_aitls"))
        .args(["--json", "fixtures", outdir])
        .env_remove("AITLS_DIR")
        .output()
        .unwrap();
    assert!(later.status.success(), "{later:?}");
    let later: Report = serde_json::from_slice(&later.stdout).unwrap();
    let acts = actions(&later);
    for case in ["good", "wrong-host", "wildcard", "ip-only", "not-yet-valid"] {
        assert_eq!(acts[case], "renewed", "{case}: {later:?}");
    }
    for case in ["expired", "too-long"] {
        assert_eq!(acts[case], "kept", "{case}: {later:?}");
    }
    assert_eq!(
        snapshot(&out)[&out.join("expired/server.crt")],
        before[&out.join("expired/server.crt")]
    );
    let reason = &later
        .cases
        .iter()
        .find(|c| c.name == "good")
        .unwrap()
        .reason;
    assert!(reason.contains("expires within 30 days"), "{reason}");
}

#[test]
fn only_makes_the_named_cases_and_the_manifest_lists_what_exists() {
    let sb = Sandbox::new();
    let report = fixtures(&sb, &["--only", "expired", "--only", "wrong-host"]);
    assert_eq!(
        report
            .cases
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["expired", "wrong-host"]
    );
    let out = sb.certs().join("fixtures");
    assert!(!out.join("good").exists());
    assert_eq!(manifest(&out).cases.len(), 2);
    fixtures(&sb, &["--only", "good"]);
    assert_eq!(
        manifest(&out)
            .cases
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["good", "expired", "wrong-host"]
    );
    let bad = sb
        .aitls()
        .args(["fixtures", "--only", "expird"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("not-yet-valid"), "{}", stderr(&bad));
    // The human output says what happened to each case and where the manifest is.
    let text = stdout(&sb.ok(&["fixtures", "--only", "good"]));
    assert!(
        text.contains("kept") && text.contains("manifest.json"),
        "{text}"
    );
}

#[test]
fn key_types_apply_to_every_key() {
    let sb = Sandbox::new();
    fixtures(&sb, &["--key-type", "ecdsa-p384", "--only", "good"]);
    let key = sb.certs().join("fixtures/good/server.key");
    let out = crate::util::aitls(sb.root())
        .args(["--json", "inspect"])
        .arg(&key)
        .output()
        .unwrap();
    let items: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(items[0]["key_type"], "ecdsa-p384", "{items}");
    let out = crate::util::aitls(sb.root())
        .args(["--json", "inspect"])
        .arg(sb.certs().join("fixtures/good/server.crt"))
        .arg(sb.certs().join("fixtures/ca.crt"))
        .output()
        .unwrap();
    let items: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(items[0]["key_type"], "ecdsa-p384", "{items}");
    assert_eq!(items[1]["key_type"], "ecdsa-p384", "{items}");
    // Another key type on a rerun makes a fixtures CA and the case for it.
    let json = sb.json(&["fixtures", "--only", "good"]);
    assert_eq!(json["ca"]["action"], "replaced");
    assert_eq!(json["ca"]["key_type"], "ecdsa-p256");
    assert!(
        json["ca"]["reason"].as_str().unwrap().contains("key type"),
        "{json}"
    );
    assert_eq!(json["cases"][0]["action"], "replaced");
}

#[test]
fn the_projects_ca_is_never_used_or_replaced() {
    let sb = Sandbox::new();
    sb.quick_ca();
    let ca = sb.read("ca.crt");
    let key = sb.read("ca.key");
    // OUTDIR = DIR: its ca.crt is the project's, not a fixtures CA.
    let out = sb.aitls().arg("fixtures").arg(sb.certs()).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        stderr(&out).contains("not a fixtures CA"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(sb.read("ca.crt"), ca);
    assert_eq!(sb.read("ca.key"), key);
    assert!(!sb.certs().join("good").exists());
}

/// The fixtures the real clients are run against, made once per test run, and each case
/// laid out as `clients.rs` serves it: `leaf.crt`, `chain.pem` (intermediates), `key.pem`.
fn made() -> &'static (tempfile::TempDir, Manifest, Vec<Served>) {
    static MADE: OnceLock<(tempfile::TempDir, Manifest, Vec<Served>)> = OnceLock::new();
    MADE.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("fixtures");
        let made = crate::util::aitls(tmp.path())
            .arg("fixtures")
            .arg(&out)
            .output()
            .unwrap();
        assert!(made.status.success(), "{made:?}");
        let m = manifest(&out);
        let served = m
            .cases
            .iter()
            .map(|c| {
                let dir = tmp.path().join("served").join(&c.name);
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::copy(out.join(&c.files.ca), dir.join("ca.crt")).unwrap();
                std::fs::copy(out.join(&c.files.key), dir.join("key.pem")).unwrap();
                let certs =
                    pem::parse_many(std::fs::read(out.join(&c.files.cert)).unwrap()).unwrap();
                std::fs::write(dir.join("leaf.crt"), pem::encode(&certs[0])).unwrap();
                if certs.len() > 1 {
                    std::fs::write(dir.join("chain.pem"), pem::encode_many(&certs[1..])).unwrap();
                }
                Served {
                    name: c.name.clone(),
                    dir,
                    host: c.host.clone(),
                }
            })
            .collect();
        (tmp, m, served)
    })
}

/// The manifest's expectations for a case, as the verdicts `clients.rs` compares with.
fn verdicts(case: &ManifestCase) -> Vec<Verdict> {
    case.clients
        .iter()
        .map(|(name, e)| Verdict {
            name: name.clone(),
            accepts: e.accepts,
            reason: e.reason.clone(),
            refused_by: e.refused_by.clone(),
        })
        .collect()
}

/// What `openssl s_client -verify_return_error` says about each category.
fn s_client_words(category: &str) -> &'static [&'static str] {
    match category {
        "expired" => &["certificate has expired"],
        "not_yet_valid" => &["certificate is not yet valid"],
        "hostname_mismatch" => &["hostname mismatch", "IP address mismatch"],
        "unknown_issuer" => &["unable to get local issuer certificate"],
        "self_signed" => &["self-signed certificate", "self signed certificate"],
        "issuer_not_ca" => &["invalid CA certificate"],
        "bad_eku" => &[
            "unsuitable certificate purpose",
            "unsupported certificate purpose",
        ],
        _ => &[],
    }
}

/// Everything `openssl s_client` says when connecting to `case`.
fn s_client_says(case: &Served, port: u16) -> String {
    let mut cmd = Command::new(tool("openssl", "openssl"));
    cmd.args(["s_client", "-verify_return_error", "-connect"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-CAfile", "ca.crt"])
        .current_dir(&case.dir)
        .stdin(Stdio::null());
    if case.host.parse::<std::net::IpAddr>().is_ok() {
        cmd.args(["-verify_ip", &case.host]);
    } else {
        cmd.args(["-servername", &case.host, "-verify_hostname", &case.host]);
    }
    let out = cmd.output().unwrap();
    format!("{}{}", stdout(&out), stderr(&out))
}

#[test]
fn every_installed_client_decides_as_the_manifest_says() {
    let (tmp, m, served) = made();
    let tools = clients::tools();
    let mut disagreements = Vec::new();

    // key-mismatch: no server loads the pair, so no client ever sees it.
    let mismatch = m
        .cases
        .iter()
        .position(|c| c.name == "key-mismatch")
        .unwrap();
    let raw = tmp.path().join("fixtures/key-mismatch");
    let (loads, said) = clients::s_server_loads(&raw);
    if loads {
        disagreements.push(format!(
            "key-mismatch: openssl s_server loaded the pair ({said})"
        ));
    }
    let py = Command::new(tool("python3", "python3"))
        .arg(clients::probes().join("probe.py"))
        .args(["keypair", "server.crt", "server.key"])
        .current_dir(&raw)
        .output()
        .unwrap();
    if py.status.success() {
        disagreements.push("key-mismatch: Python's load_cert_chain loaded the pair".into());
    }
    assert!(
        m.cases[mismatch].clients.values().all(|e| !e.accepts),
        "key-mismatch: the manifest says a client accepts"
    );

    let indices: Vec<usize> = (0..served.len()).filter(|i| *i != mismatch).collect();
    let servers = clients::parallel_map(&indices, 4, |&i| clients::serve(&served[i]));
    let mut ports: Vec<Option<u16>> = vec![None; served.len()];
    for (k, &i) in indices.iter().enumerate() {
        match &servers[k] {
            Ok((_, port)) => ports[i] = Some(*port),
            Err(e) => disagreements.push(e.clone()),
        }
    }
    let java = std::thread::scope(|s| {
        let (java_cases, java_ports): (Vec<&Served>, Vec<Option<u16>>) =
            indices.iter().map(|&i| (&served[i], ports[i])).unzip();
        let java = s.spawn(move || {
            let cases: Vec<Served> = java_cases
                .iter()
                .map(|c| Served {
                    name: c.name.clone(),
                    dir: c.dir.clone(),
                    host: c.host.clone(),
                })
                .collect();
            clients::java_all(tools, &cases, &java_ports)
        });
        let found = clients::parallel_map(&indices, 3, |&i| {
            let (case, Some(port)) = (&served[i], ports[i]) else {
                return Vec::new();
            };
            let expected = verdicts(&m.cases[i]);
            let mut found = Vec::new();
            for probe in clients::PROBES {
                let (real, said) = (probe.run)(tools, case, port);
                let (want, reason) = clients::model_accepts(&expected, probe.family, probe.member);
                if real != want {
                    found.push(clients::disagreement(
                        case,
                        &format!("{} ({})", probe.member, probe.family),
                        (real, &said),
                        (want, &reason),
                        "",
                    ));
                }
            }
            // The category is the error openssl reports.
            let openssl = &m.cases[i].clients["openssl"];
            if let (false, Some(category)) = (openssl.accepts, &openssl.category) {
                let said = s_client_says(case, port);
                let words = s_client_words(category);
                if !words.is_empty() && !words.iter().any(|w| said.contains(w)) {
                    found.push(format!(
                        "{}: openssl s_client does not report {category} ({words:?}):\n{said}",
                        case.name
                    ));
                }
            }
            found
        });
        disagreements.extend(found.into_iter().flatten());
        java.join().unwrap()
    });
    for (k, &i) in indices.iter().enumerate() {
        if ports[i].is_none() {
            continue;
        }
        let (real, said) = &java[k];
        let (want, reason) = clients::model_accepts(&verdicts(&m.cases[i]), "java", "java");
        if *real != want {
            disagreements.push(clients::disagreement(
                &served[i],
                "java",
                (*real, said),
                (want, &reason),
                "",
            ));
        }
    }
    drop(servers);
    assert!(
        disagreements.is_empty(),
        "the manifest and the real clients disagree:\n{}",
        disagreements.join("\n")
    );
}

/// The cases Chromium is run on (each costs a browser start).
const CHROMIUM_CASES: &[&str] = &["good", "expired", "self-signed", "no-san", "wildcard"];

#[test]
fn chromium_decides_as_the_manifest_says() {
    let (_tmp, m, served) = made();
    let subset: Vec<usize> = CHROMIUM_CASES
        .iter()
        .map(|n| served.iter().position(|c| c.name == *n).unwrap())
        .collect();
    let found = clients::parallel_map(&subset, 2, |&i| {
        let case = &served[i];
        let (_server, port) = clients::serve(case)?;
        let (real, said) = clients::chromium(case, port);
        let e = &m.cases[i].clients["chromium"];
        if real == e.accepts {
            Ok(())
        } else {
            Err(clients::disagreement(
                case,
                "chromium",
                (real, &said),
                (e.accepts, e.reason.as_deref().unwrap_or("")),
                "",
            ))
        }
    });
    let disagreements: Vec<String> = found.into_iter().filter_map(Result::err).collect();
    assert!(
        disagreements.is_empty(),
        "the manifest and Chromium disagree:\n{}",
        disagreements.join("\n")
    );
}

#[test]
fn the_pytest_example_runs_as_written() {
    tool("pytest", "pytest (PyPI, .ci/requirements.txt)");
    let doc = crate::docs::read_doc("docs/fixtures.md");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (mut pytest_ran, mut actions_ran) = (0, false);
    for block in crate::docs::blocks(&doc) {
        if let Some(name) = block
            .info
            .split_whitespace()
            .find_map(|w| w.strip_prefix("file="))
        {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, &block.body).unwrap();
            continue;
        }
        let script = match block.info.as_str() {
            "sh tested" => block.body.clone(),
            "yaml tested" => crate::docs::actions_run_script(&block.body),
            _ => continue,
        };
        let out = crate::docs::run_sh(dir, &script, &[]);
        crate::docs::assert_ran("docs/fixtures.md", &block, &out);
        if script.contains("pytest") {
            // Every case ran: none skipped, none deselected.
            assert!(
                stdout(&out).contains(&format!("{} passed", CASES.len())),
                "{}",
                stdout(&out)
            );
            pytest_ran += 1;
            actions_ran |= block.info == "yaml tested";
        }
    }
    assert!(
        pytest_ran >= 2,
        "docs/fixtures.md runs pytest {pytest_ran} times"
    );
    assert!(
        actions_ran,
        "docs/fixtures.md has no tested GitHub Actions step"
    );
}

#[test]
fn docs_json_md_describes_every_fixtures_and_manifest_field() {
    let doc = crate::docs::read_doc("docs/json.md");
    let section = doc
        .split_once("## `aitls fixtures`")
        .expect("docs/json.md has an `aitls fixtures` section")
        .1;
    let sb = Sandbox::new();
    let mut found = std::collections::BTreeSet::new();
    keys(&sb.json(&["fixtures"]), &mut found);
    let text = std::fs::read(sb.certs().join("fixtures/manifest.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_slice(&text).unwrap();
    keys(&manifest, &mut found);
    for k in ["other_ca", "category", "manifest_written"] {
        assert!(found.contains(k), "{k} not emitted: {found:?}");
    }
    let missing: Vec<&String> = found
        .iter()
        .filter(|k| !section.contains(&format!("`{k}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/json.md does not describe {missing:?}"
    );
    // Every category the manifest uses has its row.
    for case in manifest["cases"].as_array().unwrap() {
        for e in case["clients"].as_object().unwrap().values() {
            if let Some(c) = e["category"].as_str() {
                assert!(
                    section.contains(&format!("| `{c}` |")),
                    "category {c} undocumented"
                );
            }
        }
    }
}

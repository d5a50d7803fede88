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
    assert!(err.error.starts_with("no CA in /"), "{err:?}");
    assert!(err.error.contains("/ai/certs (ca.crt"), "{err:?}");
    assert_eq!(
        err.hint,
        Some(format!(
            "run `aitls ca` to create it in {}",
            sb.certs().display()
        ))
    );
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
    assert_eq!(
        err.hint.as_deref(),
        Some("run `aitls server --help` for the options and examples")
    );
    // No command at all: the short usage on stderr, the object on stdout.
    let out = sb.aitls().arg("--json").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err: JsonError = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((err.error.as_str(), err.exit_code), ("no command given", 2));
}

#[test]
fn a_warning_and_a_hint_name_the_directory_alike() {
    let sb = Sandbox::new();
    sb.ok(&["-d", "my certs", "ca", "--key-type", "ecdsa-p256"]);
    // Kept, with a warning whose fix must name the same directory as an error's hint.
    let out = sb.ok(&["-d", "my certs", "ca", "--key-type", "ecdsa-p384"]);
    let err = stderr(&out);
    assert!(
        err.contains("warning: --key-type \"ecdsa-p384\" differs from the kept CA's")
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

/// Parsed `aitls --json verify …` output, as far as these tests need it.
#[derive(Debug, Deserialize)]
struct Report {
    valid: bool,
    checks: Vec<Check>,
}

#[derive(Debug, Deserialize)]
struct Check {
    name: String,
    ok: bool,
    #[serde(default)]
    skipped: bool,
    detail: String,
    fix: Option<String>,
}

impl Report {
    fn get(&self, name: &str) -> &Check {
        self.checks
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no {name} check in {self:#?}"))
    }

    fn failed(&self) -> Vec<&str> {
        self.checks
            .iter()
            .filter(|c| !c.ok && !c.skipped)
            .map(|c| c.name.as_str())
            .collect()
    }

    /// No fix proposes replacing the CA (what `ca --force` does to every client).
    fn never_replaces_the_ca(&self) {
        for check in &self.checks {
            let fix = check.fix.as_deref().unwrap_or_default();
            assert!(!fix.contains("ca --force"), "{check:#?}");
        }
    }
}

fn verify_json(sb: &Sandbox, args: &[&str]) -> Report {
    let out = sb
        .aitls()
        .arg("--json")
        .arg("verify")
        .args(args)
        .output()
        .unwrap();
    let report: Report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stderr(&out)));
    assert_eq!(out.status.code(), Some(if report.valid { 0 } else { 1 }));
    report
}

#[test]
fn ca_given_a_server_certificate_names_its_issuer_not_ca_force() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let r = verify_json(&sb, &["ai/certs/server.crt", "--ca", "ai/certs/server.crt"]);
    let ca = r.get("ca");
    assert!(
        ca.detail
            .contains("--ca ai/certs/server.crt is a server certificate (CA:FALSE)")
            && ca.detail.contains("its issuer is ai/certs/ca.crt"),
        "{ca:#?}"
    );
    assert_eq!(ca.fix.as_deref(), Some("use --ca ai/certs/ca.crt"));
    assert_eq!(
        r.get("chain").fix.as_deref(),
        Some("use --ca ai/certs/ca.crt")
    );
    r.never_replaces_the_ca();
    // The fix works as printed.
    assert!(verify_json(&sb, &["ai/certs/server.crt", "--ca", "ai/certs/ca.crt"]).valid);
}

#[test]
fn a_bundle_in_the_wrong_order_is_one_failure_naming_the_certificate_to_put_first() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let mut bundle = sb.read("ca.crt");
    bundle.extend(sb.read("server.crt"));
    std::fs::write(sb.root().join("bundle.pem"), bundle).unwrap();
    let r = verify_json(&sb, &["bundle.pem", "--key", "ai/certs/server.key"]);
    assert_eq!(r.failed(), ["order"], "{r:#?}");
    let order = r.get("order");
    assert_eq!(
        order.detail,
        "the bundle is in the wrong order: certificate 2 matches the key; put it first"
    );
    assert_eq!(order.fix.as_deref(), Some("put certificate 2 first"));
    // In the right order the bundle passes, order included.
    let mut bundle = sb.read("server.crt");
    bundle.extend(sb.read("ca.crt"));
    std::fs::write(sb.root().join("bundle.pem"), bundle).unwrap();
    let r = verify_json(&sb, &["bundle.pem", "--key", "ai/certs/server.key"]);
    assert!(r.valid && r.get("order").ok, "{r:#?}");
}

#[test]
fn verifying_the_ca_names_the_server_certificate_instead() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let r = verify_json(&sb, &["ai/certs/ca.crt", "--host", "localhost"]);
    assert_eq!(r.failed(), ["chain"], "{r:#?}");
    let chain = r.get("chain");
    assert!(
        chain
            .detail
            .contains("this is a CA certificate, not a server certificate")
            && chain
                .detail
                .contains("the server certificate is ai/certs/server.crt"),
        "{chain:#?}"
    );
    assert_eq!(
        chain.fix.as_deref(),
        Some("aitls verify ai/certs/server.crt")
    );
    // Checks that mean nothing for a CA are reported as not made, not dropped.
    for name in ["usage", "san", "host"] {
        assert!(r.get(name).skipped, "{r:#?}");
    }
    assert!(
        r.checks
            .iter()
            .all(|c| !c.fix.as_deref().unwrap_or_default().contains("reissue"))
    );
}

/// A server certificate signed by the sandbox's CA whose subjectAltName extension appears
/// twice (rcgen adds one from the names, and a raw one with the same OID).
fn duplicate_san_certificate(sb: &Sandbox) {
    let read = |name: &str| std::fs::read_to_string(sb.file(name)).unwrap();
    let ca_key = rcgen::KeyPair::from_pem(&read("ca.key")).unwrap();
    let issuer = rcgen::Issuer::from_ca_cert_pem(&read("ca.crt"), ca_key).unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    // subjectAltName (2.5.29.17): SEQUENCE { dNSName "localhost" }.
    let mut san = vec![0x30, 0x0b, 0x82, 0x09];
    san.extend_from_slice(b"localhost");
    params
        .custom_extensions
        .push(rcgen::CustomExtension::from_oid_content(
            &[2, 5, 29, 17],
            san,
        ));
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let cert = params.signed_by(&key, &issuer).unwrap();
    std::fs::write(sb.root().join("dup.crt"), cert.pem()).unwrap();
}

#[test]
fn a_duplicate_subject_alt_name_is_named_and_host_is_reported_not_dropped() {
    let sb = Sandbox::new();
    sb.quick_ca();
    duplicate_san_certificate(&sb);
    let r = verify_json(&sb, &["dup.crt", "--host", "localhost"]);
    let san = r.get("san");
    assert!(!san.ok, "{san:#?}");
    assert!(
        san.detail.starts_with("duplicate extension subjectAltName"),
        "{san:#?}"
    );
    let host = r.get("host");
    assert!(
        host.skipped && host.detail.starts_with("not checked: localhost"),
        "{host:#?}"
    );
    assert!(
        r.get("chain")
            .detail
            .contains("duplicate extension subjectAltName"),
        "{r:#?}"
    );
}

#[test]
fn a_1024_bit_rsa_ca_is_named_by_its_key_size() {
    let sb = Sandbox::new();
    let dir = sb.root();
    let run = |args: &[&str]| {
        let out = crate::util::openssl(dir, args);
        assert!(out.status.success(), "openssl {args:?}: {}", stderr(&out));
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:1024",
        "-nodes",
        "-keyout",
        "weak.key",
        "-subj",
        "/CN=Weak CA",
        "-days",
        "30",
        "-addext",
        "keyUsage=keyCertSign,cRLSign",
        "-out",
        "weak.crt",
    ]);
    run(&[
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "leaf.key",
        "-subj",
        "/CN=localhost",
        "-out",
        "leaf.csr",
    ]);
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    run(&[
        "x509", "-req", "-in", "leaf.csr", "-CA", "weak.crt", "-CAkey", "weak.key", "-days", "20",
        "-extfile", "ext.cnf", "-out", "leaf.crt",
    ]);
    let r = verify_json(&sb, &["leaf.crt", "--ca", "weak.crt"]);
    let ca = r.get("ca");
    assert!(
        !ca.ok
            && ca.detail.contains("1024-bit RSA key")
            && ca.detail.contains("refuse RSA keys under 2048 bits"),
        "{ca:#?}"
    );
    let chain = r.get("chain");
    assert!(
        chain.detail.contains("1024-bit") && !chain.detail.contains("signature does not verify"),
        "{chain:#?}"
    );
    r.never_replaces_the_ca();
}

#[test]
fn a_certificate_over_64_kib_is_reported_by_its_size() {
    let sb = Sandbox::new();
    sb.quick_ca();
    // About 19 bytes of DER per name: 4,000 names make a certificate of some 75 KiB.
    let names: Vec<String> = (0..4000).map(|i| format!("h{i}.example.com")).collect();
    let mut args = vec!["server", "--key-type", "ecdsa-p256", "-q"];
    args.extend(names.iter().map(String::as_str));
    sb.ok(&args);
    let r = verify_json(&sb, &["--host", "h1.example.com"]);
    let chain = r.get("chain");
    assert!(
        chain.detail.starts_with("the certificate is ")
            && chain
                .detail
                .contains("rustls reads certificates of at most 64 KiB")
            && !chain.detail.contains("malformed"),
        "{chain:#?}"
    );
    assert_eq!(
        chain.fix.as_deref(),
        Some("reissue the certificate with fewer names, under 64 KiB")
    );
    assert!(r.get("host").skipped, "{r:#?}");
}

#[test]
fn a_url_or_host_port_as_a_name_gets_the_host_alone() {
    let sb = Sandbox::new();
    sb.quick_ca();
    for (args, hint) in [
        (
            vec!["server", "localhost:8095"],
            "hint: use `aitls server localhost` (the names given replace the certificate's names: give every name it must keep), or run `aitls probe localhost:8095` to check the service running on that port",
        ),
        (
            vec!["server", "https://localhost"],
            "hint: use `aitls server localhost`",
        ),
        (
            vec!["server", "api.internal", "https://localhost:8095/v1"],
            "hint: use `aitls server api.internal localhost`",
        ),
        (
            vec!["verify", "--host", "localhost:8095"],
            "hint: use --host localhost",
        ),
    ] {
        let out = sb.aitls().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(hint), "{args:?}: {err}");
        assert!(
            err.contains("without a scheme, port or path"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn out_given_a_file_name_is_refused_naming_the_stem() {
    let sb = Sandbox::new();
    sb.quick_ca();
    let out = sb
        .aitls()
        .args(["server", "--out", "api.crt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("hint: use --out api\n"),
        "{}",
        stderr(&out)
    );
    assert!(!sb.file("api.crt.crt").exists() && !sb.file("api.crt.key").exists());
}

#[test]
fn inspect_given_a_directory_points_at_dir() {
    let sb = Sandbox::new();
    sb.quick_ca();
    let out = sb.aitls().args(["inspect", "ai/certs"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("hint: run `aitls -d ai/certs inspect`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn server_from_a_subdirectory_says_where_it_looked_and_finds_the_ca_above() {
    let sb = Sandbox::new();
    let sub = sb.root().join("backend");
    std::fs::create_dir(&sub).unwrap();
    // No CA anywhere: the absolute directory looked in, and `aitls ca`.
    let out = crate::util::aitls(&sub).arg("server").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let looked = sub.join("ai/certs");
    assert!(
        err.contains(&format!("no CA in {} (", looked.display())),
        "{err}"
    );
    // With the project's CA one level up: point there, never at a second `aitls ca`.
    sb.quick_ca();
    let out = crate::util::aitls(&sub).arg("server").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("run `aitls -d {} server`", sb.certs().display())),
        "{err}"
    );
    assert!(!err.contains("run `aitls ca"), "{err}");
}

/// A second CA (ECDSA P-256) with aitls's default name, in `other/ai/certs`.
fn other_ca(sb: &Sandbox) -> std::path::PathBuf {
    let other = sb.root().join("other");
    std::fs::create_dir_all(&other).unwrap();
    let out = crate::util::aitls(&other)
        .args(["ca", "--key-type", "ecdsa-p256"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    other.join("ai/certs/ca.crt")
}

#[test]
fn quiet_still_shows_the_failing_checks_on_stderr() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let other = other_ca(&sb);
    let out = sb
        .aitls()
        .args(["-q", "verify", "--ca"])
        .arg(&other)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "{out:?}");
    let err = stderr(&out);
    assert!(
        err.starts_with("error: ai/certs/server.crt: chain: "),
        "{err}"
    );
    // Passing checks are not errors.
    assert!(!err.contains("key_mode"), "{err}");
}

#[test]
fn env_warns_about_a_directory_others_can_write() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    sb.quick_pair();
    std::fs::set_permissions(sb.certs(), std::fs::Permissions::from_mode(0o775)).unwrap();
    let out = sb.ok(&["env"]);
    assert!(
        stderr(&out).contains("warning: ai/certs is writable by its group (mode 0775)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn every_command_from_a_subdirectory_points_at_the_ca_above() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let sub = sb.root().join("backend");
    std::fs::create_dir(&sub).unwrap();
    let (found, looked) = (sb.certs(), sub.join("ai/certs"));
    for command in ["env", "verify", "inspect", "probe", "server"] {
        let out = crate::util::aitls(&sub).arg(command).output().unwrap();
        assert!(!out.status.success(), "{command}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!(
                "hint: the CA is in {} (none in {}): run `aitls -d {} {command}`",
                found.display(),
                looked.display(),
                found.display()
            )),
            "{command}: {err}"
        );
        assert!(!err.contains("run `aitls ca"), "{command}: {err}");
    }
    // `aitls ca` there makes a second CA, and says so, naming the first.
    let out = crate::util::aitls(&sub)
        .args(["ca", "--key-type", "ecdsa-p256"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "warning: a CA already exists in {}; this made a second, unrelated CA in {}",
            found.display(),
            looked.display()
        )),
        "{err}"
    );
}

#[test]
fn a_key_without_a_readable_certificate_names_the_real_choice() {
    let sb = Sandbox::new();
    sb.quick_pair();
    std::fs::remove_file(sb.file("server.crt")).unwrap();
    let choice = "hint: restore server.crt, or run `aitls server --force` to issue a new pair, which replaces the key";
    for command in ["verify", "env"] {
        let out = sb.aitls().arg(command).output().unwrap();
        assert!(!out.status.success(), "{command}");
        assert!(stderr(&out).contains(choice), "{command}: {}", stderr(&out));
    }
    // A certificate that is not one beside the key: refused like a lone key, naming both.
    std::fs::write(sb.file("server.crt"), "junk\n").unwrap();
    let key = sb.read("server.key");
    let out = sb.aitls().arg("server").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: ai/certs/server.key exists beside ai/certs/server.crt, which is not a certificate aitls can read"),
        "{err}"
    );
    assert!(err.contains(choice), "{err}");
    assert_eq!(sb.read("server.key"), key, "the key was overwritten");
    sb.ok(&["server", "--force"]);
    assert_ne!(sb.read("server.key"), key);
}

#[test]
fn days_left_are_whole_days_alike_when_created_and_kept() {
    use crate::clock::at;
    let sb = Sandbox::new();
    let args = ["ca", "--key-type", "ecdsa-p256"];
    let created = at(&sb, "@2026-06-01 12:00:00", &args);
    let kept = at(&sb, "@2026-06-01 12:00:05", &args);
    for out in [&created, &kept] {
        assert!(out.status.success(), "{out:?}");
        assert!(
            crate::util::stdout(out).contains("valid until 2027-06-01 (365 days left)"),
            "{}",
            crate::util::stdout(out)
        );
    }
    // One day: "1 day", wherever a count of days is shown.
    let out = at(
        &sb,
        "@2027-05-31 12:00:00",
        &["server", "--key-type", "ecdsa-p256"],
    );
    assert!(
        crate::util::stdout(&out).contains("(1 day left)"),
        "{out:?}"
    );
    let out = at(&sb, "@2027-05-31 12:00:00", &["inspect"]);
    assert!(
        crate::util::stdout(&out).contains("(1 day left)"),
        "{out:?}"
    );
}

#[test]
fn a_failing_server_leaves_no_empty_directory() {
    let sb = Sandbox::new();
    let out = sb
        .aitls()
        .args(["-d", "newdir", "server"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("error: no CA in "),
        "{}",
        stderr(&out)
    );
    assert!(!sb.root().join("newdir").exists());
}

#[test]
fn inspect_names_a_single_certificate_file_over_a_bundle() {
    // The guide's CA rotation: ca.crt, ca-old.crt and a bundle of both CAs.
    let sb = Sandbox::new();
    sb.quick_pair();
    let other = std::fs::read(other_ca(&sb)).unwrap();
    let ca = sb.read("ca.crt");
    std::fs::write(sb.file("ca-old.crt"), &ca).unwrap();
    std::fs::write(sb.file("ca-bundle.crt"), [ca.clone(), other].concat()).unwrap();
    let out = crate::util::stdout(&sb.ok(&["inspect"]));
    let line = |file: &str| {
        out.lines()
            .find(|l| l.starts_with(&format!("{file} ")))
            .unwrap_or_else(|| panic!("{file}: {out}"))
            .to_owned()
    };
    assert!(line("server.crt").contains("issued by ca.crt,"), "{out}");
    assert!(line("ca.key").contains("matches ca.crt"), "{out}");
    assert!(line("ca-old.crt").contains("issued by ca.crt,"), "{out}");
    assert!(
        !out.contains("by ca-bundle.crt") && !out.contains("matches ca-bundle.crt"),
        "{out}"
    );
}

#[test]
fn a_usage_error_is_an_error_line_and_a_hint_line() {
    let sb = Sandbox::new();
    // clap's tip becomes the hint, in JSON and on stderr; no usage block.
    let err = json_error(&sb, &["verify", "--hots", "x"]);
    assert_eq!(err.error, "unexpected argument '--hots' found");
    assert_eq!(
        err.hint.as_deref(),
        Some("a similar argument exists: '--host'")
    );
    assert_eq!(err.exit_code, 2);
    let out = sb.aitls().args(["verify", "--hots", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: unexpected argument '--hots' found\nhint: a similar argument exists: '--host'\n"
    );
    // A date alone for --at: the format expected, with the date completed.
    let out = sb
        .aitls()
        .args(["verify", "--at", "2027-06-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: invalid value '2027-06-01' for '--at <TIME>': expected an RFC 3339 date and time with its time zone (YYYY-MM-DDTHH:MM:SSZ), e.g. 2027-06-01T00:00:00Z\nhint: run `aitls verify --help`"),
        "{err}"
    );
    assert!(!err.contains("component"), "{err}");
}

#[test]
fn times_print_as_date_and_utc_clock() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let out = sb
        .aitls()
        .args(["verify", "--at", "2020-01-01T00:00:00Z"])
        .output()
        .unwrap();
    let text = crate::util::stdout(&out);
    let line = text
        .lines()
        .find(|l| l.contains("validity"))
        .unwrap_or_else(|| panic!("{text}"));
    let when = line
        .split("not valid until ")
        .nth(1)
        .and_then(|rest| rest.split(" (").next())
        .unwrap_or_else(|| panic!("{line}"));
    // 2026-11-30 07:09:12 UTC
    assert_eq!(when.len(), 23, "{line}");
    assert!(when.ends_with(" UTC") && !when.contains('+'), "{line}");
    assert_eq!(&when[10..11], " ", "{line}");
    assert_eq!(&when[13..14], ":", "{line}");
}

#[test]
fn verify_with_an_old_ca_of_the_same_name_says_so_and_names_the_signer() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let other = other_ca(&sb);
    let out = sb
        .aitls()
        .args(["verify", "--ca"])
        .arg(&other)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = crate::util::stdout(&out);
    assert!(
        text.contains(&format!(
            "FAIL chain     {} is a different CA than the one that signed the certificate: same name \"AI Services CA\", different key: the certificate was signed by key ID ",
            other.display()
        )),
        "{text}"
    );
    assert!(text.contains("; ai/certs/ca.crt signed it"), "{text}");
    assert!(text.contains("fix: use --ca ai/certs/ca.crt"), "{text}");
    assert!(!text.contains("--force"), "{text}");
}

#[test]
fn a_dir_that_is_a_file_or_a_directory_in_a_files_place_is_named_in_words() {
    let sb = Sandbox::new();
    std::fs::write(sb.root().join("afile"), "x").unwrap();
    for args in [
        vec!["-d", "afile", "server"],
        vec!["-d", "afile", "verify"],
        vec!["-d", "afile", "ca"],
    ] {
        let out = sb.aitls().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            stderr(&out),
            "error: afile is a file, not a directory: -d and AITLS_DIR name the certificate directory\n",
            "{args:?}"
        );
    }
    let out = sb.aitls().args(["-d", "afile/sub", "ca"]).output().unwrap();
    assert_eq!(
        stderr(&out),
        "error: cannot create directory afile/sub: a part of the path is a file, not a directory\n"
    );
    // A directory where server.crt goes: move it, never `-d` into it.
    sb.quick_ca();
    std::fs::create_dir(sb.file("server.crt")).unwrap();
    for command in ["server", "verify"] {
        let out = sb.aitls().arg(command).output().unwrap();
        let err = stderr(&out);
        assert_eq!(
            err,
            "error: ai/certs/server.crt is a directory, not a regular file; aitls reads only regular files\n\
             hint: move the directory ai/certs/server.crt out of the way (aitls keeps a file under that name)\n",
            "{command}"
        );
    }
}

#[test]
fn permission_denied_names_the_owner_and_mode_and_the_command_to_run() {
    use std::os::unix::fs::PermissionsExt;
    let setpriv = crate::util::tool("setpriv", "util-linux");
    let sb = Sandbox::new();
    sb.quick_ca();
    // Root's directory, which user 65534 may enter but not write (tests run as root).
    std::fs::set_permissions(sb.root(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = std::process::Command::new(setpriv)
        .args(["--reuid", "65534", "--regid", "65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_aitls"))
        .arg("server")
        .current_dir(sb.root())
        .env_remove("AITLS_DIR")
        .output()
        .unwrap();
    // An unreadable input: exit 2 (SPEC §3).
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = stderr(&out);
    assert_eq!(
        err,
        "error: cannot read ai/certs/ca.key: permission denied (ai/certs/ca.key is owned by root (uid 0), mode 0600)\n\
         hint: run `sudo aitls server` as its owner, or give -d a directory you own\n"
    );
    assert!(!err.contains("os error"));
}

#[test]
fn verify_without_a_server_certificate_beside_the_ca_hints_server_alone() {
    let sb = Sandbox::new();
    sb.quick_ca();
    let out = sb.aitls().arg("verify").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).ends_with("hint: run `aitls server` to issue the server certificate\n"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn every_client_refuses_a_ca_of_the_same_name_with_another_key_type_and_says_it_once() {
    // The old CA was ECDSA, the new one RSA: webpki calls the mismatch an algorithm that
    // does not fit the key, which is no rustls quirk: no client finds a signer.
    let sb = Sandbox::new();
    sb.ok(&["ca", "--key-type", "rsa2048"]);
    sb.ok(&["server", "--key-type", "ecdsa-p256"]);
    let other = other_ca(&sb);
    let out = sb
        .aitls()
        .args(["--json", "verify", "--ca"])
        .arg(&other)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let clients = v["clients"].as_array().unwrap();
    assert_eq!(clients.len(), 9, "{v}");
    assert!(clients.iter().all(|c| c["accepts"] == false), "{v}");

    let out = sb
        .aitls()
        .args(["verify", "--ca"])
        .arg(&other)
        .output()
        .unwrap();
    let text = crate::util::stdout(&out);
    let line = text
        .lines()
        .find(|l| l.contains("FAIL clients"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.contains("9 of 9 refuse: openssl, python3.13, rustls, go"),
        "{line}"
    );
    assert_eq!(
        line.matches("is a different CA").count(),
        1,
        "one reason, named once: {line}"
    );
    assert!(
        text.ends_with("not valid: 1 of 7 checks failed; refused by 9 of 9 clients\n"),
        "{text}"
    );
}

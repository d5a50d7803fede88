//! Tests of `aitls verify`: a differential table against real `openssl verify`, then the
//! command's own behaviour (defaults, fixes, warnings, exit codes).

use std::net::IpAddr;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType,
};
use serde::Deserialize;
use time::{Duration, OffsetDateTime};

use crate::util::{Sandbox, openssl, stderr, stdout};

#[derive(Debug, Deserialize)]
struct Report {
    valid: bool,
    checks: Vec<Check>,
    #[serde(default)]
    clients: Vec<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct Check {
    name: String,
    ok: bool,
    warning: bool,
    detail: String,
    fix: Option<String>,
}

impl Report {
    fn failed(&self) -> Vec<&str> {
        self.checks
            .iter()
            .filter(|c| !c.ok)
            .map(|c| c.name.as_str())
            .collect()
    }
}

/// A certificate and its key, built with rcgen in the test.
struct Built {
    pem: String,
    key: KeyPair,
    params: CertificateParams,
}

fn ecdsa() -> KeyPair {
    KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("P-256 key")
}

fn rsa() -> KeyPair {
    KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, rcgen::RsaKeySize::_2048).expect("RSA key")
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

fn base(cn: &str, names: &[&str]) -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name.push(DnType::CommonName, cn);
    p.not_before = now() - Duration::days(1);
    p.not_after = now() + Duration::days(90);
    for name in names {
        p.subject_alt_names.push(match name.parse::<IpAddr>() {
            Ok(ip) => SanType::IpAddress(ip),
            Err(_) => SanType::DnsName((*name).try_into().expect("DNS name")),
        });
    }
    p
}

fn ca_params(cn: &str) -> CertificateParams {
    let mut p = base(cn, &[]);
    // Valid long before and after the leaves, so `--at` cases test the leaf.
    p.not_before = now() - Duration::days(365);
    p.not_after = now() + Duration::days(365);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p
}

fn server_params(cn: &str, names: &[&str]) -> CertificateParams {
    let mut p = base(cn, names);
    p.is_ca = IsCa::ExplicitNoCa;
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    p
}

fn self_signed(params: CertificateParams, key: KeyPair) -> Built {
    let pem = params.self_signed(&key).expect("self-signed").pem();
    Built { pem, key, params }
}

fn signed(params: CertificateParams, key: KeyPair, issuer: &Built) -> Built {
    let issuer_ref = Issuer::from_params(&issuer.params, &issuer.key);
    let pem = params.signed_by(&key, &issuer_ref).expect("signed").pem();
    Built { pem, key, params }
}

/// One row of the differential table.
struct Case {
    name: &'static str,
    ca: Built,
    intermediates: Vec<Built>,
    leaf: Built,
    /// The key file given with the leaf (`None`: the leaf's own key).
    key_pem: Option<String>,
    key_mode: u32,
    host: Option<&'static str>,
    at: Option<OffsetDateTime>,
    /// What aitls must decide.
    valid: bool,
    /// Where aitls is deliberately stricter than `openssl verify`, why; openssl then
    /// accepts what aitls refuses.
    stricter: Option<&'static str>,
    /// The checks aitls must report as failed.
    failed: &'static [&'static str],
}

fn case(name: &'static str, ca: Built, leaf: Built) -> Case {
    Case {
        name,
        ca,
        intermediates: Vec::new(),
        leaf,
        key_pem: None,
        key_mode: 0o600,
        host: None,
        at: None,
        valid: true,
        stricter: None,
        failed: &[],
    }
}

fn invalid(mut c: Case, failed: &'static [&'static str]) -> Case {
    c.valid = false;
    c.failed = failed;
    c
}

fn host(mut c: Case, h: &'static str) -> Case {
    c.host = Some(h);
    c
}

fn good_ca() -> Built {
    self_signed(ca_params("Test CA"), ecdsa())
}

fn leaf_under(ca: &Built, names: &[&str]) -> Built {
    signed(
        server_params(names.first().copied().unwrap_or("leaf"), names),
        ecdsa(),
        ca,
    )
}

fn table() -> Vec<Case> {
    let mut cases = Vec::new();

    let ca = good_ca();
    let leaf = leaf_under(&ca, &["localhost", "127.0.0.1"]);
    cases.push(host(case("good ECDSA chain", ca, leaf), "localhost"));

    let ca = self_signed(ca_params("RSA CA"), rsa());
    let leaf = signed(
        server_params("rsa.test", &["rsa.test", "127.0.0.1"]),
        rsa(),
        &ca,
    );
    cases.push(host(
        case("good RSA chain, IPv4 host", ca, leaf),
        "127.0.0.1",
    ));

    let ca = good_ca();
    let mut inter_params = ca_params("Test Intermediate");
    inter_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    let inter = signed(inter_params, ecdsa(), &ca);
    let leaf = leaf_under(&inter, &["api.test"]);
    let mut c = host(
        case("good chain through an intermediate (bundle)", ca, leaf),
        "api.test",
    );
    c.intermediates.push(inter);
    cases.push(c);

    let ca = good_ca();
    let mut p = server_params("old.test", &["old.test"]);
    p.not_before = now() - Duration::days(100);
    p.not_after = now() - Duration::days(10);
    let leaf = signed(p, ecdsa(), &ca);
    cases.push(invalid(
        case("expired leaf", ca, leaf),
        &["chain", "validity"],
    ));

    let ca = good_ca();
    let mut p = server_params("old.test", &["old.test"]);
    p.not_before = now() - Duration::days(100);
    p.not_after = now() - Duration::days(10);
    let leaf = signed(p, ecdsa(), &ca);
    let mut c = case(
        "expired leaf checked at a time it was valid (--at / -attime)",
        ca,
        leaf,
    );
    c.at = Some(now() - Duration::days(50));
    cases.push(c);

    let ca = good_ca();
    let mut p = server_params("soon.test", &["soon.test"]);
    p.not_before = now() + Duration::days(10);
    p.not_after = now() + Duration::days(100);
    let leaf = signed(p, ecdsa(), &ca);
    cases.push(invalid(
        case("leaf not yet valid", ca, leaf),
        &["chain", "validity"],
    ));

    let ca = good_ca();
    let other = good_ca(); // same name, another key: what `aitls ca --force` leaves behind
    let leaf = leaf_under(&other, &["localhost"]);
    cases.push(invalid(
        case("signed by another CA of the same name", ca, leaf),
        &["chain"],
    ));

    let ca = good_ca();
    let other = self_signed(ca_params("Somebody Else's CA"), ecdsa());
    let leaf = leaf_under(&other, &["localhost"]);
    cases.push(invalid(
        case("signed by an unrelated CA", ca, leaf),
        &["chain"],
    ));

    let ca = good_ca();
    let mut p = server_params("cn-only.test", &[]);
    p.subject_alt_names.clear();
    let leaf = signed(p, ecdsa(), &ca);
    let mut c = invalid(
        host(
            case("CN-only leaf without subjectAltName", ca, leaf),
            "cn-only.test",
        ),
        &["san", "host"],
    );
    c.stricter = Some("OpenSSL falls back to the common name; rustls, browsers and Python do not");
    cases.push(c);

    let ca = good_ca();
    let mut inter_params = ca_params("Not A CA");
    inter_params.is_ca = IsCa::ExplicitNoCa;
    let inter = signed(inter_params, ecdsa(), &ca);
    let leaf = leaf_under(&inter, &["localhost"]);
    let mut c = invalid(
        case("leaf under a CA:FALSE intermediate", ca, leaf),
        &["chain"],
    );
    c.intermediates.push(inter);
    cases.push(c);

    let mut p = ca_params("No CertSign CA");
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::CrlSign];
    let ca = self_signed(p, ecdsa());
    let leaf = leaf_under(&ca, &["localhost"]);
    cases.push(invalid(case("CA without keyCertSign", ca, leaf), &["ca"]));

    let mut p = ca_params("Expired CA");
    p.not_before = now() - Duration::days(400);
    p.not_after = now() - Duration::days(1);
    let ca = self_signed(p, ecdsa());
    let leaf = leaf_under(&ca, &["localhost"]);
    cases.push(invalid(case("expired CA", ca, leaf), &["ca"]));

    let mut p = ca_params("Pathlen0 CA");
    p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    let ca = self_signed(p, ecdsa());
    let inter = signed(ca_params("Intermediate under pathlen 0"), ecdsa(), &ca);
    let leaf = leaf_under(&inter, &["localhost"]);
    let mut c = invalid(
        case(
            "intermediate under a pathlen:0 CA (aitls's own CA profile)",
            ca,
            leaf,
        ),
        &["ca"],
    );
    c.intermediates.push(inter);
    cases.push(c);

    let ca = good_ca();
    let mut p = server_params("client.test", &["client.test"]);
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let leaf = signed(p, ecdsa(), &ca);
    cases.push(invalid(
        case("clientAuth-only leaf", ca, leaf),
        &["chain", "usage"],
    ));

    let ca = good_ca();
    let mut p = server_params("ku.test", &["ku.test"]);
    p.key_usages = vec![KeyUsagePurpose::CrlSign];
    let leaf = signed(p, ecdsa(), &ca);
    cases.push(invalid(
        case("leaf keyUsage without digitalSignature", ca, leaf),
        &["usage"],
    ));

    for (h, ok) in [
        ("a.example.com", true),
        ("example.com", false),
        ("a.b.example.com", false),
    ] {
        let ca = good_ca();
        let leaf = leaf_under(&ca, &["*.example.com"]);
        let name: &'static str = match h {
            "a.example.com" => "wildcard *.example.com vs a.example.com",
            "example.com" => "wildcard *.example.com vs example.com",
            _ => "wildcard *.example.com vs a.b.example.com",
        };
        let c = host(case(name, ca, leaf), h);
        cases.push(if ok { c } else { invalid(c, &["host"]) });
    }

    let ca = good_ca();
    let leaf = leaf_under(&ca, &["localhost", "::1"]);
    cases.push(host(case("IPv6 host ::1", ca, leaf), "::1"));

    let ca = good_ca();
    let leaf = leaf_under(&ca, &["localhost", "::1"]);
    cases.push(invalid(
        host(
            case("IPv6 host ::2 not in the certificate", ca, leaf),
            "::2",
        ),
        &["host"],
    ));

    let ca = good_ca();
    let leaf = leaf_under(&ca, &["localhost"]);
    cases.push(invalid(
        host(
            case("DNS host not in the certificate", ca, leaf),
            "other.test",
        ),
        &["host"],
    ));

    let ca = good_ca();
    let leaf = leaf_under(&ca, &["localhost"]);
    let mut c = invalid(
        case("key that does not match the certificate", ca, leaf),
        &["key"],
    );
    c.key_pem = Some(ecdsa().serialize_pem());
    cases.push(c);

    let ca = good_ca();
    let leaf = leaf_under(&ca, &["localhost"]);
    let mut c = invalid(
        case("key file readable by others (0644)", ca, leaf),
        &["key_mode"],
    );
    c.key_mode = 0o644;
    c.stricter = Some("openssl verify does not look at key files; a world-readable key is a leak");
    cases.push(c);

    let ca = good_ca();
    let mut p = server_params("ca-leaf.test", &["ca-leaf.test"]);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let leaf = signed(p, ecdsa(), &ca);
    let mut c = invalid(
        case("leaf that is itself a CA (CA:TRUE)", ca, leaf),
        &["chain"],
    );
    c.stricter = Some(
        "rustls (webpki) refuses a CA certificate as a server certificate; openssl -purpose sslserver does not",
    );
    cases.push(c);

    cases
}

fn write(path: &Path, text: &str, mode: u32) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// What OpenSSL decides: `openssl verify -purpose sslserver` (with the host, the time and
/// intermediates as untrusted certificates), and whether the key's public half equals the
/// certificate's.
fn openssl_verdict(dir: &Path, c: &Case) -> (bool, String) {
    let mut args = vec!["verify", "-CAfile", "ca.crt", "-purpose", "sslserver"];
    if !c.intermediates.is_empty() {
        args.extend(["-untrusted", "inter.pem"]);
    }
    let attime;
    if let Some(at) = c.at {
        attime = at.unix_timestamp().to_string();
        args.extend(["-attime", &attime]);
    }
    if let Some(h) = c.host {
        args.push(if h.parse::<IpAddr>().is_ok() {
            "-verify_ip"
        } else {
            "-verify_hostname"
        });
        args.push(h);
    }
    args.push("leaf.crt");
    let out = openssl(dir, &args);
    let cert_pub = stdout(&openssl(
        dir,
        &["x509", "-in", "leaf.crt", "-pubkey", "-noout"],
    ));
    let key_pub = stdout(&openssl(dir, &["pkey", "-in", "leaf.key", "-pubout"]));
    let verdict = out.status.success() && cert_pub == key_pub && !cert_pub.is_empty();
    (verdict, format!("{}{}", stdout(&out), stderr(&out)))
}

#[test]
fn verdicts_agree_with_openssl_verify_on_a_table_of_chains() {
    let cases = table();
    assert!(cases.len() >= 15, "the issue asks for at least 15 chains");
    let sandbox = Sandbox::new();
    let mut disagreements = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let dir = sandbox.root().join(format!("case{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        write(&dir.join("ca.crt"), &c.ca.pem, 0o644);
        write(&dir.join("leaf.crt"), &c.leaf.pem, 0o644);
        let inter: String = c.intermediates.iter().map(|b| b.pem.as_str()).collect();
        write(&dir.join("inter.pem"), &inter, 0o644);
        write(
            &dir.join("bundle.pem"),
            &format!("{}{inter}", c.leaf.pem),
            0o644,
        );
        let key = c
            .key_pem
            .clone()
            .unwrap_or_else(|| c.leaf.key.serialize_pem());
        write(&dir.join("leaf.key"), &key, c.key_mode);

        let mut args = vec![
            "--json".to_owned(),
            "verify".to_owned(),
            "bundle.pem".to_owned(),
        ];
        // The checks as they stood before the client model: rustls's view plus what every
        // client shares (tests/cli/clients.rs compares the other families).
        args.extend(
            ["--ca", "ca.crt", "--key", "leaf.key", "--client", "rustls"].map(String::from),
        );
        if let Some(h) = c.host {
            args.extend(["--host".to_owned(), h.to_owned()]);
        }
        if let Some(at) = c.at {
            args.extend([
                "--at".to_owned(),
                at.format(&time::format_description::well_known::Rfc3339)
                    .unwrap(),
            ]);
        }
        let out = crate::util::aitls(&dir).args(&args).output().unwrap();
        let report: Report = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{}: not a report ({e}): {}", c.name, stderr(&out)));
        assert_eq!(
            out.status.code(),
            Some(if report.valid { 0 } else { 1 }),
            "{}",
            c.name
        );
        assert_eq!(report.valid, c.valid, "{}: aitls said {report:#?}", c.name);
        let mut failed = report.failed();
        failed.sort_unstable();
        let mut expected = c.failed.to_vec();
        expected.sort_unstable();
        assert_eq!(failed, expected, "{}: {report:#?}", c.name);

        let (openssl_ok, openssl_says) = openssl_verdict(&dir, c);
        match c.stricter {
            None if openssl_ok != report.valid => {
                disagreements.push(format!(
                    "{}: aitls {} openssl {openssl_ok}: {openssl_says}",
                    c.name, report.valid
                ));
            }
            // Deliberately stricter: openssl accepts, aitls refuses, and says why.
            Some(why) => {
                assert!(
                    openssl_ok,
                    "{}: expected openssl to accept ({why}): {openssl_says}",
                    c.name
                );
                assert!(!report.valid, "{}", c.name);
            }
            None => {}
        }
    }
    assert!(
        disagreements.is_empty(),
        "aitls and openssl disagree:\n{}",
        disagreements.join("\n")
    );
}

fn report(out: &std::process::Output) -> Report {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not a report ({e}): {}", stderr(out)))
}

#[test]
fn a_fresh_ca_and_server_certificate_are_valid_for_the_default_names() {
    let s = Sandbox::new();
    s.quick_pair();
    let out = s
        .aitls()
        .args([
            "verify",
            "--host",
            "localhost",
            "--host",
            "127.0.0.1",
            "--host",
            "::1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&out);
    for name in [
        "chain", "ca", "validity", "usage", "san", "host", "key", "key_mode",
    ] {
        assert!(text.contains(name), "{name} missing from:\n{text}");
    }
    assert!(text.contains("valid: a TLS client will accept"), "{text}");

    let out = s.aitls().args(["--json", "verify"]).output().unwrap();
    let r = report(&out);
    assert!(r.valid);
    assert!(
        r.checks.iter().any(|c| c.name == "key" && c.ok),
        "the sibling key is checked by default"
    );
    assert!(r.checks.iter().all(|c| c.fix.is_none() && !c.warning));
}

#[test]
fn a_world_readable_key_fails_with_the_chmod_fix() {
    let s = Sandbox::new();
    s.quick_pair();
    std::fs::set_permissions(s.file("server.key"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = s.aitls().arg("verify").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("FAIL") && text.contains("fix: chmod 600 ai/certs/server.key"),
        "{text}"
    );
    assert!(text.contains("not valid: 1 of"), "{text}");
}

#[test]
fn a_missing_name_gets_the_aitls_server_command_that_adds_it() {
    let s = Sandbox::new();
    s.quick_pair();
    let out = s
        .aitls()
        .args(["--json", "verify", "--host", "api.internal"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let r = report(&out);
    let host = r.checks.iter().find(|c| c.name == "host").unwrap();
    assert!(!host.ok);
    assert_eq!(
        host.fix.as_deref(),
        Some("aitls server --key-type ecdsa-p256 localhost 127.0.0.1 ::1 api.internal")
    );
    // The fix works: after running it, verify passes.
    s.ok(&[
        "server",
        "--key-type",
        "ecdsa-p256",
        "localhost",
        "127.0.0.1",
        "::1",
        "api.internal",
    ]);
    s.ok(&["verify", "--host", "api.internal", "--host", "localhost"]);
}

#[test]
fn expiry_within_30_days_is_a_warning_not_a_failure() {
    let s = Sandbox::new();
    s.quick_pair();
    let not_after: String = s.json(&["inspect", "ai/certs/server.crt"])[0]["not_after"]
        .as_str()
        .unwrap()
        .to_owned();
    let not_after =
        OffsetDateTime::parse(&not_after, &time::format_description::well_known::Rfc3339).unwrap();
    let at = (not_after - Duration::days(10))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let out = s
        .aitls()
        .args(["--json", "verify", "--at", &at])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let r = report(&out);
    let validity = r.checks.iter().find(|c| c.name == "validity").unwrap();
    assert!(validity.ok && validity.warning, "{validity:?}");
    assert!(
        validity.detail.contains("expires in 9 days")
            || validity.detail.contains("expires in 10 days"),
        "{validity:?}"
    );
    // The certificate ends with its CA (both 365 days): only renewing the CA first lets
    // a new certificate last longer.
    assert_eq!(
        validity.fix.as_deref(),
        Some("aitls ca --renew && aitls server")
    );
    // One that ends before its CA is simply reissued.
    s.ok(&["server", "--force", "--days", "100"]);
    let at = (OffsetDateTime::now_utc() + Duration::days(90))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let out = s
        .aitls()
        .args(["--json", "verify", "--at", &at])
        .output()
        .unwrap();
    let r = report(&out);
    let validity = r.checks.iter().find(|c| c.name == "validity").unwrap();
    assert_eq!(
        validity.fix.as_deref(),
        Some("aitls server --key-type ecdsa-p256 --force")
    );

    let later = (not_after + Duration::days(1))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let out = s.aitls().args(["verify", "--at", &later]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("expired on"), "{}", stdout(&out));
}

#[test]
fn a_custom_dir_and_stem_appear_in_the_fix() {
    let s = Sandbox::new();
    s.ok(&["-d", "certs", "ca", "--key-type", "ecdsa-p256"]);
    s.ok(&[
        "-d",
        "certs",
        "server",
        "--key-type",
        "ecdsa-p256",
        "--out",
        "yolo",
        "yolo.local",
    ]);
    let out = s
        .aitls()
        .args([
            "--json",
            "-d",
            "certs",
            "verify",
            "certs/yolo.crt",
            "--host",
            "x.local",
        ])
        .output()
        .unwrap();
    let r = report(&out);
    let host = r.checks.iter().find(|c| c.name == "host").unwrap();
    assert_eq!(
        host.fix.as_deref(),
        Some("aitls --dir certs server --out yolo --key-type ecdsa-p256 yolo.local x.local")
    );
}

#[test]
fn bad_usage_and_missing_files_exit_2_with_one_error_line() {
    let s = Sandbox::new();
    let out = s.aitls().arg("verify").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{err}"
    );
    assert!(
        err.contains("ai/certs/server.crt") && err.contains("hint: run `aitls ca && aitls server`"),
        "{err}"
    );

    s.quick_pair();
    for args in [
        &["verify", "--at", "yesterday"][..],
        &["verify", "--host", "*.example.com"],
        &["verify", "--host", "a..b"],
        &["verify", "--key", "nope.key"],
        &["verify", "--ca", "ai/certs/server.key"],
    ] {
        let out = s.aitls().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"));
    }
}

#[test]
fn the_seed_recipe_chain_is_refused_by_python313_and_valid_with_a_warning_for_openssl() {
    // The OpenSSL recipe of the seed, with EC keys instead of RSA for speed: its CA has
    // no keyUsage, which plain `openssl verify` and rustls accept and `-x509_strict`
    // (Python 3.13's default) refuses.
    let s = Sandbox::new();
    let certs = s.certs();
    std::fs::create_dir_all(&certs).unwrap();
    let run = |args: &[&str]| {
        let out = openssl(&certs, args);
        assert!(out.status.success(), "openssl {args:?}: {}", stderr(&out));
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "ca.key",
        "-days",
        "365",
        "-subj",
        "/CN=AI Services CA",
        "-out",
        "ca.crt",
    ]);
    run(&[
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "server.key",
        "-subj",
        "/CN=localhost",
        "-out",
        "server.csr",
    ]);
    std::fs::write(
        certs.join("san.ext"),
        "subjectAltName = DNS:localhost, IP:127.0.0.1\n",
    )
    .unwrap();
    run(&[
        "x509",
        "-req",
        "-days",
        "365",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.crt",
        "-extfile",
        "san.ext",
    ]);
    std::fs::set_permissions(
        certs.join("server.key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    assert!(
        openssl(&certs, &["verify", "-CAfile", "ca.crt", "server.crt"])
            .status
            .success()
    );
    assert!(
        !openssl(
            &certs,
            &["verify", "-x509_strict", "-CAfile", "ca.crt", "server.crt"]
        )
        .status
        .success()
    );

    // Python 3.13's strict default refuses it (SPEC §6), and says why.
    let out = s
        .aitls()
        .args(["--json", "verify", "--host", "localhost"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let r = report(&out);
    let python = r
        .clients
        .iter()
        .find(|c| c["name"] == "python3.13")
        .unwrap();
    assert_eq!(python["accepts"], false, "{python}");
    assert!(
        python["reason"].as_str().unwrap().contains("no keyUsage"),
        "{python}"
    );

    // The clients that accept it, alone, make it valid, with the warning.
    let out = s
        .aitls()
        .args([
            "--json",
            "verify",
            "--host",
            "localhost",
            "--client",
            "openssl",
            "--client",
            "rustls",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = report(&out);
    let ca = r.checks.iter().find(|c| c.name == "ca").unwrap();
    assert!(ca.ok && ca.warning, "{ca:?}");
    assert!(ca.detail.contains("no keyUsage"), "{ca:?}");
    assert_eq!(
        ca.fix.as_deref(),
        Some("aitls ca --renew"),
        "renewing the recipe's CA for its key adds keyUsage and keeps what it issued"
    );
}

#[test]
fn der_certificate_and_ca_are_read_like_pem() {
    let s = Sandbox::new();
    s.quick_pair();
    let certs = s.certs();
    for (pem, der) in [("server.crt", "server.der"), ("ca.crt", "ca.der")] {
        assert!(
            openssl(
                &certs,
                &["x509", "-in", pem, "-outform", "der", "-out", der]
            )
            .status
            .success()
        );
    }
    let out = s
        .aitls()
        .args([
            "--json",
            "verify",
            "ai/certs/server.der",
            "--ca",
            "ai/certs/ca.der",
            "--key",
            "ai/certs/server.key",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(report(&out).checks.iter().any(|c| c.name == "key" && c.ok));
}

#[test]
fn client_narrows_the_verdict_to_the_families_named() {
    let s = Sandbox::new();
    s.quick_ca();
    let dir = s.root();
    std::fs::write(
        dir.join("leaf.ext"),
        "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n",
    )
    .unwrap();
    let made = [
        vec![
            "req",
            "-new",
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
        ],
        vec![
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ai/certs/ca.crt",
            "-CAkey",
            "ai/certs/ca.key",
            "-set_serial",
            "-1234",
            "-days",
            "30",
            "-extfile",
            "leaf.ext",
            "-out",
            "neg.crt",
        ],
    ];
    for args in made {
        let out = openssl(dir, &args);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let verify = |clients: &[&str]| {
        let mut cmd = s.aitls();
        cmd.args(["--json", "verify", "neg.crt", "--ca", "ai/certs/ca.crt"]);
        for c in clients {
            cmd.args(["--client", c]);
        }
        cmd.output().unwrap()
    };
    // Go ≥ 1.23 does not parse a negative serial number.
    let out = verify(&["go"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let r = report(&out);
    assert_eq!(r.clients.len(), 1);
    assert_eq!(r.clients[0]["name"], "go");
    assert!(
        r.clients[0]["reason"]
            .as_str()
            .unwrap()
            .contains("negative serial"),
        "{:?}",
        r.clients
    );
    // OpenSSL and rustls take it: valid for them.
    let out = verify(&["openssl", "rustls"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // Every family by default: not valid, and the text names Go on the clients line.
    let out = s
        .aitls()
        .args(["verify", "neg.crt", "--ca", "ai/certs/ca.crt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.lines()
            .any(|l| l.contains("clients") && l.contains("go (")),
        "{text}"
    );
    // An unknown family is a usage error.
    let out = verify(&["safari"]);
    assert_eq!(out.status.code(), Some(2));
}

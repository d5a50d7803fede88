//! Day two: rotation that keeps what was issued, a CA renewed for its own key, and a year
//! of the daily `aitls ca && aitls server` cron job run against a moved clock (libfaketime,
//! which the binary's clock reads go through: Rust's `SystemTime` calls `clock_gettime`).

use std::process::{Command, Output};

use serde_json::Value;

use crate::tls;
use crate::util::{Sandbox, openssl, stderr, stdout, tool, with_cert};

/// `aitls ARGS` run as if `days` days from now had come (libfaketime's `faketime -f +Nd`).
fn aitls_at(sb: &Sandbox, days: i64, args: &[&str]) -> Output {
    let mut cmd = Command::new(tool("faketime", "faketime"));
    cmd.arg("-f")
        .arg(format!("{days:+}d"))
        .arg(env!("CARGO_BIN_EXE_aitls"))
        .args(args)
        .current_dir(sb.root())
        .env_remove("NO_COLOR");
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("AITLS_") {
            cmd.env_remove(&key);
        }
    }
    let out = cmd.output().expect("run faketime aitls");
    assert!(
        out.status.success(),
        "day {days}: aitls {args:?} failed: {}",
        stderr(&out)
    );
    out
}

/// `aitls --json ARGS` at day `days`, parsed.
fn json_at(sb: &Sandbox, days: i64, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_slice(&aitls_at(sb, days, &all).stdout).expect("one JSON document")
}

fn names(json: &Value) -> Vec<String> {
    json["names"]
        .as_array()
        .expect("names")
        .iter()
        .map(|n| n.as_str().unwrap().to_owned())
        .collect()
}

const GUIDE_NAMES: [&str; 4] = ["ai.example.internal", "localhost", "127.0.0.1", "::1"];

#[test]
fn a_plain_server_run_keeps_the_names_and_key_type_that_were_issued() {
    // The guide's reverse-proxy certificate, then the cron job's plain `aitls server`.
    let sb = Sandbox::new();
    sb.quick_ca();
    let mut args = vec!["server"];
    args.extend(GUIDE_NAMES);
    args.extend(["--key-type", "ecdsa-p256"]);
    sb.ok(&args);
    let (crt, key) = (sb.read("server.crt"), sb.read("server.key"));

    let json = sb.json(&["server"]);
    assert_eq!(json["action"], "kept", "{json}");
    assert_eq!(names(&json), GUIDE_NAMES);
    assert_eq!(json["key_type"], "ecdsa-p256");
    assert_eq!(sb.read("server.crt"), crt);
    assert_eq!(sb.read("server.key"), key);

    // When due, it renews as it was issued: same names, same key type, a fresh key
    // (after the CA, which renews in the same window: the certificate ends with it).
    assert_eq!(json_at(&sb, 340, &["ca"])["action"], "renewed");
    let json = json_at(&sb, 340, &["server"]);
    assert_eq!(json["action"], "renewed", "{json}");
    assert_eq!(names(&json), GUIDE_NAMES);
    assert_eq!(json["key_type"], "ecdsa-p256");
    assert_eq!(json["common_name"], "ai.example.internal");
    assert_ne!(sb.read("server.key"), key);
    with_cert(&sb.file("server.crt"), |c| {
        let spki = c.public_key().algorithm.algorithm.to_id_string();
        assert_eq!(spki, "1.2.840.10045.2.1", "still an EC key");
        assert_eq!(c.subject().to_string(), "CN=ai.example.internal");
    });

    // Options given that differ still reissue, and say so (still on day 340: the renewed
    // CA is not valid before it).
    let json = json_at(&sb, 340, &["server", "--key-type", "ecdsa-p384"]);
    assert_eq!(json["action"], "replaced");
    assert_eq!(
        json["reason"],
        "key type changed from ecdsa-p256 to ecdsa-p384"
    );
    assert_eq!(names(&json), GUIDE_NAMES, "names still kept");
    let json = json_at(&sb, 340, &["server", "localhost"]);
    assert_eq!(
        json["reason"],
        "names changed, removed ai.example.internal, 127.0.0.1, ::1"
    );
    assert_eq!(json["key_type"], "ecdsa-p384", "key type kept");
    assert_eq!(json["common_name"], "localhost");

    // A certificate whose key was lost is reissued as it was issued, too.
    let json = json_at(
        &sb,
        340,
        &["server", "--client", "api.internal", "10.0.0.5"],
    );
    assert_eq!(json["action"], "replaced", "{json}");
    std::fs::remove_file(sb.file("server.key")).unwrap();
    let json = json_at(&sb, 340, &["server"]);
    assert_eq!(json["reason"], "server.key was missing");
    assert_eq!(names(&json), ["api.internal", "10.0.0.5"]);
    assert_eq!(json["key_type"], "ecdsa-p384");
    with_cert(&sb.file("server.crt"), |c| {
        assert!(c.extended_key_usage().unwrap().unwrap().value.client_auth);
    });
}

#[test]
fn a_kept_certificate_says_why_it_ignored_days() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let out = sb.ok(&["server", "--days", "90"]);
    assert!(stdout(&out).contains("kept"), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("issued for 365 days: --days 90 applies at its next renewal")
            && err.contains("`aitls server --force --days 90`"),
        "{err}"
    );
    // As asked, on the next renewal (here forced).
    sb.ok(&["server", "--force", "--days", "90"]);
    let json = sb.json(&["server", "--days", "90"]);
    assert_eq!(json["warnings"], serde_json::json!([]), "{json}");
}

/// The certificate's serial, as openssl prints it.
fn serial(sb: &Sandbox, file: &str) -> String {
    stdout(&openssl(
        &sb.certs(),
        &["x509", "-in", file, "-noout", "-serial"],
    ))
}

#[test]
fn a_renewed_ca_keeps_its_key_and_subject_and_old_certificates_verify() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let (old_ca, ca_key) = (sb.read("ca.crt"), sb.read("ca.key"));
    let old_serial = serial(&sb, "ca.crt");
    let old_leaf = sb.read("server.crt");
    std::fs::write(sb.root().join("old-ca.crt"), &old_ca).unwrap();

    let out = sb.ok(&["ca", "--renew", "--days", "3650"]);
    let text = stdout(&out);
    assert!(
        text.contains("renewed ai/certs/ca.crt") && text.contains("same key"),
        "{text}"
    );
    assert!(
        text.trim_end().lines().last().unwrap().contains(
            "replace every copy of ai/certs/ca.crt elsewhere (trust stores, other hosts, containers) with the new file"
        ),
        "{text}"
    );
    assert_eq!(sb.read("ca.key"), ca_key, "the key is never touched");
    assert_ne!(sb.read("ca.crt"), old_ca);
    assert_ne!(serial(&sb, "ca.crt"), old_serial, "a new serial");
    let old_subject = with_cert(&sb.root().join("old-ca.crt"), |c| {
        c.subject().as_raw().to_vec()
    });
    with_cert(&sb.file("ca.crt"), |c| {
        assert_eq!(
            c.subject().as_raw(),
            old_subject,
            "same subject, byte for byte"
        );
        let v = c.validity();
        assert_eq!(
            (v.not_after.timestamp() - v.not_before.timestamp()) / 86400,
            3650,
            "the new --days"
        );
        let bc = c.basic_constraints().unwrap().unwrap().value;
        assert!(bc.ca && bc.path_len_constraint == Some(0));
    });
    assert_eq!(sb.read("server.crt"), old_leaf, "the leaf was not reissued");

    // openssl, strict: the old leaf against the new CA.
    let out = openssl(
        &sb.certs(),
        &[
            "verify",
            "-x509_strict",
            "-purpose",
            "sslserver",
            "-CAfile",
            "ca.crt",
            "server.crt",
        ],
    );
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));

    // curl against openssl s_server serving the old leaf, trusting only the new CA.
    let port = tls::free_port();
    let server = tls::SServer::start(&sb.certs(), port);
    let out = tls::curl(&sb.file("ca.crt"), &format!("https://localhost:{port}/"));
    assert!(out.status.success(), "curl: {}", stderr(&out));
    drop(server);

    // rustls (webpki) does the same.
    let (port, server) = tls::rustls_server(&sb.certs());
    let reply = tls::rustls_client(&sb.file("ca.crt"), port, "localhost");
    assert_eq!(reply.as_deref(), Ok(&b"pong"[..]));
    server.join().unwrap();

    // And a client that still has the old ca.crt accepts certificates issued after the
    // renewal, until the old ca.crt expires: there is time to distribute the new one.
    sb.ok(&["server", "--force"]);
    let out = openssl(
        &sb.certs(),
        &["verify", "-CAfile", "../../old-ca.crt", "server.crt"],
    );
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));

    // A kept server certificate and a plain `aitls ca` stay put after the renewal.
    let json = sb.json(&["ca"]);
    assert_eq!(json["action"], "kept");
    assert!(json["days_left"].as_i64().unwrap() >= 3649, "{json}");
    assert_eq!(sb.json(&["server"])["action"], "kept");
}

#[test]
fn the_ca_renews_itself_within_renew_within_days() {
    let sb = Sandbox::new();
    sb.quick_ca();
    let key = sb.read("ca.key");
    assert_eq!(json_at(&sb, 300, &["ca"])["action"], "kept");
    let json = json_at(&sb, 300, &["ca", "--renew-within", "70"]);
    assert_eq!(json["action"], "renewed");
    let reason = json["reason"].as_str().unwrap();
    assert!(
        reason == "expiring in 64 days" || reason == "expiring in 65 days",
        "{reason}"
    );
    assert_eq!(json["days_left"], 365);
    assert!(
        json["warnings"][0]
            .as_str()
            .unwrap()
            .contains("copies of the old one elsewhere work until it expires on"),
        "{json}"
    );
    assert_eq!(sb.read("ca.key"), key);
    // Even an expired CA is renewed for its key (every client that kept the old ca.crt
    // needs the new one anyway, but nothing else changes for them).
    let json = json_at(&sb, 300 + 400, &["ca"]);
    assert_eq!(json["reason"], "the certificate had expired");
    assert_eq!(sb.read("ca.key"), key);
}

#[test]
fn a_certificate_capped_at_the_ca_is_kept_with_a_warning_until_the_ca_renews() {
    let sb = Sandbox::new();
    sb.quick_pair(); // both 365 days: the certificate ends with the CA
    let key = sb.read("server.key");
    // Day 345: in the certificate's window, but the CA (window of 7 days) is not renewed.
    assert_eq!(
        json_at(&sb, 345, &["ca", "--renew-within", "7"])["action"],
        "kept"
    );
    let out = aitls_at(&sb, 345, &["server"]);
    assert!(stdout(&out).starts_with("kept"), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("ends with the CA on")
            && err.contains("run `aitls ca --renew && aitls server`"),
        "{err}"
    );
    // verify gives the same advice, not a --force that could not extend it.
    let out = aitls_at(&sb, 345, &["--json", "verify"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let validity = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "validity")
        .unwrap();
    assert_eq!(
        validity["fix"], "aitls ca --renew && aitls server",
        "{report}"
    );
    let json = json_at(&sb, 346, &["server"]);
    assert_eq!(json["action"], "kept");
    assert!(json["reason"].as_str().unwrap().contains("CA is renewed"));
    assert_eq!(sb.read("server.key"), key, "no churn");
    // The CA renews; the next run renews the certificate, once.
    assert_eq!(json_at(&sb, 346, &["ca", "--renew"])["action"], "renewed");
    let json = json_at(&sb, 346, &["server"]);
    assert_eq!(json["action"], "renewed", "{json}");
    assert!(json["days_left"].as_i64().unwrap() >= 364, "{json}");
    assert_eq!(json_at(&sb, 347, &["server"])["action"], "kept");
}

/// What a year of the cron job did.
#[derive(Debug, Default)]
struct Year {
    ca_renewals: Vec<i64>,
    server_reissues: Vec<i64>,
    capped_warnings: usize,
}

/// Runs `aitls ca CA_ARGS && aitls server` (the guide's cron job) on the simulated days,
/// checking after each day that neither certificate is expired, that the certificate
/// chains to the CA in force, and that the CA key never changed.
fn cron_year(sb: &Sandbox, ca_args: &[&str], days: &[i64]) -> Year {
    let ca_key = sb.read("ca.key");
    let server_names = names(&sb.json(&["server"]));
    let mut year = Year::default();
    for &day in days {
        let mut ca = vec!["ca"];
        ca.extend_from_slice(ca_args);
        let ca = json_at(sb, day, &ca);
        let server = json_at(sb, day, &["server"]);
        for json in [&ca, &server] {
            assert!(
                json["days_left"].as_i64().unwrap() >= 1,
                "day {day}: about to expire: {json}"
            );
        }
        if ca["action"] != "kept" {
            assert_eq!(ca["action"], "renewed", "day {day}: {ca}");
            year.ca_renewals.push(day);
        }
        if server["action"] != "kept" {
            assert_eq!(server["action"], "renewed", "day {day}: {server}");
            year.server_reissues.push(day);
        }
        if server["reason"].as_str().unwrap().contains("CA is renewed") {
            year.capped_warnings += 1;
        }
        assert_eq!(names(&server), server_names, "day {day}");
        assert_eq!(sb.read("ca.key"), ca_key, "day {day}: the CA key changed");
    }
    year
}

/// Every day from `from` to `to`, inclusive.
fn daily(from: i64, to: i64) -> impl Iterator<Item = i64> {
    from..=to
}

#[test]
fn a_year_of_daily_cron_never_expires_never_churns_and_keeps_the_ca_key() {
    let sb = Sandbox::new();
    sb.quick_ca();
    let mut args = vec!["server"];
    args.extend(GUIDE_NAMES);
    args.extend(["--key-type", "ecdsa-p256"]);
    sb.ok(&args);
    // Weekly while nothing can be due, then every day through both renewal windows
    // (day 335 on) and past the first year's end (day 365), to day 400.
    let days: Vec<i64> = (1..320).step_by(7).chain(daily(320, 400)).collect();
    let year = cron_year(&sb, &[], &days);
    assert_eq!(year.ca_renewals.len(), 1, "{year:?}");
    assert!((335..=336).contains(&year.ca_renewals[0]), "{year:?}");
    assert_eq!(
        year.server_reissues, year.ca_renewals,
        "the certificate renews once, right after its CA: {year:?}"
    );
    assert_eq!(year.capped_warnings, 0, "{year:?}");
    // On the last day, the chain is valid at that day's time for a strict openssl.
    let out = aitls_at(&sb, 400, &["verify", "--host", "ai.example.internal"]);
    assert!(stdout(&out).contains("valid"), "{}", stdout(&out));
}

#[test]
fn a_year_with_a_shorter_ca_window_waits_for_the_ca_instead_of_churning() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let days: Vec<i64> = (1..330).step_by(30).chain(daily(330, 400)).collect();
    let year = cron_year(&sb, &["--renew-within", "7"], &days);
    assert_eq!(year.ca_renewals.len(), 1, "{year:?}");
    assert!((358..=359).contains(&year.ca_renewals[0]), "{year:?}");
    assert_eq!(year.server_reissues, year.ca_renewals, "{year:?}");
    // Kept with the warning on each day of the certificate's window before that.
    assert!(year.capped_warnings >= 22, "{year:?}");
}

#[test]
fn after_creating_the_last_line_is_the_next_step() {
    let sb = Sandbox::new();
    let out = sb.ok(&["ca", "--key-type", "ecdsa-p256"]);
    assert_eq!(
        stdout(&out).lines().last().unwrap(),
        "next: `aitls server` issues the certificate the services serve"
    );
    let out = sb.ok(&["server", "--key-type", "ecdsa-p256"]);
    assert_eq!(
        stdout(&out).lines().last().unwrap(),
        "next: `aitls env >> backend/.env` points the services and the backend at these files"
    );
    // Nothing new, nothing to do.
    let out = sb.ok(&["server"]);
    assert!(!stdout(&out).contains("next:"), "{}", stdout(&out));
    // Renewed or replaced: restart what serves it.
    let out = sb.ok(&["server", "--force"]);
    assert!(
        stdout(&out)
            .lines()
            .last()
            .unwrap()
            .starts_with("next: restart the services that use ai/certs/server.crt"),
        "{}",
        stdout(&out)
    );
    // The command carries --dir; never with -q or --json.
    let out = sb.ok(&["-d", "other dir", "ca", "--key-type", "ecdsa-p256"]);
    assert!(
        stdout(&out).contains("`aitls --dir 'other dir' server`"),
        "{}",
        stdout(&out)
    );
    let out = sb.ok(&["-q", "-d", "q", "ca", "--key-type", "ecdsa-p256"]);
    assert!(out.stdout.is_empty());
    let out = sb.ok(&["--json", "-d", "j", "ca", "--key-type", "ecdsa-p256"]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!json.to_string().contains("next:"), "{json}");
}

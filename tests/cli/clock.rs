//! SPEC §4, "a panic … at any clock value": every command under a real faked clock
//! (libfaketime, which intercepts the `clock_gettime` that Rust's `SystemTime` calls), at
//! the ends of what a certificate can hold: near 9999, past it, year 1, before 1970.

use std::process::Output;

use crate::util::{Sandbox, stderr, tool};

/// Runs `aitls ARGS` in the sandbox with the clock set by `faketime -f SPEC`.
pub fn at(sb: &Sandbox, spec: &str, args: &[&str]) -> Output {
    let mut cmd = std::process::Command::new(tool("faketime", "faketime"));
    cmd.arg("-f")
        .arg(spec)
        .arg(env!("CARGO_BIN_EXE_aitls"))
        .args(args)
        .current_dir(sb.root());
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("AITLS_") {
            cmd.env_remove(&key);
        }
    }
    cmd.output().expect("faketime runs")
}

/// Asserts a clean refusal: exit 1, one `error:` line naming the clock, no panic.
fn assert_clock_error(out: &Output, what: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{what}: {err}");
    assert!(err.starts_with("error: "), "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert!(err.contains("clock"), "{what}: {err}");
}

/// `not_after` of a `--json` outcome, to the minute (the faked clock runs on from the
/// instant it is set to).
fn end_minute(out: &Output) -> String {
    let v = json(out);
    v["not_after"].as_str().expect("not_after")[..16].to_owned()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("one JSON document")
}

#[test]
fn faketime_really_moves_the_clock_aitls_reads() {
    // Without this, every test below could pass against the real clock.
    let sb = Sandbox::new();
    let out = at(
        &sb,
        "@2001-02-03 04:05:06",
        &["--json", "ca", "--key-type", "ecdsa-p256"],
    );
    assert_eq!(end_minute(&out), "2002-02-03T04:05");
}

#[test]
fn ca_near_year_9999_is_an_error_not_a_panic() {
    for days in ["365", "1", "3650"] {
        let sb = Sandbox::new();
        let out = at(
            &sb,
            "@9999-12-31 12:00:00",
            &["ca", "--key-type", "ecdsa-p256", "--days", days],
        );
        assert_clock_error(&out, days);
        assert!(stderr(&out).contains("9999-12-31"), "{}", stderr(&out));
        assert!(!sb.file("ca.key").exists(), "nothing is written");
    }
    // Within reach of the end, the same command works.
    let sb = Sandbox::new();
    let out = at(
        &sb,
        "@9999-06-01 00:00:00",
        &["--json", "ca", "--key-type", "ecdsa-p256", "--days", "200"],
    );
    assert_eq!(end_minute(&out), "9999-12-18T00:00");
}

#[test]
fn server_under_a_ca_valid_to_9999_ends_with_the_ca() {
    let sb = Sandbox::new();
    // A CA valid to 9999-12-30, made under the faked clock ...
    let out = at(
        &sb,
        "@9999-01-01 00:00:00",
        &["ca", "--key-type", "ecdsa-p256", "--days", "363"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    for days in ["365", "825"] {
        // ... signs a certificate whose asked-for end lies past 9999: it ends with the CA.
        let out = at(
            &sb,
            "@9999-06-01 00:00:00",
            &[
                "--json",
                "server",
                "--key-type",
                "ecdsa-p256",
                "--days",
                days,
                "--force",
            ],
        );
        assert_eq!(end_minute(&out), "9999-12-30T00:00");
        let out = at(&sb, "@9999-06-01 00:00:00", &["verify"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let out = at(&sb, "@9999-06-01 00:00:00", &["inspect"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
}

#[test]
fn server_under_an_openssl_ca_valid_to_9999_works_at_the_real_clock() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.certs()).unwrap();
    let today = time::OffsetDateTime::now_utc();
    let end = time::macros::datetime!(9999-12-31 00:00 UTC);
    let days = (end - today).whole_days().to_string();
    let out = std::process::Command::new(tool("openssl", "openssl"))
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
            "-subj",
            "/CN=Far CA",
            "-days",
            &days,
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ])
        .current_dir(sb.certs())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let ca = sb.json(&["inspect", "ai/certs/ca.crt"]);
    assert!(
        ca[0]["not_after"].as_str().unwrap().starts_with("9999-12-"),
        "{ca}"
    );
    let out = sb.json(&["server", "--key-type", "ecdsa-p256", "--days", "825"]);
    assert_eq!(out["action"], "created");
    sb.ok(&["verify"]);
}

#[test]
fn a_clock_past_9999_is_an_error_for_every_command() {
    let sb = Sandbox::new();
    sb.quick_pair();
    // faketime cannot parse a five-digit year, but an offset gets there (year 10240).
    for args in [
        &["ca", "--key-type", "ecdsa-p256"][..],
        &["server", "--key-type", "ecdsa-p256"],
        &["verify"],
        &["inspect"],
    ] {
        let out = at(&sb, "+3000000d", args);
        assert_clock_error(&out, &format!("{args:?}"));
        assert!(
            stderr(&out).contains("after 9999-12-31"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn year_one_and_before_1970_never_panic() {
    // At the first minute of year 1, backdating notBefore leaves the calendar: an error.
    let sb = Sandbox::new();
    let out = at(
        &sb,
        "@0001-01-01 00:00:00",
        &["ca", "--key-type", "ecdsa-p256"],
    );
    assert_clock_error(&out, "year 1");
    // A day later a CA and a server certificate can be made (dates before 1950 are
    // GeneralizedTime in X.509), and inspect shows them.
    let out = at(
        &sb,
        "@0001-01-02 00:00:00",
        &["ca", "--key-type", "ecdsa-p256"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = at(
        &sb,
        "@0001-01-02 00:00:00",
        &["--json", "server", "--key-type", "ecdsa-p256"],
    );
    assert_eq!(end_minute(&out), "0002-01-02T00:00");
    let out = at(&sb, "@0001-01-02 00:00:00", &["inspect"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // verify cannot check validity before 1970 (rustls counts from then): it says so.
    for spec in ["@0001-01-02 00:00:00", "@1969-06-01 00:00:00"] {
        let out = at(&sb, spec, &["verify"]);
        assert_clock_error(&out, spec);
        assert!(stderr(&out).contains("before 1970"), "{}", stderr(&out));
    }
    // And a CA made in 1960 is simply a CA of 1960.
    let sb = Sandbox::new();
    let out = at(
        &sb,
        "@1960-01-01 00:00:00",
        &["--json", "ca", "--key-type", "ecdsa-p256", "--days", "3650"],
    );
    assert_eq!(end_minute(&out), "1969-12-29T00:00");
}

//! Tests of `aitls ca`: the defaults of the OpenSSL recipe, the CA profile, and the
//! converge/refuse rules that keep an existing CA safe.

use std::fs;

use x509_parser::extensions::ParsedExtension;
use x509_parser::prelude::*;

use crate::util::{self, Sandbox, mode, stderr, stdout, with_cert};

#[test]
fn ca_defaults_follow_the_openssl_recipe() {
    let sb = Sandbox::new();
    let out = sb.ok(&["ca"]);
    assert!(stdout(&out).contains("created"), "{}", stdout(&out));

    assert_eq!(mode(&sb.file("ca.key")), 0o600);
    assert_eq!(mode(&sb.file("ca.crt")), 0o644);
    let key = String::from_utf8(sb.read("ca.key")).unwrap();
    assert!(key.starts_with("-----BEGIN PRIVATE KEY-----"), "PKCS#8 PEM");

    with_cert(&sb.file("ca.crt"), |cert| {
        assert_eq!(cert.version(), X509Version::V3);
        assert_eq!(cert.subject().to_string(), "CN=AI Services CA");
        assert_eq!(
            cert.subject().as_raw(),
            cert.issuer().as_raw(),
            "self-signed"
        );
        let pk = cert.public_key().parsed().unwrap();
        assert_eq!(pk.key_size(), 4096, "RSA 4096 as in the recipe");
        let validity = cert.validity();
        let days = (validity.not_after.timestamp() - validity.not_before.timestamp()) / 86400;
        assert_eq!(days, 365, "365 days (plus the 5-minute backdate)");
    });
}

#[test]
fn ca_profile_has_the_extensions_strict_verifiers_need() {
    let sb = Sandbox::new();
    sb.quick_ca();
    with_cert(&sb.file("ca.crt"), |cert| {
        let bc = cert.basic_constraints().unwrap().expect("basicConstraints");
        assert!(bc.critical);
        assert!(bc.value.ca);
        assert_eq!(bc.value.path_len_constraint, Some(0));
        let ku = cert.key_usage().unwrap().expect("keyUsage");
        assert!(ku.critical);
        assert!(ku.value.key_cert_sign() && ku.value.crl_sign());
        assert!(
            !ku.value.digital_signature(),
            "only keyCertSign and cRLSign"
        );
        assert!(
            cert.extensions().iter().any(|e| matches!(
                e.parsed_extension(),
                ParsedExtension::SubjectKeyIdentifier(_)
            )),
            "subjectKeyIdentifier"
        );
        // Random positive serial with at least 64 bits.
        let serial = cert.raw_serial();
        assert!(serial.len() >= 9, "serial of {} bytes", serial.len());
        assert!(serial[0] & 0x80 == 0, "positive");
        // notBefore backdated about five minutes.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let backdate = now - cert.validity().not_before.timestamp();
        assert!((290..=400).contains(&backdate), "backdated {backdate}s");
    });
}

#[test]
fn ca_serials_differ_between_cas() {
    let a = Sandbox::new();
    let b = Sandbox::new();
    a.quick_ca();
    b.quick_ca();
    let serial = |sb: &Sandbox| with_cert(&sb.file("ca.crt"), |c| c.raw_serial().to_vec());
    assert_ne!(serial(&a), serial(&b));
}

#[test]
fn ca_options_set_name_days_and_key_type() {
    let sb = Sandbox::new();
    let json = sb.json(&[
        "ca",
        "--cn",
        "Lab CA",
        "--days",
        "10",
        "--key-type",
        "ecdsa-p384",
    ]);
    assert_eq!(json["action"], "created");
    assert_eq!(json["key_type"], "ecdsa-p384");
    assert_eq!(json["common_name"], "Lab CA");
    with_cert(&sb.file("ca.crt"), |cert| {
        assert_eq!(cert.subject().to_string(), "CN=Lab CA");
        assert_eq!(
            cert.signature_algorithm.algorithm.to_id_string(),
            "1.2.840.10045.4.3.3",
            "P-384 signs with ecdsa-with-SHA384"
        );
        let v = cert.validity();
        assert_eq!(
            (v.not_after.timestamp() - v.not_before.timestamp()) / 86400,
            10
        );
    });
}

#[test]
fn ca_days_out_of_range_are_usage_errors() {
    let sb = Sandbox::new();
    for days in ["0", "3651", "-1", "ten"] {
        let out = sb.aitls().args(["ca", "--days", days]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "--days {days}");
    }
    assert!(!sb.certs().exists(), "nothing written");
}

#[test]
fn existing_ca_is_kept_byte_for_byte() {
    let sb = Sandbox::new();
    sb.quick_ca();
    let (crt, key) = (sb.read("ca.crt"), sb.read("ca.key"));
    let out = sb.ok(&["ca", "--key-type", "ecdsa-p256"]);
    assert!(stdout(&out).contains("kept"), "{}", stdout(&out));
    assert!(stdout(&out).contains("valid until"), "says until when");
    let json = sb.json(&["ca"]);
    assert_eq!(json["action"], "kept");
    assert_eq!(sb.read("ca.crt"), crt);
    assert_eq!(sb.read("ca.key"), key);
}

#[test]
fn kept_ca_warns_when_other_options_were_asked_for() {
    let sb = Sandbox::new();
    sb.quick_ca();
    let out = sb.ok(&["ca", "--cn", "Other"]);
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert!(stderr(&out).contains("--cn \"Other\""), "{}", stderr(&out));
}

#[test]
fn kept_ca_warns_only_about_options_given_that_differ() {
    // An ECDSA CA: a plain `aitls ca` must not compare it with the rsa4096 default.
    let sb = Sandbox::new();
    sb.quick_ca();
    let out = sb.ok(&["ca"]);
    assert!(stdout(&out).contains("kept"), "{}", stdout(&out));
    assert_eq!(stderr(&out), "", "no warning for options not given");
    let json = sb.json(&["ca", "--key-type", "ecdsa-p256", "--cn", "AI Services CA"]);
    assert_eq!(
        json["warnings"],
        serde_json::json!([]),
        "same values: no warning"
    );
    let out = sb.ok(&["ca", "--key-type", "rsa4096", "--days", "3650"]);
    let err = stderr(&out);
    assert!(
        err.contains("--key-type \"rsa4096\" differs from the kept CA's \"ecdsa-p256\""),
        "{err}"
    );
    assert!(
        err.contains("--days 3650 differs from the kept CA's 365 days")
            && err.contains("`aitls ca --renew --days 3650`"),
        "{err}"
    );
    assert!(!err.contains("--cn"), "{err}");
}

#[test]
fn ca_warns_when_it_expires_within_30_days() {
    let sb = Sandbox::new();
    sb.ok(&["ca", "--key-type", "ecdsa-p256", "--days", "10"]);
    // Within --renew-within it would be renewed; a shorter window keeps it, with a warning.
    let out = sb.ok(&["ca", "--renew-within", "5"]);
    let err = stderr(&out);
    // 10 days, or 9 and some hours when the second run starts in a later second.
    let days = err.contains("expires in 9 days") || err.contains("expires in 10 days");
    assert!(err.contains("warning:") && days, "{err}");
    assert!(err.contains("aitls ca --renew"), "{err}");
    let json = sb.json(&["ca", "--renew-within", "5"]);
    assert!(json["warnings"][0].as_str().unwrap().contains("expires"));
}

#[test]
fn lone_ca_key_is_never_overwritten() {
    let sb = Sandbox::new();
    sb.quick_ca();
    fs::remove_file(sb.file("ca.crt")).unwrap();
    let key = sb.read("ca.key");
    for args in [&["ca"][..], &["server", "--key-type", "ecdsa-p256"]] {
        let out = sb.aitls().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains("ca.key") && err.contains("--force"), "{err}");
        assert_eq!(sb.read("ca.key"), key);
        assert!(!sb.file("ca.crt").exists());
    }
}

#[test]
fn lone_ca_certificate_is_refused() {
    let sb = Sandbox::new();
    sb.quick_ca();
    fs::remove_file(sb.file("ca.key")).unwrap();
    let out = sb.aitls().arg("ca").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("ca.crt exists without"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn mismatched_ca_pair_is_refused_naming_the_mismatch_and_force() {
    let a = Sandbox::new();
    let b = Sandbox::new();
    a.quick_ca();
    b.quick_ca();
    fs::copy(b.file("ca.key"), a.file("ca.key")).unwrap();
    let (crt, key) = (a.read("ca.crt"), a.read("ca.key"));
    let out = a.aitls().arg("ca").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("does not match") && err.contains("--force"),
        "{err}"
    );
    assert_eq!((a.read("ca.crt"), a.read("ca.key")), (crt, key));
}

#[test]
fn force_replaces_the_ca() {
    let sb = Sandbox::new();
    sb.quick_ca();
    let key = sb.read("ca.key");
    let json = sb.json(&["ca", "--key-type", "ecdsa-p256", "--force"]);
    assert_eq!(json["action"], "replaced");
    assert!(json["reason"].as_str().unwrap().contains("--force"));
    assert_ne!(sb.read("ca.key"), key);
}

#[test]
fn force_replaces_even_a_malformed_ca() {
    let sb = Sandbox::new();
    fs::create_dir_all(sb.certs()).unwrap();
    fs::write(sb.file("ca.crt"), "garbage").unwrap();
    fs::write(sb.file("ca.key"), "garbage").unwrap();
    let out = sb.aitls().arg("ca").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "malformed input");
    let err = stderr(&out);
    assert_eq!(err.matches("error:").count(), 1, "{err}");
    assert!(err.contains("ca.crt") && err.contains("--force"), "{err}");
    sb.ok(&["ca", "--key-type", "ecdsa-p256", "--force"]);
    sb.ok(&["ca"]);
}

#[test]
fn json_output_is_one_document_with_the_contract_fields() {
    let sb = Sandbox::new();
    let json = sb.json(&["ca", "--key-type", "ecdsa-p256"]);
    for field in ["action", "reason", "cert", "key", "not_after"] {
        assert!(!json[field].is_null(), "{field} missing in {json}");
    }
    let not_after = json["not_after"].as_str().unwrap();
    ::time::OffsetDateTime::parse(not_after, &::time::format_description::well_known::Rfc3339)
        .expect("RFC 3339");
    assert!(json["cert"].as_str().unwrap().ends_with("ai/certs/ca.crt"));
}

#[test]
fn quiet_prints_nothing_on_success() {
    let sb = Sandbox::new();
    let out = sb.ok(&["-q", "ca", "--key-type", "ecdsa-p256", "--days", "5"]);
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn directory_comes_from_flag_then_env_then_default() {
    let sb = Sandbox::new();
    let flag = sb.root().join("flag/deep");
    let env = sb.root().join("env");
    sb.aitls()
        .args([
            "--dir",
            flag.to_str().unwrap(),
            "ca",
            "--key-type",
            "ecdsa-p256",
        ])
        .env("AITLS_DIR", &env)
        .assert()
        .success();
    assert!(
        flag.join("ca.crt").exists(),
        "--dir wins and parents are created"
    );
    assert!(!env.exists());
    sb.aitls()
        .args(["ca", "--key-type", "ecdsa-p256"])
        .env("AITLS_DIR", &env)
        .assert()
        .success();
    assert!(env.join("ca.key").exists(), "AITLS_DIR next");
    assert!(!sb.certs().exists());
    sb.quick_ca();
    assert!(sb.file("ca.crt").exists(), "default ai/certs");
}

#[test]
fn unwritable_directory_fails_with_exit_1_naming_it() {
    let sb = Sandbox::new();
    fs::write(sb.root().join("file"), "").unwrap();
    let out = sb
        .aitls()
        .args(["-d", "file/certs", "ca", "--key-type", "ecdsa-p256"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: ") && err.contains("file/certs"),
        "{err}"
    );
}

#[test]
fn hints_repeat_the_directory_given_with_dir() {
    let sb = Sandbox::new();
    let out = util::aitls(sb.root())
        .args(["-d", "my certs", "server"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("`aitls --dir 'my certs' ca`"),
        "{}",
        stderr(&out)
    );
}

/// Runs `aitls ARGS` on a real pseudo-terminal (util-linux `script`), returning what the
/// terminal showed.
fn on_a_terminal(sb: &Sandbox, args: &str, no_color: bool) -> String {
    let mut cmd = std::process::Command::new("script");
    cmd.args([
        "-qec",
        &format!("{} {args}", env!("CARGO_BIN_EXE_aitls")),
        "/dev/null",
    ])
    .current_dir(sb.root())
    .env_remove("AITLS_DIR")
    .env_remove("NO_COLOR");
    if no_color {
        cmd.env("NO_COLOR", "1");
    }
    let out = cmd.output().expect("script (util-linux) is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn spinner_and_colour_appear_only_on_a_terminal() {
    let sb = Sandbox::new();
    // Not a terminal: no spinner, no escape codes.
    let out = sb.ok(&["ca", "--key-type", "rsa2048"]);
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    assert!(!stdout(&out).contains('\x1b'));

    let sb = Sandbox::new();
    let screen = on_a_terminal(&sb, "ca --key-type rsa2048", false);
    assert!(
        screen.contains("generating rsa2048 key"),
        "spinner on a terminal: {screen:?}"
    );
    assert!(
        screen.contains("\x1b[1;32mcreated"),
        "colour on a terminal: {screen:?}"
    );

    let sb = Sandbox::new();
    let screen = on_a_terminal(&sb, "ca --key-type ecdsa-p256", true);
    assert!(
        !screen.contains("\x1b[1;32m") && screen.contains("created"),
        "NO_COLOR: {screen:?}"
    );
    assert!(
        !screen.contains("generating"),
        "no spinner for fast key types"
    );
}

#[test]
fn kept_ca_with_a_loose_key_mode_warns_with_the_fix() {
    let sb = Sandbox::new();
    sb.quick_ca();
    std::fs::set_permissions(
        sb.file("ca.key"),
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    )
    .unwrap();
    let out = sb.ok(&["ca"]);
    assert!(stderr(&out).contains("chmod 600"), "{}", stderr(&out));
}

#[test]
fn a_ca_made_by_the_openssl_recipe_is_kept_and_used() {
    // The seed guide's recipe, verbatim: operators who ran it keep their CA.
    let sb = Sandbox::new();
    fs::create_dir_all(sb.certs()).unwrap();
    let recipe = r#"
        openssl genrsa -out ca.key 4096
        openssl req -new -x509 -days 365 -key ca.key -out ca.crt -subj "/CN=AI Services CA"
        openssl genrsa -out server.key 2048
        openssl req -new -key server.key -out server.csr -subj "/CN=localhost"
        printf 'subjectAltName = DNS:localhost, IP:127.0.0.1\n' > san.ext
        openssl x509 -req -days 365 -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -extfile san.ext
        chmod 600 server.key
    "#;
    let out = std::process::Command::new("sh")
        .args(["-ec", recipe])
        .current_dir(sb.certs())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ca = sb.read("ca.crt");
    fs::copy(sb.file("server.crt"), sb.root().join("recipe-server.crt")).unwrap();

    let out = sb.ok(&["ca"]);
    assert!(stdout(&out).contains("kept"), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("keyCertSign"),
        "warns about the missing keyUsage: {}",
        stderr(&out)
    );

    // The recipe's certificate has no extendedKeyUsage: reissued with serverAuth, for
    // the names it had (renewal keeps what was issued).
    let json = sb.json(&["server"]);
    assert_eq!(json["action"], "replaced");
    assert_eq!(json["reason"], "key usages changed");
    assert_eq!(json["names"], serde_json::json!(["localhost", "127.0.0.1"]));
    assert_eq!(json["key_type"], "rsa2048");
    assert_eq!(sb.read("ca.crt"), ca);
    let out = util::openssl(
        &sb.certs(),
        &[
            "verify",
            "-purpose",
            "sslserver",
            "-CAfile",
            "ca.crt",
            "server.crt",
        ],
    );
    assert!(out.status.success(), "{}", stdout(&out));

    // Renewing the recipe's CA keeps its key and key identifier (so the recipe's own
    // certificates still chain) and gives it the keyUsage strict clients require.
    let json = sb.json(&["ca", "--renew"]);
    assert_eq!(json["action"], "renewed");
    let out = util::openssl(
        &sb.certs(),
        &[
            "verify",
            "-x509_strict",
            "-CAfile",
            "ca.crt",
            "../../recipe-server.crt",
        ],
    );
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(!stderr(&sb.ok(&["ca"])).contains("keyCertSign"));
}

#[test]
fn an_ed25519_ca_warns_that_the_browsers_refuse_it() {
    let sb = Sandbox::new();
    let json = sb.json(&["ca", "--key-type", "ed25519"]);
    let warnings = json["warnings"].to_string();
    assert!(
        warnings.contains("chromium")
            && warnings.contains("firefox")
            && warnings.contains("Ed25519"),
        "{json}"
    );
    // An ECDSA CA has nothing to warn about.
    let sb = Sandbox::new();
    let json = sb.json(&["ca", "--key-type", "ecdsa-p256"]);
    assert_eq!(json["warnings"], serde_json::json!([]), "{json}");
}

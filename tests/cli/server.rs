//! Tests of `aitls server`: the profile, every option, name validation, and the
//! keep/renew/replace decisions with the reason they print.

use std::fs;
use std::net::IpAddr;

use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::*;

use crate::util::{Sandbox, mode, openssl, stderr, stdout, with_cert};

/// The subjectAltNames of a certificate as strings.
fn sans(cert: &X509Certificate<'_>) -> Vec<String> {
    let san = cert
        .subject_alternative_name()
        .unwrap()
        .expect("subjectAltName");
    san.value
        .general_names
        .iter()
        .map(|n| match n {
            GeneralName::DNSName(d) => d.to_string(),
            GeneralName::IPAddress(b) if b.len() == 4 => {
                IpAddr::from(<[u8; 4]>::try_from(*b).unwrap()).to_string()
            }
            GeneralName::IPAddress(b) => {
                IpAddr::from(<[u8; 16]>::try_from(*b).unwrap()).to_string()
            }
            other => format!("{other:?}"),
        })
        .collect()
}

fn ski(cert: &X509Certificate<'_>) -> Vec<u8> {
    cert.extensions()
        .iter()
        .find_map(|e| match e.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(k) => Some(k.0.to_vec()),
            _ => None,
        })
        .expect("subjectKeyIdentifier")
}

/// Runs `openssl verify` the way issue #2 asks, for `host`.
fn openssl_accepts(sb: &Sandbox, stem: &str, host: &str) -> bool {
    let flag = if host.parse::<IpAddr>().is_ok() {
        "-verify_ip"
    } else {
        "-verify_hostname"
    };
    let out = openssl(
        &sb.certs(),
        &[
            "verify",
            "-x509_strict",
            "-purpose",
            "sslserver",
            flag,
            host,
            "-CAfile",
            "ca.crt",
            &format!("{stem}.crt"),
        ],
    );
    out.status.success()
}

#[test]
fn server_defaults_follow_the_recipe_plus_ipv6_loopback() {
    let sb = Sandbox::new();
    sb.quick_ca();
    let out = sb.ok(&["server"]);
    let text = stdout(&out);
    assert!(
        text.contains("created") && text.contains("localhost, 127.0.0.1, ::1"),
        "{text}"
    );
    assert_eq!(mode(&sb.file("server.key")), 0o600);
    assert_eq!(mode(&sb.file("server.crt")), 0o644);
    assert!(
        String::from_utf8(sb.read("server.key"))
            .unwrap()
            .starts_with("-----BEGIN PRIVATE KEY-----")
    );
    let ca_subject = with_cert(&sb.file("ca.crt"), |ca| {
        (ca.subject().as_raw().to_vec(), ski(ca))
    });
    with_cert(&sb.file("server.crt"), |cert| {
        assert_eq!(cert.version(), X509Version::V3);
        assert_eq!(cert.subject().to_string(), "CN=localhost");
        assert_eq!(sans(cert), ["localhost", "127.0.0.1", "::1"]);
        assert_eq!(
            cert.public_key().parsed().unwrap().key_size(),
            2048,
            "RSA 2048 as in the recipe"
        );
        assert_eq!(
            cert.issuer().as_raw(),
            ca_subject.0,
            "issuer byte-equal to the CA subject"
        );
        let bc = cert.basic_constraints().unwrap().expect("basicConstraints");
        assert!(!bc.value.ca);
        let ku = cert.key_usage().unwrap().expect("keyUsage");
        assert!(ku.critical && ku.value.digital_signature() && ku.value.key_encipherment());
        assert!(!ku.value.key_cert_sign());
        let eku = cert
            .extended_key_usage()
            .unwrap()
            .expect("extendedKeyUsage");
        assert!(eku.value.server_auth && !eku.value.client_auth);
        let aki = cert
            .extensions()
            .iter()
            .find_map(|e| match e.parsed_extension() {
                ParsedExtension::AuthorityKeyIdentifier(a) => {
                    a.key_identifier.as_ref().map(|k| k.0.to_vec())
                }
                _ => None,
            })
            .expect("authorityKeyIdentifier");
        assert_eq!(aki, ca_subject.1, "AKI is the CA's SKI");
        ski(cert);
        assert!(cert.raw_serial().len() >= 9 && cert.raw_serial()[0] & 0x80 == 0);
        let v = cert.validity();
        let days = (v.not_after.timestamp() - v.not_before.timestamp()) / 86400;
        assert_eq!(days, 365);
    });
    assert!(openssl_accepts(&sb, "server", "localhost"));
    assert!(openssl_accepts(&sb, "server", "127.0.0.1"));
    assert!(openssl_accepts(&sb, "server", "::1"));
}

#[test]
fn every_key_type_passes_strict_openssl_verify() {
    for kt in ["rsa2048", "rsa3072", "ecdsa-p256", "ecdsa-p384", "ed25519"] {
        let sb = Sandbox::new();
        sb.quick_ca();
        sb.ok(&["server", "--key-type", kt]);
        assert!(
            openssl_accepts(&sb, "server", "localhost"),
            "server {kt} under an ECDSA CA"
        );
        with_cert(&sb.file("server.crt"), |cert| {
            let ku = cert.key_usage().unwrap().unwrap().value;
            assert_eq!(
                ku.key_encipherment(),
                kt.starts_with("rsa"),
                "keyEncipherment only for RSA ({kt})"
            );
        });
    }
}

#[test]
fn every_ca_key_type_signs_a_verifiable_chain() {
    for kt in ["rsa2048", "ecdsa-p384", "ed25519"] {
        let sb = Sandbox::new();
        sb.ok(&["ca", "--key-type", kt]);
        sb.ok(&["server", "--key-type", "ecdsa-p256"]);
        assert!(openssl_accepts(&sb, "server", "localhost"), "CA {kt}");
        let sig = with_cert(&sb.file("server.crt"), |c| {
            c.signature_algorithm.algorithm.to_id_string()
        });
        let want = match kt {
            "rsa2048" => "1.2.840.113549.1.1.11",
            "ecdsa-p384" => "1.2.840.10045.4.3.3",
            _ => "1.3.101.112",
        };
        assert_eq!(sig, want, "signature algorithm under a {kt} CA");
    }
}

#[test]
fn server_refuses_without_a_ca_and_writes_nothing() {
    let sb = Sandbox::new();
    let out = sb.aitls().arg("server").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("no CA in {} (", sb.certs().display()))
            && err.contains("hint: run `aitls ca`"),
        "{err}"
    );
    assert_eq!(fs::read_dir(sb.certs()).map(|d| d.count()).unwrap_or(0), 0);
}

#[test]
fn names_replace_the_defaults_with_wildcards_ipv6_and_punycode() {
    let sb = Sandbox::new();
    sb.quick_ca();
    let json = sb.json(&[
        "server",
        "--key-type",
        "ecdsa-p256",
        "*.Yolo.Internal",
        "10.0.0.5",
        "fd00::5",
        "bücher.example",
        "[::1]",
    ]);
    assert_eq!(json["common_name"], "*.yolo.internal", "first DNS name");
    with_cert(&sb.file("server.crt"), |cert| {
        assert_eq!(
            sans(cert),
            [
                "*.yolo.internal",
                "10.0.0.5",
                "fd00::5",
                "xn--bcher-kva.example",
                "::1"
            ]
        );
    });
    assert!(openssl_accepts(&sb, "server", "a.yolo.internal"));
    assert!(openssl_accepts(&sb, "server", "xn--bcher-kva.example"));
    assert!(
        !openssl_accepts(&sb, "server", "localhost"),
        "defaults replaced"
    );
}

#[test]
fn common_name_defaults_to_first_ip_when_no_dns_name() {
    let sb = Sandbox::new();
    sb.quick_ca();
    let json = sb.json(&["server", "--key-type", "ecdsa-p256", "10.1.2.3"]);
    assert_eq!(json["common_name"], "10.1.2.3");
    let json = sb.json(&[
        "server",
        "10.1.2.3",
        "yolo.internal",
        "--cn",
        "YOLO.internal",
    ]);
    assert_eq!(json["action"], "replaced");
    assert_eq!(json["reason"], "names changed, added yolo.internal");
    assert_eq!(
        json["common_name"], "yolo.internal",
        "the name, in its canonical form"
    );
    with_cert(&sb.file("server.crt"), |c| {
        assert_eq!(c.subject().to_string(), "CN=yolo.internal")
    });
}

#[test]
fn common_name_outside_the_names_is_refused_naming_them() {
    let sb = Sandbox::new();
    sb.quick_ca();
    let out = sb
        .aitls()
        .args(["server", "--cn", "api.internal", "localhost"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("api.internal")
            && err.contains("must be one of the certificate's names (localhost)"),
        "{err}"
    );
    assert!(!sb.file("server.crt").exists(), "nothing written");
    // Without names, the names are the existing certificate's.
    sb.ok(&[
        "server",
        "--key-type",
        "ecdsa-p256",
        "a.internal",
        "b.internal",
    ]);
    let out = sb
        .aitls()
        .args(["server", "--cn", "c.internal"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("(a.internal, b.internal)"),
        "{}",
        stderr(&out)
    );
    let json = sb.json(&["server", "--cn", "b.internal"]);
    assert_eq!(
        json["reason"],
        "common name changed from \"a.internal\" to \"b.internal\""
    );
    assert_eq!(
        json["names"],
        serde_json::json!(["a.internal", "b.internal"])
    );
}

#[test]
fn invalid_names_are_refused_by_value_and_nothing_is_written() {
    let sb = Sandbox::new();
    sb.quick_ca();
    for bad in [
        "a b",
        "",
        "a..b",
        "*",
        "*.com",
        "foo.*.com",
        &"x".repeat(64),
        "-lead.example",
        "1.2.3.999",
    ] {
        let out = sb
            .aitls()
            .args([
                "server",
                "--key-type",
                "ecdsa-p256",
                "--",
                "ok.example",
                bad,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!("{bad:?}")),
            "error names {bad:?}: {err}"
        );
        assert_eq!(err.matches("error:").count(), 1);
        assert!(!sb.file("server.crt").exists() && !sb.file("server.key").exists());
    }
}

#[test]
fn server_days_are_bounded_by_apples_825_day_limit() {
    let sb = Sandbox::new();
    sb.ok(&["ca", "--key-type", "ecdsa-p256", "--days", "3650"]);
    let out = sb
        .aitls()
        .args(["server", "--days", "826"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("826"), "{}", stderr(&out));
    sb.ok(&["server", "--key-type", "ecdsa-p256", "--days", "825"]);
    with_cert(&sb.file("server.crt"), |c| {
        let v = c.validity();
        assert_eq!(
            (v.not_after.timestamp() - v.not_before.timestamp()) / 86400,
            825
        );
    });
}

#[test]
fn server_never_outlives_its_ca_and_says_so() {
    let sb = Sandbox::new();
    sb.ok(&["ca", "--key-type", "ecdsa-p256", "--days", "100"]);
    let json = sb.json(&["server", "--key-type", "ecdsa-p256", "--days", "400"]);
    let ca_end = with_cert(&sb.file("ca.crt"), |c| c.validity().not_after.timestamp());
    let end = with_cert(&sb.file("server.crt"), |c| {
        c.validity().not_after.timestamp()
    });
    assert_eq!(end, ca_end);
    assert!(
        json["warnings"][0]
            .as_str()
            .unwrap()
            .contains("when the CA expires"),
        "{json}"
    );
}

#[test]
fn out_writes_another_stem_and_refuses_paths() {
    let sb = Sandbox::new();
    sb.quick_ca();
    sb.ok(&[
        "server",
        "--key-type",
        "ecdsa-p256",
        "--out",
        "nemotron",
        "llm.local",
    ]);
    assert_eq!(mode(&sb.file("nemotron.key")), 0o600);
    assert!(openssl_accepts(&sb, "nemotron", "llm.local"));
    assert!(!sb.file("server.crt").exists());
    for bad in ["../x", "a/b", "", "ca", ".hidden"] {
        let out = sb.aitls().args(["server", "--out", bad]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "--out {bad:?}");
        assert!(stderr(&out).contains("--out"), "{}", stderr(&out));
    }
    assert_eq!(fs::read_dir(sb.certs()).unwrap().count(), 4);
}

#[test]
fn client_flag_adds_client_auth() {
    let sb = Sandbox::new();
    sb.quick_ca();
    sb.ok(&["server", "--key-type", "ecdsa-p256", "--client"]);
    with_cert(&sb.file("server.crt"), |c| {
        let eku = c.extended_key_usage().unwrap().unwrap().value;
        assert!(eku.server_auth && eku.client_auth);
    });
    let out = openssl(
        &sb.certs(),
        &[
            "verify",
            "-purpose",
            "sslclient",
            "-CAfile",
            "ca.crt",
            "server.crt",
        ],
    );
    assert!(out.status.success(), "usable as an mTLS client certificate");
    let json = sb.json(&["server"]);
    assert_eq!(
        json["action"], "kept",
        "clientAuth is kept when --client is not given"
    );
    let json = sb.json(&["server", "--no-client"]);
    assert_eq!(json["action"], "replaced", "--no-client drops it");
    assert_eq!(json["reason"], "key usages changed");
    with_cert(&sb.file("server.crt"), |c| {
        let eku = c.extended_key_usage().unwrap().unwrap().value;
        assert!(eku.server_auth && !eku.client_auth);
    });
}

#[test]
fn current_certificate_is_kept_and_says_until_when() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let (crt, key) = (sb.read("server.crt"), sb.read("server.key"));
    let out = sb.ok(&["server", "--key-type", "ecdsa-p256"]);
    let text = stdout(&out);
    assert!(
        text.contains("kept") && text.contains("valid until") && text.contains("days left"),
        "{text}"
    );
    let json = sb.json(&[
        "server",
        "--key-type",
        "ecdsa-p256",
        "::1",
        "LOCALHOST",
        "127.0.0.1",
    ]);
    assert_eq!(
        json["action"], "kept",
        "same names in another order and case"
    );
    assert_eq!((sb.read("server.crt"), sb.read("server.key")), (crt, key));
}

#[test]
fn force_reissues_with_a_fresh_key() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let key = sb.read("server.key");
    let out = sb.ok(&["server", "--key-type", "ecdsa-p256", "--force"]);
    assert!(
        stdout(&out).contains("replaced") && stdout(&out).contains("--force"),
        "{}",
        stdout(&out)
    );
    assert_ne!(sb.read("server.key"), key);
}

#[test]
fn expiring_certificate_is_renewed_per_renew_within() {
    let sb = Sandbox::new();
    sb.quick_ca();
    sb.ok(&["server", "--key-type", "ecdsa-p256", "--days", "10"]);
    let json = sb.json(&[
        "server",
        "--key-type",
        "ecdsa-p256",
        "--days",
        "10",
        "--renew-within",
        "5",
    ]);
    assert_eq!(json["action"], "kept");
    let key = sb.read("server.key");
    let json = sb.json(&["server", "--key-type", "ecdsa-p256"]);
    assert_eq!(json["action"], "renewed");
    assert!(
        json["reason"].as_str().unwrap().starts_with("expiring in"),
        "{json}"
    );
    assert_ne!(sb.read("server.key"), key, "renewal uses a fresh key");
    assert!(json["days_left"].as_i64().unwrap() >= 364);
}

#[test]
fn changed_names_key_type_or_ca_reissue_with_the_reason() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let json = sb.json(&[
        "server",
        "--key-type",
        "ecdsa-p256",
        "localhost",
        "127.0.0.1",
        "::1",
        "yolo.local",
    ]);
    assert_eq!(json["action"], "replaced");
    assert_eq!(json["reason"], "names changed, added yolo.local");
    let json = sb.json(&[
        "server",
        "--key-type",
        "ecdsa-p384",
        "localhost",
        "127.0.0.1",
        "::1",
        "yolo.local",
    ]);
    assert_eq!(
        json["reason"],
        "key type changed from ecdsa-p256 to ecdsa-p384"
    );
    sb.ok(&["ca", "--key-type", "ecdsa-p256", "--force"]);
    let json = sb.json(&[
        "server",
        "--key-type",
        "ecdsa-p384",
        "localhost",
        "127.0.0.1",
        "::1",
        "yolo.local",
    ]);
    assert_eq!(json["reason"], "the CA changed");
    assert!(
        openssl_accepts(&sb, "server", "yolo.local"),
        "reissued under the new CA"
    );
}

#[test]
fn mismatched_or_exposed_key_is_reissued() {
    let sb = Sandbox::new();
    sb.quick_pair();
    // A new key beside the old certificate: what a run killed between its renames leaves.
    fs::copy(sb.file("ca.key"), sb.file("server.key")).unwrap();
    let json = sb.json(&["server", "--key-type", "ecdsa-p256"]);
    assert_eq!(json["reason"], "the key did not match the certificate");
    assert!(openssl_accepts(&sb, "server", "localhost"));
    fs::set_permissions(
        sb.file("server.key"),
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    )
    .unwrap();
    let json = sb.json(&["server", "--key-type", "ecdsa-p256"]);
    assert_eq!(
        json["reason"],
        "the key file was readable by others (mode 0644)"
    );
    assert_eq!(mode(&sb.file("server.key")), 0o600);
}

#[test]
fn a_missing_key_is_reissued_and_a_garbage_certificate_needs_force() {
    // A certificate without its key (what a run killed on its first issue leaves) is
    // reissued; a key without a readable certificate is not without --force (SPEC §2:
    // aitls writes the certificate first, so it never leaves either; safety.rs, fixes.rs).
    let sb = Sandbox::new();
    sb.quick_pair();
    fs::remove_file(sb.file("server.key")).unwrap();
    let json = sb.json(&["server", "--key-type", "ecdsa-p256"]);
    assert_eq!(json["reason"], "server.key was missing");
    fs::write(sb.file("server.crt"), b"\x00\x01garbage").unwrap();
    let refused = sb
        .aitls()
        .args(["server", "--key-type", "ecdsa-p256"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let json = sb.json(&["server", "--key-type", "ecdsa-p256", "--force"]);
    assert_eq!(json["action"], "replaced", "{json}");
    assert!(openssl_accepts(&sb, "server", "localhost"));
}

#[test]
fn json_output_has_the_contract_fields() {
    let sb = Sandbox::new();
    sb.quick_ca();
    let out = sb.ok(&["--json", "server", "--key-type", "ecdsa-p256"]);
    assert!(
        out.stderr.is_empty(),
        "nothing but JSON, and nothing on stderr"
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["action"], "created");
    assert_eq!(json["reason"], "no certificate existed");
    assert!(json["cert"].as_str().unwrap().ends_with("server.crt"));
    assert!(json["key"].as_str().unwrap().ends_with("server.key"));
    assert_eq!(
        json["names"],
        serde_json::json!(["localhost", "127.0.0.1", "::1"])
    );
    assert!(json["not_after"].as_str().unwrap().ends_with('Z'));
}

#[test]
fn malformed_ca_files_are_input_errors_for_server() {
    let sb = Sandbox::new();
    sb.quick_ca();
    fs::write(
        sb.file("ca.crt"),
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let out = sb.aitls().arg("server").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("ca.crt") && !err.contains("panicked"), "{err}");
}

/// Writes a CA certificate and key made with rcgen directly, for CAs aitls would never make.
fn write_foreign_ca(sb: &Sandbox, days_ago_expired: Option<i64>, is_ca: bool) {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Foreign CA");
    if is_ca {
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    }
    if let Some(days) = days_ago_expired {
        let now = ::time::OffsetDateTime::now_utc();
        params.not_before = now - ::time::Duration::days(days + 30);
        params.not_after = now - ::time::Duration::days(days);
    }
    let cert = params.self_signed(&key).unwrap();
    fs::create_dir_all(sb.certs()).unwrap();
    fs::write(sb.file("ca.crt"), cert.pem()).unwrap();
    fs::write(sb.file("ca.key"), key.serialize_pem()).unwrap();
}

#[test]
fn server_refuses_an_expired_ca_or_a_non_ca_certificate() {
    let sb = Sandbox::new();
    write_foreign_ca(&sb, Some(2), true);
    let out = sb.aitls().arg("server").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("expired on") && err.contains("`aitls ca --renew`"),
        "{err}"
    );
    assert!(!sb.file("server.key").exists());

    let sb = Sandbox::new();
    write_foreign_ca(&sb, None, false);
    let out = sb.aitls().arg("server").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is not a CA certificate"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_renewal_window_as_long_as_the_validity_is_warned_about() {
    let sb = Sandbox::new();
    sb.quick_ca();
    let json = sb.json(&["server", "--key-type", "ecdsa-p256", "--days", "20"]);
    assert!(
        json["warnings"][0]
            .as_str()
            .unwrap()
            .contains("every run will reissue"),
        "{json}"
    );
}

#[test]
fn server_warns_about_the_clients_that_refuse_what_it_made() {
    let sb = Sandbox::new();
    sb.quick_ca();
    // Java refuses a host name with an underscore before the handshake.
    let json = sb.json(&["server", "--key-type", "ecdsa-p256", "my_api.internal"]);
    let warnings = json["warnings"].to_string();
    assert!(
        warnings.contains("refused by java") && warnings.contains("my_api.internal"),
        "{json}"
    );
    // Browsers do not offer Ed25519 in TLS.
    let json = sb.json(&["server", "--key-type", "ed25519", "--out", "ed"]);
    let warnings = json["warnings"].to_string();
    assert!(
        warnings.contains("chromium") && warnings.contains("Ed25519"),
        "{json}"
    );
    // A plain ECDSA certificate for localhost: nothing to say.
    let json = sb.json(&["server", "--key-type", "ecdsa-p256", "--out", "plain"]);
    assert_eq!(json["warnings"], serde_json::json!([]), "{json}");
}

#[test]
fn an_explicit_past_window_is_issued_as_asked_and_never_renewed() {
    let sb = Sandbox::new();
    sb.quick_ca();
    let window = [
        "--not-before",
        "2020-01-01T00:00:00Z",
        "--not-after",
        "2020-02-01T12:30:00Z",
    ];
    let mut args = vec!["server", "--key-type", "ecdsa-p256"];
    args.extend(window);
    sb.ok(&args);
    let dates = |sb: &Sandbox| {
        with_cert(&sb.file("server.crt"), |c| {
            (
                c.validity().not_before.timestamp(),
                c.validity().not_after.timestamp(),
            )
        })
    };
    assert_eq!(dates(&sb), (1_577_836_800, 1_580_560_200));
    // openssl agrees that it is expired, and nothing else is wrong with it.
    let out = openssl(&sb.certs(), &["verify", "-CAfile", "ca.crt", "server.crt"]);
    assert!(
        stdout(&out).contains("expired") || stderr(&out).contains("expired"),
        "{out:?}"
    );
    let before = sb.read("server.crt");

    // The next plain run keeps it, and says why.
    let out = sb.ok(&["server", "--key-type", "ecdsa-p256"]);
    assert!(stdout(&out).contains("kept"), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("never renewed automatically"),
        "{}",
        stdout(&out)
    );
    assert_eq!(sb.read("server.crt"), before);
    let json = sb.json(&["server", "--key-type", "ecdsa-p256"]);
    assert_eq!(json["action"], "kept");
    // The same window again is kept; --force reissues it as an ordinary certificate.
    sb.ok(&args);
    assert_eq!(sb.read("server.crt"), before);
    let json = sb.json(&["server", "--key-type", "ecdsa-p256", "--force"]);
    assert_eq!(json["action"], "replaced");
    let (nb, na) = dates(&sb);
    assert!(na - nb > 364 * 86_400, "{nb} {na}");
    // ... which a later plain run then renews as usual (kept while current).
    let json = sb.json(&["server", "--key-type", "ecdsa-p256"]);
    assert_eq!(json["action"], "kept");
    assert!(json["reason"].as_str().unwrap().starts_with("current"));
}

#[test]
fn a_window_that_ends_before_it_begins_or_needs_its_other_end_is_refused() {
    let sb = Sandbox::new();
    sb.quick_ca();
    let out = sb
        .aitls()
        .args(["server", "--not-before", "2021-01-01T00:00:00Z"])
        .args(["--not-after", "2020-01-01T00:00:00Z"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(stderr(&out).contains("--not-after"), "{}", stderr(&out));
    assert!(!sb.file("server.crt").exists());
    let out = sb
        .aitls()
        .args(["server", "--not-before", "2021-01-01T00:00:00Z"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let out = sb
        .aitls()
        .args(["server", "--not-before", "2021-01-01T00:00:00Z"])
        .args(["--not-after", "2023-06-01T00:00:00Z"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(stderr(&out).contains("825"), "{}", stderr(&out));
}

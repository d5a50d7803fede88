//! Tests of `aitls inspect`: every hash equals what `openssl` computes, every input form
//! (PEM, DER, stdin, bundles, CSRs, keys) reads, keys never leak, and malformed input of
//! every kind (for `inspect` and `verify` alike) exits 2 with one `error:` line.

use crate::util::json_keys as keys;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::util::{Sandbox, openssl, stderr, stdout};

/// Runs a shell pipeline in `dir` (for the openssl recipes that need a pipe).
fn sh(dir: &Path, script: &str) -> String {
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .output()
        .expect("sh");
    assert!(out.status.success(), "{script}: {}", stderr(&out));
    stdout(&out).trim().to_owned()
}

/// `openssl x509 -noout -fingerprint -sha256`, the part after `=`.
fn openssl_fingerprint(dir: &Path, file: &str, inform: &str) -> String {
    let out = openssl(
        dir,
        &[
            "x509",
            "-in",
            file,
            "-inform",
            inform,
            "-noout",
            "-fingerprint",
            "-sha256",
        ],
    );
    let text = stdout(&out);
    text.trim()
        .split_once('=')
        .expect("Fingerprint=")
        .1
        .to_owned()
}

/// The pin recipe from curl's documentation of `--pinnedpubkey`.
fn openssl_pin(dir: &Path, pubkey_cmd: &str) -> String {
    let b64 = sh(
        dir,
        &format!(
            "{pubkey_cmd} | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64"
        ),
    );
    format!("sha256//{b64}")
}

fn inspect_json(s: &Sandbox, args: &[&str]) -> Vec<Value> {
    let v = s.json(&[&["inspect"][..], args].concat());
    v.as_array()
        .expect("inspect --json prints one array")
        .clone()
}

#[test]
fn fingerprint_pin_and_serial_equal_openssl() {
    let s = Sandbox::new();
    s.quick_pair();
    s.ok(&[
        "server",
        "--key-type",
        "rsa2048",
        "--out",
        "rsa",
        "rsa.test",
    ]);
    let certs = s.certs();
    for file in ["ca.crt", "server.crt", "rsa.crt"] {
        let items = inspect_json(&s, &[&format!("ai/certs/{file}")]);
        assert_eq!(items.len(), 1);
        let item = &items[0];
        assert_eq!(item["type"], "certificate");
        assert_eq!(
            item["fingerprint_sha256"],
            openssl_fingerprint(&certs, file, "PEM"),
            "{file}"
        );
        assert_eq!(
            item["pin_sha256"],
            openssl_pin(&certs, &format!("openssl x509 -in {file} -pubkey -noout")),
            "{file}"
        );
        let serial = stdout(&openssl(
            &certs,
            &["x509", "-in", file, "-noout", "-serial"],
        ));
        assert_eq!(
            format!("serial={}", item["serial"].as_str().unwrap()),
            serial.trim(),
            "{file}"
        );
    }
    let rsa = &inspect_json(&s, &["ai/certs/rsa.crt"])[0];
    assert_eq!(rsa["key_algorithm"], "rsa");
    assert_eq!(rsa["key_bits"], 2048);
    assert_eq!(rsa["key_type"], "rsa2048");
    assert_eq!(
        rsa["signature_algorithm"], "ecdsa-with-SHA256",
        "signed by the P-256 CA"
    );
    assert_eq!(rsa["dns_names"], serde_json::json!(["rsa.test"]));
    assert_eq!(rsa["extended_key_usage"], serde_json::json!(["serverAuth"]));
    assert_eq!(
        rsa["key_usage"],
        serde_json::json!(["digitalSignature", "keyEncipherment"])
    );
    assert_eq!(rsa["basic_constraints"]["ca"], false);
    assert_eq!(rsa["status"], "valid");
    let ca = &inspect_json(&s, &["ai/certs/ca.crt"])[0];
    assert_eq!(
        ca["basic_constraints"],
        serde_json::json!({"ca": true, "path_len": 0, "critical": true})
    );
    assert_eq!(ca["subject_key_id"], rsa["authority_key_id"]);
    assert_eq!(ca["self_issued"], true);

    // The text view shows the same values.
    let text = stdout(&s.ok(&["inspect", "ai/certs/rsa.crt"]));
    assert!(
        text.contains(rsa["fingerprint_sha256"].as_str().unwrap()),
        "{text}"
    );
    assert!(text.contains(rsa["pin_sha256"].as_str().unwrap()), "{text}");
    assert!(text.contains("days left"), "{text}");
}

#[test]
fn der_and_stdin_read_like_pem() {
    let s = Sandbox::new();
    s.quick_pair();
    let certs = s.certs();
    openssl(
        &certs,
        &[
            "x509",
            "-in",
            "server.crt",
            "-outform",
            "der",
            "-out",
            "server.der",
        ],
    );
    openssl(
        &certs,
        &[
            "pkey",
            "-in",
            "server.key",
            "-outform",
            "der",
            "-out",
            "server-key.der",
        ],
    );
    let pem = &inspect_json(&s, &["ai/certs/server.crt"])[0];
    let der = &inspect_json(&s, &["ai/certs/server.der"])[0];
    assert_eq!(der["type"], "certificate");
    assert_eq!(
        der["fingerprint_sha256"],
        openssl_fingerprint(&certs, "server.der", "DER")
    );
    assert_eq!(der["fingerprint_sha256"], pem["fingerprint_sha256"]);
    let key = &inspect_json(&s, &["ai/certs/server-key.der"])[0];
    assert_eq!(key["type"], "private_key");
    assert_eq!(key["pin_sha256"], pem["pin_sha256"]);

    let out = s
        .aitls()
        .args(["--json", "inspect", "-"])
        .write_stdin(s.read("server.crt"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let items: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(items[0]["file"], "-");
    assert_eq!(items[0]["fingerprint_sha256"], pem["fingerprint_sha256"]);
    let out = s
        .aitls()
        .args(["--json", "inspect", "-"])
        .write_stdin(s.read("server.der"))
        .output()
        .unwrap();
    let items: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        items[0]["fingerprint_sha256"], pem["fingerprint_sha256"],
        "DER on stdin"
    );
}

#[test]
fn a_bundle_shows_every_certificate_in_order() {
    let s = Sandbox::new();
    s.quick_pair();
    s.ok(&["server", "--key-type", "ecdsa-p384", "--out", "b", "b.test"]);
    let certs = s.certs();
    let bundle = [s.read("server.crt"), s.read("ca.crt"), s.read("b.crt")].concat();
    std::fs::write(certs.join("bundle.pem"), bundle).unwrap();
    let items = inspect_json(&s, &["ai/certs/bundle.pem"]);
    assert_eq!(items.len(), 3);
    for (i, file) in ["server.crt", "ca.crt", "b.crt"].iter().enumerate() {
        assert_eq!(items[i]["index"], i + 1);
        assert_eq!(
            items[i]["fingerprint_sha256"],
            openssl_fingerprint(&certs, file, "PEM")
        );
    }
    let text = stdout(&s.ok(&["inspect", "ai/certs/bundle.pem"]));
    assert!(text.contains("bundle.pem [3/3]: certificate"), "{text}");
}

#[test]
fn the_system_bundle_is_read_whole() {
    let system = Path::new("/etc/ssl/certs/ca-certificates.crt");
    let Ok(text) = std::fs::read_to_string(system) else {
        eprintln!("skipped: no {}", system.display());
        return;
    };
    let s = Sandbox::new();
    let items = inspect_json(&s, &[system.to_str().unwrap()]);
    assert_eq!(
        items.len(),
        text.matches("-----BEGIN CERTIFICATE-----").count()
    );
    assert!(items.iter().all(|i| i["type"] == "certificate"));
    // openssl x509 reads the first certificate of a file.
    assert_eq!(
        items[0]["fingerprint_sha256"],
        openssl_fingerprint(Path::new("/"), system.to_str().unwrap(), "PEM")
    );
}

#[test]
fn a_csr_from_openssl_req_shows_its_request() {
    let s = Sandbox::new();
    let dir = s.root();
    let out = openssl(
        dir,
        &[
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-384",
            "-nodes",
            "-keyout",
            "r.key",
            "-subj",
            "/O=Lab/CN=csr.test",
            "-addext",
            "subjectAltName=DNS:csr.test,IP:10.0.0.1",
            "-out",
            "r.csr",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let items = inspect_json(&s, &["r.csr"]);
    let csr = &items[0];
    assert_eq!(csr["type"], "certificate_request");
    assert_eq!(csr["subject"], "O=Lab, CN=csr.test");
    assert_eq!(csr["dns_names"], serde_json::json!(["csr.test"]));
    assert_eq!(csr["ip_addresses"], serde_json::json!(["10.0.0.1"]));
    assert_eq!(csr["key_type"], "ecdsa-p384");
    assert_eq!(
        csr["pin_sha256"],
        openssl_pin(dir, "openssl req -in r.csr -pubkey -noout")
    );
    // The key made with it has the same pin; its mode is what openssl left.
    let key = &inspect_json(&s, &["r.key"])[0];
    assert_eq!(key["pin_sha256"], csr["pin_sha256"]);
}

/// Hex of the secret parts of a key, as `openssl pkey -text` prints them.
fn secret_hex(dir: &Path, key: &str) -> Vec<String> {
    let text = stdout(&openssl(dir, &["pkey", "-in", key, "-noout", "-text"]));
    let mut secrets = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if !line.starts_with(' ') {
            if let Some(hex) = current.take() {
                secrets.push(hex);
            }
            let label = trimmed.trim_end_matches(':');
            if [
                "priv",
                "privateExponent",
                "prime1",
                "prime2",
                "exponent1",
                "exponent2",
                "coefficient",
            ]
            .contains(&label)
            {
                current = Some(String::new());
            }
        } else if let Some(hex) = current.as_mut() {
            hex.push_str(&trimmed.replace(':', ""));
        }
    }
    if let Some(hex) = current {
        secrets.push(hex);
    }
    secrets
        .into_iter()
        .map(|h| h.trim_start_matches('0').to_lowercase())
        .filter(|h| h.len() >= 32)
        .collect()
}

#[test]
fn key_output_shows_public_facts_and_never_the_secret() {
    let s = Sandbox::new();
    s.quick_pair();
    let dir = s.root();
    assert!(
        openssl(
            dir,
            &["genrsa", "-traditional", "-out", "pkcs1.key", "2048"]
        )
        .status
        .success()
    );
    assert!(
        openssl(
            dir,
            &[
                "ecparam",
                "-name",
                "prime256v1",
                "-genkey",
                "-noout",
                "-out",
                "sec1.key"
            ]
        )
        .status
        .success()
    );
    std::fs::set_permissions(dir.join("sec1.key"), std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::copy(s.file("server.key"), dir.join("pkcs8.key")).unwrap();
    std::fs::set_permissions(
        dir.join("pkcs8.key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    let cert = &inspect_json(&s, &["ai/certs/server.crt"])[0];

    for (file, format, key_type, mode) in [
        ("pkcs8.key", "pkcs8", "ecdsa-p256", "0600"),
        ("pkcs1.key", "pkcs1", "rsa2048", "0600"),
        ("sec1.key", "sec1", "ecdsa-p256", "0644"),
    ] {
        let item = &inspect_json(&s, &[file])[0];
        assert_eq!(item["type"], "private_key", "{file}");
        assert_eq!(item["format"], format, "{file}");
        assert_eq!(item["key_type"], key_type, "{file}");
        assert_eq!(item["mode"], mode, "{file}");
        assert_eq!(item["owner_only"], mode == "0600", "{file}");
        assert_eq!(
            item["pin_sha256"],
            openssl_pin(dir, &format!("openssl pkey -in {file} -pubout")),
            "{file}"
        );

        let json = stdout(&s.ok(&["--json", "inspect", file]));
        let text = stdout(&s.ok(&["inspect", file]));
        let secrets = secret_hex(dir, file);
        assert!(!secrets.is_empty(), "{file}: found the secret to look for");
        let pem = std::fs::read_to_string(dir.join(file)).unwrap();
        for output in [&json, &text] {
            let flat = output.to_lowercase().replace(':', "");
            for secret in &secrets {
                assert!(
                    !flat.contains(&secret[..32]),
                    "{file}: secret hex in output:\n{output}"
                );
            }
            for line in pem
                .lines()
                .filter(|l| !l.starts_with("-----") && l.len() > 16)
            {
                assert!(
                    !output.contains(line),
                    "{file}: key PEM in output:\n{output}"
                );
            }
        }
    }
    let pkcs8 = &inspect_json(&s, &["pkcs8.key"])[0];
    assert_eq!(
        pkcs8["pin_sha256"], cert["pin_sha256"],
        "a key and its certificate share a pin"
    );
}

#[test]
fn without_file_it_lists_dir_one_line_each() {
    let s = Sandbox::new();
    s.quick_pair();
    let text = stdout(&s.ok(&["inspect"]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(
        lines[0].starts_with("ca.crt") && lines[0].contains("CA "),
        "{text}"
    );
    assert!(
        lines[1].starts_with("ca.key") && lines[1].contains("mode 0600, matches ca.crt"),
        "{text}"
    );
    assert!(
        lines[2].starts_with("server.crt") && lines[2].contains("issued by ca.crt"),
        "{text}"
    );
    assert!(lines[2].contains("for localhost, 127.0.0.1, ::1"), "{text}");
    assert!(
        lines[3].starts_with("server.key") && lines[3].contains("matches server.crt"),
        "{text}"
    );

    std::fs::set_permissions(s.file("server.key"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let text = stdout(&s.ok(&["inspect"]));
    assert!(
        text.contains("READABLE BY OTHERS: run `chmod 600 ai/certs/server.key`"),
        "{text}"
    );

    let items = s.json(&["inspect"]);
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(items[2]["issued_by"], "ai/certs/ca.crt");
    assert_eq!(items[3]["certificate"], "ai/certs/server.crt");

    let empty = Sandbox::new();
    let out = empty.aitls().arg("inspect").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("hint: run `aitls ca && aitls server`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn foreign_fixtures_aitls_cannot_make_still_read() {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let s = Sandbox::new();
    let items = inspect_json(
        &s,
        &[
            fixtures.join("ed448.crt").to_str().unwrap(),
            fixtures.join("ed448.key").to_str().unwrap(),
        ],
    );
    assert_eq!(items[0]["key_algorithm"], "ed448");
    assert_eq!(items[0]["key_type"], Value::Null);
    assert_eq!(
        items[0]["fingerprint_sha256"],
        openssl_fingerprint(&fixtures, "ed448.crt", "PEM")
    );
    assert_eq!(items[1]["type"], "private_key");
    assert_eq!(items[1]["key_algorithm"], "ed448");
    assert_eq!(
        items[1]["pin_sha256"],
        Value::Null,
        "aws-lc cannot derive an Ed448 public key"
    );

    let v1 = &inspect_json(&s, &[fixtures.join("v1.crt").to_str().unwrap()])[0];
    assert_eq!(v1["subject"], "O=Old Org, CN=v1.test");
    assert_eq!(v1["basic_constraints"], Value::Null);
    assert_eq!(
        v1["fingerprint_sha256"],
        openssl_fingerprint(&fixtures, "v1.crt", "PEM")
    );

    // OpenSSL's TRUSTED CERTIFICATE form: the certificate plus trust settings.
    s.quick_ca();
    let out = openssl(
        &s.certs(),
        &[
            "x509",
            "-in",
            "ca.crt",
            "-trustout",
            "-addtrust",
            "serverAuth",
            "-out",
            "trusted.pem",
        ],
    );
    assert!(out.status.success());
    let t = &inspect_json(&s, &["ai/certs/trusted.pem"])[0];
    assert_eq!(
        t["fingerprint_sha256"],
        openssl_fingerprint(&s.certs(), "ca.crt", "PEM")
    );
}

/// Asserts the failure contract: exit 2, exactly one `error:` line that names `name`, at
/// most a hint besides, no panic.
fn assert_input_error(out: &Output, name: &str, what: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{what}: {err}");
    assert!(
        errors[0].contains(name),
        "{what}: error does not name {name}: {err}"
    );
    // Words for people, not the parser's type names.
    for leak in ["Error(", "Nom", "Der(", "Eof", "InvalidTag"] {
        assert!(!errors[0].contains(leak), "{what}: {err}");
    }
    assert!(
        err.lines()
            .all(|l| l.starts_with("error:") || l.starts_with("hint:")),
        "{what}: {err}"
    );
    // Nothing on stdout but, with --json, the error object (SPEC §3).
    if !out.stdout.is_empty() {
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{what}: stdout is neither empty nor JSON: {e}"));
        assert_eq!(doc["exit_code"], 2, "{what}");
    }
}

#[test]
fn malformed_input_exits_2_with_one_error_line_naming_the_file() {
    let s = Sandbox::new();
    s.quick_pair();
    let dir = s.root();
    let cert = String::from_utf8(s.read("server.crt")).unwrap();
    let mut random = vec![0u8; 4096];
    {
        use std::io::Read;
        std::fs::File::open("/dev/urandom")
            .unwrap()
            .read_exact(&mut random)
            .unwrap();
    }
    let mut der_like = random.clone();
    der_like[0] = 0x30;
    der_like[1] = 0x82;
    let b64 = |bytes: &[u8]| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(bytes)
    };
    let garbage_pem = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        b64(&random[..300])
    );
    let garbage_key = format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        b64(&random[..120])
    );
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.pem", Vec::new()),
        ("random.bin", random.clone()),
        ("random-der.der", der_like),
        ("truncated.pem", cert.as_bytes()[..cert.len() / 2].to_vec()),
        ("bad-base64.pem", b"-----BEGIN CERTIFICATE-----\n@@@@ this is not base64 ####\n-----END CERTIFICATE-----\n".to_vec()),
        ("garbage-der.pem", garbage_pem.into_bytes()),
        ("garbage-key.pem", garbage_key.into_bytes()),
        ("zeros.bin", vec![0u8; 30 * 1024 * 1024]),
    ];
    for (name, bytes) in &cases {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    std::fs::create_dir(dir.join("a-directory.pem")).unwrap();
    let mut names: Vec<&str> = cases.iter().map(|(n, _)| *n).collect();
    names.extend(["a-directory.pem", "missing.pem"]);

    for name in names {
        assert_input_error(
            &s.aitls().args(["inspect", name]).output().unwrap(),
            name,
            &format!("inspect {name}"),
        );
        assert_input_error(
            &s.aitls()
                .args(["--json", "inspect", name])
                .output()
                .unwrap(),
            name,
            &format!("inspect --json {name}"),
        );
        assert_input_error(
            &s.aitls().args(["verify", name]).output().unwrap(),
            name,
            &format!("verify {name}"),
        );
        assert_input_error(
            &s.aitls().args(["verify", "--ca", name]).output().unwrap(),
            name,
            &format!("verify --ca {name}"),
        );
        assert_input_error(
            &s.aitls().args(["verify", "--key", name]).output().unwrap(),
            name,
            &format!("verify --key {name}"),
        );
    }
    // A malformed file among good ones: the good ones do not hide it.
    let out = s
        .aitls()
        .args(["inspect", "ai/certs/ca.crt", "truncated.pem"])
        .output()
        .unwrap();
    assert_input_error(&out, "truncated.pem", "inspect good + bad");

    // In the directory overview, a broken file gets an error line and exit 2, the rest
    // is still listed.
    std::fs::copy(dir.join("garbage-der.pem"), s.file("broken.crt")).unwrap();
    let out = s.aitls().arg("inspect").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("error: ai/certs/broken.crt"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("server.key"), "{}", stdout(&out));
}

#[test]
fn docs_json_md_describes_every_field_printed() {
    let doc =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/json.md"))
            .unwrap();
    let s = Sandbox::new();
    let mut found = std::collections::BTreeSet::new();
    keys(&s.json(&["ca", "--key-type", "ecdsa-p256"]), &mut found);
    keys(&s.json(&["server", "--key-type", "ecdsa-p256"]), &mut found);
    let dir = s.root();
    assert!(
        openssl(
            dir,
            &[
                "req",
                "-new",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                "r.key",
                "-subj",
                "/CN=r",
                "-out",
                "r.csr"
            ]
        )
        .status
        .success()
    );
    assert!(
        openssl(dir, &["pkey", "-in", "r.key", "-pubout", "-out", "r.pub"])
            .status
            .success()
    );
    keys(&s.json(&["inspect"]), &mut found);
    keys(&s.json(&["inspect", "r.csr", "r.key", "r.pub"]), &mut found);
    let out = s
        .aitls()
        .args(["--json", "verify", "--host", "nothere.test"])
        .output()
        .unwrap();
    keys(&serde_json::from_slice(&out.stdout).unwrap(), &mut found);
    let out = s
        .aitls()
        .args(["--json", "-d", "none", "server"])
        .output()
        .unwrap();
    keys(&serde_json::from_slice(&out.stdout).unwrap(), &mut found);
    let missing: Vec<&String> = found
        .iter()
        .filter(|k| !doc.contains(&format!("`{k}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/json.md does not describe {missing:?}"
    );
}

#[test]
fn signature_algorithm_names_are_openssls() {
    let s = Sandbox::new();
    s.quick_pair();
    let dir = s.root();
    let out = openssl(
        dir,
        &[
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa.key", "-subj",
            "/CN=rsa", "-days", "1", "-out", "rsa.crt",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let files: Vec<PathBuf> = vec![
        s.file("ca.crt"),
        s.file("server.crt"),
        dir.join("rsa.crt"),
        fixtures.join("ed448.crt"),
        fixtures.join("v1.crt"),
    ];
    for file in files {
        let path = file.to_str().unwrap();
        let item = &inspect_json(&s, &[path])[0];
        let text = stdout(&openssl(dir, &["x509", "-in", path, "-noout", "-text"]));
        let line = text
            .lines()
            .find(|l| l.trim().starts_with("Signature Algorithm:"))
            .unwrap();
        let name = line
            .trim()
            .trim_start_matches("Signature Algorithm:")
            .trim();
        assert_eq!(item["signature_algorithm"], name, "{path}");
    }
}

#[test]
fn inspect_names_the_client_families_that_refuse_a_certificate() {
    let s = Sandbox::new();
    s.quick_pair();
    let items = s.json(&["inspect", "ai/certs/server.crt"]);
    assert_eq!(items[0]["refused_by"], serde_json::json!([]), "{items}");
    // A negative serial: Go ≥ 1.23 does not even parse it.
    let dir = s.root();
    let made = openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "neg.key",
            "-subj",
            "/CN=neg",
            "-addext",
            "subjectAltName=DNS:neg",
            "-set_serial",
            "-1234",
            "-days",
            "30",
            "-out",
            "neg.crt",
        ],
    );
    assert!(made.status.success(), "{}", stderr(&made));
    let items = s.json(&["inspect", "neg.crt"]);
    let refused: Vec<&str> = items[0]["refused_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    // (req -x509 makes a CA without keyUsage: Python 3.13 refuses that too.)
    assert_eq!(refused, ["python3.13", "go"], "{items}");
    let out = s.ok(&["inspect", "neg.crt"]);
    let line = stdout(&out)
        .lines()
        .find(|l| l.contains("refused by"))
        .map(str::to_owned)
        .unwrap_or_default();
    assert!(
        line.contains("go (") && line.contains("negative serial"),
        "{line}"
    );
}

#[test]
fn serials_show_what_is_there_as_openssl_prints_them_negative_ones_too() {
    // Issue #9: a negative serial was printed as its unsigned bytes (BCDE6789AC).
    let sb = Sandbox::new();
    let dir = sb.root();
    for args in [
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            "k.pem",
        ][..],
        &[
            "req",
            "-new",
            "-key",
            "k.pem",
            "-subj",
            "/CN=serial",
            "-out",
            "r.csr",
        ],
    ] {
        assert!(openssl(dir, args).status.success());
    }
    for serial in [
        "-0x4321987654",
        "-1",
        "-128",
        "-256",
        "0",
        "0x80",
        "0x0100",
        "-0x8000000000000000",
    ] {
        let out = openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                "r.csr",
                "-signkey",
                "k.pem",
                "-days",
                "3",
                "-set_serial",
                serial,
                "-out",
                "s.crt",
            ],
        );
        assert!(out.status.success(), "{serial}: {}", stderr(&out));
        let printed = stdout(&openssl(
            dir,
            &["x509", "-in", "s.crt", "-noout", "-serial"],
        ));
        let expected = printed.trim().trim_start_matches("serial=");
        let v = sb.json(&["inspect", "s.crt"]);
        assert_eq!(v[0]["serial"], expected, "{serial}");
        let text = stdout(&sb.ok(&["inspect", "s.crt"]));
        assert!(text.contains(expected), "{serial}: {text}");
    }
}

/// `n` self-signed CA certificates with one subject and no authorityKeyIdentifier (what
/// `aitls ca --force`, run again and again with each `ca.crt` kept as a copy, leaves),
/// made with rcgen: milliseconds each.
fn same_subject_cas(dir: &Path, n: usize) {
    for i in 0..n {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "AI Services CA");
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Constrained(0));
        let cert = params.self_signed(&key).unwrap();
        std::fs::write(dir.join(format!("old-ca-{i:03}.crt")), cert.pem()).unwrap();
    }
}

#[test]
fn inspect_of_a_directory_is_linear_in_its_files() {
    // 300 CA certificates with one subject: checking every CA against every file was
    // quadratic in signature checks (100 files 0.76 s, 1000 files 80 s); each certificate
    // is now checked against the CAs with its issuer's name and key id only.
    let sb = Sandbox::new();
    sb.quick_pair();
    same_subject_cas(&sb.certs(), 300);
    let started = std::time::Instant::now();
    let out = sb.ok(&["--json", "inspect"]);
    let elapsed = started.elapsed();
    assert!(
        elapsed < std::time::Duration::from_secs(3),
        "inspect of 304 files took {elapsed:?}"
    );
    let items: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(items.len(), 304);
    let by_file = |name: &str| {
        items
            .iter()
            .find(|i| i["file"].as_str().unwrap().ends_with(name))
            .unwrap()
    };
    // The links are still right: the server certificate is issued by ca.crt (not by a CA
    // with the same name and another key), the key belongs to it, and a root with no
    // copy in the directory is issued by none.
    assert_eq!(by_file("/server.crt")["issued_by"], "ai/certs/ca.crt");
    assert_eq!(by_file("/server.key")["certificate"], "ai/certs/server.crt");
    assert!(by_file("/old-ca-007.crt").get("issued_by").is_none());
    // A copy of a CA is found as the issuer of a certificate it signed.
    std::fs::copy(sb.file("ca.crt"), sb.file("ca-copy.crt")).unwrap();
    std::fs::remove_file(sb.file("ca.crt")).unwrap();
    let items: Vec<Value> = serde_json::from_slice(&sb.ok(&["--json", "inspect"]).stdout).unwrap();
    let server = items
        .iter()
        .find(|i| i["file"].as_str().unwrap().ends_with("/server.crt"))
        .unwrap();
    assert_eq!(server["issued_by"], "ai/certs/ca-copy.crt");
}

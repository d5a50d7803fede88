//! `aitls sign`: certificates for CSRs made elsewhere (openssl here), leaves and
//! subordinate CAs, checked with x509-parser and `openssl verify -x509_strict`; and every
//! kind of bad input refused with nothing written.

use std::path::Path;

use crate::util::{Sandbox, mode, openssl, stderr, with_cert};

/// An ECDSA P-256 key `NAME.key` and CSR `NAME.csr` in the sandbox root, made by openssl
/// with `-addext` values.
fn csr(s: &Sandbox, name: &str, subj: &str, addext: &[&str]) {
    let mut args = vec![
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
    ];
    let (key, out) = (format!("{name}.key"), format!("{name}.csr"));
    args.extend(["-keyout", &key, "-out", &out, "-subj", subj]);
    for ext in addext {
        args.extend(["-addext", ext]);
    }
    let o = openssl(s.root(), &args);
    assert!(o.status.success(), "openssl req: {}", stderr(&o));
}

/// Files in the certificate directory, sorted.
fn listing(s: &Sandbox) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(s.certs())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn strict_verify(dir: &Path, ca: &str, untrusted: Option<&str>, cert: &str) {
    let mut args = vec!["verify", "-x509_strict", "-CAfile", ca];
    if let Some(u) = untrusted {
        args.extend(["-untrusted", u]);
    }
    args.push(cert);
    let out = openssl(dir, &args);
    assert!(
        out.status.success(),
        "openssl verify {cert}: {}{}",
        crate::util::stdout(&out),
        stderr(&out)
    );
}

/// Runs `aitls ARGS`, expects `code`, and returns stderr.
fn fails(s: &Sandbox, args: &[&str], code: i32) -> String {
    let out = s.aitls().args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(code),
        "aitls {args:?}: {}",
        stderr(&out)
    );
    let err = stderr(&out);
    assert!(err.starts_with("error: "), "{err}");
    err
}

#[test]
fn sign_certifies_the_csr_names_and_never_writes_a_key() {
    let s = Sandbox::new();
    s.quick_ca();
    csr(
        &s,
        "host",
        "/CN=host.test",
        &["subjectAltName=DNS:host.test,IP:10.1.2.3"],
    );
    let out = s.json(&["sign", "host.csr", "--client"]);
    assert_eq!(out["action"], "created");
    assert_eq!(out["profile"], "server");
    assert_eq!(out["names"], serde_json::json!(["host.test", "10.1.2.3"]));
    assert_eq!(listing(&s), ["ca.crt", "ca.key", "host.crt"]);
    assert_eq!(mode(&s.file("host.crt")), 0o644);
    with_cert(&s.file("host.crt"), |c| {
        let bc = c.basic_constraints().unwrap().unwrap().value;
        assert!(!bc.ca);
        let eku = c.extended_key_usage().unwrap().unwrap().value;
        assert!(eku.server_auth && eku.client_auth);
        assert_eq!(c.subject().to_string(), "CN=host.test");
    });
    strict_verify(s.root(), "ai/certs/ca.crt", None, "ai/certs/host.crt");
    // The key that stayed with its owner matches, as aitls verify sees it.
    s.ok(&[
        "verify",
        "ai/certs/host.crt",
        "--key",
        "host.key",
        "--host",
        "host.test",
        "--host",
        "10.1.2.3",
    ]);
}

#[test]
fn sign_names_given_replace_the_csr_names() {
    let s = Sandbox::new();
    s.quick_ca();
    csr(&s, "req", "/CN=old.test", &["subjectAltName=DNS:old.test"]);
    let out = s.json(&["sign", "req.csr", "new.test", "::1", "--out", "new"]);
    assert_eq!(out["names"], serde_json::json!(["new.test", "::1"]));
    assert_eq!(out["common_name"], "new.test");
    with_cert(&s.file("new.crt"), |c| {
        let san = c.subject_alternative_name().unwrap().unwrap().value;
        assert_eq!(san.general_names.len(), 2);
        assert!(!format!("{san:?}").contains("old.test"));
    });
}

#[test]
fn a_csr_asking_for_ca_true_gets_a_leaf_without_intermediate() {
    let s = Sandbox::new();
    s.ok(&["ca", "--key-type", "ecdsa-p256", "--pathlen", "1"]);
    csr(
        &s,
        "sneaky",
        "/CN=sneaky.test",
        &[
            "subjectAltName=DNS:sneaky.test",
            "basicConstraints=critical,CA:TRUE",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
    let out = s.aitls().args(["sign", "sneaky.csr"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("asks for CA:TRUE"),
        "{}",
        stderr(&out)
    );
    with_cert(&s.file("sneaky.crt"), |c| {
        assert!(!c.basic_constraints().unwrap().unwrap().value.ca);
        let ku = c.key_usage().unwrap().unwrap().value;
        assert!(!ku.key_cert_sign() && ku.digital_signature());
    });
}

#[test]
fn sign_refuses_a_csr_whose_signature_does_not_verify() {
    let s = Sandbox::new();
    s.quick_ca();
    csr(&s, "h", "/CN=h.test", &["subjectAltName=DNS:h.test"]);
    let o = openssl(
        s.root(),
        &["req", "-in", "h.csr", "-outform", "DER", "-out", "h.der"],
    );
    assert!(o.status.success());
    let mut der = std::fs::read(s.root().join("h.der")).unwrap();
    // Change one name byte inside the signed part: the signature no longer covers it.
    let at = der.windows(6).position(|w| w == b"h.test").unwrap();
    der[at] = b'x';
    std::fs::write(s.root().join("bad.der"), &der).unwrap();
    let err = fails(&s, &["sign", "bad.der"], 2);
    assert!(err.contains("bad.der has a bad signature"), "{err}");
    assert_eq!(listing(&s), ["ca.crt", "ca.key"]);
}

#[test]
fn sign_refuses_trailing_garbage_after_a_der_or_pem_csr() {
    let s = Sandbox::new();
    s.quick_ca();
    csr(&s, "h", "/CN=h.test", &["subjectAltName=DNS:h.test"]);
    let o = openssl(
        s.root(),
        &["req", "-in", "h.csr", "-outform", "DER", "-out", "h.der"],
    );
    assert!(o.status.success());
    let mut der = std::fs::read(s.root().join("h.der")).unwrap();
    der.extend_from_slice(b"\x00\x01garbage");
    std::fs::write(s.root().join("tail.der"), &der).unwrap();
    let mut pem = std::fs::read(s.root().join("h.csr")).unwrap();
    pem.extend_from_slice(b"appended by someone\n");
    std::fs::write(s.root().join("tail.csr"), &pem).unwrap();
    let err = fails(&s, &["sign", "tail.der"], 2);
    assert!(err.contains("tail.der"), "{err}");
    let err = fails(&s, &["sign", "tail.csr"], 2);
    assert!(
        err.contains("tail.csr has data after the END CERTIFICATE REQUEST line"),
        "{err}"
    );
    assert_eq!(listing(&s), ["ca.crt", "ca.key"]);
    // The same bytes without the tail are signed.
    s.ok(&["sign", "h.der", "--out", "clean"]);
}

#[test]
fn sign_refuses_names_outside_the_ca_name_constraints() {
    let s = Sandbox::new();
    constrained_root(&s, "pathlen:0");
    csr(
        &s,
        "evil",
        "/CN=bank.example",
        &["subjectAltName=DNS:bank.example"],
    );
    let err = fails(&s, &["sign", "evil.csr"], 1);
    assert!(
        err.contains("bank.example is outside") && err.contains("name constraints"),
        "{err}"
    );
    // Names given on the command line are checked the same way.
    let err = fails(&s, &["sign", "evil.csr", "api.internal", "192.168.1.9"], 1);
    assert!(err.contains("192.168.1.9 is outside"), "{err}");
    assert_eq!(listing(&s), ["ca.crt", "ca.key"]);
    s.ok(&["sign", "evil.csr", "api.internal", "10.0.0.7"]);
    strict_verify(s.root(), "ai/certs/ca.crt", None, "ai/certs/evil.crt");
}

/// A root made by openssl with critical nameConstraints (DNS .internal, IP 10.0.0.0/8)
/// and the given path length, written as DIR/ca.crt and DIR/ca.key.
fn constrained_root(s: &Sandbox, pathlen: &str) {
    std::fs::create_dir_all(s.certs()).unwrap();
    let bc = format!("basicConstraints=critical,CA:TRUE,{pathlen}");
    let o = openssl(
        s.root(),
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "ai/certs/ca.key",
            "-out",
            "ai/certs/ca.crt",
            "-days",
            "30",
            "-subj",
            "/CN=Constrained CA",
            "-addext",
            &bc,
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-addext",
            "nameConstraints=critical,permitted;DNS:internal,permitted;IP:10.0.0.0/255.0.0.0",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_pathlen_0_root_refuses_an_intermediate_and_names_the_fix() {
    let s = Sandbox::new();
    s.quick_ca();
    csr(&s, "int", "/CN=Sub CA", &[]);
    let err = fails(&s, &["sign", "--intermediate", "int.csr"], 1);
    assert!(err.contains("pathlen:0"), "{err}");
    assert!(err.contains("`aitls ca --renew --pathlen 1`"), "{err}");
    assert_eq!(listing(&s), ["ca.crt", "ca.key"]);
    // The command in the hint names the directory in force.
    s.ok(&["-d", "other", "ca", "--key-type", "ecdsa-p256"]);
    let err = fails(&s, &["-d", "other", "sign", "--intermediate", "int.csr"], 1);
    assert!(
        err.contains("`aitls --dir other ca --renew --pathlen 1`"),
        "{err}"
    );
}

#[test]
fn ca_pathlen_makes_a_root_that_signs_intermediates() {
    let s = Sandbox::new();
    s.ok(&["ca", "--key-type", "ecdsa-p256", "--pathlen", "1"]);
    with_cert(&s.file("ca.crt"), |c| {
        let bc = c.basic_constraints().unwrap().unwrap().value;
        assert_eq!((bc.ca, bc.path_len_constraint), (true, Some(1)));
    });
    // Kept when asked again; a different --pathlen is named in a warning, not applied.
    let out = s.aitls().args(["ca", "--pathlen", "2"]).output().unwrap();
    assert!(out.status.success());
    assert!(stderr(&out).contains("--pathlen 2"), "{}", stderr(&out));
}

#[test]
fn an_intermediate_gets_the_subordinate_profile_and_the_root_constraints() {
    let s = Sandbox::new();
    constrained_root(&s, "pathlen:1");
    csr(
        &s,
        "sub",
        "/O=Lab/CN=Lab Intermediate",
        &["basicConstraints=critical,CA:TRUE,pathlen:5"],
    );
    let out = s.json(&["sign", "--intermediate", "sub.csr", "--days", "20"]);
    assert_eq!(out["profile"], "intermediate");
    assert_eq!(out["common_name"], "Lab Intermediate");
    assert!(out["names"].is_null());
    with_cert(&s.file("sub.crt"), |c| {
        let bc = c.basic_constraints().unwrap().unwrap();
        assert!(bc.critical);
        assert_eq!((bc.value.ca, bc.value.path_len_constraint), (true, Some(0)));
        let ku = c.key_usage().unwrap().unwrap();
        assert!(ku.critical && ku.value.key_cert_sign() && ku.value.crl_sign());
        let nc = c.name_constraints().unwrap().unwrap();
        assert!(nc.critical);
        assert_eq!(nc.value.permitted_subtrees.as_ref().unwrap().len(), 2);
        assert_eq!(c.subject().to_string(), "O=Lab, CN=Lab Intermediate");
        assert!(c.extended_key_usage().unwrap().is_none());
    });
    strict_verify(s.root(), "ai/certs/ca.crt", None, "ai/certs/sub.crt");
    // A leaf the intermediate signs (as OpenBao would) chains to the root.
    csr(&s, "leaf", "/CN=api.internal", &[]);
    let o = openssl(
        s.root(),
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ai/certs/sub.crt",
            "-CAkey",
            "sub.key",
            "-days",
            "5",
            "-out",
            "leaf.crt",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = openssl(
        s.root(),
        &[
            "verify",
            "-CAfile",
            "ai/certs/ca.crt",
            "-untrusted",
            "ai/certs/sub.crt",
            "leaf.crt",
        ],
    );
    assert!(out.status.success(), "{}", crate::util::stdout(&out));
}

#[test]
fn sign_refuses_to_write_beside_a_key_that_is_not_the_csrs() {
    let s = Sandbox::new();
    s.quick_pair();
    csr(&s, "h", "/CN=h.test", &["subjectAltName=DNS:h.test"]);
    let before = s.read("server.crt");
    let err = fails(&s, &["sign", "h.csr", "--out", "server"], 1);
    assert!(
        err.contains("server.key exists and is not the key of this CSR"),
        "{err}"
    );
    assert_eq!(s.read("server.crt"), before);
}

#[test]
fn sign_bad_usage_is_exit_2() {
    let s = Sandbox::new();
    s.quick_ca();
    csr(&s, "h", "/CN=h.test", &[]);
    let err = fails(&s, &["sign", "h.csr"], 2);
    assert!(err.contains("requests no DNS name or IP address"), "{err}");
    assert!(err.contains("`aitls sign h.csr NAME...`"), "{err}");
    let err = fails(&s, &["sign", "h.csr", "h.test", "--days", "900"], 2);
    assert!(err.contains("825"), "{err}");
    let err = fails(&s, &["sign", "-", "h.test"], 2);
    assert!(err.contains("--out"), "{err}");
    fails(&s, &["sign", "missing.csr", "h.test"], 2);
    std::fs::write(s.root().join("cert.pem"), s.read("ca.crt")).unwrap();
    let err = fails(&s, &["sign", "cert.pem", "h.test"], 2);
    assert!(
        err.contains("is not a certificate signing request"),
        "{err}"
    );
    assert_eq!(listing(&s), ["ca.crt", "ca.key"]);
}

#[test]
fn sign_json_fields_are_documented() {
    let s = Sandbox::new();
    s.quick_ca();
    csr(&s, "h", "/CN=h.test", &["subjectAltName=DNS:h.test"]);
    let out = s.json(&["sign", "h.csr"]);
    let doc = std::fs::read_to_string(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/json.md"),
    )
    .unwrap();
    let section = doc
        .split("## `aitls sign`")
        .nth(1)
        .expect("docs/json.md has a section for aitls sign");
    for key in out.as_object().unwrap().keys() {
        assert!(
            section.contains(&format!("`{key}`")),
            "docs/json.md does not describe sign's `{key}`"
        );
    }
}

#[test]
fn an_intermediate_needs_a_name_of_its_own() {
    let s = Sandbox::new();
    s.ok(&["ca", "--key-type", "ecdsa-p256", "--pathlen", "1"]);
    csr(&s, "twin", "/CN=AI Services CA", &[]);
    let err = fails(&s, &["sign", "--intermediate", "twin.csr"], 2);
    assert!(err.contains("the root CA's own name"), "{err}");
    csr(&s, "anon", "/O=Lab", &[]);
    let err = fails(&s, &["sign", "--intermediate", "anon.csr"], 2);
    assert!(err.contains("no subject common name"), "{err}");
    assert_eq!(listing(&s), ["ca.crt", "ca.key"]);
}

#[test]
fn an_rsa_csr_gets_key_encipherment_and_a_short_rsa_key_is_refused() {
    let s = Sandbox::new();
    s.quick_ca();
    for (name, bits) in [("rsa", "2048"), ("weak", "1024")] {
        let keyopt = format!("rsa_keygen_bits:{bits}");
        let (key, out) = (format!("{name}.key"), format!("{name}.csr"));
        let o = openssl(
            s.root(),
            &[
                "req",
                "-new",
                "-newkey",
                "rsa",
                "-pkeyopt",
                &keyopt,
                "-nodes",
                "-keyout",
                &key,
                "-out",
                &out,
                "-subj",
                "/CN=r.test",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    s.ok(&["sign", "rsa.csr", "r.test"]);
    with_cert(&s.file("rsa.crt"), |c| {
        let ku = c.key_usage().unwrap().unwrap().value;
        assert!(ku.digital_signature() && ku.key_encipherment());
    });
    let err = fails(&s, &["sign", "weak.csr", "r.test"], 2);
    assert!(err.contains("1024-bit RSA key"), "{err}");
    assert!(!s.file("weak.crt").exists());
}

#[test]
fn sign_reads_a_csr_from_stdin_with_out() {
    let s = Sandbox::new();
    s.quick_ca();
    csr(&s, "h", "/CN=h.test", &["subjectAltName=DNS:h.test"]);
    let pem = std::fs::read(s.root().join("h.csr")).unwrap();
    s.aitls()
        .args(["sign", "-", "--out", "piped"])
        .write_stdin(pem)
        .assert()
        .success();
    strict_verify(s.root(), "ai/certs/ca.crt", None, "ai/certs/piped.crt");
}

#[test]
fn renewing_a_pathlen_0_root_with_pathlen_1_keeps_its_key_and_allows_intermediates() {
    let s = Sandbox::new();
    s.quick_pair();
    csr(&s, "int", "/CN=Sub CA", &[]);
    let err = fails(&s, &["sign", "--intermediate", "int.csr"], 1);
    assert!(err.contains("`aitls ca --renew --pathlen 1`"), "{err}");
    let key_before = s.read("ca.key");
    // The command the hint names, as printed.
    let out = s.json(&["ca", "--renew", "--pathlen", "1"]);
    assert_eq!(out["action"], "renewed");
    assert_eq!(s.read("ca.key"), key_before, "same key");
    with_cert(&s.file("ca.crt"), |c| {
        let bc = c.basic_constraints().unwrap().unwrap().value;
        assert_eq!(bc.path_len_constraint, Some(1));
    });
    // What the old root signed still verifies against the renewed one.
    strict_verify(s.root(), "ai/certs/ca.crt", None, "ai/certs/server.crt");
    s.ok(&["sign", "--intermediate", "int.csr"]);
    strict_verify(s.root(), "ai/certs/ca.crt", None, "ai/certs/int.crt");
    // Renewed again without --pathlen, the path length stays.
    s.ok(&["ca", "--renew"]);
    with_cert(&s.file("ca.crt"), |c| {
        let bc = c.basic_constraints().unwrap().unwrap().value;
        assert_eq!(bc.path_len_constraint, Some(1));
    });
}

#[test]
fn a_leak_safe_root_passes_its_constraints_to_the_intermediate_and_sign_keeps_to_them() {
    let s = Sandbox::new();
    s.ok(&[
        "ca",
        "--key-type",
        "ecdsa-p256",
        "--permit",
        ".internal",
        "--pathlen",
        "1",
    ]);
    csr(&s, "sub", "/CN=Bao Intermediate", &[]);
    s.ok(&["sign", "--intermediate", "sub.csr"]);
    let nc = |path: &std::path::Path| {
        with_cert(path, |c| {
            let ext = c
                .extensions()
                .iter()
                .find(|e| e.oid.to_id_string() == "2.5.29.30")
                .expect("nameConstraints");
            (ext.critical, ext.value.to_vec())
        })
    };
    assert_eq!(
        nc(&s.file("sub.crt")),
        nc(&s.file("ca.crt")),
        "copied byte for byte"
    );
    csr(
        &s,
        "out",
        "/CN=example.com",
        &["subjectAltName=DNS:example.com"],
    );
    let err = fails(&s, &["sign", "out.csr"], 1);
    assert!(err.contains("example.com is outside"), "{err}");
    s.ok(&["sign", "out.csr", "api.internal"]);
}

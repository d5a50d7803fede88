//! CA fitness (SPEC §2 `aitls ca`, §4): a `ca.crt` that cannot sign is never "kept", never
//! signed under, and fails `verify`; the CA pair itself is checked by `verify` in DIR.
//! Every bad CA here is made by real `openssl`, as a user's or another tool's would be.

use std::path::Path;
use std::process::{Command, Output};

use crate::util::{Sandbox, stderr, stdout, tool};

/// What an unfit CA is, how openssl makes it, and the phrase aitls must name it by.
struct BadCa {
    name: &'static str,
    /// Lines of the `[ext]` section of the openssl config.
    ext: &'static str,
    /// `faketime -f` offset for making it (not-yet-valid, expired), if any.
    clock: Option<&'static str>,
    /// The phrase in aitls's error.
    phrase: &'static str,
}

const BAD_CAS: [BadCa; 7] = [
    BadCa {
        name: "CA:FALSE",
        ext: "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,keyCertSign,cRLSign",
        clock: None,
        phrase: "CA:FALSE",
    },
    BadCa {
        name: "no basicConstraints",
        ext: "keyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash",
        clock: None,
        phrase: "no basicConstraints",
    },
    BadCa {
        name: "keyUsage without keyCertSign",
        ext: "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,digitalSignature",
        clock: None,
        phrase: "without keyCertSign",
    },
    BadCa {
        name: "unknown critical extension",
        ext: "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n1.2.3.4.5=critical,ASN1:UTF8String:surprise",
        clock: None,
        phrase: "critical extension 1.2.3.4.5",
    },
    BadCa {
        name: "not yet valid",
        ext: "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign",
        clock: Some("+10d"),
        phrase: "not valid until",
    },
    BadCa {
        name: "expired",
        ext: "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign",
        clock: Some("-400d"),
        phrase: "expired on",
    },
    BadCa {
        name: "X.509 v1",
        ext: "",
        clock: None,
        phrase: "X.509 v1",
    },
];

fn openssl_in(dir: &Path, clock: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = match clock {
        Some(offset) => {
            let mut c = Command::new(tool("faketime", "faketime"));
            c.args(["-f", offset]).arg(tool("openssl", "openssl"));
            c
        }
        None => Command::new(tool("openssl", "openssl")),
    };
    let out = cmd.args(args).current_dir(dir).output().expect("openssl");
    assert!(out.status.success(), "openssl {args:?}: {}", stderr(&out));
    out
}

/// Writes `DIR/ca.key` (P-256) and a `DIR/ca.crt` for it as `bad` describes.
fn make_ca(dir: &Path, bad: &BadCa) {
    std::fs::create_dir_all(dir).unwrap();
    openssl_in(
        dir,
        None,
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            "ca.key",
        ],
    );
    openssl_in(
        dir,
        None,
        &[
            "req",
            "-new",
            "-key",
            "ca.key",
            "-subj",
            "/CN=Bad CA",
            "-out",
            "ca.csr",
        ],
    );
    let mut args = vec![
        "x509", "-req", "-in", "ca.csr", "-signkey", "ca.key", "-days", "365", "-out", "ca.crt",
    ];
    if !bad.ext.is_empty() {
        std::fs::write(dir.join("ext.cnf"), format!("[ext]\n{}\n", bad.ext)).unwrap();
        args.extend(["-extfile", "ext.cnf", "-extensions", "ext"]);
    }
    openssl_in(dir, bad.clock, &args);
    for f in ["ca.csr", "ext.cnf"] {
        let _ = std::fs::remove_file(dir.join(f));
    }
    std::fs::set_permissions(
        dir.join("ca.key"),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
}

/// Signs a P-256 server certificate for localhost under `DIR/ca.*` with openssl, as a
/// tool that does not check its CA would.
fn openssl_leaf(dir: &Path) {
    openssl_in(
        dir,
        None,
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            "server.key",
        ],
    );
    std::fs::set_permissions(
        dir.join("server.key"),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    openssl_in(
        dir,
        None,
        &[
            "req",
            "-new",
            "-key",
            "server.key",
            "-subj",
            "/CN=localhost",
            "-out",
            "server.csr",
        ],
    );
    std::fs::write(
        dir.join("leaf.cnf"),
        "[ext]\nsubjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n",
    )
    .unwrap();
    openssl_in(
        dir,
        None,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "10",
            "-extfile",
            "leaf.cnf",
            "-extensions",
            "ext",
            "-out",
            "server.crt",
        ],
    );
}

#[test]
fn ca_never_calls_an_unfit_ca_kept_and_names_the_defect_and_its_cost() {
    for bad in &BAD_CAS {
        let sb = Sandbox::new();
        make_ca(&sb.certs(), bad);
        let before = sb.read("ca.crt");
        let out = sb
            .aitls()
            .args(["ca", "--key-type", "ecdsa-p256"])
            .output()
            .unwrap();
        let err = stderr(&out);
        if bad.name == "expired" {
            // Not kept either: an expired CA is renewed for the same key (SPEC §2), so
            // what it issued before verifies again.
            assert_eq!(out.status.code(), Some(0), "{}: {err}", bad.name);
            assert!(stdout(&out).starts_with("renewed"), "{}", stdout(&out));
            assert_ne!(sb.read("ca.crt"), before);
            continue;
        }
        if bad.name == "keyUsage without keyCertSign" {
            // Renewal repairs it for the same key: the fix keeps every client's trust.
            assert_eq!(out.status.code(), Some(1), "{}: {err}", bad.name);
            assert!(err.contains(bad.phrase), "{}: {err}", bad.name);
            assert!(err.contains("aitls ca --renew"), "{}: {err}", bad.name);
            assert_eq!(sb.read("ca.crt"), before, "{}: untouched", bad.name);
            let key = sb.read("ca.key");
            sb.ok(&["ca", "--renew"]);
            assert_eq!(sb.read("ca.key"), key, "renewal keeps the key");
            sb.ok(&["ca"]);
            continue;
        }
        assert_eq!(out.status.code(), Some(1), "{}: {err}", bad.name);
        assert!(err.starts_with("error: the CA "), "{}: {err}", bad.name);
        assert!(err.contains(bad.phrase), "{}: {err}", bad.name);
        assert!(!stdout(&out).contains("kept"), "{}", bad.name);
        // The fix is a new CA, and it says what that costs.
        if bad.clock == Some("+10d") {
            assert!(err.contains("clock"), "{}: {err}", bad.name);
        }
        assert!(
            err.contains("aitls ca --force") && err.contains("trusts the old ca.crt"),
            "{}: {err}",
            bad.name
        );
        assert_eq!(sb.read("ca.crt"), before, "{}: untouched", bad.name);
        // --json says the same as one error object, with the fix worded.
        let out = sb.aitls().args(["--json", "ca"]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", bad.name);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(v["error"].as_str().unwrap().contains(bad.phrase), "{v}");
        assert!(
            v["hint"].as_str().unwrap().contains("aitls ca --force"),
            "{v}"
        );
        assert_eq!(v["exit_code"], 1, "{v}");
    }
}

#[test]
fn server_never_signs_under_an_unfit_ca() {
    for bad in &BAD_CAS {
        let sb = Sandbox::new();
        make_ca(&sb.certs(), bad);
        let out = sb
            .aitls()
            .args(["server", "--key-type", "ecdsa-p256"])
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{}: {err}", bad.name);
        assert!(err.contains(bad.phrase), "{}: {err}", bad.name);
        assert!(
            !sb.file("server.crt").exists(),
            "{}: nothing issued",
            bad.name
        );
        assert!(
            !sb.file("server.key").exists(),
            "{}: nothing written",
            bad.name
        );
    }
}

#[test]
fn verify_fails_a_certificate_under_an_unfit_ca_as_openssl_does() {
    for bad in BAD_CAS.iter().filter(|b| b.clock.is_none()) {
        let sb = Sandbox::new();
        let dir = sb.certs();
        make_ca(&dir, bad);
        openssl_leaf(&dir);
        // openssl itself refuses the chain (so the CA really is unfit) ...
        let ossl = Command::new(tool("openssl", "openssl"))
            .args([
                "verify",
                "-x509_strict",
                "-purpose",
                "sslserver",
                "-CAfile",
                "ca.crt",
                "server.crt",
            ])
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(!ossl.status.success(), "{}: openssl accepts it", bad.name);
        // ... and so does aitls verify, naming the defect on its ca (or chain) line.
        let out = sb.aitls().args(["--json", "verify"]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}: {}", bad.name, stdout(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["valid"], false);
        let ca = v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "ca")
            .unwrap_or_else(|| panic!("{}: no ca check in {v}", bad.name));
        assert_eq!(ca["ok"], false, "{}: {ca}", bad.name);
        assert!(
            ca["detail"].as_str().unwrap().contains(bad.phrase),
            "{}: {ca}",
            bad.name
        );
    }
}

#[test]
fn a_ca_without_key_usage_is_kept_with_a_warning() {
    // The seed recipe's CA: `openssl req -x509` with basicConstraints and no keyUsage.
    let sb = Sandbox::new();
    make_ca(
        &sb.certs(),
        &BadCa {
            name: "no keyUsage",
            ext: "basicConstraints=critical,CA:TRUE\nsubjectKeyIdentifier=hash",
            clock: None,
            phrase: "",
        },
    );
    let out = sb.aitls().args(["ca"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("kept"), "{}", stdout(&out));
    assert!(stderr(&out).contains("no keyUsage"), "{}", stderr(&out));
    sb.ok(&["server", "--key-type", "ecdsa-p256"]);
}

#[test]
fn ca_force_replaces_an_unfit_ca() {
    let sb = Sandbox::new();
    make_ca(&sb.certs(), &BAD_CAS[0]);
    let v = sb.json(&["ca", "--force", "--key-type", "ecdsa-p256"]);
    assert_eq!(v["action"], "replaced");
    sb.ok(&["server", "--key-type", "ecdsa-p256"]);
    sb.ok(&["verify"]);
}

#[test]
fn verify_words_webpki_errors_never_as_rust_identifiers() {
    // Issue #9: `MalformedNameConstraint`, `InvalidNetworkMaskConstraint` … were printed
    // from a Debug fallback. CAs with such constraints, made by openssl.
    for (constraint, san, words, identifier) in [
        (
            "permitted;IP:10.0.0.0/255.0.255.0",
            "IP:10.0.0.1",
            "not a valid network mask",
            "InvalidNetworkMaskConstraint",
        ),
        (
            "permitted;DNS:.bad..example",
            "DNS:a.example",
            "name constraints are malformed",
            "MalformedNameConstraint",
        ),
    ] {
        let sb = Sandbox::new();
        let dir = sb.certs();
        let ext = format!(
            "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nnameConstraints=critical,{constraint}"
        );
        let bad = BadCa {
            name: identifier,
            ext: Box::leak(ext.into_boxed_str()),
            clock: None,
            phrase: "",
        };
        make_ca(&dir, &bad);
        openssl_leaf(&dir);
        // The leaf's name: rewrite its subjectAltName to one the constraint is about.
        std::fs::write(
            dir.join("leaf.cnf"),
            format!("[ext]\nsubjectAltName={san}\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n"),
        )
        .unwrap();
        openssl_in(
            &dir,
            None,
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "10",
                "-extfile",
                "leaf.cnf",
                "-extensions",
                "ext",
                "-out",
                "server.crt",
            ],
        );
        let out = sb.aitls().args(["verify"]).output().unwrap();
        let text = stdout(&out);
        assert_eq!(out.status.code(), Some(1), "{identifier}: {text}");
        assert!(text.contains(words), "{identifier}: {text}");
        assert!(!text.contains(identifier), "{identifier}: {text}");
        assert!(!text.contains("rejected ("), "{identifier}: {text}");
    }
}

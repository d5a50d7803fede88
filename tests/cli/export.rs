//! `aitls export`: every format read back by the tool that consumes it — OpenSSL 3
//! without `-legacy`, Java's keytool and Python's `cryptography` for PKCS#12, PyYAML for
//! the Kubernetes and cert-manager manifests — and the refusals (empty password, a key to a
//! terminal, a certificate without its key).

use std::path::Path;
use std::process::Command;

use crate::util::{Sandbox, mode, openssl, stderr, stdout, tool};

/// A CA and a `server` pair, both ECDSA P-256, plus a password file `pw`.
fn sandbox() -> Sandbox {
    let s = Sandbox::new();
    s.quick_pair();
    std::fs::write(s.root().join("pw"), "correct horse\n").unwrap();
    s
}

/// Runs python3 (with `cryptography` and `yaml`, from .ci/requirements.txt) on `script`
/// with `args`, in `dir`; returns stdout, asserting success.
fn python(dir: &Path, script: &str, args: &[&str]) -> String {
    let py = tool("python3", "python3 + .ci/requirements.txt");
    let out = Command::new(py)
        .arg("-c")
        .arg(script)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "python: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn p12_uses_modern_encryption_and_openssl_java_and_python_read_it() {
    let s = sandbox();
    let out = s.json(&[
        "export",
        "--format",
        "p12",
        "--password-file",
        "pw",
        "-o",
        "server.p12",
    ]);
    assert_eq!(out["holds_key"], true);
    assert_eq!(out["mode"], "0600");
    assert_eq!(mode(&s.root().join("server.p12")), 0o600);

    // OpenSSL 3 without -legacy: the default provider only (no RC2, no 3DES).
    let o = openssl(
        s.root(),
        &[
            "pkcs12",
            "-info",
            "-nodes",
            "-in",
            "server.p12",
            "-passin",
            "pass:correct horse",
        ],
    );
    let info = format!("{}{}", stdout(&o), stderr(&o));
    assert!(o.status.success(), "{info}");
    assert!(info.contains("MAC: sha256"), "{info}");
    assert_eq!(
        info.matches("PBES2, PBKDF2, AES-256-CBC").count(),
        2,
        "certificates and key both AES-256: {info}"
    );
    assert!(info.contains("PRF hmacWithSHA256"), "{info}");
    assert!(!info.contains("RC2") && !info.contains("3DES"), "{info}");
    assert!(info.contains("BEGIN PRIVATE KEY"), "{info}");
    // Java's keytool.
    let keytool = tool("keytool", "default-jdk-headless");
    let o = Command::new(keytool)
        .args(["-list", "-storetype", "PKCS12", "-keystore", "server.p12"])
        .args(["-storepass", "correct horse"])
        .current_dir(s.root())
        .output()
        .unwrap();
    assert!(o.status.success(), "keytool: {}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("PrivateKeyEntry"), "{}", stdout(&o));
    // Python's cryptography, as a Python service loads it: key matches the leaf, the CA rides along.
    let got = python(
        s.root(),
        r#"
import sys
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12, Encoding, PublicFormat
key, cert, extra = pkcs12.load_key_and_certificates(open("server.p12","rb").read(), b"correct horse")
leaf = x509.load_pem_x509_certificate(open("ai/certs/server.crt","rb").read())
ca = x509.load_pem_x509_certificate(open("ai/certs/ca.crt","rb").read())
assert cert == leaf, "leaf"
assert [c for c in extra] == [ca], "ca"
pub = lambda k: k.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
assert pub(key.public_key()) == pub(leaf.public_key()), "key"
print("ok")
"#,
        &[],
    );
    assert_eq!(got.trim(), "ok");
    // A wrong password is refused by the reader: the MAC is checked.
    let o = openssl(
        s.root(),
        &[
            "pkcs12",
            "-info",
            "-nodes",
            "-in",
            "server.p12",
            "-passin",
            "pass:wrong",
        ],
    );
    assert!(!o.status.success());
}

#[test]
fn p12_password_comes_from_the_environment_and_an_empty_one_is_refused() {
    let s = sandbox();
    s.aitls()
        .env("AITLS_P12_PASSWORD", "from-env")
        .args(["export", "--format", "p12", "-o", "env.p12"])
        .assert()
        .success();
    let o = openssl(
        s.root(),
        &[
            "pkcs12",
            "-info",
            "-nodes",
            "-in",
            "env.p12",
            "-passin",
            "pass:from-env",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));

    for (env, file) in [(Some(""), None), (None, None), (None, Some("empty"))] {
        std::fs::write(s.root().join("empty"), "\n").unwrap();
        let mut cmd = s.aitls();
        cmd.args(["export", "--format", "p12", "-o", "no.p12"]);
        if let Some(v) = env {
            cmd.env("AITLS_P12_PASSWORD", v);
        }
        if let Some(f) = file {
            cmd.args(["--password-file", f]);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{env:?} {file:?}");
        let err = stderr(&out);
        assert!(
            err.starts_with("error: ") && err.contains("--no-password"),
            "{err}"
        );
        assert!(!s.root().join("no.p12").exists(), "nothing written");
    }
    // Asked for explicitly, a password-less file is written and read with an empty password.
    s.ok(&[
        "export",
        "--format",
        "p12",
        "--no-password",
        "-o",
        "open.p12",
    ]);
    let o = openssl(
        s.root(),
        &[
            "pkcs12", "-info", "-nodes", "-in", "open.p12", "-passin", "pass:",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn k8s_secret_reads_back_with_the_files_base64_encoded() {
    let s = sandbox();
    s.ok(&[
        "export",
        "--format",
        "k8s-secret",
        "--namespace",
        "ai",
        "-o",
        "secret.yaml",
    ]);
    assert_eq!(mode(&s.root().join("secret.yaml")), 0o600);
    let got = python(
        s.root(),
        r#"
import base64, yaml
docs = list(yaml.safe_load_all(open("secret.yaml")))
assert len(docs) == 1, docs
d = docs[0]
assert d["apiVersion"] == "v1" and d["kind"] == "Secret", d
assert d["type"] == "kubernetes.io/tls", d
assert d["metadata"] == {"name": "server-tls", "namespace": "ai"}, d["metadata"]
data = {k: base64.b64decode(v, validate=True) for k, v in d["data"].items()}
assert sorted(data) == ["ca.crt", "tls.crt", "tls.key"], sorted(data)
assert data["tls.crt"] == open("ai/certs/server.crt","rb").read(), "tls.crt"
assert data["tls.key"] == open("ai/certs/server.key","rb").read(), "tls.key"
assert data["ca.crt"] == open("ai/certs/ca.crt","rb").read(), "ca.crt"
print("ok")
"#,
        &[],
    );
    assert_eq!(got.trim(), "ok");
}

#[test]
fn cert_manager_export_is_a_ca_secret_and_an_issuer_of_kind_ca() {
    let s = sandbox();
    s.ok(&[
        "export",
        "ca",
        "--format",
        "cert-manager",
        "-o",
        "issuer.yaml",
    ]);
    let got = python(
        s.root(),
        r#"
import base64, yaml
secret, issuer = yaml.safe_load_all(open("issuer.yaml"))
assert secret["kind"] == "Secret" and secret["type"] == "kubernetes.io/tls", secret
name = secret["metadata"]["name"]
assert name == "aitls-ca", name
data = {k: base64.b64decode(v) for k, v in secret["data"].items()}
assert data["tls.crt"] == open("ai/certs/ca.crt","rb").read()
assert data["tls.key"] == open("ai/certs/ca.key","rb").read()
assert issuer["apiVersion"] == "cert-manager.io/v1" and issuer["kind"] == "Issuer", issuer
assert issuer["spec"] == {"ca": {"secretName": name}}, issuer["spec"]
print("ok")
"#,
        &[],
    );
    assert_eq!(got.trim(), "ok");
    // cert-manager issues from the CA, not from a leaf.
    let out = s
        .aitls()
        .args(["export", "--format", "cert-manager", "-o", "x.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("export `ca`"), "{}", stderr(&out));
}

#[test]
fn fullchain_and_pem_bundle_hold_what_their_readers_expect() {
    let s = sandbox();
    s.ok(&["export", "--format", "fullchain", "-o", "full.pem"]);
    assert_eq!(mode(&s.root().join("full.pem")), 0o644);
    let full = std::fs::read_to_string(s.root().join("full.pem")).unwrap();
    let server = String::from_utf8(s.read("server.crt")).unwrap();
    let ca = String::from_utf8(s.read("ca.crt")).unwrap();
    assert_eq!(full, format!("{server}{ca}"), "leaf first, then the CA");
    assert!(!full.contains("PRIVATE KEY"));

    s.ok(&["export", "ca", "--format", "pem-bundle", "-o", "bundle.pem"]);
    assert_eq!(mode(&s.root().join("bundle.pem")), 0o600);
    let bundle = std::fs::read_to_string(s.root().join("bundle.pem")).unwrap();
    let key = String::from_utf8(s.read("ca.key")).unwrap();
    assert_eq!(bundle, format!("{key}{ca}"));
    // openssl finds the key and the certificate in it, and they match.
    let k = openssl(s.root(), &["pkey", "-in", "bundle.pem", "-pubout"]);
    let c = openssl(
        s.root(),
        &["x509", "-in", "bundle.pem", "-noout", "-pubkey"],
    );
    assert!(k.status.success() && c.status.success());
    assert_eq!(stdout(&k), stdout(&c));
}

#[test]
fn export_prints_to_a_pipe_but_never_a_key_to_a_terminal() {
    let s = sandbox();
    let out = s.ok(&["export", "--format", "pem-bundle"]);
    assert!(stdout(&out).starts_with("-----BEGIN PRIVATE KEY-----"));
    // Under a pseudo-terminal (util-linux `script`), a key is refused, a chain is not.
    let script = tool("script", "bsdutils");
    let bin = env!("CARGO_BIN_EXE_aitls");
    let run = |args: &str| {
        Command::new(&script)
            .args(["-qec", &format!("{bin} {args}"), "/dev/null"])
            .current_dir(s.root())
            .env_remove("AITLS_DIR")
            .output()
            .unwrap()
    };
    let out = run("export --format pem-bundle");
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stdout(&out).contains("refusing to print a private key to the terminal"));
    assert!(!stdout(&out).contains("BEGIN PRIVATE KEY"));
    let out = run("export --format fullchain");
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains("BEGIN CERTIFICATE"));
}

#[test]
fn export_refuses_what_it_cannot_export_correctly() {
    let s = sandbox();
    let fails = |args: &[&str], code: i32, needle: &str| {
        let out = s.aitls().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
    };
    // A certificate signed from a CSR has no key here.
    std::fs::remove_file(s.file("server.key")).unwrap();
    fails(
        &["export", "--format", "pem-bundle", "-o", "b.pem"],
        1,
        "server.key does not exist",
    );
    // ...but its chain can be exported.
    s.ok(&["export", "--format", "fullchain", "-o", "f.pem"]);
    fails(
        &["export", "nothere", "--format", "fullchain"],
        1,
        "does not exist",
    );
    fails(
        &[
            "export",
            "ca",
            "--format",
            "fullchain",
            "-o",
            "ai/certs/ca.crt",
        ],
        2,
        "one of the files being exported",
    );
    fails(&["--json", "export", "--format", "fullchain"], 2, "-o FILE");
    fails(
        &[
            "export",
            "ca",
            "--format",
            "k8s-secret",
            "--name",
            "Bad_Name",
        ],
        2,
        "Kubernetes names",
    );
    assert!(!s.root().join("b.pem").exists());
}

#[test]
fn export_json_fields_are_documented() {
    let s = sandbox();
    let out = s.json(&["export", "--format", "fullchain", "-o", "f.pem"]);
    let doc = std::fs::read_to_string(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/json.md"),
    )
    .unwrap();
    let section = doc
        .split("## `aitls export`")
        .nth(1)
        .expect("docs/json.md has a section for aitls export");
    for key in out.as_object().unwrap().keys() {
        assert!(
            section.contains(&format!("`{key}`")),
            "docs/json.md does not describe export's `{key}`"
        );
    }
}

#[test]
fn export_writes_into_a_sticky_shared_directory_but_not_an_open_one() {
    use std::os::unix::fs::PermissionsExt;
    let s = sandbox();
    for (dir, mode) in [("sticky", 0o1777), ("open", 0o777)] {
        std::fs::create_dir(s.root().join(dir)).unwrap();
        std::fs::set_permissions(s.root().join(dir), std::fs::Permissions::from_mode(mode))
            .unwrap();
    }
    // As /tmp: nobody else can replace or remove the file aitls writes there.
    s.ok(&["export", "--format", "pem-bundle", "-o", "sticky/b.pem"]);
    assert_eq!(mode(&s.root().join("sticky/b.pem")), 0o600);
    let out = s
        .aitls()
        .args(["export", "--format", "pem-bundle", "-o", "open/b.pem"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not sticky"), "{}", stderr(&out));
    assert!(!s.root().join("open/b.pem").exists());
}

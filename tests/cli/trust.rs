//! `aitls trust` with the real stores and the real clients that read them (SPEC §7), without
//! touching this machine's own stores:
//! - the system store inside a private mount namespace, with tmpfs copies over
//!   /usr/local/share/ca-certificates, /etc/ssl/certs and the update hooks;
//! - NSS databases under a temporary HOME, read by headless Chromium;
//! - Java's cacerts in a temporary JDK tree named by JAVA_HOME, read by `java Client.java`.
//!
//! The CAs are name-constrained (`--permit local`), so these tests also show that every
//! client accepts a constrained CA's leaf, and that Chromium refuses a leaf for a name
//! outside the constraints that was signed with the same key by `openssl x509 -req`.

use crate::util::json_keys as keys;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::util::{Background, Sandbox, free_port, stderr, stdout, tool};

/// `openssl s_server -www` on 127.0.0.1:`port` serving `cert`/`key` from `dir`.
pub fn s_server(dir: &Path, cert: &str, key: &str, port: u16) -> Background {
    crate::util::s_server(dir, port, cert, key, &[])
}

/// Whether headless Chromium, with HOME=`home` (so its NSS database is
/// `home/.pki/nssdb`), loads `url` and shows s_server's page. `resolve` maps a host name
/// to 127.0.0.1 (`--host-resolver-rules`). Returns the verdict and Chromium's stderr.
pub fn chromium_loads(home: &Path, url: &str, resolve: Option<&str>) -> (bool, String) {
    let profile = tempfile::tempdir_in(home).unwrap();
    let mut cmd = Command::new(tool("timeout", "coreutils"));
    cmd.arg("60")
        .arg(tool("chromium", "chromium"))
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()));
    if let Some(host) = resolve {
        cmd.arg(format!("--host-resolver-rules=MAP {host} 127.0.0.1"));
    }
    let out = cmd
        .arg("--dump-dom")
        .arg(url)
        .env("HOME", home)
        .stdin(Stdio::null())
        .output()
        .expect("run chromium");
    let page = stdout(&out);
    (page.contains("s_server"), stderr(&out))
}

/// `aitls --json trust ARGS` with `envs`; returns the exit code and the parsed document.
fn trust_json(sb: &Sandbox, dir: &str, args: &[&str], envs: &[(&str, &Path)]) -> (i32, Value) {
    let mut cmd = sb.aitls();
    cmd.args(["--json", "-d", dir, "trust"]).args(args);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("trust {args:?}: {e}\n{}", stderr(&out)));
    (out.status.code().unwrap_or(-1), doc)
}

/// The statuses of every store in a trust document.
fn statuses(doc: &Value) -> Vec<String> {
    doc["stores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap().to_owned())
        .collect()
}

fn certutil_list(db: &Path) -> String {
    let out = Command::new(tool("certutil", "libnss3-tools"))
        .arg("-L")
        .arg("-d")
        .arg(format!("sql:{}", db.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
}

fn new_nssdb(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let out = Command::new(tool("certutil", "libnss3-tools"))
        .arg("-N")
        .arg("-d")
        .arg(format!("sql:{}", dir.display()))
        .arg("--empty-password")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A leaf for `name` signed with the CA key in `dir` by openssl, bypassing aitls's own
/// refusal: what a thief holding ca.key would make.
pub fn openssl_leaf(dir: &Path, name: &str, stem: &str) {
    let run = |args: &[&str]| {
        let out = Command::new(tool("openssl", "openssl"))
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "openssl {args:?}: {}", stderr(&out));
    };
    let key = format!("{stem}.key");
    let csr = format!("{stem}.csr");
    let crt = format!("{stem}.crt");
    let ext = format!("{stem}.ext");
    std::fs::write(
        dir.join(&ext),
        format!(
            "subjectAltName=DNS:{name}\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        ),
    )
    .unwrap();
    run(&[
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        &key,
        "-subj",
        &format!("/CN={name}"),
        "-out",
        &csr,
    ]);
    run(&[
        "x509", "-req", "-in", &csr, "-CA", "ca.crt", "-CAkey", "ca.key", "-days", "30",
        "-extfile", &ext, "-out", &crt,
    ]);
}

#[test]
fn nss_trust_makes_chromium_load_the_page_and_remove_takes_only_this_ca() {
    let sb = Sandbox::new();
    let home = sb.root().join("home");
    let chromium_db = home.join(".pki/nssdb");
    let firefox_db = home.join("snap/firefox/common/.mozilla/firefox/x1.default");
    new_nssdb(&chromium_db);
    new_nssdb(&firefox_db);
    sb.ok(&[
        "-d",
        "a",
        "ca",
        "--key-type",
        "ecdsa-p256",
        "--permit",
        "local",
    ]);
    sb.ok(&["-d", "a", "server", "--key-type", "ecdsa-p256"]);
    // Another CA with the same common name: its entry must survive the removal of the first.
    sb.ok(&[
        "-d",
        "b",
        "ca",
        "--key-type",
        "ecdsa-p256",
        "--permit",
        "local",
    ]);
    let a = sb.root().join("a");
    let port = free_port();
    let _server = s_server(&a, "server.crt", "server.key", port);
    let url = format!("https://localhost:{port}/");
    let env = [("HOME", home.as_path())];

    let (code, doc) = trust_json(&sb, "a", &["--check", "--store", "nss"], &env);
    assert_eq!((code, statuses(&doc)), (1, vec!["not_found".to_owned(); 2]));
    let (loads, log) = chromium_loads(&home, &url, None);
    assert!(!loads, "Chromium loaded the page before the CA was trusted");
    assert!(log.contains("ERR_CERT_AUTHORITY_INVALID"), "{log}");

    let (code, doc) = trust_json(&sb, "a", &["--store", "nss"], &env);
    assert_eq!(
        (code, statuses(&doc)),
        (0, vec!["installed".to_owned(); 2]),
        "{doc}"
    );
    let entry = doc["ca"]["entry"].as_str().unwrap().to_owned();
    assert!(entry.starts_with("aitls AI Services CA "), "{entry}");
    assert!(doc["ca"]["name_constraints"]["permitted"].is_array());
    for db in [&chromium_db, &firefox_db] {
        assert!(certutil_list(db).contains(&entry), "{}", db.display());
    }
    let (code, doc) = trust_json(&sb, "a", &["--store", "nss"], &env);
    assert_eq!((code, statuses(&doc)), (0, vec!["already".to_owned(); 2]));
    let (code, _) = trust_json(&sb, "a", &["--check", "--store", "nss"], &env);
    assert_eq!(code, 0);

    let (loads, log) = chromium_loads(&home, &url, None);
    assert!(
        loads,
        "Chromium refused the trusted, constrained CA's leaf:\n{log}"
    );

    // A thief's leaf for a name outside the constraints, from the same key: refused.
    openssl_leaf(&a, "evil.example", "evil");
    let evil_port = free_port();
    let _evil = s_server(&a, "evil.crt", "evil.key", evil_port);
    let (loads, log) = chromium_loads(
        &home,
        &format!("https://evil.example:{evil_port}/"),
        Some("evil.example"),
    );
    assert!(
        !loads,
        "Chromium accepted a leaf outside the CA's name constraints"
    );
    assert!(log.contains("ERR_CERT"), "{log}");

    let (code, doc) = trust_json(&sb, "b", &["--store", "nss"], &env);
    assert_eq!(code, 0, "{doc}");
    let entry_b = doc["ca"]["entry"].as_str().unwrap().to_owned();
    assert_ne!(entry, entry_b, "two CAs with one CN need two entries");

    let (code, doc) = trust_json(&sb, "a", &["--remove", "--store", "nss"], &env);
    assert_eq!((code, statuses(&doc)), (0, vec!["removed".to_owned(); 2]));
    for db in [&chromium_db, &firefox_db] {
        let list = certutil_list(db);
        assert!(!list.contains(&entry) && list.contains(&entry_b), "{list}");
    }
    let (code, doc) = trust_json(&sb, "a", &["--remove", "--store", "nss"], &env);
    assert_eq!((code, statuses(&doc)), (0, vec!["not_found".to_owned(); 2]));
    let (code, _) = trust_json(&sb, "b", &["--check", "--store", "nss"], &env);
    assert_eq!(code, 0, "removing CA a took CA b with it");
    let (loads, _) = chromium_loads(&home, &url, None);
    assert!(!loads, "Chromium still trusts the removed CA");
}

#[test]
fn a_missing_nss_database_fails_only_that_store_and_names_the_fix() {
    let sb = Sandbox::new();
    let home = sb.root().join("home");
    std::fs::create_dir_all(&home).unwrap();
    sb.quick_ca();
    let jdk = sb.root().join("no-jdk");
    let out = sb
        .aitls()
        .args(["trust", "--store", "nss", "--store", "java"])
        .env("HOME", &home)
        .env("JAVA_HOME", &jdk)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("nss") && text.contains("failed: no store found"),
        "{text}"
    );
    assert!(
        text.contains("certutil -d sql:$HOME/.pki/nssdb -N"),
        "{text}"
    );
    assert!(text.contains("is JAVA_HOME right?"), "{text}");
    assert!(
        stderr(&out).contains("not name-constrained"),
        "{}",
        stderr(&out)
    );
    assert!(text.contains("NODE_EXTRA_CA_CERTS=") && text.contains("REQUESTS_CA_BUNDLE="));
}

#[test]
fn a_store_the_user_cannot_write_fails_with_the_sudo_command_and_the_others_still_install() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let sb = Sandbox::new();
    let home = sb.root().join("home");
    let db = home.join(".pki/nssdb");
    new_nssdb(&db);
    // A Firefox profile the user owns: it must be installed in despite the failure above.
    let firefox = home.join(".mozilla/firefox/p.default");
    new_nssdb(&firefox);
    sb.quick_ca();
    // A database this user may read but not write (one root made, say).
    for file in std::fs::read_dir(&db).unwrap() {
        let path = file.unwrap().path();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    }
    let cert9 = db.join("cert9.db");
    let mut cmd = if std::fs::metadata(&cert9).unwrap().uid() == 0 {
        // Root writes anything: run aitls as nobody, who can read the CA but not the
        // database (CI runs as root).
        for dir in [
            sb.root(),
            &home,
            &home.join(".pki"),
            &db,
            &sb.root().join("ai"),
            &sb.certs(),
            &home.join(".mozilla"),
            &home.join(".mozilla/firefox"),
        ] {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let chown = Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(&firefox)
            .status()
            .unwrap();
        assert!(chown.success());
        let mut cmd = Command::new(tool("setpriv", "util-linux"));
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_aitls"))
            .current_dir(sb.root());
        cmd
    } else {
        crate::util::aitls_std(sb.root())
    };
    let out = cmd
        .args(["trust", "--store", "nss"])
        .env("HOME", &home)
        .env_remove("AITLS_DIR")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("permission denied (it belongs to root or another user)"),
        "{text}"
    );
    assert!(text.contains("fix: sudo aitls trust --store nss"), "{text}");
    assert!(
        text.contains(&format!("{}  installed", firefox.display())),
        "{text}"
    );
}

/// A copy of the JDK that `java` really runs from: hard links (or copies) of every file,
/// and a real, writable `lib/security/cacerts` instead of Debian's symlink into
/// /etc/ssl/certs/java, so that `java.home` and the keystore are the copy's.
fn private_jdk(into: &Path) -> PathBuf {
    let java = std::fs::canonicalize(tool("java", "default-jdk-headless")).unwrap();
    let real_home = java.parent().unwrap().parent().unwrap().to_owned();
    let jdk = into.join("jdk");
    let linked = Command::new("cp")
        .arg("-al")
        .arg(&real_home)
        .arg(&jdk)
        .status()
        .unwrap()
        .success();
    if !linked {
        let _ = std::fs::remove_dir_all(&jdk);
        assert!(
            Command::new("cp")
                .arg("-a")
                .arg(&real_home)
                .arg(&jdk)
                .status()
                .unwrap()
                .success()
        );
    }
    let cacerts = jdk.join("lib/security/cacerts");
    std::fs::remove_file(&cacerts).unwrap();
    std::fs::copy(real_home.join("lib/security/cacerts"), &cacerts).unwrap();
    jdk
}

const CLIENT_JAVA: &str = r#"
import java.net.URL;
import javax.net.ssl.HttpsURLConnection;

public class Client {
    public static void main(String[] args) throws Exception {
        HttpsURLConnection c = (HttpsURLConnection) new URL(args[0]).openConnection();
        c.setConnectTimeout(10000);
        c.setReadTimeout(10000);
        System.out.println("java.home=" + System.getProperty("java.home"));
        System.out.println("status=" + c.getResponseCode());
    }
}
"#;

fn java_client(jdk: &Path, dir: &Path, url: &str) -> Output {
    Command::new(tool("timeout", "coreutils"))
        .arg("120")
        .arg(jdk.join("bin/java"))
        // C1 only and the serial collector: a one-shot client starts twice as fast.
        .args(["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "Client.java"])
        .arg(url)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn sha256_of(path: &Path) -> String {
    aitls::inspect::fingerprint_sha256(&std::fs::read(path).unwrap())
}

#[test]
fn java_trust_goes_into_java_home_cacerts_and_java_connects() {
    let sb = Sandbox::new();
    let real_cacerts = std::fs::canonicalize(
        std::fs::canonicalize(tool("java", "default-jdk-headless"))
            .unwrap()
            .parent()
            .unwrap()
            .parent()
            .unwrap()
            .join("lib/security/cacerts"),
    )
    .unwrap();
    let real_before = sha256_of(&real_cacerts);
    let jdk = private_jdk(sb.root());
    sb.ok(&["ca", "--key-type", "ecdsa-p256", "--permit", "local"]);
    sb.ok(&["server", "--key-type", "ecdsa-p256"]);
    std::fs::write(sb.root().join("Client.java"), CLIENT_JAVA).unwrap();
    let port = free_port();
    let _server = s_server(&sb.certs(), "server.crt", "server.key", port);
    let url = format!("https://localhost:{port}/");
    let env = [("JAVA_HOME", jdk.as_path())];

    let out = java_client(&jdk, sb.root(), &url);
    assert!(!out.status.success(), "java connected before trust");
    assert!(stderr(&out).contains("PKIX"), "{}", stderr(&out));

    let (code, doc) = trust_json(&sb, "ai/certs", &["--store", "java"], &env);
    assert_eq!(
        (code, statuses(&doc)),
        (0, vec!["installed".to_owned()]),
        "{doc}"
    );
    assert_eq!(
        doc["stores"][0]["location"].as_str().unwrap(),
        jdk.join("lib/security/cacerts").to_str().unwrap()
    );
    let (code, doc) = trust_json(&sb, "ai/certs", &["--store", "java"], &env);
    assert_eq!((code, statuses(&doc)), (0, vec!["already".to_owned()]));
    let out = sb
        .aitls()
        .args(["trust", "--store", "java"])
        .env("JAVA_HOME", &jdk)
        .output()
        .unwrap();
    assert!(stdout(&out).contains("  already"), "{}", stdout(&out));
    // Measured (bench/constraints): Java ignores constraints written in a root CA; say so.
    assert!(
        stderr(&out).contains("Java does not enforce name constraints"),
        "{}",
        stderr(&out)
    );

    // Without JAVA_HOME: the keystore of the `java` on PATH (its real path).
    let out = sb
        .aitls()
        .args(["--json", "trust", "--check", "--store", "java"])
        .env_remove("JAVA_HOME")
        .env("PATH", jdk.join("bin"))
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{doc}");
    assert_eq!(
        doc["stores"][0]["location"].as_str().unwrap(),
        jdk.join("lib/security/cacerts").to_str().unwrap()
    );

    let out = java_client(&jdk, sb.root(), &url);
    assert!(
        out.status.success(),
        "java refused the trusted, constrained CA's leaf: {}",
        stderr(&out)
    );
    let text = stdout(&out);
    assert!(
        text.contains(&format!("java.home={}", jdk.display())),
        "{text}"
    );
    assert!(text.contains("status=200"), "{text}");

    let (code, doc) = trust_json(&sb, "ai/certs", &["--remove", "--store", "java"], &env);
    assert_eq!((code, statuses(&doc)), (0, vec!["removed".to_owned()]));
    let out = java_client(&jdk, sb.root(), &url);
    assert!(!out.status.success(), "java still trusts the removed CA");

    // The same CA under another alias, as Debian's ca-certificates-java hook adds the
    // system store's anchors: Java trusts it, and removing aitls's entry cannot change that.
    let out = Command::new(jdk.join("bin/keytool"))
        .args([
            "-importcert",
            "-noprompt",
            "-alias",
            "debian:ai.pem",
            "-file",
        ])
        .arg(sb.file("ca.crt"))
        .arg("-keystore")
        .arg(jdk.join("lib/security/cacerts"))
        .args(["-storepass", "changeit"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let (code, doc) = trust_json(&sb, "ai/certs", &["--check", "--store", "java"], &env);
    assert_eq!((code, statuses(&doc)), (0, vec!["installed".to_owned()]));
    let (code, doc) = trust_json(&sb, "ai/certs", &["--remove", "--store", "java"], &env);
    assert_eq!(
        (code, statuses(&doc)),
        (1, vec!["failed".to_owned()]),
        "{doc}"
    );
    assert!(
        doc["stores"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("still holds the CA"),
        "{doc}"
    );
    assert_eq!(
        sha256_of(&real_cacerts),
        real_before,
        "the real cacerts changed"
    );
}

/// The script run inside the private mount namespace. Arguments: aitls, the CA directory,
/// the URL, a scratch directory. Each step prints `STEP name exit-code`, its output going
/// to `scratch/name.out`. It stops before any aitls step when a mount fails, so the real
/// stores are never touched.
const SYSTEM_SCRIPT: &str = r#"
set -eu
aitls=$1 dir=$2 url=$3 scratch=$4
for d in /usr/local/share/ca-certificates /etc/ssl/certs; do
    mkdir -p "$scratch/save$d"
    cp -a "$d/." "$scratch/save$d/"
    mount -t tmpfs tmpfs "$d"
    cp -a "$scratch/save$d/." "$d/"
done
# update-ca-certificates runs these hooks; ca-certificates-java's rewrites the Java keystore.
if [ -d /etc/ca-certificates/update.d ]; then
    mount -t tmpfs tmpfs /etc/ca-certificates/update.d
fi
echo MOUNTED
set +e
step() { name=$1; shift; "$@" >"$scratch/$name.out" 2>&1; echo "STEP $name $?"; }
dangling() { find /etc/ssl/certs -xtype l | wc -l; }
step dangling_before dangling
step check_before "$aitls" --json -d "$dir" trust --check --store system
step unprivileged setpriv --reuid=65534 --regid=65534 --clear-groups "$aitls" -d "$dir" trust --store system
step curl_before curl -sS --max-time 10 -o /dev/null "$url"
step install "$aitls" --json -d "$dir" trust --store system
step again "$aitls" --json -d "$dir" trust --store system
step check_after "$aitls" --json -d "$dir" trust --check --store system
step curl_after curl -sS --max-time 10 -o /dev/null "$url"
step remove "$aitls" --json -d "$dir" trust --remove --store system
step curl_removed curl -sS --max-time 10 -o /dev/null "$url"
step check_removed "$aitls" --json -d "$dir" trust --check --store system
step dangling_after dangling
"#;

#[test]
fn system_trust_makes_curl_trust_the_server_without_cacert_in_a_private_mount_namespace() {
    let sb = Sandbox::new();
    tool("unshare", "util-linux");
    tool("update-ca-certificates", "ca-certificates");
    tool("curl", "curl");
    let bundle = Path::new("/etc/ssl/certs/ca-certificates.crt");
    tool("setpriv", "util-linux");
    let real_before = sha256_of(bundle);
    let anchors_before: Vec<_> = std::fs::read_dir("/usr/local/share/ca-certificates")
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    sb.ok(&["ca", "--key-type", "ecdsa-p256", "--permit", "local"]);
    sb.ok(&["server", "--key-type", "ecdsa-p256"]);
    let port = free_port();
    let _server = s_server(&sb.certs(), "server.crt", "server.key", port);
    let scratch = sb.root().join("scratch");
    std::fs::create_dir(&scratch).unwrap();
    // The unprivileged step (nobody) must read the CA.
    for dir in [sb.root(), &sb.root().join("ai"), &sb.certs(), &scratch] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let script = sb.root().join("system.sh");
    std::fs::write(&script, SYSTEM_SCRIPT).unwrap();
    let out = Command::new(tool("timeout", "coreutils"))
        .arg("300")
        .args(["unshare", "--mount", "--propagation", "private", "sh"])
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_aitls"))
        .arg(sb.certs())
        .arg(format!("https://localhost:{port}/"))
        .arg(&scratch)
        .env_remove("AITLS_DIR")
        .output()
        .unwrap();
    let log = stdout(&out);
    assert!(
        log.contains("MOUNTED"),
        "the private mount namespace could not be set up (CI runs as root): {}",
        stderr(&out)
    );
    let step = |name: &str| -> (i32, String) {
        let code = log
            .lines()
            .find_map(|l| l.strip_prefix(&format!("STEP {name} ")))
            .unwrap_or_else(|| panic!("step {name} did not run:\n{log}\n{}", stderr(&out)))
            .parse()
            .unwrap();
        let text = std::fs::read_to_string(scratch.join(format!("{name}.out"))).unwrap();
        (code, text)
    };
    let status = |name: &str| -> (i32, Vec<String>) {
        let (code, text) = step(name);
        let doc: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}: {text}"));
        (code, statuses(&doc))
    };
    let s = |v: &str| vec![v.to_owned()];
    assert_eq!(status("check_before"), (1, s("not_found")));
    let (code, text) = step("unprivileged");
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("permission denied (it belongs to root or another user)"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "fix: sudo aitls --dir {} trust --store system",
            sb.certs().display()
        )),
        "{text}"
    );
    let (code, text) = step("curl_before");
    assert_ne!(code, 0, "curl trusted the server before aitls trust");
    assert!(text.contains("certificate"), "{text}");
    assert_eq!(
        status("install"),
        (0, s("installed")),
        "{}",
        step("install").1
    );
    assert_eq!(status("again"), (0, s("already")));
    assert_eq!(status("check_after"), (0, s("installed")));
    let (code, text) = step("curl_after");
    assert_eq!(
        code, 0,
        "curl without --cacert refused the trusted CA: {text}"
    );
    assert_eq!(status("remove"), (0, s("removed")), "{}", step("remove").1);
    let (code, _) = step("curl_removed");
    assert_ne!(code, 0, "curl still trusts the removed CA");
    assert_eq!(status("check_removed"), (1, s("not_found")));
    assert_eq!(
        step("dangling_before").1,
        step("dangling_after").1,
        "removal left dangling links in /etc/ssl/certs"
    );

    // The machine's own store is untouched.
    assert_eq!(sha256_of(bundle), real_before);
    let anchors_after: Vec<_> = std::fs::read_dir("/usr/local/share/ca-certificates")
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(anchors_after, anchors_before);
}

#[test]
fn docs_json_md_describes_every_trust_and_constraint_field() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json.md"))
        .unwrap();
    let sb = Sandbox::new();
    let home = sb.root().join("home");
    new_nssdb(&home.join(".pki/nssdb"));
    sb.ok(&["ca", "--key-type", "ecdsa-p256", "--permit", "example.com"]);
    let mut found = std::collections::BTreeSet::new();
    keys(&sb.json(&["inspect", "ai/certs/ca.crt"]), &mut found);
    let missing_jdk = sb.root().join("no-jdk");
    let envs = [
        ("HOME", home.as_path()),
        ("JAVA_HOME", missing_jdk.as_path()),
    ];
    // Every store kind, a failure with a fix, and (without --store) a skipped kind.
    for args in [
        &["--store", "nss", "--store", "java"][..],
        &["--check", "--store", "nss"][..],
    ] {
        let (_, value) = trust_json(&sb, "ai/certs", args, &envs);
        keys(&value, &mut found);
    }
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
fn trust_without_a_ca_refuses_and_names_aitls_ca() {
    let sb = Sandbox::new();
    let out = sb
        .aitls()
        .args(["trust", "--check", "--store", "nss"])
        .env("HOME", sb.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("error: no CA in ai/certs"), "{err}");
    assert!(err.contains("run `aitls ca` to create it"), "{err}");
}

#[test]
fn remove_and_check_conflict_and_unknown_stores_are_usage_errors() {
    let sb = Sandbox::new();
    for args in [
        &["trust", "--remove", "--check"][..],
        &["trust", "--store", "keychain"][..],
    ] {
        let out = sb.aitls().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn a_missing_tool_names_its_package() {
    let sb = Sandbox::new();
    let home = sb.root().join("home");
    new_nssdb(&home.join(".pki/nssdb"));
    sb.quick_ca();
    let empty = sb.root().join("empty-path");
    std::fs::create_dir(&empty).unwrap();
    let out = sb
        .aitls()
        .args(["trust", "--store", "nss"])
        .env("HOME", &home)
        .env("PATH", &empty)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("failed: certutil is not installed (package libnss3-tools on Debian/Ubuntu"),
        "{text}"
    );
    assert!(text.contains("fix: install libnss3-tools"), "{text}");
}

#[test]
fn nss_databases_are_found_for_chromium_and_every_firefox_packaging() {
    let sb = Sandbox::new();
    let home = sb.root().join("home");
    let dbs = [
        ".pki/nssdb",
        "snap/chromium/current/.pki/nssdb",
        ".mozilla/firefox/a1.default-release",
        "snap/firefox/common/.mozilla/firefox/b2.default",
        ".var/app/org.mozilla.firefox/.mozilla/firefox/c3.default",
    ]
    .map(|d| home.join(d));
    for db in &dbs {
        new_nssdb(db);
    }
    // Not a database: a profile directory without cert9.db is left alone.
    std::fs::create_dir_all(home.join(".mozilla/firefox/Crash Reports")).unwrap();
    sb.quick_ca();
    let (code, doc) = trust_json(
        &sb,
        "ai/certs",
        &["--check", "--store", "nss"],
        &[("HOME", &home)],
    );
    assert_eq!(code, 1);
    let locations: Vec<&str> = doc["stores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["location"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = dbs.iter().map(|d| d.display().to_string()).collect();
    assert_eq!(locations, expected);
}

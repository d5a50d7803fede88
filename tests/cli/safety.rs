//! SPEC §4, "what must never happen", as tests: keys readable by others, a key beside a
//! certificate it does not match, a CA replaced unasked, a symlink followed, a panic.

use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::{MetadataExt, symlink};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::util::{Sandbox, mode, openssl, stderr, stdout};

/// Runs aitls under `umask` in `dir`, through sh (umask is per process).
fn aitls_with_umask(dir: &Path, umask: &str, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_aitls"))
        .args(args)
        .current_dir(dir)
        .env_remove("AITLS_DIR")
        .output()
        .expect("sh runs")
}

fn files_in(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// The public key of a certificate and of a key, as openssl prints them.
fn pair_matches(dir: &Path, stem: &str) -> bool {
    let from_cert = openssl(
        dir,
        &["x509", "-noout", "-pubkey", "-in", &format!("{stem}.crt")],
    );
    let from_key = openssl(dir, &["pkey", "-pubout", "-in", &format!("{stem}.key")]);
    assert!(
        from_cert.status.success() && from_key.status.success(),
        "openssl reads both"
    );
    from_cert.stdout == from_key.stdout
}

#[test]
fn keys_are_0600_and_certificates_0644_under_any_umask() {
    for umask in ["000", "077", "022", "777"] {
        let sb = Sandbox::new();
        for args in [
            &["ca", "--key-type", "ecdsa-p256"][..],
            &["server", "--key-type", "ecdsa-p256"],
        ] {
            let out = aitls_with_umask(sb.root(), umask, args);
            assert!(
                out.status.success(),
                "umask {umask} {args:?}: {}",
                stderr(&out)
            );
        }
        assert_eq!(mode(&sb.file("ca.key")), 0o600, "umask {umask}");
        assert_eq!(mode(&sb.file("server.key")), 0o600, "umask {umask}");
        assert_eq!(mode(&sb.file("ca.crt")), 0o644, "umask {umask}");
        assert_eq!(mode(&sb.file("server.crt")), 0o644, "umask {umask}");
        assert_eq!(
            mode(&sb.certs()) & 0o022,
            0,
            "directory never group/world-writable (umask {umask})"
        );
    }
}

#[test]
fn a_key_is_never_readable_by_others_even_while_being_written() {
    // Watch the directory while aitls rewrites the key over and over under umask 000. Any
    // file that is ever seen with group/other bits is held open; if it later turns out to
    // hold a private key (same inode), the key was exposed for a moment.
    let sb = Sandbox::new();
    sb.quick_ca();
    let done = Arc::new(AtomicBool::new(false));
    let writer = {
        let done = Arc::clone(&done);
        let root = sb.root().to_owned();
        std::thread::spawn(move || {
            for _ in 0..20 {
                let out = aitls_with_umask(
                    &root,
                    "000",
                    &["server", "--force", "--key-type", "ecdsa-p256"],
                );
                assert!(out.status.success(), "{}", stderr(&out));
            }
            done.store(true, Ordering::SeqCst);
        })
    };
    let mut suspects = Vec::new();
    let mut seen = 0usize;
    while !done.load(Ordering::SeqCst) {
        for entry in fs::read_dir(sb.certs()).unwrap().flatten() {
            let Ok(file) = fs::File::open(entry.path()) else {
                continue;
            };
            let Ok(meta) = file.metadata() else { continue };
            seen += 1;
            if meta.mode() & 0o077 != 0 {
                suspects.push((entry.file_name(), file));
            }
        }
        if suspects.len() > 10_000 {
            suspects.drain(..5_000);
        }
    }
    writer.join().unwrap();
    assert!(
        seen > 100,
        "the watcher saw the directory often ({seen} files)"
    );
    for (name, mut file) in suspects {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut file, &mut text);
        assert!(
            !text.contains("PRIVATE KEY"),
            "{name:?} held a key with a loose mode"
        );
    }
}

#[test]
fn parallel_forced_servers_leave_one_matching_pair_and_no_temporary_files() {
    let sb = Sandbox::new();
    sb.quick_ca();
    let children: Vec<_> = (0..8)
        .map(|_| sb.spawn(&["--json", "server", "--force", "--key-type", "ecdsa-p256"]))
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert!(pair_matches(&sb.certs(), "server"));
    assert_eq!(
        files_in(&sb.certs()),
        ["ca.crt", "ca.key", "server.crt", "server.key"]
            .map(String::from)
            .into()
    );
}

#[test]
fn parallel_cas_in_an_empty_directory_create_exactly_one() {
    let sb = Sandbox::new();
    // RSA keys take long enough to generate that the runs truly overlap.
    let children: Vec<_> = (0..4)
        .map(|_| sb.spawn(&["--json", "ca", "--key-type", "rsa2048"]))
        .collect();
    let mut actions = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        actions.push(json["action"].as_str().unwrap().to_owned());
    }
    actions.sort();
    assert_eq!(actions, ["created", "kept", "kept", "kept"]);
    assert!(pair_matches(&sb.certs(), "ca"));
}

#[test]
fn a_symlink_at_a_target_path_is_replaced_not_followed() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let victim = sb.root().join("victim");
    fs::write(&victim, "precious").unwrap();
    fs::remove_file(sb.file("server.key")).unwrap();
    symlink(&victim, sb.file("server.key")).unwrap();
    sb.ok(&["server", "--force", "--key-type", "ecdsa-p256"]);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    let meta = fs::symlink_metadata(sb.file("server.key")).unwrap();
    assert!(
        meta.file_type().is_file(),
        "server.key is now a regular file"
    );
    assert_eq!(mode(&sb.file("server.key")), 0o600);
    assert!(pair_matches(&sb.certs(), "server"));

    fs::remove_file(sb.file("ca.crt")).unwrap();
    symlink(&victim, sb.file("ca.crt")).unwrap();
    sb.ok(&["ca", "--force", "--key-type", "ecdsa-p256"]);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    assert!(
        fs::symlink_metadata(sb.file("ca.crt"))
            .unwrap()
            .file_type()
            .is_file()
    );
}

#[test]
fn temporary_files_left_by_a_killed_run_are_cleaned_up() {
    let sb = Sandbox::new();
    sb.quick_ca();
    fs::write(sb.file(".aitls-Ab12Cd.tmp"), "half a key").unwrap();
    sb.ok(&["server", "--key-type", "ecdsa-p256"]);
    assert!(!sb.file(".aitls-Ab12Cd.tmp").exists());
}

#[test]
fn malformed_files_never_cause_a_panic() {
    let garbage: [&[u8]; 7] = [
        b"",
        b"\x00\xff\xfe random bytes \x80",
        b"-----BEGIN CERTIFICATE-----\nMIIB\n",
        b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
        b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        b"-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n",
        &[0u8; 4096],
    ];
    for file in ["ca.crt", "ca.key", "server.crt", "server.key"] {
        for bytes in garbage {
            let sb = Sandbox::new();
            sb.quick_pair();
            fs::write(sb.file(file), bytes).unwrap();
            for args in [&["ca"][..], &["server", "--key-type", "ecdsa-p256"]] {
                let out = sb.aitls().args(args).output().unwrap();
                let err = stderr(&out);
                assert!(!err.contains("panicked"), "{file} {args:?}: {err}");
                assert!(
                    matches!(out.status.code(), Some(0..=2)),
                    "{file} {args:?}: {err}"
                );
                assert!(err.matches("error:").count() <= 1, "{err}");
                assert!(
                    !err.contains("Nom") && !err.contains("Error("),
                    "no parser type names: {err}"
                );
                if !out.status.success() {
                    assert!(err.contains(file), "the error names {file}: {err}");
                }
            }
            assert!(
                !stdout(&sb.aitls().arg("ca").output().unwrap()).contains("created"),
                "CA never silently replaced"
            );
        }
    }
}

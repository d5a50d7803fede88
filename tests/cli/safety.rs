//! SPEC §4, "what must never happen", as tests, line by line (and SPEC §3's closed
//! streams). Each line of §4, then the tests that hold it (here unless a module is named):
//!
//! - "A private key readable by group or others, even for a moment."
//!   `keys_are_0600_and_certificates_0644_under_any_umask`,
//!   `a_key_is_never_readable_by_others_even_while_being_written`.
//! - "A key and certificate under the same stem that do not match, after any sequence of
//!   runs, including parallel runs, and including a DIR reached through a symlink that
//!   changes while aitls runs" (and a run killed between its two renames).
//!   `parallel_forced_servers_leave_one_matching_pair_and_no_temporary_files`,
//!   `parallel_cas_in_an_empty_directory_create_exactly_one`,
//!   `forced_servers_through_a_flipping_dir_symlink_leave_every_pair_matching`,
//!   `readers_under_a_writer_loop_never_see_a_half_written_pair`,
//!   `a_run_killed_between_its_renames_is_repaired_by_the_next`,
//!   `runs_killed_at_random_moments_never_block_the_next`,
//!   `temporary_files_left_by_a_killed_run_are_cleaned_up`.
//! - "An existing CA replaced without --force, or a lone key overwritten."
//!   `a_lone_server_key_is_never_overwritten_without_force`; `ca::lone_ca_key_is_never_overwritten`,
//!   `ca::lone_ca_certificate_is_refused`,
//!   `ca::mismatched_ca_pair_is_refused_naming_the_mismatch_and_force`.
//! - "A CA that another user could have planted or swapped used silently" (a DIR others
//!   can write, CA files owned by another user, a group-writable DIR, a CA key others can
//!   read). `a_dir_others_can_write_is_refused_even_with_force`,
//!   `ca_files_owned_by_another_user_are_refused_even_with_force`,
//!   `a_group_writable_dir_is_a_warning`,
//!   `a_ca_key_readable_by_others_is_a_warning_wherever_it_is_used`,
//!   `a_symlink_at_a_target_path_is_replaced_not_followed`.
//! - "A panic on any input, however malformed, at any clock value; a hang on any input (a
//!   FIFO, a device, a huge file): only regular files are read, with a size limit."
//!   `malformed_files_never_cause_a_panic`,
//!   `fifos_devices_directories_and_huge_files_in_dir_are_refused_never_hung`,
//!   `files_named_on_the_command_line_must_be_regular_files`,
//!   `a_fifo_planted_in_dir_does_not_block_other_writers`.
//! - SPEC §3 "A closed stdout or stderr never changes the exit code and never causes a
//!   panic." `a_closed_stderr_never_panics_nor_changes_the_exit_code`,
//!   `a_closed_stdout_never_changes_the_exit_code`.

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

// ---------------------------------------------------------------------------------------
// Helpers for the tests below: bounded runs, closed pipes, planted files.
// ---------------------------------------------------------------------------------------

/// Runs `cmd` with captured output, killing it and failing the test when it has not
/// finished within `secs` seconds: proof that it does not hang.
fn run_bounded(mut cmd: Command, secs: u64, what: &str) -> Output {
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn aitls");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("collect output");
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {secs} s, it hangs");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// `aitls ARGS` in the sandbox, as a plain command.
fn cmd(sb: &Sandbox, args: &[&str]) -> Command {
    let mut c = crate::util::aitls_std(sb.root());
    c.args(args);
    c
}

/// Makes a FIFO at `path` with the real `mkfifo`.
fn mkfifo(path: &Path) {
    let status = Command::new(crate::util::tool("mkfifo", "coreutils"))
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// A pipe whose reading end is already closed: writing to the other end fails with EPIPE.
fn closed_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    writer
}

/// The running user's id (files a test creates are owned by it).
fn my_uid(sb: &Sandbox) -> u32 {
    fs::metadata(sb.root()).unwrap().uid()
}

/// Gives `path` to user 65534 (nobody): "owned by another user". Tests run as root in CI.
fn give_to_nobody(path: &Path) {
    let status = Command::new(crate::util::tool("chown", "coreutils"))
        .arg("65534")
        .arg(path)
        .status()
        .expect("chown runs");
    assert!(
        status.success(),
        "chown 65534 {} (these tests run as root, as in CI)",
        path.display()
    );
}

// ---------------------------------------------------------------------------------------
// §4 "A key and certificate under the same stem that do not match, after any sequence of
// runs, including parallel runs, and including a DIR reached through a symlink that
// changes while aitls runs" (and a run killed between its two renames).
// ---------------------------------------------------------------------------------------

#[test]
fn forced_servers_through_a_flipping_dir_symlink_leave_every_pair_matching() {
    // Two real directories, each with its own CA; `link` flips between them while two
    // loops of `server --force` run through it. Each run must work entirely in the
    // directory it locked: afterwards each directory's key matches its certificate and
    // the certificate chains to that directory's CA.
    let sb = Sandbox::new();
    let (a, b) = (sb.root().join("a"), sb.root().join("b"));
    for d in [&a, &b] {
        sb.ok(&[
            "--dir",
            d.to_str().unwrap(),
            "ca",
            "--key-type",
            "ecdsa-p256",
        ]);
    }
    let link = sb.root().join("link");
    symlink(&a, &link).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let flipper = {
        let (stop, root, a, b) = (
            Arc::clone(&stop),
            sb.root().to_owned(),
            a.clone(),
            b.clone(),
        );
        std::thread::spawn(move || {
            let mut flips = 0u32;
            while !stop.load(Ordering::SeqCst) && flips < 100_000 {
                let target = if flips & 1 == 0 { &b } else { &a };
                let tmp = root.join("link.new");
                let _ = fs::remove_file(&tmp);
                symlink(target, &tmp).unwrap();
                fs::rename(&tmp, root.join("link")).unwrap(); // atomic, like `ln -sfn`
                flips += 1;
                std::thread::sleep(std::time::Duration::from_micros(300));
            }
            flips
        })
    };
    let writers: Vec<_> = (0..2)
        .map(|_| {
            let root = sb.root().to_owned();
            std::thread::spawn(move || {
                for _ in 0..15 {
                    let out = crate::util::aitls_std(&root)
                        .args([
                            "--dir",
                            "link",
                            "server",
                            "--force",
                            "--key-type",
                            "ecdsa-p256",
                        ])
                        .output()
                        .unwrap();
                    assert!(out.status.success(), "{}", stderr(&out));
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    stop.store(true, Ordering::SeqCst);
    assert!(
        flipper.join().unwrap() > 10,
        "the link flipped during the runs"
    );
    for d in [&a, &b] {
        if !d.join("server.crt").exists() {
            continue; // the link may never have pointed here while a run started
        }
        assert!(
            pair_matches(d, "server"),
            "{}: key matches cert",
            d.display()
        );
        let v = openssl(d, &["verify", "-CAfile", "ca.crt", "server.crt"]);
        assert!(v.status.success(), "{}: {}", d.display(), stdout(&v));
        let names = files_in(d);
        assert!(
            names.iter().all(|n| !n.starts_with(".aitls-")),
            "no temporary files left in {}: {names:?}",
            d.display()
        );
    }
    assert!(a.join("server.crt").exists() || b.join("server.crt").exists());
}

#[test]
fn readers_under_a_writer_loop_never_see_a_half_written_pair() {
    // A writer loop of `server --force` and 120 `verify` runs (plus `env` and `inspect`)
    // beside it: readers take a shared lock, so none reports a mismatch.
    let sb = Sandbox::new();
    sb.quick_pair();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (stop, root) = (Arc::clone(&stop), sb.root().to_owned());
        std::thread::spawn(move || {
            let mut runs = 0u32;
            while !stop.load(Ordering::SeqCst) && runs < 2_000 {
                let out = crate::util::aitls_std(&root)
                    .args(["server", "--force", "--key-type", "ecdsa-p256"])
                    .output()
                    .unwrap();
                assert!(out.status.success(), "{}", stderr(&out));
                runs += 1;
            }
            runs
        })
    };
    for i in 0..120 {
        let out = sb.aitls().arg("verify").output().unwrap();
        assert!(
            out.status.success(),
            "verify run {i} under the writer loop: {}{}",
            stdout(&out),
            stderr(&out)
        );
        if i % 10 == 0 {
            let out = sb.aitls().args(["--json", "inspect"]).output().unwrap();
            assert!(out.status.success(), "inspect: {}", stderr(&out));
            let items: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let key = items
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["file"].as_str().unwrap().ends_with("server.key"))
                .unwrap();
            assert!(
                key["certificate"]
                    .as_str()
                    .is_some_and(|c| c.ends_with("server.crt")),
                "inspect saw server.key match server.crt: {key}"
            );
            sb.ok(&["env"]);
        }
    }
    stop.store(true, Ordering::SeqCst);
    assert!(
        writer.join().unwrap() >= 3,
        "the writer ran during the reads"
    );
}

/// Replaces `name` in the sandbox's DIR with `bytes`, as a run killed between its renames
/// would have left it.
fn plant(sb: &Sandbox, name: &str, bytes: &[u8], file_mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let path = sb.file(name);
    fs::write(&path, bytes).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(file_mode)).unwrap();
}

#[test]
fn a_run_killed_between_its_renames_is_repaired_by_the_next() {
    // aitls renames the certificate before the key. The states a kill can leave:
    // 1. a first run killed after its certificate's rename: a certificate, no key;
    let sb = Sandbox::new();
    sb.quick_pair();
    fs::remove_file(sb.file("server.key")).unwrap();
    let json = sb.json(&["server", "--key-type", "ecdsa-p256"]);
    assert_eq!(json["reason"], "server.key was missing");
    assert!(pair_matches(&sb.certs(), "server"));

    // 2. a renewal killed between the renames: the new certificate beside the old key.
    let old_key = sb.read("server.key");
    sb.ok(&["server", "--force", "--key-type", "ecdsa-p256"]);
    plant(&sb, "server.key", &old_key, 0o600);
    assert!(
        !pair_matches(&sb.certs(), "server"),
        "the state a kill leaves"
    );
    let json = sb.json(&["server", "--key-type", "ecdsa-p256"]);
    assert_eq!(json["action"], "replaced");
    assert!(json["reason"].as_str().unwrap().contains("match"), "{json}");
    assert!(pair_matches(&sb.certs(), "server"));

    // 3. the same for the CA: `aitls ca` refuses naming the mismatch and --force.
    let old_ca_key = sb.read("ca.key");
    sb.ok(&["ca", "--force", "--key-type", "ecdsa-p256"]);
    plant(&sb, "ca.key", &old_ca_key, 0o600);
    let out = sb.aitls().arg("ca").output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("does not match"), "{}", stderr(&out));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
}

#[test]
fn runs_killed_at_random_moments_never_block_the_next() {
    // Real kill -9 at pseudo-random moments of `server --force` (renewals and first
    // issues); after each, a plain `aitls server` succeeds and leaves a matching pair.
    // Bounded: 25 kills.
    let sb = Sandbox::new();
    sb.quick_pair();
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos()
        | 1;
    for i in 0..25 {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let delay = std::time::Duration::from_micros(u64::from(seed % 25_000));
        if i % 2 == 1 {
            // Every other kill hits a first issue (nothing under the stem yet): the case
            // where renaming the key first would leave a lone key that blocks the next run.
            let _ = fs::remove_file(sb.file("server.crt"));
            let _ = fs::remove_file(sb.file("server.key"));
        }
        let mut child = sb.spawn(&["server", "--force", "--key-type", "ecdsa-p256"]);
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        assert!(
            !sb.file("server.key").exists() || sb.file("server.crt").exists(),
            "kill {i} after {delay:?} left a key without its certificate"
        );
        let out = sb
            .aitls()
            .args(["server", "--key-type", "ecdsa-p256"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "kill {i} after {delay:?} blocked the next run: {}",
            stderr(&out)
        );
        assert!(
            pair_matches(&sb.certs(), "server"),
            "kill {i} after {delay:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// §4 "An existing CA replaced without --force, or a lone key overwritten."
// ---------------------------------------------------------------------------------------

#[test]
fn a_lone_server_key_is_never_overwritten_without_force() {
    for stem in ["server", "api"] {
        let sb = Sandbox::new();
        sb.quick_ca();
        // The user's own key, made by openssl, with no certificate beside it.
        let key = format!("{stem}.key");
        let made = openssl(
            &sb.certs(),
            &[
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-out",
                &key,
            ],
        );
        assert!(made.status.success());
        let before = sb.read(&key);
        let mut args = vec!["server", "--key-type", "ecdsa-p256"];
        if stem != "server" {
            args.extend(["--out", stem]);
        }
        for _ in 0..2 {
            let out = sb.aitls().args(&args).output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{stem}: {}", stderr(&out));
            let err = stderr(&out);
            assert!(err.contains(&key) && err.contains("--force"), "{err}");
            if stem != "server" {
                assert!(err.contains("--out api"), "the hint names the stem: {err}");
            }
            assert_eq!(sb.read(&key), before, "{stem}: the key is untouched");
            assert!(!sb.file(&format!("{stem}.crt")).exists());
        }
        args.push("--force");
        sb.ok(&args);
        assert_ne!(sb.read(&key), before);
        assert!(pair_matches(&sb.certs(), stem));
    }
}

// ---------------------------------------------------------------------------------------
// §4 "A CA that another user could have planted or swapped used silently."
// ---------------------------------------------------------------------------------------

#[test]
fn a_dir_others_can_write_is_refused_even_with_force() {
    use std::os::unix::fs::PermissionsExt;
    for dir_mode in [0o777, 0o1777, 0o757] {
        let sb = Sandbox::new();
        sb.quick_pair();
        let before: Vec<Vec<u8>> = ["ca.key", "ca.crt", "server.key", "server.crt"]
            .iter()
            .map(|f| sb.read(f))
            .collect();
        fs::set_permissions(sb.certs(), fs::Permissions::from_mode(dir_mode)).unwrap();
        for args in [
            &["ca", "--key-type", "ecdsa-p256"][..],
            &["ca", "--force", "--key-type", "ecdsa-p256"],
            &["server", "--key-type", "ecdsa-p256"],
            &["server", "--force", "--key-type", "ecdsa-p256"],
            &["server", "--out", "api", "--key-type", "ecdsa-p256"],
        ] {
            let out = sb.aitls().args(args).output().unwrap();
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{dir_mode:o} {args:?}: {err}");
            assert!(err.contains("writable by every user"), "{err}");
            assert!(err.contains("`chmod go-w ai/certs`"), "{err}");
        }
        let after: Vec<Vec<u8>> = ["ca.key", "ca.crt", "server.key", "server.crt"]
            .iter()
            .map(|f| sb.read(f))
            .collect();
        assert!(before == after, "{dir_mode:o}: nothing written");
        assert!(!sb.file("api.crt").exists());
        // Readers do not refuse, they warn.
        let err = stderr(&sb.ok(&["inspect"]));
        assert!(
            err.contains("writable by every user") && err.contains("`chmod go-w ai/certs`"),
            "inspect: {err}"
        );
        assert!(stdout(&sb.ok(&["verify"])).contains("dir_mode"));
        // The fix as printed works.
        let chmod = Command::new("chmod")
            .args(["go-w", "ai/certs"])
            .current_dir(sb.root())
            .status()
            .unwrap();
        assert!(chmod.success());
        sb.ok(&["server", "--key-type", "ecdsa-p256"]);
    }
}

#[test]
fn a_group_writable_dir_is_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    sb.quick_ca();
    fs::set_permissions(sb.certs(), fs::Permissions::from_mode(0o775)).unwrap();
    for args in [
        &["ca", "--key-type", "ecdsa-p256"][..],
        &["server", "--key-type", "ecdsa-p256"],
    ] {
        let out = sb.ok(args);
        let err = stderr(&out);
        assert!(
            err.contains("writable by its group") && err.contains("`chmod g-w ai/certs`"),
            "{args:?}: {err}"
        );
        let json = sb.json(args);
        assert!(
            json["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|w| w.as_str().unwrap().contains("writable by its group")),
            "{json}"
        );
    }
    let err = stderr(&sb.ok(&["inspect"]));
    assert!(
        err.contains("writable by its group") && err.contains("`chmod g-w ai/certs`"),
        "inspect: {err}"
    );
    let out = sb.aitls().args(["--json", "verify"]).output().unwrap();
    assert!(out.status.success(), "a warning, not a failure");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "dir_mode" && c["warning"] == true),
        "{report}"
    );
}

#[test]
fn ca_files_owned_by_another_user_are_refused_even_with_force() {
    for file in ["ca.key", "ca.crt"] {
        let sb = Sandbox::new();
        sb.quick_pair();
        give_to_nobody(&sb.file(file));
        let me = my_uid(&sb);
        let before = sb.read("server.crt");
        for args in [
            &["ca", "--key-type", "ecdsa-p256"][..],
            &["ca", "--force", "--key-type", "ecdsa-p256"],
            &["server", "--key-type", "ecdsa-p256"],
            &["server", "--force", "--key-type", "ecdsa-p256"],
        ] {
            let out = sb.aitls().args(args).output().unwrap();
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{file} {args:?}: {err}");
            assert!(
                err.contains(&format!("ai/certs/{file} is owned by user 65534")),
                "{err}"
            );
            assert!(
                err.contains(&format!("chown {me} ai/certs/{file}`")),
                "{err}"
            );
        }
        assert_eq!(sb.read("server.crt"), before, "nothing issued");
        // Root's files are trusted, like the running user's.
        let status = Command::new("chown")
            .args([&me.to_string(), &sb.file(file).display().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        sb.ok(&["server", "--key-type", "ecdsa-p256"]);
    }
}

#[test]
fn a_ca_key_readable_by_others_is_a_warning_wherever_it_is_used() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    sb.quick_pair();
    fs::set_permissions(sb.file("ca.key"), fs::Permissions::from_mode(0o644)).unwrap();
    for args in [
        &["ca", "--key-type", "ecdsa-p256"][..],
        &["server", "--key-type", "ecdsa-p256"],
        &["server", "--out", "api", "--key-type", "ecdsa-p256"],
    ] {
        let err = stderr(&sb.ok(args));
        assert!(
            err.contains("ai/certs/ca.key is readable by others (mode 0644)")
                && err.contains("`chmod 600 ai/certs/ca.key`"),
            "{args:?}: {err}"
        );
    }
    let out = sb.aitls().arg("verify").output().unwrap();
    assert!(out.status.success(), "verify warns, still valid");
    assert!(
        stdout(&out).contains("ca_key_mode") && stdout(&out).contains("chmod 600 ai/certs/ca.key"),
        "{}",
        stdout(&out)
    );
    let out = sb.ok(&["inspect"]);
    assert!(stdout(&out).contains("ca.key") && stdout(&out).contains("0644"));
}

// ---------------------------------------------------------------------------------------
// §4 "A panic on any input ... a hang on any input (a FIFO, a device, a huge file): only
// regular files are read, with a size limit."
// ---------------------------------------------------------------------------------------

#[test]
fn fifos_devices_directories_and_huge_files_in_dir_are_refused_never_hung() {
    // Each kind of impostor at each file aitls reads, for every command that reads it.
    type Make = fn(&Path);
    let impostors: [(&str, Make); 6] = [
        ("socket", |p| {
            // Left bound: the socket file stays after the listener is dropped.
            drop(std::os::unix::net::UnixListener::bind(p).unwrap());
        }),
        ("FIFO", |p| mkfifo(p)),
        ("character device", |p| symlink("/dev/zero", p).unwrap()),
        ("directory", |p| fs::create_dir(p).unwrap()),
        ("larger than 1 MiB", |p| {
            fs::File::create(p).unwrap().set_len(8 << 30).unwrap()
        }),
        ("FIFO", |p| {
            // A symlink to a FIFO: the type is checked on the opened file, not the path.
            let fifo = p.with_extension("fifo");
            mkfifo(&fifo);
            symlink(&fifo, p).unwrap();
        }),
    ];
    for file in ["ca.key", "ca.crt", "server.key", "server.crt"] {
        for (kind, make) in &impostors {
            let sb = Sandbox::new();
            sb.quick_pair();
            fs::remove_file(sb.file(file)).unwrap();
            make(&sb.file(file));
            let mut commands: Vec<&[&str]> =
                vec![&["server", "--key-type", "ecdsa-p256"], &["inspect"]];
            if file != "ca.key" {
                commands.push(&["verify"]); // verify never reads the CA key
            }
            if file.starts_with("ca.") {
                commands.push(&["ca", "--key-type", "ecdsa-p256"]);
                commands.push(&["ca", "--force", "--key-type", "ecdsa-p256"]);
            }
            for args in commands {
                let what = format!("{kind} at {file}, aitls {args:?}");
                let out = run_bounded(cmd(&sb, args), 20, &what);
                let err = stderr(&out);
                assert_eq!(out.status.code(), Some(2), "{what}: {err}");
                assert!(
                    err.contains(&format!("ai/certs/{file}")) && err.contains(kind),
                    "{what}: {err}"
                );
                assert!(!err.contains("panicked"), "{what}: {err}");
            }
        }
    }
}

#[test]
fn files_named_on_the_command_line_must_be_regular_files() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let fifo = sb.root().join("pipe.crt");
    mkfifo(&fifo);
    let huge = sb.root().join("huge.pem");
    fs::File::create(&huge).unwrap().set_len(4 << 30).unwrap();
    let socket = sb.root().join("agent.sock");
    drop(std::os::unix::net::UnixListener::bind(&socket).unwrap());
    let fifo = fifo.to_str().unwrap();
    let huge = huge.to_str().unwrap();
    let socket = socket.to_str().unwrap();
    let root = sb.root().to_str().unwrap();
    let cases: [(&[&str], &str, &str); 11] = [
        (&["inspect", fifo], fifo, "FIFO"),
        (&["inspect", socket], socket, "socket"),
        (&["inspect", "/dev/zero"], "/dev/zero", "character device"),
        (&["inspect", "/dev/null"], "/dev/null", "character device"),
        (&["inspect", root], root, "directory"),
        (&["inspect", huge], huge, "larger than 1 MiB"),
        (&["verify", fifo], fifo, "FIFO"),
        (&["verify", "--ca", fifo], fifo, "FIFO"),
        (&["verify", "--key", fifo], fifo, "FIFO"),
        (
            &["verify", "--key", "/dev/zero"],
            "/dev/zero",
            "character device",
        ),
        (
            &["verify", "--ca", "/dev/urandom"],
            "/dev/urandom",
            "character device",
        ),
    ];
    for (args, file, kind) in cases {
        let what = format!("aitls {args:?}");
        let out = run_bounded(cmd(&sb, args), 20, &what);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert!(err.contains(file) && err.contains(kind), "{what}: {err}");
    }
}

#[test]
fn a_fifo_planted_in_dir_does_not_block_other_writers() {
    // Before, a FIFO at ca.key hung `aitls server` while it held the lock, so every other
    // writer waited forever too. Now each run refuses at once and releases the lock.
    let sb = Sandbox::new();
    sb.quick_pair();
    let ca_key = sb.read("ca.key");
    fs::remove_file(sb.file("ca.key")).unwrap();
    mkfifo(&sb.file("ca.key"));
    let started = std::time::Instant::now();
    let runs: Vec<_> = (0..4)
        .map(|_| {
            let c = cmd(&sb, &["server", "--force", "--key-type", "ecdsa-p256"]);
            std::thread::spawn(move || run_bounded(c, 20, "server beside a FIFO"))
        })
        .collect();
    for run in runs {
        let out = run.join().unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    fs::remove_file(sb.file("ca.key")).unwrap();
    plant(&sb, "ca.key", &ca_key, 0o600);
    sb.ok(&["server", "--force", "--key-type", "ecdsa-p256"]);
    assert!(pair_matches(&sb.certs(), "server"));
}

// ---------------------------------------------------------------------------------------
// SPEC §3 "A closed stdout or stderr never changes the exit code and never causes a panic."
// ---------------------------------------------------------------------------------------

/// Runs `aitls ARGS` with stdout and/or stderr connected to a pipe nobody reads.
fn with_closed(sb: &Sandbox, args: &[&str], stdout: bool, stderr: bool) -> Output {
    use std::process::Stdio;
    let mut c = cmd(sb, args);
    c.stdout(if stdout {
        Stdio::from(closed_pipe())
    } else {
        Stdio::piped()
    });
    c.stderr(if stderr {
        Stdio::from(closed_pipe())
    } else {
        Stdio::piped()
    });
    c.stdin(Stdio::null());
    c.output().expect("run aitls")
}

#[test]
fn a_closed_stderr_never_panics_nor_changes_the_exit_code() {
    let sb = Sandbox::new();
    sb.quick_pair();
    let cases: [(&[&str], i32); 6] = [
        // warnings on stderr: a kept CA with another --cn
        (&["ca", "--cn", "X", "--key-type", "ecdsa-p256"], 0),
        // the bare usage text
        (&[], 2),
        // an error and its hint
        (&["server", "--out", "../x"], 2),
        (&["--dir", "nowhere", "server"], 1),
        // clap's own usage error
        (&["ca", "--days", "0"], 2),
        // warnings and output together
        (
            &[
                "server",
                "--renew-within",
                "400",
                "--key-type",
                "ecdsa-p256",
            ],
            0,
        ),
    ];
    for (args, code) in cases {
        for closed_stdout in [false, true] {
            let out = with_closed(&sb, args, closed_stdout, true);
            assert_eq!(
                out.status.code(),
                Some(code),
                "aitls {args:?} (stdout closed: {closed_stdout}) with a closed stderr: {}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
    }
}

#[test]
fn a_closed_stdout_never_changes_the_exit_code() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    sb.quick_pair();
    // A failing verdict stays a failure: a key others can read fails `verify`.
    fs::set_permissions(sb.file("server.key"), fs::Permissions::from_mode(0o644)).unwrap();
    let cases: [(&[&str], i32); 11] = [
        // an error's JSON object goes to the closed stdout too
        (&["--json", "inspect", "ai/certs/nothing.crt"], 2),
        (&["--json", "--dir", "nowhere", "server"], 1),
        (&["verify"], 1),
        (&["--json", "verify"], 1),
        (&["verify", "--host", "example.com"], 1),
        (&["inspect"], 0),
        (&["--json", "inspect", "ai/certs/ca.crt"], 0),
        (&["inspect", "ai/certs/nothing.crt"], 2),
        (&["env"], 0),
        (&["completions", "bash"], 0),
        (&["--json", "ca", "--key-type", "ecdsa-p256"], 0),
    ];
    for (args, code) in cases {
        for closed_stderr in [false, true] {
            let out = with_closed(&sb, args, true, closed_stderr);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(code),
                "aitls {args:?} with a closed stdout (stderr closed: {closed_stderr}): {err}"
            );
            assert!(!err.contains("panicked"), "{err}");
        }
    }
    // And the run that writes: it happened, whatever became of its report.
    fs::set_permissions(sb.file("server.key"), fs::Permissions::from_mode(0o600)).unwrap();
    let out = with_closed(
        &sb,
        &["server", "--force", "--key-type", "ecdsa-p256"],
        true,
        true,
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(pair_matches(&sb.certs(), "server"));
}

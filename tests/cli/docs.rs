//! Tests of the documentation: the commands in `docs/guide.md` and `README.md` work as
//! written.
//!
//! A fenced block is run when its info string says so:
//! - ```` ```sh tested ```` runs in bash (`set -euo pipefail`), in the document's temporary
//!   directory, with the freshly built `aitls` first on `PATH`;
//! - ```` ```LANG file=NAME ```` is written to `NAME` in that directory (a script or a
//!   Makefile a later block uses);
//! - ```` ```yaml tested ```` is a GitHub Actions step: its `run: |` script runs as above,
//!   with `$GITHUB_ENV` pointing at a file that is checked afterwards.
//!
//! Blocks run in document order in one directory, as a reader following the page would.
//! One deviation: the YOLO26 demo serves on a free port instead of 8095, by adding
//! `--yolo-url` to its `aitls env` line, so parallel test runs cannot collide.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

use crate::util::{stderr, stdout};

/// A fenced code block: its info string and its text.
#[derive(Debug)]
pub(crate) struct Block {
    pub(crate) info: String,
    pub(crate) body: String,
    pub(crate) line: usize,
}

pub(crate) fn blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (n, line) in markdown.lines().enumerate() {
        match open.take() {
            None => {
                if let Some(info) = line.strip_prefix("```") {
                    open = Some(Block {
                        info: info.trim().to_owned(),
                        body: String::new(),
                        line: n + 1,
                    });
                }
            }
            Some(mut block) => {
                if line.trim_end() == "```" {
                    blocks.push(block);
                } else {
                    block.body.push_str(line);
                    block.body.push('\n');
                    open = Some(block);
                }
            }
        }
    }
    assert!(open.is_none(), "unclosed code block");
    blocks
}

pub(crate) fn read_doc(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Runs `script` in bash in `dir` with the built `aitls` first on PATH. `timeout` bounds a
/// hung block; the shell kills its background jobs when it exits, and its process group
/// is signalled afterwards in case anything else lingered.
pub(crate) fn run_sh(dir: &Path, script: &str, extra_env: &[(&str, &Path)]) -> Output {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_aitls"))
        .parent()
        .expect("bin dir")
        .to_owned();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH");
    let mut cmd = Command::new("timeout");
    // On any exit (a failing command, or `timeout`'s TERM), stop the block's background
    // jobs: a server left running would hold the output pipes open and hang the test.
    let preamble = "set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\ntrap 'exit 143' TERM\n";
    cmd.args(["120", "bash", "-c", &format!("{preamble}{script}")])
        .current_dir(dir)
        .env("PATH", path)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("AITLS_") {
            cmd.env_remove(&key);
        }
    }
    for (key, value) in extra_env {
        cmd.env(key, value);
    }
    let child = cmd.spawn().expect("timeout and bash are installed");
    let pgid = child.id();
    let out = child.wait_with_output().expect("wait for bash");
    // Only the group this test created; it is gone already unless something lingered.
    let _ = Command::new("kill")
        .args(["-TERM", "--", &format!("-{pgid}")])
        .output();
    out
}

pub(crate) fn assert_ran(what: &str, block: &Block, out: &Output) {
    assert!(
        out.status.success(),
        "{what}, block at line {} failed ({}):\n{}\n--- stdout:\n{}\n--- stderr:\n{}",
        block.line,
        out.status,
        block.body,
        stdout(out),
        stderr(out)
    );
}

/// The bytes of every file in `dir`, to tell whether a run changed anything.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("certificate directory")
        .map(|e| {
            let path = e.expect("entry").path();
            let bytes = std::fs::read(&path).expect("read");
            (path, bytes)
        })
        .collect();
    files.sort();
    files
}

/// The `run: |` script of a GitHub Actions step.
pub(crate) fn actions_run_script(yaml: &str) -> String {
    let mut lines = yaml.lines().skip_while(|l| l.trim() != "run: |").skip(1);
    let first = lines.next().expect("a line after `run: |`");
    let indent = first.len() - first.trim_start().len();
    std::iter::once(first)
        .chain(
            lines.take_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() >= indent),
        )
        .map(|l| format!("{}\n", l.get(indent..).unwrap_or("")))
        .collect()
}

#[test]
fn guide_blocks_work_as_written() {
    let guide = read_doc("docs/guide.md");
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let (mut ran, mut makefile_checked, mut demo_checked, mut actions_checked) =
        (0, false, false, false);
    let (mut nemotron_checked, mut rotation_checked) = (false, false);
    for block in blocks(&guide) {
        if let Some(name) = block
            .info
            .split_whitespace()
            .find_map(|w| w.strip_prefix("file="))
        {
            std::fs::write(dir.join(name), &block.body).unwrap();
            continue;
        }
        match block.info.as_str() {
            "sh tested" => {
                let mut script = block.body.clone();
                if script.contains("yolo26_demo.py") {
                    let env_line = r#"eval "$(aitls env --format shell)""#;
                    assert!(
                        script.contains(env_line),
                        "the demo block must export the settings with `{env_line}`"
                    );
                    let port = free_port();
                    script = script.replacen(
                        env_line,
                        &format!(r#"eval "$(aitls env --format shell --yolo-url https://localhost:{port})""#),
                        1,
                    );
                    let out = run_sh(dir, &script, &[]);
                    assert_ran("the YOLO26 demo", &block, &out);
                    // curl and the Python client both got the health answer over TLS.
                    assert_eq!(
                        stdout(&out).matches(r#"{"status": "healthy"}"#).count(),
                        2,
                        "{}",
                        stdout(&out)
                    );
                    assert!(stdout(&out).contains("200 "), "{}", stdout(&out));
                    demo_checked = true;
                } else {
                    let out = run_sh(dir, &script, &[]);
                    assert_ran("the guide", &block, &out);
                    let certs = dir.join("ai/certs");
                    if script.contains("--nemotron nemotron") {
                        // Nemotron on another host: llama-server's settings move to its
                        // own certificate, YOLO26's stay.
                        let text = stdout(&out);
                        for (var, file) in [
                            ("YOLO26_SSL_CERTFILE", "server.crt"),
                            ("LLAMA_ARG_SSL_CERT_FILE", "nemotron.crt"),
                        ] {
                            let line = format!("{var}={}\n", certs.join(file).display());
                            assert!(text.contains(&line), "{line:?} not in:\n{text}");
                        }
                        nemotron_checked = true;
                    }
                    if script.contains("aitls ca --renew") {
                        // The plain run keeps the proxy's name; the CA renews.
                        let text = stdout(&out);
                        assert!(
                            text.contains("kept ai/certs/server.crt")
                                && text.contains("for ai.example.internal, localhost"),
                            "{text}"
                        );
                        assert!(text.contains("renewed ai/certs/ca.crt"), "{text}");
                        rotation_checked = true;
                    }
                    if script.contains("make certs") {
                        // `make certs` is a no-op once certificates are current.
                        let before = snapshot(&dir.join("ai/certs"));
                        let again = run_sh(dir, "make certs", &[]);
                        assert_ran("make certs again", &block, &again);
                        assert_eq!(
                            before,
                            snapshot(&dir.join("ai/certs")),
                            "make certs changed files"
                        );
                        // `aitls sync`: one line per pair, the CA and aitls.toml's three.
                        assert_eq!(
                            stdout(&again).matches("kept ").count(),
                            4,
                            "{}",
                            stdout(&again)
                        );
                        makefile_checked = true;
                    }
                }
                ran += 1;
            }
            "yaml tested" => {
                let github_env = dir.join("github-env");
                std::fs::write(&github_env, "").unwrap();
                let out = run_sh(
                    dir,
                    &actions_run_script(&block.body),
                    &[("GITHUB_ENV", &github_env)],
                );
                assert_ran("the GitHub Actions step", &block, &out);
                let written = std::fs::read_to_string(&github_env).unwrap();
                let ca = dir.join("ai/certs/ca.crt");
                assert!(
                    written.contains(&format!("AI_CA_CERT_PATH={}\n", ca.display())),
                    "{written}"
                );
                assert!(written.contains("AI_VERIFY_SSL=true\n"), "{written}");
                actions_checked = true;
                ran += 1;
            }
            _ => {}
        }
    }
    assert!(ran >= 5, "only {ran} tested blocks in docs/guide.md");
    assert!(makefile_checked, "no tested block runs `make certs`");
    assert!(demo_checked, "no tested block runs the YOLO26 demo");
    assert!(actions_checked, "no tested GitHub Actions step");
    assert!(
        nemotron_checked,
        "no tested block for Nemotron on another host"
    );
    assert!(rotation_checked, "no tested rotation block");
}

#[test]
fn readme_blocks_work_as_written() {
    let readme = read_doc("README.md");
    let tmp = TempDir::new().unwrap();
    let mut ran = 0;
    for block in blocks(&readme)
        .into_iter()
        .filter(|b| b.info == "sh tested")
    {
        let out = run_sh(tmp.path(), &block.body, &[]);
        assert_ran("README.md", &block, &out);
        ran += 1;
    }
    assert!(ran >= 1, "README.md has no tested block");
    assert!(tmp.path().join("ai/certs/server.key").is_file());
}

#[test]
fn docs_link_to_files_that_exist() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for doc in ["README.md", "docs/guide.md"] {
        let text = read_doc(doc);
        let base = root.join(doc).parent().unwrap().to_owned();
        // Markdown links to local files: ](path) without a scheme or an anchor only.
        for target in text
            .split("](")
            .skip(1)
            .filter_map(|rest| rest.split(')').next())
        {
            let file = target.split('#').next().unwrap_or_default();
            if file.is_empty() || file.contains("://") {
                continue;
            }
            // docs/performance.md is written by the benchmark work in progress.
            if ["docs/performance.md", "performance.md"].contains(&file) {
                continue;
            }
            assert!(base.join(file).exists(), "{doc} links to missing {file}");
        }
    }
}

#[test]
fn actions_run_script_is_extracted_without_indentation() {
    let yaml = "- name: x\n  run: |\n    a b\n\n    c\n- name: y\n";
    assert_eq!(actions_run_script(yaml), "a b\n\nc\n");
}

#[test]
fn no_command_prints_a_short_usage_not_a_wall_of_text() {
    let tmp = TempDir::new().unwrap();
    let out = crate::util::aitls(tmp.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let usage = stderr(&out);
    assert!(usage.lines().count() <= 12, "{usage}");
    for phrase in ["aitls ca && aitls server", "aitls env", "aitls --help"] {
        assert!(usage.contains(phrase), "{phrase:?} missing from:\n{usage}");
    }
}

#[test]
fn readme_completion_install_lines_work_in_a_fresh_home() {
    // Each line creates the directory it writes into (a fresh account has none of them).
    let readme = read_doc("README.md");
    let block = blocks(&readme)
        .into_iter()
        .find(|b| b.body.contains("aitls completions bash >"))
        .expect("README.md shows how to install completions");
    let home = TempDir::new().unwrap();
    let lines: String = block
        .body
        .lines()
        .filter(|l| !l.contains("powershell"))
        .map(|l| format!("{l}\n"))
        .collect();
    let out = run_sh(home.path(), &lines, &[("HOME", home.path())]);
    assert!(out.status.success(), "{lines}\n{}", stderr(&out));
    for file in [
        ".local/share/bash-completion/completions/aitls",
        ".zfunc/_aitls",
        ".config/fish/completions/aitls.fish",
        ".config/elvish/lib/aitls.elv",
    ] {
        let path = home.path().join(file);
        assert!(
            std::fs::metadata(&path).is_ok_and(|m| m.len() > 100),
            "{file} was not written"
        );
    }
}

#[test]
fn readme_names_what_ci_installs_and_the_rust_version() {
    // A new user reads the README, CI runs .ci/run: they must name the same things.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = read_doc("README.md");
    let ci = std::fs::read_to_string(root.join(".ci/run")).unwrap();
    let packages: Vec<&str> = ci
        .split("need+=(")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .collect();
    assert!(packages.len() >= 10, "parsed .ci/run: {packages:?}");
    for package in packages {
        assert!(
            readme.contains(&format!("`{package}`")),
            "README's set-up does not name the Debian package `{package}` that .ci/run installs"
        );
    }
    let requirements = std::fs::read_to_string(root.join(".ci/requirements.txt")).unwrap();
    for line in requirements.lines() {
        let name = line.split('#').next().unwrap_or_default().trim();
        if !name.is_empty() {
            assert!(
                readme.contains(name),
                "README does not name the PyPI package {name} that .ci/run installs"
            );
        }
    }
    let cargo = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let msrv = cargo
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .unwrap()
        .trim_matches('"');
    assert!(
        readme.contains(&format!("Rust {msrv} or newer")),
        "README names Rust {msrv} (Cargo.toml's rust-version)"
    );
}

#[test]
fn rust_version_covers_every_locked_dependency() {
    // README promises Rust >= Cargo.toml's rust-version. clippy's incompatible_msrv lint
    // (CI runs clippy -D warnings) holds aitls's own code to it; this holds every crate in
    // Cargo.lock to it, so a dependency update cannot silently raise the real minimum.
    // (1.89 was checked by building with it: `cargo +1.89 build --locked --all-targets`.)
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["metadata", "--locked", "--offline", "--format-version", "1"])
        .current_dir(root)
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let version = |v: &str| -> Vec<u32> {
        let mut parts: Vec<u32> = v.split('.').map(|p| p.parse().unwrap()).collect();
        parts.resize(3, 0); // "1.88" is 1.88.0
        parts
    };
    let packages = meta["packages"].as_array().unwrap();
    let ours = packages
        .iter()
        .find(|p| p["name"] == "aitls")
        .and_then(|p| p["rust_version"].as_str())
        .expect("Cargo.toml has a rust-version");
    for p in packages {
        if let Some(theirs) = p["rust_version"].as_str() {
            assert!(
                version(theirs) <= version(ours),
                "{} {} needs Rust {theirs}, more than aitls's rust-version {ours}",
                p["name"],
                p["version"]
            );
        }
    }
}

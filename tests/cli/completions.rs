//! Tests of `aitls completions`: the checked-in scripts in `completions/` and the man page
//! `docs/aitls.1` are exactly what the binary generates, and the bash script really loads
//! and completes.
//!
//! When the CLI changes, refresh the files with `AITLS_BLESS=1 cargo test --test cli`.

use std::path::PathBuf;
use std::process::Command;

use crate::util::{Sandbox, aitls, stderr, stdout};

/// Every generated file: the `aitls completions` argument and its path in the repository.
const GENERATED: [(&str, &str); 6] = [
    ("bash", "completions/aitls.bash"),
    ("zsh", "completions/_aitls"),
    ("fish", "completions/aitls.fish"),
    ("powershell", "completions/_aitls.ps1"),
    ("elvish", "completions/aitls.elv"),
    ("man", "docs/aitls.1"),
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn generate(what: &str) -> Vec<u8> {
    let sandbox = Sandbox::new();
    let out = sandbox.ok(&["completions", what]);
    assert!(
        !out.stdout.is_empty(),
        "aitls completions {what} printed nothing"
    );
    out.stdout
}

#[test]
fn checked_in_completions_and_man_page_are_up_to_date() {
    let bless = std::env::var_os("AITLS_BLESS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for (what, file) in GENERATED {
        let path = repo().join(file);
        let fresh = generate(what);
        if std::fs::read(&path).ok().as_deref() == Some(fresh.as_slice()) {
            continue;
        }
        if bless {
            std::fs::write(&path, &fresh).unwrap_or_else(|e| panic!("writing {file}: {e}"));
        } else {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files: {}\nthe CLI changed; refresh them with: AITLS_BLESS=1 cargo test --test cli",
        stale.join(", ")
    );
}

#[test]
fn man_page_does_not_depend_on_terminal_width_or_environment() {
    let sandbox = Sandbox::new();
    let plain = sandbox.ok(&["completions", "man"]).stdout;
    let out = aitls(sandbox.root())
        .args(["completions", "man"])
        .env("COLUMNS", "37")
        .env("AITLS_DIR", "/somewhere/else")
        .env("SOURCE_DATE_EPOCH", "0")
        .output()
        .expect("run aitls");
    assert!(out.status.success());
    assert_eq!(
        plain, out.stdout,
        "the man page changed with COLUMNS/AITLS_DIR"
    );
    let text = String::from_utf8(plain).expect("UTF-8 roff");
    assert!(
        text.contains("\n.TH aitls 1 \"\" \"aitls "),
        "no dateless .TH line"
    );
    for section in [
        "aitls ca",
        "aitls server",
        "aitls env",
        "aitls completions",
        "EXIT STATUS",
    ] {
        assert!(text.contains(section), "man page lacks {section:?}");
    }
}

#[test]
fn each_shell_gets_its_own_script_on_stdout() {
    let bash = String::from_utf8(generate("bash")).unwrap();
    assert!(
        bash.contains("complete -F _aitls") || bash.contains("-F _aitls"),
        "{bash}"
    );
    assert!(
        String::from_utf8(generate("zsh"))
            .unwrap()
            .starts_with("#compdef aitls")
    );
    assert!(
        String::from_utf8(generate("fish"))
            .unwrap()
            .contains("complete -c aitls")
    );
    assert!(
        String::from_utf8(generate("powershell"))
            .unwrap()
            .contains("Register-ArgumentCompleter")
    );
    assert!(
        String::from_utf8(generate("elvish"))
            .unwrap()
            .contains("edit:completion:arg-completer[aitls]")
    );
}

#[test]
fn quiet_does_not_silence_the_script() {
    let sandbox = Sandbox::new();
    let out = sandbox.ok(&["-q", "completions", "bash"]);
    assert!(stdout(&out).contains("_aitls"));
}

#[test]
fn unknown_shell_is_a_usage_error() {
    let sandbox = Sandbox::new();
    let out = sandbox
        .aitls()
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("bash"),
        "should list the shells: {}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
}

/// Runs bash completion for the words of `line` (the last one being completed), with the
/// checked-in script, and returns the candidates.
fn bash_complete(line: &[&str]) -> Vec<String> {
    let words = line
        .iter()
        .map(|w| format!("'{w}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let script = format!(
        "source completions/aitls.bash\n\
         COMP_WORDS=({words}); COMP_CWORD={}; COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}\n\
         _aitls aitls \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        line.len() - 1
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(script)
        .current_dir(repo())
        .output()
        .expect("bash is installed");
    assert!(out.status.success(), "bash: {}", stderr(&out));
    stdout(&out).lines().map(str::to_owned).collect()
}

#[test]
fn bash_script_loads_and_registers_aitls() {
    let out = Command::new("bash")
        .args(["-c", "source completions/aitls.bash; complete -p aitls"])
        .current_dir(repo())
        .output()
        .expect("bash is installed");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("_aitls aitls"), "{}", stdout(&out));
}

#[test]
fn bash_completes_commands_formats_and_shells() {
    let commands = bash_complete(&["aitls", ""]);
    for cmd in ["ca", "server", "verify", "inspect", "env", "completions"] {
        assert!(
            commands.iter().any(|c| c == cmd),
            "{cmd} not offered: {commands:?}"
        );
    }
    assert_eq!(bash_complete(&["aitls", "env", "--format", "s"]), ["shell"]);
    let shells = bash_complete(&["aitls", "completions", ""]);
    assert!(shells.iter().any(|s| s == "elvish"), "{shells:?}");
    assert!(
        !shells.iter().any(|s| s == "man"),
        "the hidden man value leaked: {shells:?}"
    );
}

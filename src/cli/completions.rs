//! `aitls completions`: shell completion scripts (clap_complete) and, behind the hidden
//! value `man`, the roff man page (clap_mangen), both generated from [`Cli`]'s definition.
//!
//! This is the only generator of `completions/*` and `docs/aitls.1`; the test
//! `tests/cli/completions.rs` regenerates them through the binary and fails when the
//! checked-in copies are stale. Output must therefore be deterministic: no dates, no
//! terminal width, no environment values.

use std::io::Write;
use std::process::ExitCode;

use clap::builder::PossibleValuesParser;
use clap::{Args, CommandFactory, ValueEnum};
use clap_mangen::roff::{Roff, bold, roman};

use super::{Cli, Globals, Output};

/// Print a shell completion script
///
/// Writes the script to stdout; the scripts are also kept in the repository's
/// completions/ directory.
///
/// Examples:
///   aitls completions bash > ~/.local/share/bash-completion/completions/aitls
///   aitls completions zsh > ~/.zfunc/_aitls     # with fpath+=(~/.zfunc) in ~/.zshrc
///   aitls completions fish > ~/.config/fish/completions/aitls.fish
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_name = "SHELL", value_enum)]
    pub shell: Shell,
}

/// What `aitls completions` can generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    /// Bash (bash-completion)
    Bash,
    /// Zsh (a _aitls file on $fpath)
    Zsh,
    /// Fish
    Fish,
    /// PowerShell (dot-source it from $PROFILE)
    Powershell,
    /// Elvish (use it from rc.elv)
    Elvish,
    /// The man page, roff (for packagers: aitls completions man > aitls.1)
    #[value(hide = true)]
    Man,
}

/// Runs `aitls completions`. The script is the result, so `--quiet` does not silence it.
pub fn run(args: &CompletionsArgs, _globals: &Globals, out: &Output) -> anyhow::Result<ExitCode> {
    let bytes = generate(args.shell)?;
    out.data(&bytes)?;
    Ok(ExitCode::SUCCESS)
}

/// The script (or man page) for `shell`.
fn generate(shell: Shell) -> std::io::Result<Vec<u8>> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    let generator = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
        Shell::Elvish => clap_complete::Shell::Elvish,
        Shell::Man => {
            man_page(cmd, &mut buf)?;
            return Ok(buf);
        }
    };
    // Offer only the visible values of SHELL: some generators list hidden ones too.
    let visible = Shell::value_variants()
        .iter()
        .filter_map(ValueEnum::to_possible_value)
        .filter(|value| !value.is_hide_set());
    let parser = PossibleValuesParser::new(visible);
    cmd = cmd.mut_subcommand("completions", |sub| {
        sub.mut_arg("shell", |arg| arg.value_parser(parser))
    });
    clap_complete::generate(generator, &mut cmd, "aitls", &mut buf);
    Ok(buf)
}

/// One man page for the whole tool: clap_mangen's top-level sections, then a COMMANDS
/// section with each subcommand's full `--help` text, so `man aitls` documents every
/// option and example without one page per subcommand.
fn man_page(cmd: clap::Command, w: &mut dyn Write) -> std::io::Result<()> {
    // Width 0 (no wrapping: the source layout) and no environment values: the page must
    // not depend on the terminal or on AITLS_DIR being set where it is generated.
    let mut cmd = cmd
        .term_width(0)
        .mut_arg("dir", |arg| arg.hide_env_values(true))
        .disable_help_subcommand(true);
    cmd.build();
    let man = clap_mangen::Man::new(cmd.clone());
    // Each clap_mangen section repeats roff's two-line quote preamble; write it once.
    let mut page = String::from(ROFF_PREAMBLE);
    // The .TH date stays empty (quoted, so the source stays in its column): a date would
    // change on every run and make the checked-in page stale.
    page.push_str(&format!(
        ".TH aitls 1 \"\" \"aitls {}\" \"User Commands\"\n",
        cmd.get_version().unwrap_or_default()
    ));
    type Section = fn(&clap_mangen::Man, &mut dyn Write) -> std::io::Result<()>;
    let sections: [Section; 4] = [
        clap_mangen::Man::render_name_section,
        clap_mangen::Man::render_synopsis_section,
        clap_mangen::Man::render_description_section,
        clap_mangen::Man::render_options_section,
    ];
    for render in sections {
        let mut buf = Vec::new();
        render(&man, &mut buf)?;
        let text = String::from_utf8_lossy(&buf);
        page.push_str(text.strip_prefix(ROFF_PREAMBLE).unwrap_or(&text));
    }
    w.write_all(page.as_bytes())?;

    let mut roff = Roff::default();
    // The top-level examples, preformatted so their comments stay aligned.
    if let Some(after) = cmd.get_after_help() {
        roff.control("SH", ["EXAMPLES"]).control("nf", []);
        for line in after.to_string().lines().filter(|l| *l != "Examples:") {
            roff.text([roman(line.trim_end())]);
        }
        roff.control("fi", []);
    }
    roff.control("SH", ["COMMANDS"]);
    for sub in cmd.get_subcommands_mut().filter(|s| !s.is_hide_set()) {
        let name = format!("aitls {}", sub.get_name());
        roff.control("SS", [name.as_str()]);
        if let Some(about) = sub.get_about() {
            roff.text([roman(about.to_string())]);
        }
        // Preformatted, as `aitls CMD --help` prints it: the examples keep their layout.
        roff.control("PP", [])
            .control("nf", [])
            .control("RS", ["4"]);
        let help = sub.clone().term_width(0).render_long_help().to_string();
        for line in help.lines() {
            roff.text([roman(line.trim_end())]);
        }
        roff.control("RE", []).control("fi", []);
    }
    roff.control("SH", ["FILES"]);
    for (file, what) in [
        ("DIR/ca.crt", "CA certificate, PEM, mode 0644"),
        ("DIR/ca.key", "CA private key, PKCS#8 PEM, mode 0600"),
        (
            "DIR/STEM.crt",
            "server certificate, PEM, mode 0644 (STEM defaults to server)",
        ),
        ("DIR/STEM.key", "server private key, PKCS#8 PEM, mode 0600"),
    ] {
        roff.control("TP", [])
            .text([bold(file)])
            .text([roman(what)]);
    }
    roff.control("SH", ["EXIT STATUS"]);
    for (code, what) in [
        ("0", "success (verify: the certificate is valid)"),
        ("1", "failed: refused, not valid, or an I/O error"),
        ("2", "bad usage, or unreadable or malformed input"),
    ] {
        roff.control("TP", [])
            .text([bold(code)])
            .text([roman(what)]);
    }
    let rest = roff.render();
    w.write_all(rest.strip_prefix(ROFF_PREAMBLE).unwrap_or(&rest).as_bytes())
}

/// What the roff crate puts before every document it renders (an apostrophe definition
/// for groff and other troffs).
const ROFF_PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";

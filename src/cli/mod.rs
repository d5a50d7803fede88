//! The command line: clap definitions, dispatch, and the mapping from errors to exit codes.
//!
//! Everything here translates between the user and the library; no crypto or file logic
//! lives in `cli/`.

mod ca;
mod completions;
mod env;
mod export;
mod inspect;
mod output;
mod server;
mod sign;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use aitls::issue::KeyType;

pub use output::Output;

/// TLS for your AI services in one line: a private CA and server certificates.
#[derive(Debug, Parser)]
#[command(
    name = "aitls",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(after_help = "\
Examples:
  aitls ca && aitls server              # CA + localhost certificate in ai/certs
  aitls server yolo.internal 10.0.0.5   # a certificate for other names
  aitls env >> backend/.env             # the AI services' TLS settings

Run `aitls help COMMAND` for a command's options and examples.")]
pub struct Cli {
    /// Certificate directory [default: ai/certs]
    #[arg(
        short = 'd',
        long,
        global = true,
        env = "AITLS_DIR",
        value_name = "DIR",
        default_value = "ai/certs",
        hide_default_value = true
    )]
    pub dir: PathBuf,

    /// Print errors only
    #[arg(short = 'q', long, global = true)]
    pub quiet: bool,

    /// Print one JSON document on stdout instead of text
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands. Each one's help text is the doc comment of its `Args` struct.
#[derive(Debug, Subcommand)]
pub enum Command {
    Ca(ca::CaArgs),
    Server(server::ServerArgs),
    Sign(sign::SignArgs),
    Verify(verify::VerifyArgs),
    Inspect(inspect::InspectArgs),
    Env(env::EnvArgs),
    Export(export::ExportArgs),
    Completions(completions::CompletionsArgs),
}

/// Options every subcommand sees.
#[derive(Debug, Clone)]
pub struct Globals {
    /// The certificate directory.
    pub dir: PathBuf,
}

/// The `--key-type` parser: the library's key types, each with its help line.
pub fn key_type_parser() -> impl TypedValueParser<Value = KeyType> {
    PossibleValuesParser::new(
        KeyType::ALL.map(|kt| PossibleValue::new(kt.name()).help(kt.description())),
    )
    .try_map(|name| name.parse::<KeyType>())
}

/// Parses the command line, exiting on `--help`, `--version` and usage errors (exit 2).
/// Also returns the directory when it was given with `--dir`, so hints can repeat it.
pub fn parse() -> (Cli, Option<PathBuf>) {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let dir_flag =
        (matches.value_source("dir") == Some(ValueSource::CommandLine)).then(|| cli.dir.clone());
    (cli, dir_flag)
}

/// Runs the chosen subcommand.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let out = Output::new(cli.json, cli.quiet);
    let globals = Globals { dir: cli.dir };
    let Some(command) = cli.command else {
        out.short_usage();
        return Ok(ExitCode::from(2));
    };
    match command {
        Command::Ca(args) => ca::run(&args, &globals, &out),
        Command::Server(args) => server::run(&args, &globals, &out),
        Command::Sign(args) => sign::run(&args, &globals, &out),
        Command::Verify(args) => verify::run(&args, &globals, &out),
        Command::Inspect(args) => inspect::run(&args, &globals, &out),
        Command::Env(args) => env::run(&args, &globals, &out),
        Command::Export(args) => export::run(&args, &globals, &out),
        Command::Completions(args) => completions::run(&args, &globals, &out),
    }
}

/// Prints `err` as one `error:` line plus a hint, and picks the exit code (SPEC §3): 2 for
/// bad usage or unreadable/malformed input, 1 for everything else. A closed stdout (as in
/// `aitls inspect | head -1`) is not an error.
pub fn report_error(err: &anyhow::Error, dir_flag: Option<&std::path::Path>) -> ExitCode {
    if err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    }) {
        return ExitCode::SUCCESS;
    }
    let lib = err.chain().find_map(|c| c.downcast_ref::<aitls::Error>());
    let hint = lib.and_then(aitls::Error::hint).map(|hint| match dir_flag {
        // A hint that names an aitls command must name the same directory.
        Some(dir) => hint.replace(
            "`aitls ",
            &format!(
                "`aitls --dir {} ",
                output::shell_quote(&dir.to_string_lossy())
            ),
        ),
        None => hint,
    });
    output::error(err, hint.as_deref());
    match lib.map(aitls::Error::kind) {
        Some(aitls::ErrorKind::Input) => ExitCode::from(2),
        _ => ExitCode::from(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_command_help_teaches_with_examples() {
        // Each subcommand's help is its Args doc comment: a short line, then details and
        // two or three examples (so no doc comment on the `Command` variants).
        for sub in Cli::command().get_subcommands() {
            let name = sub.get_name();
            let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
            let long = sub
                .get_long_about()
                .map(ToString::to_string)
                .unwrap_or_default();
            assert!(
                !about.is_empty() && !about.ends_with('.'),
                "{name}: short help {about:?}"
            );
            let examples = long
                .lines()
                .filter(|l| l.trim_start().starts_with("aitls "))
                .count();
            assert!(
                (2..=4).contains(&examples),
                "{name}: {examples} examples in --help"
            );
        }
    }

    #[test]
    fn days_out_of_range_are_usage_errors() {
        for args in [
            ["aitls", "ca", "--days", "0"],
            ["aitls", "ca", "--days", "3651"],
            ["aitls", "server", "--days", "826"],
        ] {
            let err = Cli::try_parse_from(args).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{args:?}");
        }
        assert!(Cli::try_parse_from(["aitls", "server", "--days", "825"]).is_ok());
    }

    #[test]
    fn key_types_parse_by_name() {
        let cli = Cli::try_parse_from(["aitls", "ca", "--key-type", "ecdsa-p384"]).unwrap();
        match cli.command {
            Some(Command::Ca(args)) => assert_eq!(args.key_type, KeyType::EcdsaP384),
            other => panic!("parsed as {other:?}"),
        }
        assert!(Cli::try_parse_from(["aitls", "ca", "--key-type", "dsa"]).is_err());
    }

    #[test]
    fn global_options_work_after_the_subcommand() {
        let cli = Cli::try_parse_from(["aitls", "server", "-d", "x", "--json", "-q"]).unwrap();
        assert_eq!(cli.dir, PathBuf::from("x"));
        assert!(cli.json && cli.quiet);
    }
}

//! The command line: clap definitions, dispatch, and the mapping from errors to exit codes.
//!
//! Everything here translates between the user and the library; no crypto or file logic
//! lives in `cli/`.

mod ca;
mod completions;
mod env;
mod export;
mod fix;
mod fixtures;
mod hook;
mod init;
mod inspect;
mod io_words;
mod output;
mod probe;
mod quote;
mod render;
mod server;
mod sign;
mod spinner;
mod sync;
mod trust;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use aitls::key_type::KeyType;

use fix::{DirSource, Words};

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
  aitls init && aitls sync              # the whole stack, declared in aitls.toml

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

    /// Project file [default: aitls.toml here or in the nearest parent directory]
    #[arg(long, global = true, env = MANIFEST_ENV, value_name = "FILE")]
    pub manifest: Option<PathBuf>,

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
    Sync(sync::SyncArgs),
    Init(init::InitArgs),
    Export(export::ExportArgs),
    Probe(probe::ProbeArgs),
    Fixtures(fixtures::FixturesArgs),
    Completions(completions::CompletionsArgs),
    Trust(trust::TrustArgs),
}

/// Options every subcommand sees.
#[derive(Debug, Clone)]
pub struct Globals {
    /// The certificate directory.
    pub dir: PathBuf,
    /// Words fixes with that directory.
    pub words: Words,
    /// The project file (`aitls.toml`), when there is one.
    pub project: Option<aitls::project::Project>,
    /// The project file's path: the one found or named, even when it does not exist yet
    /// (`aitls init` writes it).
    pub manifest: Option<PathBuf>,
    /// The project file was named (`--manifest`, `AITLS_MANIFEST`), not found.
    pub manifest_named: bool,
    /// The subcommand's options given on the command line (clap ids, `key_type`): what
    /// the project file must not override (SPEC §5).
    pub given: Vec<String>,
}

impl Globals {
    /// Whether the subcommand's option `id` (`days`, `key_type` …) was on the command line.
    pub fn given(&self, id: &str) -> bool {
        self.given.iter().any(|g| g == id)
    }
}

/// How aitls was started, beyond what [`Cli`] holds: what error reporting needs after
/// [`run`] has consumed the arguments.
#[derive(Debug, Clone)]
pub struct Invocation {
    /// Where the directory came from.
    pub dir: DirSource,
    /// `AITLS_DIR` is set but empty (and `--dir` was not given).
    pub empty_env_dir: bool,
    /// `--json` was given: an error is also one JSON object on stdout.
    pub json: bool,
    /// The subcommand's name, when one was given.
    pub command: Option<String>,
    /// The project file to read: named (`--manifest`, `AITLS_MANIFEST`) or found from
    /// the working directory upward.
    pub manifest: Option<PathBuf>,
    /// The subcommand's options given on the command line (see [`Globals::given`]).
    pub given: Vec<String>,
}

impl Invocation {
    /// Words fixes for this run.
    fn words(&self) -> Words {
        Words::new(self.dir.clone()).for_command(self.command.as_deref())
    }
}

/// The `--key-type` parser: the library's key types, each with its help line.
pub fn key_type_parser() -> impl TypedValueParser<Value = KeyType> {
    PossibleValuesParser::new(
        KeyType::ALL.map(|kt| PossibleValue::new(kt.name()).help(kt.description())),
    )
    .try_map(|name| name.parse::<KeyType>())
}

/// Parses the command line, exiting on `--help`, `--version` and usage errors (exit 2).
/// Also says where the directory came from, so fixes can repeat it.
pub fn parse() -> (Cli, Invocation) {
    // clap reports an empty environment value as a missing `--dir` value; read it as
    // unset here and name the variable in the error instead (see `run`).
    let empty_env = std::env::var_os(DIR_ENV).is_some_and(|v| v.is_empty());
    let mut command = Cli::command();
    if empty_env {
        command = command.mut_arg("dir", |arg| arg.env(None));
    }
    // An empty AITLS_MANIFEST is unset, as an empty AITLS_DIR is not a directory.
    if std::env::var_os(MANIFEST_ENV).is_some_and(|v| v.is_empty()) {
        command = command.mut_arg("manifest", |arg| arg.env(None));
    }
    let matches = command.try_get_matches().unwrap_or_else(|e| usage_error(e));
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| usage_error(e));
    // The project file: named, or found like Cargo.toml from here upward (SPEC §5).
    let (manifest, named) = match &cli.manifest {
        Some(path) => (Some(path.clone()), Some(path.clone())),
        None => (
            std::env::current_dir().ok().and_then(|cwd| {
                // Found here: named relatively, so paths print as they would without a
                // project file (`ai/certs/server.crt`); found above: absolute.
                aitls::project::find(&cwd).map(|found| {
                    if found.parent() == Some(cwd.as_path()) {
                        PathBuf::from(aitls::project::FILE_NAME)
                    } else {
                        found
                    }
                })
            }),
            None,
        ),
    };
    let dir = match matches.value_source("dir") {
        Some(ValueSource::CommandLine) => DirSource::Flag(cli.dir.clone()),
        Some(ValueSource::EnvVariable) => DirSource::Env(cli.dir.clone()),
        _ if manifest.is_some() => DirSource::Project { named },
        _ => DirSource::Default,
    };
    let invocation = Invocation {
        empty_env_dir: empty_env && matches!(dir, DirSource::Default | DirSource::Project { .. }),
        dir,
        json: cli.json,
        command: matches.subcommand_name().map(str::to_owned),
        manifest,
        given: matches
            .subcommand()
            .map(|(_, sub)| {
                sub.ids()
                    .filter(|id| sub.value_source(id.as_str()) == Some(ValueSource::CommandLine))
                    .map(|id| id.as_str().to_owned())
                    .collect()
            })
            .unwrap_or_default(),
    };
    (cli, invocation)
}

/// Exits on a clap error: help and version as clap prints them; a usage error (exit 2) as
/// one `error:` line and one `hint:` line (clap's tips, else where the help is), and with
/// `--json` anywhere on the line also as the JSON error object with that hint.
fn usage_error(err: clap::Error) -> ! {
    use clap::error::ErrorKind as K;
    let is_help = matches!(
        err.kind(),
        K::DisplayHelp | K::DisplayVersion | K::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if is_help {
        err.exit()
    }
    let (message, hint) = usage_words(&err.render().to_string());
    output::error(&message, Some(&hint));
    if std::env::args_os().any(|a| a == "--json") {
        // stdout may be closed; the exit code and stderr still tell.
        let _ = Output::new(true, false).json_doc(&ErrorJson {
            error: &message,
            hint: Some(&hint),
            exit_code: 2,
        });
    }
    std::process::exit(2)
}

/// clap's rendered usage error as aitls's two lines: the message, and a hint from its
/// tips (`a similar argument exists: '--host'`) or else the help to read. clap's usage
/// line and blank lines are left out.
fn usage_words(rendered: &str) -> (String, String) {
    let mut lines = rendered.lines();
    let first = lines.next().unwrap_or_default();
    let mut message = first.strip_prefix("error: ").unwrap_or(first).to_owned();
    let mut tips: Vec<&str> = Vec::new();
    for line in lines.map(str::trim_start) {
        if let Some(tip) = line.strip_prefix("tip: ") {
            tips.push(tip);
        } else if line.starts_with("[possible values: ") {
            // What may be given belongs with the error.
            message.push(' ');
            message.push_str(line);
        }
    }
    let hint = if tips.is_empty() {
        let command = Cli::command();
        let help = match std::env::args()
            .skip(1)
            .find(|a| command.find_subcommand(a).is_some())
        {
            Some(sub) => format!("aitls {sub} --help"),
            None => "aitls --help".to_owned(),
        };
        format!("run `{help}` for the options and examples")
    } else {
        tips.join("; ")
    };
    (message, hint)
}

/// An error as the one JSON object `--json` prints on stdout (SPEC §3).
#[derive(Debug, serde::Serialize)]
struct ErrorJson<'a> {
    /// The `error:` line, without its label.
    error: &'a str,
    /// The `hint:` line, without its label; `null` when there is none.
    hint: Option<&'a str>,
    /// The exit code: 1 failed or refused, 2 bad usage or unreadable / malformed input.
    exit_code: u8,
}

/// The environment variable that sets the certificate directory.
const DIR_ENV: &str = "AITLS_DIR";
/// The environment variable that names the project file.
const MANIFEST_ENV: &str = "AITLS_MANIFEST";

/// Runs the chosen subcommand.
pub fn run(cli: Cli, invocation: &Invocation) -> anyhow::Result<ExitCode> {
    let out = Output::new(cli.json, cli.quiet);
    if invocation.empty_env_dir {
        return Err(aitls::Error::InvalidValue {
            what: DIR_ENV,
            value: String::new(),
            reason: "the environment variable is set but empty; unset it or name a directory"
                .into(),
        }
        .into());
    }
    // `init` writes the file and `completions` needs none: neither reads it, so a broken
    // file elsewhere in the tree does not stop them.
    let reads_project = !matches!(
        cli.command,
        None | Some(Command::Init(_) | Command::Completions(_))
    );
    let project = match (&invocation.manifest, reads_project) {
        (Some(path), true) => Some(aitls::project::load(path)?),
        _ => None,
    };
    let dir = match (&invocation.dir, &project) {
        (DirSource::Project { .. }, Some(project)) => project.dir.clone(),
        _ => cli.dir,
    };
    let globals = Globals {
        words: invocation.words().in_dir(&dir),
        dir,
        project,
        manifest: invocation.manifest.clone(),
        manifest_named: cli.manifest.is_some(),
        given: invocation.given.clone(),
    };
    let Some(command) = cli.command else {
        out.short_usage();
        if out.json() {
            out.json_doc(&ErrorJson {
                error: "no command given",
                hint: Some("run `aitls --help`"),
                exit_code: 2,
            })?;
        }
        return Ok(ExitCode::from(2));
    };
    match command {
        Command::Ca(args) => ca::run(&args, &globals, &out),
        Command::Server(args) => server::run(&args, &globals, &out),
        Command::Sign(args) => sign::run(&args, &globals, &out),
        Command::Verify(args) => verify::run(&args, &globals, &out),
        Command::Inspect(args) => inspect::run(&args, &globals, &out),
        Command::Env(args) => env::run(&args, &globals, &out),
        Command::Sync(args) => sync::run(&args, &globals, &out),
        Command::Init(args) => init::run(&args, &globals, &out),
        Command::Export(args) => export::run(&args, &globals, &out),
        Command::Probe(args) => probe::run(&args, &globals, &out),
        Command::Fixtures(args) => fixtures::run(&args, &globals, &out),
        Command::Completions(args) => completions::run(&args, &globals, &out),
        Command::Trust(args) => trust::run(&args, &globals, &out),
    }
}

/// Shows what `ca` or `server` did: warnings on stderr, then the result on stdout (or the
/// one JSON document, which carries the warnings).
fn show_outcome(
    out: &Output,
    globals: &Globals,
    what: &str,
    outcome: &aitls::provision::Outcome,
) -> std::io::Result<()> {
    if out.json() {
        return out.json_doc(&render::outcome::json(outcome, &globals.words));
    }
    for warning in &outcome.warnings {
        if !render::outcome::is_next_step(warning) {
            out.warn(&globals.words.warning(warning));
        }
    }
    let mut text = render::outcome::text(what, outcome, out.style());
    if let Some(next) = render::outcome::next_step(what, outcome, &globals.words) {
        text.push_str(&next);
        text.push('\n');
    }
    out.text(&text)
}

/// Prints `err` as one `error:` line plus a hint, and picks the exit code (SPEC §3): 2 for
/// bad usage or unreadable/malformed input, 1 for everything else; with `--json` the error
/// is also one JSON object on stdout. (A closed stdout is not an error at all: [`Output`]
/// treats it as written, so it never reaches here and never turns a verdict or a failure
/// into exit 0.)
pub fn report_error(err: &anyhow::Error, invocation: &Invocation) -> ExitCode {
    let lib = err.chain().find_map(|c| c.downcast_ref::<aitls::Error>());
    let words = invocation.words();
    let mut hint = lib.and_then(|e| words.hint(&e.fixes()));
    // anyhow's `{:#}` chain, with operating-system errors in words.
    let mut message = err
        .chain()
        .map(|cause| match cause.downcast_ref::<std::io::Error>() {
            Some(io) => io_words::reason(io),
            None => cause.to_string(),
        })
        .collect::<Vec<_>>()
        .join(": ");
    // Permission denied: whose it is, and what to run.
    let denied = err.chain().find_map(|c| {
        let io = c.downcast_ref::<std::io::Error>()?;
        (io.kind() == std::io::ErrorKind::PermissionDenied).then_some(())
    });
    if let (Some(()), Some(aitls::Error::Read { path, .. } | aitls::Error::Write { path, .. })) =
        (denied, lib)
        && let Some((whose, fix)) = io_words::permission(path)
    {
        message.push_str(&format!(" ({whose})"));
        hint.get_or_insert(fix);
    }
    output::error(&message, hint.as_deref());
    let code = match lib.map(aitls::Error::kind) {
        Some(aitls::ErrorKind::Input) => 2,
        _ => 1,
    };
    if invocation.json {
        // stdout may be the pipe that broke; stderr and the exit code still tell.
        let _ = Output::new(true, false).json_doc(&ErrorJson {
            error: &message,
            hint: hint.as_deref(),
            exit_code: code,
        });
    }
    ExitCode::from(code)
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
            Some(Command::Ca(args)) => assert_eq!(args.key_type, Some(KeyType::EcdsaP384)),
            other => panic!("parsed as {other:?}"),
        }
        assert!(Cli::try_parse_from(["aitls", "ca", "--key-type", "dsa"]).is_err());
    }

    #[test]
    fn a_usage_error_is_a_message_and_a_hint_without_clap_usage() {
        let err = Cli::try_parse_from(["aitls", "verify", "--hots", "x"]).unwrap_err();
        let (message, hint) = usage_words(&err.render().to_string());
        assert_eq!(message, "unexpected argument '--hots' found");
        assert_eq!(hint, "a similar argument exists: '--host'");
        let err = Cli::try_parse_from(["aitls", "completions", "csh"]).unwrap_err();
        let (message, _) = usage_words(&err.render().to_string());
        assert!(message.ends_with("[possible values: bash, zsh, fish, powershell, elvish]"));
    }

    #[test]
    fn global_options_work_after_the_subcommand() {
        let cli = Cli::try_parse_from(["aitls", "server", "-d", "x", "--json", "-q"]).unwrap();
        assert_eq!(cli.dir, PathBuf::from("x"));
        assert!(cli.json && cli.quiet);
    }
}

//! The `aitls` binary: parse the command line, run one subcommand, report errors once.
//!
//! Errors print here and nowhere else, as one `error:` line (anyhow's `{:#}` chain) and
//! an optional `hint:` line; the exit code follows SPEC §3.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    let (cli, dir_flag) = cli::parse();
    match cli::run(cli, dir_flag.clone()) {
        Ok(code) => code,
        Err(err) => cli::report_error(&err, dir_flag.as_deref()),
    }
}

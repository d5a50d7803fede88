//! The `aitls` binary: parse the command line, run one subcommand, report errors once.
//!
//! Errors print here and nowhere else, as one `error:` line (anyhow's `{:#}` chain) and
//! an optional `hint:` line; the exit code follows SPEC §3.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    let (cli, invocation) = cli::parse();
    match cli::run(cli, &invocation) {
        Ok(code) => code,
        Err(err) => cli::report_error(&err, &invocation),
    }
}

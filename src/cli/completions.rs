//! `aitls completions`: not built yet.

use std::process::ExitCode;

use clap::Args;

use super::{Globals, Output};

/// Not built yet.
#[derive(Debug, Args)]
pub struct CompletionsArgs {}

/// Runs `aitls completions`.
pub fn run(_args: &CompletionsArgs, _globals: &Globals, _out: &Output) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`aitls completions` is not built yet")
}

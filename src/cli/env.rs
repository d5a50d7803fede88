//! `aitls env`: not built yet.

use std::process::ExitCode;

use clap::Args;

use super::{Globals, Output};

/// Not built yet.
#[derive(Debug, Args)]
pub struct EnvArgs {}

/// Runs `aitls env`.
pub fn run(_args: &EnvArgs, _globals: &Globals, _out: &Output) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`aitls env` is not built yet")
}

//! `aitls inspect`: not built yet.

use std::process::ExitCode;

use clap::Args;

use super::{Globals, Output};

/// Not built yet.
#[derive(Debug, Args)]
pub struct InspectArgs {}

/// Runs `aitls inspect`.
pub fn run(_args: &InspectArgs, _globals: &Globals, _out: &Output) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`aitls inspect` is not built yet")
}

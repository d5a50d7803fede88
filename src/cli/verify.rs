//! `aitls verify`: not built yet.

use std::process::ExitCode;

use clap::Args;

use super::{Globals, Output};

/// Not built yet.
#[derive(Debug, Args)]
pub struct VerifyArgs {}

/// Runs `aitls verify`.
pub fn run(_args: &VerifyArgs, _globals: &Globals, _out: &Output) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`aitls verify` is not built yet")
}

//! `oat completions SHELL`: a completion script generated from the clap definition. The same
//! scripts are kept pre-generated in `completions/`; a test fails when they are stale.

use super::App;
use crate::cli::Cli;
use clap::CommandFactory;

/// Generates the completion script for `shell`.
pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "oat", &mut out);
    out
}

/// `oat completions SHELL`
pub fn print(app: &App, shell: clap_complete::Shell) -> anyhow::Result<()> {
    app.printer.raw(&script(shell))?;
    Ok(())
}

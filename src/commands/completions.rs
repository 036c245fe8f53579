//! `oat completions SHELL` and `oat man`: completion scripts and the man page, generated from
//! the clap definition. Both are kept pre-generated in the repository (`completions/`,
//! `man/oat.1`); a test fails when they are stale.

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

/// The man page (roff).
pub fn man_page() -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    Ok(out)
}

/// `oat man`
pub fn man(app: &App) -> anyhow::Result<()> {
    app.printer.raw(&man_page()?)?;
    Ok(())
}

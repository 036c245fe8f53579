//! The `oat` binary: parse the command line, run it, turn the outcome into an exit code.
//! Everything else lives in the library (`src/lib.rs`).

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = oat::cli::Cli::parse();
    match oat::run(cli) {
        Ok(code) => code,
        Err(err) => oat::error::report(&err),
    }
}

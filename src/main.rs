//! The `oat` binary: parse the command line, run it, turn the outcome into an exit code.
//! Everything else lives in the library (`src/lib.rs`).

use std::process::ExitCode;

fn main() -> ExitCode {
    match oat::cli::parse().map_err(anyhow::Error::from).and_then(oat::run) {
        Ok(status) => status.into(),
        Err(err) => oat::error::report(&err),
    }
}

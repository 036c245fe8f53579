//! The `oat` binary: parse the command line, run it, turn the outcome into an exit code.
//! Everything else lives in the library (`src/lib.rs`).

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = oat::cli::parse();
    match oat::run(cli) {
        Ok(code) => code,
        Err(err) => oat::error::report(&err),
    }
}

//! Opening the authorization URL in a browser: `$BROWSER` (run with the URL as its one
//! argument) when set, else the platform's opener through the `open` crate. Launchers never
//! write to stdout: their output goes to stderr. `oat` does not wait for the browser.

use std::ffi::OsString;
use std::process::{Command, Stdio};

/// The browser could not be started.
#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    /// `$BROWSER` could not be run.
    #[error("cannot run $BROWSER (`{program}`): {source}")]
    Spawn {
        /// The program.
        program: String,
        /// Why.
        source: std::io::Error,
    },
    /// The platform opener failed.
    #[error("cannot open a browser: {0}")]
    Open(std::io::Error),
}

/// Opens `url`; `browser` is the value of `$BROWSER`, if set.
pub fn open(url: &str, browser: Option<OsString>) -> Result<(), BrowserError> {
    match browser.filter(|b| !b.is_empty()) {
        Some(program) => Command::new(&program)
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::from(std::io::stderr()))
            .spawn()
            .map(drop)
            .map_err(|source| BrowserError::Spawn { program: program.to_string_lossy().into_owned(), source }),
        None => open::that_detached(url).map_err(BrowserError::Open),
    }
}

//! Opening the authorization URL in a browser: `$BROWSER` (run with the URL as its one
//! argument) when set, else the platform's opener through the `open` crate. Launchers never
//! write to stdout: their output goes to stderr. `oat` does not wait for the browser.

use std::ffi::OsString;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};

/// The browser could not be started.
#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    /// `$BROWSER` could not be run.
    #[error("cannot run $BROWSER (`{program}`): {error}")]
    Spawn { program: String, error: std::io::Error },
    /// The platform opener failed.
    #[error("cannot open a browser: {0}")]
    Open(std::io::Error),
}

/// What would open a URL here, or why nothing can: `$BROWSER` if it is an executable, else
/// the platform's opener (on Linux and BSDs `xdg-open` or a relative, which needs a display).
pub fn available(browser: Option<OsString>) -> Result<String, String> {
    let on_path = |name: &std::ffi::OsStr| {
        let path = std::path::Path::new(name);
        if path.components().count() > 1 {
            return path.is_file().then(|| path.to_path_buf());
        }
        std::env::var_os("PATH")
            .and_then(|paths| std::env::split_paths(&paths).map(|d| d.join(name)).find(|p| p.is_file()))
    };
    if let Some(program) = browser.filter(|b| !b.is_empty()) {
        return match on_path(&program) {
            Some(path) => Ok(format!("$BROWSER ({})", path.display())),
            None => Err(format!("$BROWSER is `{}`, which is not an executable on PATH", program.to_string_lossy())),
        };
    }
    if cfg!(any(target_os = "macos", windows)) {
        return Ok("the system's default browser".into());
    }
    let display = ["DISPLAY", "WAYLAND_DISPLAY"].iter().any(|v| std::env::var_os(v).is_some_and(|d| !d.is_empty()));
    let opener = ["xdg-open", "gio", "gnome-open", "kde-open", "wslview"]
        .into_iter()
        .find_map(|name| on_path(std::ffi::OsStr::new(name)).map(|_| name));
    match (opener, display) {
        (Some(name), true) => Ok(format!("the desktop's default browser (via {name})")),
        (Some(name), false) => {
            Err(format!("{name} is installed but there is no display (DISPLAY/WAYLAND_DISPLAY unset)"))
        }
        (None, _) => Err("no $BROWSER and no xdg-open".into()),
    }
}

/// Environment variables a browser must not inherit: they hold oat's secrets.
const SECRET_VARIABLES: &[&str] = &["OAT_CLIENT_SECRET"];

/// Opens `url`; `browser` is the value of `$BROWSER`, if set. The browser gets neither stdin
/// nor oat's stdout, nor the variables that hold secrets.
pub fn open(url: &str, browser: Option<OsString>) -> Result<(), BrowserError> {
    start(url, browser).map(drop)
}

/// Opens `url` as [`open`] does, and watches the launcher it started: `failed` is set when
/// the launcher exits unsuccessfully (a `$BROWSER` that cannot show the page, an opener with
/// nowhere to open it), so that a caller waiting for the redirect can stop waiting for one
/// that cannot come. A launcher that hands the page to a running browser and exits 0, or a
/// browser that stays open, leaves it unset.
pub fn open_watched(url: &str, browser: Option<OsString>, failed: &'static AtomicBool) -> Result<(), BrowserError> {
    let mut child = start(url, browser)?;
    std::thread::spawn(move || {
        if child.wait().map_or(true, |status| !status.success()) {
            failed.store(true, Ordering::SeqCst);
        }
    });
    Ok(())
}

/// Starts `$BROWSER URL`, or the platform's openers in the `open` crate's order until one
/// starts.
fn start(url: &str, browser: Option<OsString>) -> Result<Child, BrowserError> {
    match browser.filter(|b| !b.is_empty()) {
        Some(program) => spawn(Command::new(&program).arg(url))
            .map_err(|error| BrowserError::Spawn { program: program.to_string_lossy().into_owned(), error }),
        None => {
            let mut last = std::io::Error::new(std::io::ErrorKind::NotFound, "no opener found");
            for mut command in open::commands(url) {
                match spawn(&mut command) {
                    Ok(child) => return Ok(child),
                    Err(e) => last = e,
                }
            }
            Err(BrowserError::Open(last))
        }
    }
}

/// Starts a launcher without waiting for it: no stdin, its stdout on stderr, none of oat's
/// secrets.
fn spawn(command: &mut Command) -> std::io::Result<Child> {
    scrub(command);
    command.stdin(Stdio::null()).stdout(Stdio::from(std::io::stderr())).spawn()
}

/// Removes oat's secret-bearing variables from a child's environment.
pub fn scrub(command: &mut Command) -> &mut Command {
    for name in SECRET_VARIABLES {
        command.env_remove(name);
    }
    command
}

//! Talk with the person: secrets piped in on stdin, questions asked on the terminal (the
//! password), and what is typed there while oat waits (Enter to open the browser, a pasted
//! redirect), and the controlling terminal of a command whose stdin and stdout carry a
//! protocol. What to ask and what an answer means stay with the commands; every byte shown on
//! stdout or stderr goes through the [`Printer`].

use crate::callback::Params;
use crate::output::Printer;
use crate::redact::Secret;
use anyhow::Context as _;
use std::io::{self, BufRead, IsTerminal, Read};
use std::sync::mpsc;

/// A secret read from stdin: the first line, or all of it, without the line end.
pub fn read_stdin_secret(flag: &str) -> anyhow::Result<Secret<String>> {
    let mut text = String::new();
    io::stdin().read_to_string(&mut text).with_context(|| format!("reading {flag}"))?;
    let value = text.trim_end_matches(['\r', '\n']).to_string();
    if value.is_empty() {
        return Err(crate::error::usage(format!(
            "{flag} read nothing; pipe the value in, e.g. `printf %s \"$VALUE\" | oat …`"
        )));
    }
    Ok(Secret::new(value))
}

/// The terminal the person answers on: the one on stdin. (A credential helper, whose stdin
/// carries its protocol, talks on the [`ControllingTerminal`] instead.)
pub struct Terminal(());

impl Terminal {
    /// The terminal on stdin, if stdin is one.
    pub fn stdin() -> Option<Terminal> {
        io::stdin().is_terminal().then_some(Terminal(()))
    }

    /// Asks `question` and reads the answer without echo.
    pub fn ask_secret(&self, question: &str) -> io::Result<Secret<String>> {
        rpassword::prompt_password(question).map(Secret::new)
    }

    /// Hears the first press of Enter, on a thread of its own.
    pub fn enter_pressed(self) -> mpsc::Receiver<()> {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            if io::stdin().read_line(&mut line).is_ok_and(|n| n > 0) {
                let _ = tx.send(());
            }
        });
        rx
    }

    /// Offers to take the address the browser was redirected to, pasted here (a browser on
    /// another machine), and reads it on a thread of its own; other lines get a warning. No
    /// progress line is drawn from then on: it would overwrite the address being pasted.
    pub fn paste_redirect(self, printer: Printer) -> mpsc::Receiver<Params> {
        printer
            .note("If the browser is on another machine, paste the address it was redirected to here and press Enter.");
        printer.await_typing();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in io::stdin().lock().lines() {
                let Ok(line) = line else { return };
                match redirect_params(&line) {
                    Some(params) => {
                        if tx.send(params).is_err() {
                            return;
                        }
                    }
                    None if line.trim().is_empty() => {}
                    None => {
                        printer.warn("that is not the redirected address (it has `code=` or `error=` in it); try again")
                    }
                }
            }
        });
        rx
    }
}

/// The controlling terminal, `/dev/tty`: where a command whose stdin and stdout carry a
/// protocol (git's credential helper) talks with the person, as git itself does when it asks
/// for a password.
pub struct ControllingTerminal(std::fs::File);

impl ControllingTerminal {
    /// The controlling terminal, if the process has one that opens for reading and writing.
    pub fn open() -> Option<ControllingTerminal> {
        let tty = std::fs::OpenOptions::new().read(true).write(true).open(TTY).ok()?;
        tty.is_terminal().then_some(ControllingTerminal(tty))
    }

    /// Shows `text` (a line break added).
    pub fn say(&self, text: &str) {
        use std::io::Write as _;
        // A terminal that stopped taking output leaves nothing better to do.
        let _ = writeln!(&self.0, "{text}");
    }

    /// Hears the first press of Enter, on a thread of its own.
    pub fn enter_pressed(self) -> mpsc::Receiver<()> {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            if io::BufReader::new(self.0).read_line(&mut line).is_ok_and(|n| n > 0) {
                let _ = tx.send(());
            }
        });
        rx
    }

    /// Another handle on the same terminal (one to talk on while another hears Enter).
    pub fn try_clone(&self) -> Option<ControllingTerminal> {
        self.0.try_clone().ok().map(ControllingTerminal)
    }
}

/// The controlling terminal's name on Unix (Windows has no such device: `open` finds none).
const TTY: &str = "/dev/tty";

/// The query parameters of a pasted redirect URL (or of a bare query string).
fn redirect_params(text: &str) -> Option<Params> {
    let text = text.trim();
    let query = match url::Url::parse(text) {
        Ok(url) => url.query()?.to_string(),
        Err(_) => text.trim_start_matches('?').to_string(),
    };
    let params: Params =
        url::form_urlencoded::parse(query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    params.iter().any(|(k, _)| k == "code" || k == "error").then_some(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_redirects_are_understood() {
        let p = redirect_params("  http://127.0.0.1:5000/callback?code=abc&state=xyz \n").unwrap();
        assert_eq!(p, vec![("code".into(), "abc".into()), ("state".into(), "xyz".into())]);
        assert!(redirect_params("?error=access_denied&state=s").is_some());
        assert!(redirect_params("hello").is_none());
        assert!(redirect_params("http://127.0.0.1/callback").is_none());
    }
}

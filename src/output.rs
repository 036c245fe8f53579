//! The only writer of stdout and stderr. stdout carries the data a command was asked for;
//! everything meant for a person (notes, warnings, errors, the `-v` trace) goes to stderr.
//! Deciding *what* to print is the commands' business; this module decides *how*.
#![allow(clippy::disallowed_macros)]

use serde::Serialize;
use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether a progress line is showing on stderr (to be cleared before the next message).
static PROGRESS: AtomicBool = AtomicBool::new(false);

/// Set once the person may be typing on the terminal (a pasted redirect): from then on no
/// progress line is drawn, since redrawing its line would wipe what they typed so far and put
/// the rest after the progress text (the terminal echoes input, oat cannot see it before Enter).
static TYPING: AtomicBool = AtomicBool::new(false);

/// How output is shaped for this run; cheap to copy into whoever needs to print.
#[derive(Clone, Copy, Debug, Default)]
pub struct Printer {
    /// `--json`: machine-readable data on stdout.
    pub json: bool,
    /// `-v` count.
    pub verbose: u8,
    /// Colour on stderr: only on a terminal, and never with `NO_COLOR`.
    pub color: bool,
}

/// What a piece of text on stderr is, for its colour.
#[derive(Clone, Copy, Debug)]
pub enum Style {
    /// An outgoing request line.
    Request,
    /// A success.
    Good,
    /// A failure.
    Bad,
    /// A warning.
    Warn,
}

impl Printer {
    /// A printer for this terminal and environment.
    pub fn new(json: bool, verbose: u8) -> Printer {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Printer { json, verbose, color: !no_color && io::stderr().is_terminal() }
    }

    /// Text in a style's colour when colour is on.
    pub fn paint(&self, style: Style, text: &str) -> String {
        if !self.color {
            return text.to_string();
        }
        let code = match style {
            Style::Request => "36",
            Style::Good => "32",
            Style::Bad => "1;31",
            Style::Warn => "33",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    /// Copies a reader to stdout as it arrives (a large body is never held in memory).
    pub fn stream(&self, reader: &mut dyn io::Read) -> io::Result<u64> {
        let mut out = io::stdout().lock();
        let n = io::copy(reader, &mut out)?;
        out.flush()?;
        Ok(n)
    }
    /// Writes one line of data to stdout.
    pub fn data(&self, line: &str) -> io::Result<()> {
        let mut out = io::stdout().lock();
        writeln!(out, "{line}")?;
        out.flush()
    }

    /// Writes data to stdout without adding a newline.
    pub fn raw(&self, bytes: &[u8]) -> io::Result<()> {
        let mut out = io::stdout().lock();
        out.write_all(bytes)?;
        out.flush()
    }

    /// Writes a value as pretty JSON to stdout.
    pub fn json<T: Serialize>(&self, value: &T) -> io::Result<()> {
        let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
        self.data(&text)
    }

    /// Writes rows as a left-aligned table with a header to stdout.
    pub fn table(&self, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
        let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
        for row in rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |cells: &mut dyn Iterator<Item = &str>| {
            let mut text = String::new();
            for (i, (cell, w)) in cells.zip(&widths).enumerate() {
                if i + 1 == widths.len() {
                    text.push_str(cell);
                } else {
                    text.push_str(&format!("{cell:<w$}  "));
                }
            }
            text.trim_end().to_string()
        };
        self.data(&line(&mut header.iter().copied()))?;
        for row in rows {
            self.data(&line(&mut row.iter().map(String::as_str)))?;
        }
        Ok(())
    }

    /// A message for the person at the terminal (stderr).
    pub fn note(&self, message: &str) {
        self.end_progress();
        eprintln!("{message}");
    }

    /// A QR code of `text` (stderr), for a phone to scan: only where colour is on (a terminal
    /// without `NO_COLOR`), since its contrast comes from colours, and only if it fits a terminal.
    pub fn qr(&self, text: &str) {
        if let Some(code) = self.color.then(|| qr_code(text)).flatten() {
            self.end_progress();
            eprint!("{code}");
        }
    }

    /// A warning (stderr), prefixed `warning:`.
    pub fn warn(&self, message: &str) {
        self.end_progress();
        eprintln!("{} {message}", self.paint(Style::Warn, "warning:"));
    }

    /// An error line (stderr), prefixed `error:`.
    pub fn error(&self, message: &str) {
        self.end_progress();
        eprintln!("{} {message}", self.paint(Style::Bad, "error:"));
    }

    /// A progress line that rewrites itself, with a spinner turned by `millis`; only on a
    /// terminal, where it helps (and not under `-v`, whose trace it would garble).
    pub fn progress(&self, line: &str, millis: u128) {
        const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
        if io::stderr().is_terminal() && self.verbose == 0 && !TYPING.load(Ordering::Relaxed) {
            let frame = SPINNER[(millis / 100 % SPINNER.len() as u128) as usize];
            eprint!("\r\x1b[2K{frame} {line}");
            PROGRESS.store(true, Ordering::Relaxed);
        }
    }

    /// The person may type on the terminal from now on: the progress line is cleared and not
    /// drawn again in this run.
    pub fn await_typing(&self) {
        TYPING.store(true, Ordering::Relaxed);
        self.end_progress();
    }

    /// Clears the progress line, if one is showing.
    pub fn end_progress(&self) {
        if PROGRESS.swap(false, Ordering::Relaxed) {
            eprint!("\r\x1b[2K");
        }
    }

    /// A line of the `-v` trace (stderr), shown only when verbose.
    pub fn trace(&self, line: &str) {
        if self.verbose > 0 {
            eprintln!("{line}");
        }
    }

    /// Whether stdout is a terminal (a person reading, not a pipe).
    pub fn stdout_is_terminal(&self) -> bool {
        io::stdout().is_terminal()
    }
}

/// `text` as a QR code in black on white whatever the terminal's colours: each character
/// an upper half block showing two modules, the top one in the foreground colour and the
/// bottom one in the background colour; `None` if it would be wider than 64 columns.
fn qr_code(text: &str) -> Option<String> {
    const QUIET: usize = 2;
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::L).ok()?;
    let width = code.width();
    let size = width + 2 * QUIET;
    if size > 64 {
        return None;
    }
    let colors = code.to_colors();
    let dark = |x: usize, y: usize| {
        (QUIET..width + QUIET).contains(&x)
            && (QUIET..width + QUIET).contains(&y)
            && colors[(y - QUIET) * width + (x - QUIET)] == qrcode::Color::Dark
    };
    let mut out = String::new();
    for y in (0..size).step_by(2) {
        for x in 0..size {
            let top = if dark(x, y) { 30 } else { 97 };
            let bottom = if dark(x, y + 1) { 40 } else { 107 };
            out.push_str(&format!("\x1b[{top};{bottom}m\u{2580}"));
        }
        out.push_str("\x1b[0m\n");
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a rendered QR code back into modules (true = dark), two rows per line.
    fn modules(rendered: &str) -> Vec<Vec<bool>> {
        let mut rows = Vec::new();
        for line in rendered.lines() {
            let (mut top, mut bottom) = (Vec::new(), Vec::new());
            for cell in line.split("\x1b[").filter(|c| c.ends_with('\u{2580}')) {
                let codes = cell.trim_end_matches('\u{2580}').trim_end_matches('m');
                let (fg, bg) = codes.split_once(';').unwrap();
                top.push(fg == "30");
                bottom.push(bg == "40");
            }
            rows.push(top);
            rows.push(bottom);
        }
        rows
    }

    #[test]
    fn a_qr_code_reads_back_as_the_text() {
        let url = "https://auth.example.com/activate?user_code=WDJB-MJHT";
        let rendered = qr_code(url).unwrap();
        assert!(rendered.lines().all(|l| l.ends_with("\x1b[0m")), "every line resets the colours");
        let grid = modules(&rendered);
        let scale = 4;
        let (w, h) = (grid[0].len() * scale, grid.len() * scale);
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| if grid[y / scale][x / scale] { 0 } else { 255 });
        let found = image.detect_grids();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].decode().unwrap().1, url);
    }

    #[test]
    fn a_qr_code_too_wide_for_a_terminal_is_left_out() {
        assert!(qr_code(&"x".repeat(60)).is_some());
        assert!(qr_code(&"x".repeat(400)).is_none());
    }
}

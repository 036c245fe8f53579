//! The only writer of stdout and stderr. stdout carries the data a command was asked for;
//! everything meant for a person (notes, warnings, errors, the `-v` trace) goes to stderr.
//! Deciding *what* to print is the commands' business; this module decides *how*.
#![allow(clippy::disallowed_macros)]

use serde::Serialize;
use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether a progress line is showing on stderr (to be cleared before the next message).
static PROGRESS: AtomicBool = AtomicBool::new(false);

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
        if io::stderr().is_terminal() && self.verbose == 0 {
            let frame = SPINNER[(millis / 100 % SPINNER.len() as u128) as usize];
            eprint!("\r\x1b[2K{frame} {line}");
            PROGRESS.store(true, Ordering::Relaxed);
        }
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

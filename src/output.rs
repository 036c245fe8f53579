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
}

impl Printer {
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
        eprintln!("warning: {message}");
    }

    /// An error line (stderr), prefixed `error:`.
    pub fn error(&self, message: &str) {
        self.end_progress();
        eprintln!("error: {message}");
    }

    /// A progress line that rewrites itself (a countdown); only on a terminal, where it helps.
    pub fn progress(&self, line: &str) {
        if io::stderr().is_terminal() && self.verbose == 0 {
            eprint!("\r\x1b[2K{line}");
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

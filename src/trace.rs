//! The trace file (`OAT_TRACE=FILE`, `--trace FILE`): every HTTP exchange of every `oat`
//! process that is told the file, appended as one JSON line ([`Record`]), redacted as `-v` is
//! (by `redact`, whatever `--show-secrets` says). `http` hands over the exchanges it made;
//! this module adds the run's context (command, profile), opens the file at the first
//! exchange and appends each line in one write under a file lock, so concurrent processes
//! never mix their lines. It also reads such a file back; [`har`] renders it as HAR 1.2.

pub mod har;

use crate::output::Printer;
use crate::{private_file, redact};
use serde::{Deserialize, Serialize};
use std::fs::{File, TryLockError};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Longest text body a record keeps; the rest is cut, and the record says so.
pub const TEXT_LIMIT: usize = 64 * 1024;

/// How long a write waits for another process's lock on the file before it writes anyway
/// (`O_APPEND` alone still keeps a line whole in practice).
const LOCK_WAIT: Duration = Duration::from_secs(5);

/// One HTTP exchange: one line of the trace file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// When the request left, RFC 3339 UTC with milliseconds.
    pub time: String,
    /// The `oat` process that made it.
    pub pid: u32,
    /// The profile it was made for, if one was known.
    pub profile: Option<String>,
    /// The command the process ran (`token`, `login`, `git-credential`, …).
    pub command: Option<String>,
    /// Its number in the process (as `-v` numbers exchanges).
    pub exchange: u32,
    pub method: String,
    /// The URL, secret query parameters redacted.
    pub url: String,
    pub request: Message,
    /// The answer, when one came.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<Answer>,
    /// Why no (whole) answer came: a transport failure or a timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// From the request leaving to the answer read (or the failure).
    pub duration_ms: u64,
    /// From the request leaving to the answer's head.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_ms: Option<u64>,
    /// Over https: the TLS version and the server's certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<Tls>,
}

/// A request's headers and body.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// `[name, value]` pairs, secrets redacted.
    pub headers: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
}

/// An answer's status line, headers and body.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub status: u16,
    pub reason: String,
    /// `HTTP/1.1`, `HTTP/2.0`.
    #[serde(default)]
    pub version: String,
    /// `[name, value]` pairs, secrets redacted.
    pub headers: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
}

/// A body as the trace keeps it: exactly one of `json`, `form`, `text` or `omitted`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Body {
    /// Its size in bytes.
    pub size: usize,
    /// A JSON document, secret values redacted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<serde_json::Value>,
    /// A form's fields in order, secret values redacted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<Vec<(String, String)>>,
    /// Other text, cut at [`TEXT_LIMIT`] bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Whether `text` was cut.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
    /// Why the body is not here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub omitted: Option<String>,
}

impl Body {
    /// A body as `redact` showed it.
    pub fn of(shown: redact::Body, size: usize) -> Body {
        let mut body = Body { size, ..Body::default() };
        match shown {
            redact::Body::Json(value) => body.json = Some(value),
            redact::Body::Form(fields) => body.form = Some(fields),
            redact::Body::Text { text, truncated } => (body.text, body.truncated) = (Some(text), truncated),
            redact::Body::Withheld { .. } => {
                body.omitted = Some("text that names token fields but is neither JSON nor a form".into())
            }
            redact::Body::Binary { .. } => body.omitted = Some("binary".into()),
        }
        body
    }

    /// A body that was passed on as it arrived, so never held to be traced.
    pub fn streamed() -> Body {
        Body::omitted("streamed as it arrived")
    }

    /// A body left out, and why.
    pub fn omitted(why: &str) -> Body {
        Body { omitted: Some(why.to_string()), ..Body::default() }
    }

    /// What stands for a body left out: `[1234 bytes not traced: binary]`.
    pub fn note(&self) -> Option<String> {
        let why = self.omitted.as_ref()?;
        Some(match self.size {
            0 => format!("[not traced: {why}]"),
            size => format!("[{size} bytes not traced: {why}]"),
        })
    }

    /// An OAuth error (RFC 6749 §5.2) the body carries: `error: error_description`.
    pub fn oauth_error(&self) -> Option<String> {
        let error = self.json.as_ref()?.get("error")?.as_str()?;
        let printable = |s: &str| s.chars().filter(|c| !c.is_control()).collect::<String>();
        let description = self.json.as_ref()?.get("error_description").and_then(|d| d.as_str());
        Some(match description {
            Some(d) => format!("{}: {}", printable(error), printable(d)),
            None => printable(error),
        })
    }
}

/// What the TLS client saw of a connection.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Tls {
    /// `TLSv1.2`, `TLSv1.3`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The server certificate's subject (RFC 4514).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The server certificate's end of validity (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_after: Option<String>,
}

/// An exchange on its way: begun when the request leaves, written when it ends.
pub struct Pending {
    record: Record,
    started: Instant,
}

impl Pending {
    /// Starts the record of exchange `exchange` (redacted URL, headers and body).
    pub fn begin(
        exchange: u32,
        method: &str,
        url: String,
        headers: Vec<(String, String)>,
        body: Option<Body>,
    ) -> Pending {
        let time = jiff::Timestamp::now().round(jiff::Unit::Millisecond).unwrap_or_else(|_| jiff::Timestamp::now());
        Pending {
            record: Record {
                time: format!("{time:.3}"),
                pid: std::process::id(),
                profile: None,
                command: None,
                exchange,
                method: method.to_string(),
                url,
                request: Message { headers, body },
                response: None,
                error: None,
                duration_ms: 0,
                wait_ms: None,
                tls: None,
            },
            started: Instant::now(),
        }
    }

    /// The exchange's number.
    pub fn exchange(&self) -> u32 {
        self.record.exchange
    }

    /// The connection's TLS version and server certificate.
    pub fn tls(&mut self, version: Option<&str>, certificate: Option<&crate::x509::Summary>) {
        if version.is_none() && certificate.is_none() {
            return;
        }
        self.record.tls = Some(Tls {
            version: version.map(str::to_string),
            subject: certificate.map(|c| c.subject.clone()),
            not_after: certificate.map(|c| c.not_after.to_string()),
        });
    }

    /// The answer (its body may come later through [`Pending::body`]).
    pub fn answer(&mut self, answer: Answer) {
        self.record.wait_ms = Some(millis(self.started.elapsed()));
        self.record.response = Some(answer);
    }

    /// The answer's body.
    pub fn body(&mut self, body: Body) {
        if let Some(answer) = &mut self.record.response {
            answer.body = Some(body);
        }
    }

    /// Why the exchange failed.
    pub fn fail(&mut self, error: String) {
        self.record.error = Some(error);
    }

    /// Ends the exchange: the record is appended to the trace file.
    pub fn finish(mut self) {
        self.record.duration_ms = millis(self.started.elapsed());
        if let Some(sink) = SINK.get() {
            self.record.command = COMMAND.get().map(|c| c.to_string());
            self.record.profile = PROFILE.with_borrow(Clone::clone);
            sink.append(&self.record);
        }
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Where this process's trace goes.
struct Sink {
    path: PathBuf,
    printer: Printer,
    /// Opened at the first exchange; `None` if it could not be (said once).
    file: OnceLock<Option<Mutex<File>>>,
    /// A write failed and that was said; later failures are not.
    warned: AtomicBool,
}

static SINK: OnceLock<Sink> = OnceLock::new();
static COMMAND: OnceLock<&'static str> = OnceLock::new();
thread_local! {
    /// The profile of this thread's exchanges: a thread's HTTP client never leaves it, and
    /// the proxy's workers each serve a profile of their own at a time.
    static PROFILE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Traces this process's exchanges to `path`; the file is opened at the first exchange, so a
/// run that makes none never touches it. Warnings go through `printer`.
pub fn start(path: PathBuf, printer: Printer) {
    let _ = SINK.set(Sink { path, printer, file: OnceLock::new(), warned: AtomicBool::new(false) });
}

/// The trace file, when this process traces.
pub fn path() -> Option<&'static Path> {
    SINK.get().map(|s| s.path.as_path())
}

/// Whether this process traces.
pub fn enabled() -> bool {
    SINK.get().is_some()
}

/// The command this process runs, for every record (when tracing).
pub fn set_command(command: &'static str) {
    if enabled() {
        let _ = COMMAND.set(command);
    }
}

/// The profile this thread's next exchanges are made for (when tracing).
pub fn set_profile(profile: &str) {
    if enabled() {
        PROFILE.set(Some(profile.to_string()));
    }
}

impl Sink {
    fn append(&self, record: &Record) {
        let Some(file) = self.file.get_or_init(|| self.open()) else { return };
        let mut line = match serde_json::to_vec(record) {
            Ok(line) => line,
            Err(e) => return self.warn_once(&e.to_string()),
        };
        line.push(b'\n');
        // One write of the whole line on an O_APPEND file, under the file's lock: lines of
        // concurrent processes never mix, even past the size the kernel writes in one piece.
        let Ok(file) = file.lock() else { return };
        let locked = lock(&file);
        let written = (&*file).write_all(&line);
        if locked {
            let _ = file.unlock();
        }
        if let Err(e) = written {
            self.warn_once(&e.to_string());
        }
    }

    fn open(&self) -> Option<Mutex<File>> {
        match private_file::open_append(&self.path) {
            Ok(file) => {
                // A device (`/dev/stderr`, to see the lines in a CI log) is not a file to keep.
                let kept = file.metadata().is_ok_and(|m| m.is_file());
                if let Ok(Some(mode)) = private_file::exposed_mode(&self.path)
                    && kept
                {
                    self.printer.warn(&format!(
                        "the trace file {} can be read by others (mode {mode:o}); it holds no secrets but shows whom you talk to: chmod 600 it",
                        self.path.display()
                    ));
                }
                Some(Mutex::new(file))
            }
            Err(e) => {
                self.warn_once(&e.to_string());
                None
            }
        }
    }

    fn warn_once(&self, reason: &str) {
        if !self.warned.swap(true, Ordering::Relaxed) {
            self.printer.warn(&format!(
                "cannot write the trace file {}: {reason}; going on without tracing",
                self.path.display()
            ));
        }
    }
}

/// Takes the file's exclusive lock, waiting at most [`LOCK_WAIT`]; whether it was taken.
fn lock(file: &File) -> bool {
    let deadline = Instant::now() + LOCK_WAIT;
    loop {
        match file.try_lock() {
            Ok(()) => return true,
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(1)),
            Err(_) => return false,
        }
    }
}

/// A trace file read back: its records with their line numbers, and the lines that are not
/// records (a line cut short by a killed process, anything else) with why.
#[derive(Debug, Default)]
pub struct Read {
    pub records: Vec<(usize, Record)>,
    pub bad: Vec<(usize, String)>,
}

/// Reads a trace file.
pub fn read(path: &Path) -> std::io::Result<Read> {
    let bytes = std::fs::read(path)?;
    Ok(parse(&String::from_utf8_lossy(&bytes)))
}

/// Parses a trace file's text.
pub fn parse(text: &str) -> Read {
    let mut read = Read::default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Record>(line) {
            Ok(record) => read.records.push((i + 1, record)),
            Err(e) => read.bad.push((i + 1, e.to_string())),
        }
    }
    read
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        let mut pending = Pending::begin(
            3,
            "POST",
            "https://as.example/token".into(),
            vec![("content-type".into(), "application/x-www-form-urlencoded".into())],
            Some(Body::of(redact::Body::read(b"grant_type=refresh_token&refresh_token=rt", false, TEXT_LIMIT), 41)),
        );
        pending.answer(Answer {
            status: 400,
            reason: "Bad Request".into(),
            version: "HTTP/1.1".into(),
            headers: vec![],
            body: None,
        });
        let body = br#"{"error":"invalid_grant","error_description":"grant request is invalid"}"#;
        pending.body(Body::of(redact::Body::read(body, false, TEXT_LIMIT), body.len()));
        pending.record
    }

    #[test]
    fn a_record_is_one_json_line_that_reads_back() {
        let record = record();
        let line = serde_json::to_string(&record).unwrap();
        assert!(!line.contains('\n'));
        assert!(!line.contains("=rt") && !line.contains("\"rt\""), "{line}");
        let value: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(value["request"]["body"]["form"][1][1], redact::fingerprint("rt"));
        assert!(value.get("error").is_none() && value.get("tls").is_none(), "{line}");
        let read = parse(&format!("{line}\n{{\"time\": \"cut sh\n\n{line}\n"));
        assert_eq!(read.records.len(), 2);
        assert_eq!(read.records[0], (1, record.clone()));
        assert_eq!(read.records[1].0, 4);
        assert_eq!(read.bad.len(), 1);
        assert_eq!(read.bad[0].0, 2);
    }

    #[test]
    fn the_time_is_utc_with_milliseconds() {
        let time = record().time;
        assert_eq!(time.len(), "2026-12-02T05:10:34.123Z".len(), "{time}");
        assert!(time.ends_with('Z') && time.as_bytes()[19] == b'.', "{time}");
    }

    #[test]
    fn an_oauth_error_is_read_from_the_body() {
        let record = record();
        let body = record.response.unwrap().body.unwrap();
        assert_eq!(body.oauth_error().as_deref(), Some("invalid_grant: grant request is invalid"));
        assert_eq!(Body::streamed().oauth_error(), None);
    }
}

//! The one-shot loopback listener that receives the authorization redirect (RFC 8252 §7.3):
//! binds 127.0.0.1 (or ::1) only, answers the first request on the callback path with a small
//! HTML page in which every echoed value is escaped, answers 404 elsewhere (favicon) and keeps
//! waiting, and gives up at the deadline. Whether a redirect is valid is decided by the caller.
#![allow(clippy::disallowed_types)]

use crate::config::RedirectUri;
use std::fmt::Display;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};
use url::{Host, Url};

/// Query parameters of a redirect.
pub type Params = Vec<(String, String)>;

/// The listener could not do its job.
#[derive(Debug, thiserror::Error)]
pub enum CallbackError {
    /// The port cannot be bound.
    #[error("cannot listen on {addr} for the redirect: {error}{hint}")]
    Bind { addr: SocketAddr, error: std::io::Error, hint: &'static str },
    /// The wait was stopped (Ctrl-C).
    #[error("interrupted while waiting for the redirect; nothing was stored")]
    Interrupted,
    /// Nothing arrived in time.
    #[error("no redirect reached {redirect_uri} within {}; open the URL above in a browser, or raise --timeout", crate::time::span(waited.as_secs()))]
    Timeout {
        /// Where the redirect was expected.
        redirect_uri: String,
        /// How long we waited.
        waited: Duration,
    },
}

/// A bound listener waiting for one redirect; for an https redirect URI, which nothing here
/// can answer, no listener at all: only the address the person pastes counts.
pub struct Listener {
    server: Option<tiny_http::Server>,
    redirect_uri: Url,
}

impl Listener {
    /// Binds the loopback address of `redirect` (a URI such as `http://127.0.0.1/callback`);
    /// without a port, an ephemeral one is chosen and put into [`Listener::redirect_uri`].
    pub fn bind(redirect: &RedirectUri) -> Result<Listener, CallbackError> {
        if redirect.is_pasted() {
            return Ok(Listener { server: None, redirect_uri: redirect.url().clone() });
        }
        let redirect = redirect.url();
        let ip: IpAddr = match redirect.host() {
            Some(Host::Ipv4(ip)) => ip.into(),
            Some(Host::Ipv6(ip)) => ip.into(),
            // `localhost`, the one name a redirect URI may use.
            _ => Ipv4Addr::LOCALHOST.into(),
        };
        let fixed = redirect.port();
        let addr = SocketAddr::new(ip, fixed.unwrap_or(0));
        let listener = TcpListener::bind(addr).map_err(|error| CallbackError::Bind {
            addr,
            hint: if error.kind() == std::io::ErrorKind::AddrInUse {
                "; another program uses this port: stop it, or pick another port with --port (and register that redirect URI)"
            } else {
                ""
            },
            error,
        })?;
        let bound = listener.local_addr().map_err(|error| CallbackError::Bind { addr, error, hint: "" })?;
        let server = tiny_http::Server::from_listener(listener, None).map_err(|e| CallbackError::Bind {
            addr,
            error: std::io::Error::other(e.to_string()),
            hint: "",
        })?;
        let mut redirect_uri = redirect.clone();
        // Setting the port of an http URL with a host cannot fail.
        let _ = redirect_uri.set_port(Some(bound.port()));
        Ok(Listener { server: Some(server), redirect_uri })
    }

    /// The redirect URI with the bound port.
    pub fn redirect_uri(&self) -> &Url {
        &self.redirect_uri
    }

    /// Waits up to `timeout` for the redirect, or for parameters pasted by the user (whichever
    /// comes first), and lets `decide` judge them; the browser gets a page saying how it went.
    /// `tick` hears how long it has waited, a few times a second (for a progress line), and
    /// stops the wait by answering `false` (Ctrl-C); the port is released either way. Once
    /// decided, the listener keeps answering late requests (a reload, a second tab) with a page
    /// saying the login is over, until `oat` exits.
    pub fn wait<T, E: Display>(
        self,
        timeout: Duration,
        pasted: Option<&Receiver<Params>>,
        tick: &mut dyn FnMut(Duration) -> bool,
        mut decide: impl FnMut(&Params) -> Result<T, E>,
    ) -> Result<Result<T, E>, CallbackError> {
        let started = Instant::now();
        let deadline = started + timeout;
        loop {
            if let Some(params) = pasted.and_then(|rx| rx.try_recv().ok()) {
                let outcome = decide(&params);
                self.close();
                return Ok(outcome);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(CallbackError::Timeout { redirect_uri: self.redirect_uri.to_string(), waited: timeout });
            }
            if !tick(started.elapsed()) {
                return Err(CallbackError::Interrupted);
            }
            let wait = left.min(Duration::from_millis(100));
            let Some(server) = &self.server else {
                std::thread::sleep(wait);
                continue;
            };
            let Ok(Some(request)) = server.recv_timeout(wait) else {
                continue;
            };
            let params = match target(&self.redirect_uri, *request.method() == tiny_http::Method::Get, request.url()) {
                Target::Callback(params) => params,
                Target::Elsewhere => {
                    let _ = request.respond(page(404, "Not found", "This is oat's login listener; nothing here."));
                    continue;
                }
                Target::Malformed => {
                    let _ = request.respond(page(400, "Bad request", "oat could not read this request."));
                    continue;
                }
            };
            let outcome = decide(&params);
            let response = match &outcome {
                Ok(_) => page(200, "Logged in", "You can close this tab and return to the terminal."),
                Err(e) => page(400, "Login failed", &format!("{e}. Return to the terminal for details.")),
            };
            let _ = request.respond(response);
            self.close();
            return Ok(outcome);
        }
    }

    /// Answers every later request with "this login is over" until the process exits.
    fn close(self) {
        let Some(server) = self.server else { return };
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let _ = request.respond(page(410, "Login finished", "This login is over; you can close this tab."));
            }
        });
    }
}

/// What a request to the listener is.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A GET on the callback path, with its query parameters.
    Callback(Params),
    /// Anything else (a favicon, another path, another method).
    Elsewhere,
    /// Not a request target that can be read (or longer than any redirect needs).
    Malformed,
}

/// Longest request target the listener reads; a redirect with a code and state is far shorter.
const MAX_TARGET: usize = 16 * 1024;

/// Reads a request target (`/callback?code=…`) against the redirect URI.
pub fn target(redirect_uri: &Url, get: bool, target: &str) -> Target {
    if target.len() > MAX_TARGET || !target.starts_with('/') || target.starts_with("//") {
        return Target::Malformed;
    }
    let Ok(url) = redirect_uri.join(target) else { return Target::Malformed };
    // The URL parser reads `\` as `/` and drops tabs and newlines, so `/\evil/…` would name
    // another host: whatever resolves outside the listener's own origin is not a target.
    if url.origin() != redirect_uri.origin() {
        return Target::Malformed;
    }
    if !get || url.path() != redirect_uri.path() {
        return Target::Elsewhere;
    }
    Target::Callback(url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
}

/// Checks that the redirect URI's address can be bound (then releases it); returns the port.
pub fn probe(redirect: &RedirectUri) -> Result<u16, CallbackError> {
    Listener::bind(redirect).map(|l| l.redirect_uri.port().unwrap_or_default())
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(status: u16, title: &str, message: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>oat: {title}</title></head>\
         <body style=\"font-family:system-ui,sans-serif;margin:3em\"><h1>{title}</h1><p>{message}</p></body></html>\n",
        title = escape(title),
        message = escape(message),
    );
    let headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Cache-Control", "no-store"),
        ("Referrer-Policy", "no-referrer"),
        ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'"),
    ];
    let mut response = tiny_http::Response::from_data(html.into_bytes()).with_status_code(status);
    for (name, value) in headers {
        if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpStream;

    fn get(uri: &Url, path: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", uri.port().unwrap())).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    }

    #[test]
    fn request_targets_are_read_against_the_redirect_uri() {
        let base = Url::parse("http://127.0.0.1:5000/callback").unwrap();
        assert_eq!(
            target(&base, true, "/callback?code=a%20b&state=s"),
            Target::Callback(vec![("code".into(), "a b".into()), ("state".into(), "s".into())])
        );
        assert_eq!(target(&base, true, "/favicon.ico"), Target::Elsewhere);
        assert_eq!(target(&base, false, "/callback?code=x"), Target::Elsewhere);
        assert_eq!(target(&base, true, "//evil.example/callback"), Target::Malformed);
        assert_eq!(target(&base, true, "http://evil.example/callback"), Target::Malformed);
        assert_eq!(target(&base, true, "/\\evil.example/callback?code=x"), Target::Malformed);
        assert_eq!(target(&base, true, "/\t/evil.example/callback?code=x"), Target::Malformed);
        assert_eq!(target(&base, true, &format!("/callback?x={}", "a".repeat(MAX_TARGET))), Target::Malformed);
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    #[test]
    fn other_paths_get_404_and_the_callback_wins_with_escaped_errors() {
        let listener = Listener::bind(&RedirectUri::parse("http://127.0.0.1/callback").unwrap()).unwrap();
        let uri = listener.redirect_uri().clone();
        let uri_again = uri.clone();
        assert_ne!(uri.port(), Some(0));
        let client = std::thread::spawn(move || {
            let favicon = get(&uri, "/favicon.ico");
            let callback = get(&uri, "/callback?error=%3Cb%3Ex%3C%2Fb%3E");
            (favicon, callback)
        });
        let outcome = listener
            .wait(Duration::from_secs(10), None, &mut |_| true, |p: &Params| {
                Err::<(), String>(format!("refused: {}", p[0].1))
            })
            .unwrap();
        assert_eq!(outcome.unwrap_err(), "refused: <b>x</b>");
        let (favicon, callback) = client.join().unwrap();
        let late = get(&uri_again, "/callback?code=late");
        assert!(late.starts_with("HTTP/1.1 410"), "a late request hears the login is over: {late}");
        assert!(favicon.starts_with("HTTP/1.1 404"), "{favicon}");
        assert!(callback.starts_with("HTTP/1.1 400"), "{callback}");
        assert!(callback.contains("&lt;b&gt;x&lt;/b&gt;") && !callback.contains("<b>x"), "{callback}");
    }

    #[test]
    fn pasted_parameters_count_like_a_redirect() {
        let listener = Listener::bind(&RedirectUri::parse("http://127.0.0.1/callback").unwrap()).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        tx.send(vec![("code".to_string(), "c".to_string())]).unwrap();
        let got = listener
            .wait(Duration::from_secs(5), Some(&rx), &mut |_| true, |p: &Params| Ok::<_, String>(p.clone()))
            .unwrap();
        assert_eq!(got.unwrap()[0].1, "c");
    }

    #[test]
    fn waiting_gives_up_at_the_deadline() {
        let listener = Listener::bind(&RedirectUri::parse("http://127.0.0.1/callback").unwrap()).unwrap();
        let uri = listener.redirect_uri().to_string();
        let err = listener
            .wait(Duration::from_millis(150), None, &mut |_| true, |_: &Params| Ok::<(), String>(()))
            .unwrap_err();
        assert!(err.to_string().contains(&uri), "{err}");
    }
}

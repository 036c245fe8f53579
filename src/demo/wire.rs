//! What crosses the demo server's socket: a request read into [`Incoming`] (target, bounded
//! body, form and query parameters), and the answers written back: JSON, HTML pages, redirects
//! and OAuth error answers ([`Refusal`], RFC 6749 §5.2). What the endpoints mean is left to them.

use std::io::{Cursor, Read};
use url::Url;

/// Largest request body read; OAuth requests are a few hundred bytes.
const BODY_LIMIT: u64 = 64 * 1024;

/// An answer.
pub(super) type Reply = tiny_http::Response<Cursor<Vec<u8>>>;

/// Form or query parameters.
#[derive(Debug, Default)]
pub(super) struct Params(Vec<(String, String)>);

impl Params {
    /// Reads `application/x-www-form-urlencoded` bytes (a body or a query string).
    pub(super) fn parse(bytes: &[u8]) -> Params {
        Params(url::form_urlencoded::parse(bytes).into_owned().collect())
    }

    /// One parameter: an empty value counts as absent, a repeated one is refused (RFC 6749 §3.1).
    pub(super) fn one(&self, name: &str) -> Result<Option<&str>, Refusal> {
        let mut values = self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str());
        let first = values.next();
        if values.next().is_some() {
            return Err(Refusal::new("invalid_request", format!("the parameter `{name}` is repeated")));
        }
        Ok(first.filter(|v| !v.is_empty()))
    }

    /// A parameter that must be there.
    pub(super) fn required(&self, name: &str) -> Result<&str, Refusal> {
        self.one(name)?.ok_or_else(|| Refusal::new("invalid_request", format!("the parameter `{name}` is missing")))
    }
}

/// A request, read.
#[derive(Debug)]
pub(super) struct Incoming {
    pub(super) method: tiny_http::Method,
    /// The path, percent-encoded as sent.
    pub(super) path: String,
    /// The query parameters.
    pub(super) query: Params,
    /// The body's parameters, if it is a form.
    form: Option<Params>,
    /// The `Authorization` header.
    pub(super) authorization: Option<String>,
    /// The `DPoP` proof header (RFC 9449 §4.1).
    pub(super) dpop: Option<String>,
}

impl Incoming {
    /// Reads a request; a target that is not a path, a bad header or an oversized or unreadable
    /// body is answered with 400 at once.
    pub(super) fn read(request: &mut tiny_http::Request, issuer: &str) -> Result<Incoming, Reply> {
        let bad = |why: &str| text(400, &format!("bad request: {why}\n"));
        let target = request.url();
        // "//host/…" would be read as another authority: only absolute paths are served.
        if !target.starts_with('/') || target.starts_with("//") {
            return Err(bad("the request target must be an absolute path"));
        }
        let url = Url::parse(&format!("{issuer}{target}")).map_err(|_| bad("the request target is not a URL path"))?;
        let header = |name: &'static str| {
            let mut values = request.headers().iter().filter(|h| h.field.equiv(name)).map(|h| h.value.to_string());
            let first = values.next();
            if values.next().is_some() { Err(()) } else { Ok(first) }
        };
        let authorization = header("Authorization").map_err(|_| bad("more than one Authorization header"))?;
        let dpop = header("DPoP").map_err(|_| bad("more than one DPoP header"))?;
        let content_type = header("Content-Type").map_err(|_| bad("more than one Content-Type header"))?;
        if request.body_length().is_some_and(|n| n as u64 > BODY_LIMIT) {
            return Err(bad("the body is larger than 64 KiB"));
        }
        let mut body = Vec::new();
        request.as_reader().take(BODY_LIMIT + 1).read_to_end(&mut body).map_err(|_| bad("the body cannot be read"))?;
        if body.len() as u64 > BODY_LIMIT {
            return Err(bad("the body is larger than 64 KiB"));
        }
        let is_form = content_type.as_deref().is_some_and(|t| {
            t.split(';')
                .next()
                .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"))
        });
        Ok(Incoming {
            method: request.method().clone(),
            path: url.path().to_string(),
            query: Params::parse(url.query().unwrap_or("").as_bytes()),
            form: is_form.then(|| Params::parse(&body)),
            authorization,
            dpop,
        })
    }

    /// The form body; OAuth requests to the server's endpoints are forms (RFC 6749 §3.2).
    pub(super) fn form(&self) -> Result<&Params, Refusal> {
        self.form.as_ref().ok_or_else(|| {
            Refusal::new("invalid_request", "send the parameters as an application/x-www-form-urlencoded body")
        })
    }

    /// Whether this is a POST.
    pub(super) fn is_post(&self) -> bool {
        self.method == tiny_http::Method::Post
    }
}

/// An OAuth error answer (RFC 6749 §5.2): a JSON body with `error` and `error_description`.
#[derive(Debug)]
pub(super) struct Refusal {
    /// The HTTP status: 400 unless said otherwise.
    pub(super) status: u16,
    /// The `error` code.
    pub(super) error: &'static str,
    /// `error_description`, restricted to the characters §5.2 allows.
    pub(super) description: String,
    /// A `WWW-Authenticate` challenge.
    pub(super) challenge: Option<String>,
}

impl Refusal {
    /// A 400 answer.
    pub(super) fn new(error: &'static str, description: impl AsRef<str>) -> Refusal {
        // §5.2 allows printable ASCII without `"` and `\`; echoed client input may hold anything,
        // and the description also goes into quoted challenge parameters (RFC 6750 §3).
        let description = description
            .as_ref()
            .chars()
            .map(|c| if c.is_ascii() && !c.is_ascii_control() && c != '"' && c != '\\' { c } else { '?' })
            .collect();
        Refusal { status: 400, error, description, challenge: None }
    }

    /// The same answer with another status and a `WWW-Authenticate` challenge.
    pub(super) fn with_challenge(self, status: u16, challenge: String) -> Refusal {
        Refusal { status, challenge: Some(challenge), ..self }
    }

    /// The answer.
    pub(super) fn reply(&self) -> Reply {
        let body = serde_json::json!({"error": self.error, "error_description": self.description});
        let reply = json(self.status, &body);
        match &self.challenge {
            Some(challenge) => with_header(reply, "WWW-Authenticate", challenge),
            None => reply,
        }
    }
}

impl From<getrandom::Error> for Refusal {
    fn from(_: getrandom::Error) -> Refusal {
        Refusal { status: 500, ..Refusal::new("server_error", "the system random number generator failed") }
    }
}

/// A JSON answer that must not be cached: tokens and token details (RFC 6749 §5.1).
pub(super) fn json(status: u16, body: &serde_json::Value) -> Reply {
    let reply = answer(status, "application/json", body.to_string().into_bytes());
    with_header(with_header(reply, "Cache-Control", "no-store"), "Pragma", "no-cache")
}

/// A JSON answer that may be cached: metadata and keys.
pub(super) fn public_json(body: &serde_json::Value) -> Reply {
    answer(200, "application/json", body.to_string().into_bytes())
}

/// An HTML page; it may not be framed (clickjacking of the consent buttons) nor run scripts.
pub(super) fn html(status: u16, page: String) -> Reply {
    let headers = [
        ("Cache-Control", "no-store"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "DENY"),
        ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"),
    ];
    headers.iter().fold(answer(status, "text/html; charset=utf-8", page.into_bytes()), |r, (n, v)| with_header(r, n, v))
}

/// A plain-text answer.
pub(super) fn text(status: u16, body: &str) -> Reply {
    answer(status, "text/plain; charset=utf-8", body.as_bytes().to_vec())
}

/// A redirect (`302` after a GET, `303` after a POST: RFC 9700 §4.12).
pub(super) fn redirect(status: u16, location: &str) -> Reply {
    let reply = with_header(answer(status, "text/plain; charset=utf-8", Vec::new()), "Location", location);
    with_header(reply, "Cache-Control", "no-store")
}

/// An answer with one more header; a header that is not ASCII is left out (ours always are).
pub(super) fn with_header(reply: Reply, name: &str, value: &str) -> Reply {
    match tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(header) => reply.with_header(header),
        Err(()) => reply,
    }
}

fn answer(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
    with_header(tiny_http::Response::from_data(body).with_status_code(status), "Content-Type", content_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_parameters_are_absent_and_repeated_ones_refused() {
        let params = Params::parse(b"a=1&b=&c=x&c=y&d=%20z");
        assert_eq!(params.one("a").unwrap(), Some("1"));
        assert_eq!(params.one("b").unwrap(), None);
        assert_eq!(params.one("missing").unwrap(), None);
        assert_eq!(params.one("c").unwrap_err().error, "invalid_request");
        assert_eq!(params.one("d").unwrap(), Some(" z"));
        assert!(params.required("b").unwrap_err().description.contains("`b` is missing"));
    }

    #[test]
    fn descriptions_keep_to_the_allowed_characters() {
        let refusal = Refusal::new("invalid_scope", "unknown scope `\"é\\`\n");
        assert_eq!(refusal.description, "unknown scope `???`?");
    }
}

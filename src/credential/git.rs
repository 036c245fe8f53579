//! git's credential helper protocol (git-credential(1) "INPUT/OUTPUT FORMAT", gitcredentials(7)):
//! the request git writes to a helper (`key=value` lines up to a blank line or the end), the
//! answer a helper gives to `get`, and the `git config` lines that make git call a helper.
//! A leaf: it parses and prints, and knows nothing of profiles, stores or terminals.

use crate::redact::Secret;
use std::io::BufRead;
use url::Url;

/// The longest line git may send, its newline included (git-credential(1)).
const MAX_LINE: usize = 65535;
/// The most lines read: git sends about ten; more is not a credential request.
const MAX_LINES: usize = 1000;

/// What git told the helper. Unknown attributes are dropped, as git-credential(1) asks.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Request {
    /// `protocol` (`https`, `http`, `cert`, …).
    pub protocol: Option<String>,
    /// `host`, with the port when the URL had one (`example.com:8088`).
    pub host: Option<String>,
    /// `path` without its leading slash; git sends it only with `credential.useHttpPath`.
    pub path: Option<String>,
    /// `username`, if git has one already (from the URL or the configuration).
    pub username: Option<String>,
    /// `password`: what git presents with `store` and `erase`.
    pub password: Option<Secret<String>>,
    /// `authtype` (with `credential`, git 2.46 and later).
    pub authtype: Option<String>,
    /// `credential`: a pre-encoded credential (`authtype=Bearer`: the token).
    pub credential: Option<Secret<String>>,
    /// `capability[]`: what git understands (`authtype`, `state`).
    pub capabilities: Vec<String>,
    /// `wwwauth[]`: the server's `WWW-Authenticate` headers, in order (git 2.41 and later).
    pub wwwauth: Vec<String>,
}

/// git's request cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// A line without `=` (its text is not shown: it may hold a secret).
    #[error("line {0} of git's credential request has no `=`")]
    NoEquals(usize),
    /// A line longer than git ever sends.
    #[error("line {0} of git's credential request is longer than {MAX_LINE} bytes")]
    TooLong(usize),
    /// More lines than git ever sends.
    #[error("git's credential request has more than {MAX_LINES} lines")]
    TooMany,
    /// `url=` without `protocol://` (its text is not shown: it may hold a password).
    #[error("the url on line {0} of git's credential request has no protocol (`https://…`)")]
    BadUrl(usize),
    /// stdin could not be read.
    #[error("reading git's credential request: {0}")]
    Read(#[from] std::io::Error),
}

/// Reads git's request: lines up to a blank line or the end of input, a CR before the newline
/// dropped (git reads lines the same way), split at the first `=` (values may hold `=`).
/// `key[]=` with an empty value clears that list; `url=` stands for the parts of the URL.
pub fn read(input: &mut impl BufRead) -> Result<Request, ParseError> {
    let mut request = Request::default();
    let mut line = Vec::new();
    for number in 1.. {
        if number > MAX_LINES {
            return Err(ParseError::TooMany);
        }
        line.clear();
        let read = std::io::Read::take(&mut *input, MAX_LINE as u64 + 1).read_until(b'\n', &mut line)?;
        if read == 0 {
            break;
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        } else if read > MAX_LINE {
            return Err(ParseError::TooLong(number));
        }
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if line.is_empty() {
            break;
        }
        let text = String::from_utf8_lossy(&line);
        let (key, value) = text.split_once('=').ok_or(ParseError::NoEquals(number))?;
        request.set(key, value, number)?;
    }
    Ok(request)
}

impl Request {
    /// Takes one attribute.
    fn set(&mut self, key: &str, value: &str, line: usize) -> Result<(), ParseError> {
        let text = || Some(value.to_string());
        let list = |list: &mut Vec<String>| {
            if value.is_empty() { list.clear() } else { list.push(value.to_string()) }
        };
        match key {
            "protocol" => self.protocol = text(),
            "host" => self.host = text(),
            "path" => self.path = text(),
            "username" => self.username = text(),
            "password" => self.password = Some(Secret::new(value.to_string())),
            "authtype" => self.authtype = text(),
            "credential" => self.credential = Some(Secret::new(value.to_string())),
            "capability[]" => list(&mut self.capabilities),
            "wwwauth[]" => list(&mut self.wwwauth),
            "url" => self.set_url(value).ok_or(ParseError::BadUrl(line))?,
            _ => {}
        }
        Ok(())
    }

    /// `url=`: the URL's protocol, user, password, host and path, decoded and with the path's
    /// outer slashes trimmed, as git reads them (credential.c, `credential_from_url`); parts
    /// the URL lacks are left unset.
    fn set_url(&mut self, url: &str) -> Option<()> {
        let (protocol, rest) = url.split_once("://").filter(|(p, _)| !p.is_empty())?;
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, path) = rest.split_at(end);
        let (user, host) = match authority.rsplit_once('@') {
            Some((user, host)) => (Some(user), host),
            None => (None, authority),
        };
        let (username, password) = match user.map(|u| u.split_once(':').map_or((u, None), |(u, p)| (u, Some(p)))) {
            Some((username, password)) => (Some(decode(username)), password.map(decode)),
            None => (None, None),
        };
        let path = path.trim_matches('/');
        *self = Request {
            protocol: Some(protocol.to_string()),
            host: Some(decode(host)),
            path: (!path.is_empty()).then(|| decode(path)),
            username,
            password: password.map(Secret::new),
            ..std::mem::take(self)
        };
        Some(())
    }

    /// Whether git announced `capability[]=NAME`.
    pub fn has_capability(&self, name: &str) -> bool {
        self.capabilities.iter().any(|c| c == name)
    }

    /// The token git presents (with `erase` and `store`): the Bearer `credential`, else the
    /// password.
    pub fn presented(&self) -> Option<&Secret<String>> {
        match (&self.authtype, &self.credential) {
            (Some(authtype), Some(credential)) if authtype.eq_ignore_ascii_case("bearer") => Some(credential),
            _ => self.password.as_ref(),
        }
    }

    /// The host without its port, lower case.
    pub fn host_name(&self) -> Option<String> {
        let host = self.host.as_deref()?;
        let name = match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(v6),
            None => host.rsplit_once(':').filter(|(_, p)| p.bytes().all(|b| b.is_ascii_digit())).map_or(host, |h| h.0),
        };
        Some(name.to_ascii_lowercase())
    }

    /// The URL the credential is for: `protocol://host/path` (the path only when git sent one);
    /// `None` without protocol or host, or with a host that is not one (`/`, `@`, spaces…).
    pub fn url(&self) -> Option<Url> {
        let (protocol, host) = (self.protocol.as_deref()?, self.host.as_deref()?);
        let odd = |c: char| c.is_whitespace() || c.is_control() || "/?#@\\".contains(c);
        if protocol.is_empty() || host.is_empty() || host.contains(odd) {
            return None;
        }
        let mut url = Url::parse(&format!("{protocol}://{host}/")).ok()?;
        if let Some(path) = &self.path {
            url.set_path(path);
        }
        Some(url)
    }
}

/// Percent-decodes a URL part as git does (`+` stays `+`; invalid escapes are kept as they
/// are), with the `url` crate's decoder: `&` and `+`, which a form would read otherwise, are
/// escaped first.
fn decode(text: &str) -> String {
    let escaped = text.replace('&', "%26").replace('+', "%2B");
    url::form_urlencoded::parse(format!("x={escaped}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// A helper's answer to `get`.
#[derive(Debug)]
pub enum Answer<'a> {
    /// `username` and `password` (git sends them as `Authorization: Basic`).
    Basic {
        /// The user name the server expects with a token.
        username: &'a str,
        /// The token.
        password: &'a Secret<String>,
        /// When it expires, Unix seconds (`password_expiry_utc`, git 2.40 and later).
        expires_at: Option<u64>,
    },
    /// `authtype=Bearer` and `credential` (git 2.46 and later, only when git announced
    /// `capability[]=authtype`): git sends `Authorization: Bearer`.
    Bearer {
        /// The token.
        token: &'a Secret<String>,
        /// When it expires, Unix seconds.
        expires_at: Option<u64>,
    },
}

/// A value git would take for more than one attribute: a line break or NUL in it.
#[derive(Debug, thiserror::Error)]
#[error("the {0} holds a line break or NUL, which git's credential protocol cannot carry")]
pub struct UnsafeValue(pub &'static str);

/// The answer as git reads it, one `key=value` line each; refused if a value would break a
/// line (a token or user name with a newline could smuggle in attributes of its own).
pub fn render(answer: &Answer<'_>) -> Result<String, UnsafeValue> {
    let mut out = String::new();
    let mut line = |key: &str, value: &str, what: &'static str| {
        if value.contains(['\n', '\r', '\0']) {
            return Err(UnsafeValue(what));
        }
        out.push_str(&format!("{key}={value}\n"));
        Ok(())
    };
    let expires_at = match answer {
        Answer::Basic { username, password, expires_at } => {
            line("username", username, "user name")?;
            line("password", password.expose(), "token")?;
            expires_at
        }
        Answer::Bearer { token, expires_at } => {
            line("capability[]", "authtype", "capability")?;
            line("authtype", "Bearer", "authtype")?;
            line("credential", token.expose(), "token")?;
            line("ephemeral", "true", "ephemeral")?;
            expires_at
        }
    };
    // git ignores an expiry of 0, and a token without one is taken as valid until refused.
    if let Some(at) = expires_at.filter(|at| *at > 0) {
        line("password_expiry_utc", &at.to_string(), "expiry")?;
    }
    Ok(out)
}

/// The answer to `capability` (git-credential(1) "CAPABILITY INPUT/OUTPUT FORMAT").
pub const CAPABILITIES: &str = "version 0\ncapability authtype\n";

/// The `credential.helper` value that runs `program` with `args` (e.g. `["git-credential"]`):
/// `!` and the shell-quoted words, since git runs a helper through the shell and a `!` value
/// verbatim (gitcredentials(7), "CUSTOM HELPERS"); git appends the operation.
pub fn helper(program: &str, args: &[&str]) -> String {
    let words: Vec<String> = std::iter::once(quote(program)).chain(args.iter().map(|a| shell_word(a))).collect();
    format!("!{}", words.join(" "))
}

/// A word for a POSIX shell: as it is when every character is one the shell takes literally,
/// else single-quoted.
pub fn shell_word(arg: &str) -> String {
    let plain = !arg.is_empty() && arg.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_=.,:@%+/".contains(&b));
    if plain { arg.to_string() } else { quote(arg) }
}

/// Single-quotes a value for a POSIX shell (`'` written as `'\''`).
pub fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// The `git config --global` arguments that make git ask `helper` for credentials of `url`:
/// an empty helper first, which drops the helpers git collected before it for this URL (a
/// credential store would otherwise answer with a stale token, and keep copies of oat's), then
/// `helper`; and `useHttpPath` when the URL names a path, so that git tells the helper which
/// repository it needs (gitcredentials(7)). Each list is one `git config` run.
pub fn config_commands(url: &str, helper: &str, use_http_path: bool) -> Vec<Vec<String>> {
    let key = |name: &str| format!("credential.{url}.{name}");
    let mut commands = vec![
        vec!["--global".into(), "--replace-all".into(), key("helper"), String::new()],
        vec!["--global".into(), "--add".into(), key("helper"), helper.to_string()],
    ];
    if use_http_path {
        commands.push(vec!["--global".into(), key("useHttpPath"), "true".into()]);
    }
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Request {
        read(&mut text.as_bytes()).unwrap()
    }

    #[test]
    fn what_git_sends_is_read_up_to_the_blank_line() {
        let r = parse(
            "capability[]=authtype\ncapability[]=state\nprotocol=https\nhost=git.example.com:8443\n\
             path=acme/app.git\nusername=bob\nwwwauth[]=Basic realm=\"git\"\nwwwauth[]=Bearer realm=\"x\", scope=\"a b\"\n\
             \nprotocol=ftp\n",
        );
        assert_eq!(r.protocol.as_deref(), Some("https"));
        assert_eq!(r.host.as_deref(), Some("git.example.com:8443"));
        assert_eq!(r.path.as_deref(), Some("acme/app.git"));
        assert_eq!(r.username.as_deref(), Some("bob"));
        assert!(r.has_capability("authtype") && r.has_capability("state") && !r.has_capability("x"));
        assert_eq!(r.wwwauth, ["Basic realm=\"git\"", "Bearer realm=\"x\", scope=\"a b\""]);
        assert_eq!(r.url().unwrap().as_str(), "https://git.example.com:8443/acme/app.git");
        assert_eq!(r.host_name().as_deref(), Some("git.example.com"));
    }

    #[test]
    fn odd_input_is_read_as_git_reads_it() {
        // CRLF line ends, `=` inside values, unknown keys, no final newline.
        let r =
            parse("protocol=https\r\nhost=example.com\r\npassword=a=b==\r\nfuture_key=x\r\nquit=1\r\nstate[]=oat:1");
        assert_eq!((r.protocol.as_deref(), r.host.as_deref()), (Some("https"), Some("example.com")));
        assert_eq!(r.password.as_ref().map(|p| p.expose().as_str()), Some("a=b=="));
        assert_eq!(r.url().unwrap().as_str(), "https://example.com/");
        // An empty value is a value; an empty list entry clears the list.
        let r = parse("username=\ncapability[]=authtype\ncapability[]=\ncapability[]=state\n");
        assert_eq!(r.username.as_deref(), Some(""));
        assert_eq!(r.capabilities, ["state"]);
        assert_eq!(parse(""), Request::default());
        assert_eq!(parse("\nprotocol=https\n"), Request::default());
        // A line git would never send is an error that does not quote it.
        let err = read(&mut "protocol=https\nsecret-without-equals\n".as_bytes()).unwrap_err();
        assert_eq!(err.to_string(), "line 2 of git's credential request has no `=`");
        let long = format!("path={}\n", "x".repeat(MAX_LINE));
        assert!(matches!(read(&mut long.as_bytes()), Err(ParseError::TooLong(1))));
        let many = "k=v\n".repeat(MAX_LINES + 1);
        assert!(matches!(read(&mut many.as_bytes()), Err(ParseError::TooMany)));
        let most = format!("path={}\n", "x".repeat(MAX_LINE - 6));
        assert_eq!(parse(&most).path.map(|p| p.len()), Some(MAX_LINE - 6));
    }

    #[test]
    fn a_url_stands_for_its_parts() {
        let r = parse("url=https://bob:s%3Dcret@Example.com:8443/acme/my%20app.git/\n");
        assert_eq!(r.protocol.as_deref(), Some("https"));
        assert_eq!(r.host.as_deref(), Some("Example.com:8443"));
        assert_eq!(r.path.as_deref(), Some("acme/my app.git"));
        assert_eq!(r.username.as_deref(), Some("bob"));
        assert_eq!(r.password.as_ref().map(|p| p.expose().as_str()), Some("s=cret"));
        assert_eq!(r.url().unwrap().as_str(), "https://example.com:8443/acme/my%20app.git");
        // Later lines override it; parts it lacks stay unset; capabilities are kept.
        let r = parse("capability[]=authtype\nurl=https://example.com\npath=x.git\n");
        assert_eq!(
            (r.host.as_deref(), r.path.as_deref(), r.username.as_deref()),
            (Some("example.com"), Some("x.git"), None)
        );
        assert!(r.has_capability("authtype"));
        let r = parse("url=https://h/a&b+c%2/x\n");
        assert_eq!(r.path.as_deref(), Some("a&b+c%2/x"));
        let r = parse("url=http://127.0.0.1:8080?query\n");
        assert_eq!((r.host.as_deref(), r.path.as_deref()), (Some("127.0.0.1:8080"), Some("?query")));
        let err = read(&mut "url=bob:secret@example.com\n".as_bytes()).unwrap_err().to_string();
        assert!(!err.contains("secret"), "{err}");
        assert!(matches!(read(&mut "url=://x\n".as_bytes()), Err(ParseError::BadUrl(1))));
    }

    #[test]
    fn only_a_real_host_makes_a_url() {
        let with = |protocol: &str, host: &str| {
            Request { protocol: Some(protocol.into()), host: Some(host.into()), ..Request::default() }.url()
        };
        assert_eq!(with("https", "[::1]:8443").unwrap().as_str(), "https://[::1]:8443/");
        assert_eq!(with("http", "127.0.0.1:3000").unwrap().port(), Some(3000));
        for host in ["", "a/b", "user@host", "a b", "a?b", "a#b", "a\\b"] {
            assert!(with("https", host).is_none(), "{host:?}");
        }
        assert!(Request { protocol: Some("https".into()), ..Request::default() }.url().is_none());
        let path = Request {
            protocol: Some("https".into()),
            host: Some("h".into()),
            path: Some("a?b#c/d".into()),
            ..Request::default()
        };
        assert_eq!(path.url().unwrap().as_str(), "https://h/a%3Fb%23c/d");
        let host = |h: &str| Request { host: Some(h.into()), ..Request::default() }.host_name();
        assert_eq!(host("GitHub.com:443").as_deref(), Some("github.com"));
        assert_eq!(host("[::1]:80").as_deref(), Some("::1"));
        assert_eq!(host("example.com").as_deref(), Some("example.com"));
    }

    #[test]
    fn the_presented_token_is_the_bearer_credential_or_the_password() {
        let secret = |s: &str| Some(Secret::new(s.to_string()));
        let basic = Request { password: secret("p"), ..Request::default() };
        assert_eq!(basic.presented().map(|s| s.expose().as_str()), Some("p"));
        let bearer =
            Request { authtype: Some("Bearer".into()), credential: secret("t"), password: None, ..Request::default() };
        assert_eq!(bearer.presented().map(|s| s.expose().as_str()), Some("t"));
        let other = Request { authtype: Some("Digest".into()), credential: secret("d"), ..Request::default() };
        assert!(other.presented().is_none());
    }

    #[test]
    fn answers_are_lines_git_reads() {
        let token = Secret::new("tok=en".to_string());
        let basic = Answer::Basic { username: "oauth2", password: &token, expires_at: Some(1_700_000_000) };
        assert_eq!(render(&basic).unwrap(), "username=oauth2\npassword=tok=en\npassword_expiry_utc=1700000000\n");
        let forever = Answer::Basic { username: "x", password: &token, expires_at: None };
        assert_eq!(render(&forever).unwrap(), "username=x\npassword=tok=en\n");
        let bearer = Answer::Bearer { token: &token, expires_at: Some(5) };
        assert_eq!(
            render(&bearer).unwrap(),
            "capability[]=authtype\nauthtype=Bearer\ncredential=tok=en\nephemeral=true\npassword_expiry_utc=5\n"
        );
        // What git reads back is what was meant.
        let back = parse(&render(&bearer).unwrap());
        assert_eq!(back.presented().map(|s| s.expose().as_str()), Some("tok=en"));
    }

    #[test]
    fn a_value_that_would_break_a_line_is_refused() {
        let token = Secret::new("ok".to_string());
        let smuggler = Answer::Basic { username: "a\npassword=evil", password: &token, expires_at: None };
        assert_eq!(render(&smuggler).unwrap_err().to_string().split(' ').nth(1), Some("user"));
        for bad in ["t\nx", "t\rx", "t\0x"] {
            let token = Secret::new(bad.to_string());
            assert!(render(&Answer::Bearer { token: &token, expires_at: None }).is_err());
        }
    }

    #[test]
    fn helpers_are_shell_words_after_a_bang() {
        assert_eq!(helper("/usr/bin/oat", &["git-credential"]), "!'/usr/bin/oat' git-credential");
        assert_eq!(
            helper("/opt/my tools/it's/oat", &["--config", "/a b/c.toml", "git-credential", "--profile", "work"]),
            r"!'/opt/my tools/it'\''s/oat' --config '/a b/c.toml' git-credential --profile work"
        );
        assert_eq!(quote(""), "''");
    }

    #[test]
    fn set_up_is_a_reset_then_the_helper_then_the_path() {
        let lines = config_commands("https://github.com/acme/", "!'/bin/oat' git-credential", true);
        assert_eq!(
            lines,
            [
                vec!["--global", "--replace-all", "credential.https://github.com/acme/.helper", ""],
                vec!["--global", "--add", "credential.https://github.com/acme/.helper", "!'/bin/oat' git-credential"],
                vec!["--global", "credential.https://github.com/acme/.useHttpPath", "true"],
            ]
        );
        assert_eq!(config_commands("https://github.com", "h", false).len(), 2);
    }
}

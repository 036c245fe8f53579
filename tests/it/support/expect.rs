//! Request counts a test server was told to expect, checked when it is dropped: a test that
//! never looks at the server again still proves that the requests happened, and happened as
//! often as it says. Shared by `fixture` and `faulty`.

/// Paths and how many requests each must have received by the time the server is dropped.
#[derive(Default)]
pub struct Expected(Vec<(String, usize)>);

impl Expected {
    /// Expects exactly `times` requests to `path`.
    pub fn add(&mut self, path: &str, times: usize) {
        self.0.push((path.to_string(), times));
    }

    /// Fails the test if a count is off, naming the server and every path it received, unless
    /// the test is failing already (a second panic would hide the first).
    pub fn check<'a>(&self, server: &str, received: impl IntoIterator<Item = &'a str>) {
        if std::thread::panicking() {
            return;
        }
        let received: Vec<&str> = received.into_iter().collect();
        let off: Vec<String> = self
            .0
            .iter()
            .map(|(path, times)| (path, times, received.iter().filter(|p| *p == path).count()))
            .filter(|(_, times, got)| *times != got)
            .map(|(path, times, got)| format!("{times} request(s) to {path}, got {got}"))
            .collect();
        assert!(off.is_empty(), "the test server at {server} expected {}; it received {received:?}", off.join(", "));
    }
}

#[cfg(test)]
mod tests {
    use super::super::faulty::{Action, Faulty};
    use super::super::fixture::{Fixture, Reply};
    use std::io::{Read, Write};

    /// A GET of `path` at `base`, read to its end.
    fn get(base: &str, path: &str) {
        let mut stream = std::net::TcpStream::connect(base.trim_start_matches("http://")).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").unwrap();
        let _ = stream.read_to_end(&mut Vec::new());
    }

    #[test]
    fn met_expectations_pass() {
        let fixture = Fixture::start(|_, _| Reply::not_found()).expect("/token", 2).expect("/other", 0);
        let faulty = Faulty::start(|_, _| Action::reply(404, &[], "")).expect("/token", 1);
        get(&fixture.url, "/token");
        get(&fixture.url, "/token");
        get(&fixture.url, "/jwks");
        get(&faulty.url, "/token");
    }

    #[test]
    #[should_panic(expected = "expected 1 request(s) to /token, got 2")]
    fn a_fixture_with_an_unmet_expectation_fails_the_test_when_dropped() {
        let fixture = Fixture::start(|_, _| Reply::not_found()).expect("/token", 1);
        get(&fixture.url, "/token");
        get(&fixture.url, "/token");
    }

    #[test]
    #[should_panic(expected = "expected 1 request(s) to /token, got 0")]
    fn a_faulty_server_with_an_unmet_expectation_fails_the_test_when_dropped() {
        let faulty = Faulty::start(|_, _| Action::reply(404, &[], "")).expect("/token", 1);
        get(&faulty.url, "/jwks");
    }
}

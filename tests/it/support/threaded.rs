//! A tiny_http server on a loopback port that serves each request on a thread of its own, for
//! the test servers whose handlers may wait (on the provider, on a child process).

#![allow(clippy::disallowed_types, reason = "a test server binds its own loopback socket, as the fixture does")]

use std::sync::Arc;
use std::thread::JoinHandle;

pub struct Threaded {
    server: Arc<tiny_http::Server>,
    accepting: Option<JoinHandle<Vec<JoinHandle<()>>>>,
}

impl Threaded {
    /// Serves `serve(request, &shared)` on 127.0.0.1 (a free port); `what` names the server in
    /// a failure to bind.
    pub fn start<S: Send + Sync + 'static>(what: &str, shared: Arc<S>, serve: fn(tiny_http::Request, &S)) -> Threaded {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap_or_else(|e| panic!("bind {what}: {e}")));
        let accepting = {
            let server = server.clone();
            std::thread::spawn(move || {
                let mut workers: Vec<JoinHandle<()>> = Vec::new();
                // Ends when `stop` unblocks it.
                while let Ok(request) = server.recv() {
                    workers.retain(|w| !w.is_finished());
                    let shared = shared.clone();
                    workers.push(std::thread::spawn(move || serve(request, &shared)));
                }
                workers
            })
        };
        Threaded { server, accepting: Some(accepting) }
    }

    /// Its `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.server.server_addr().to_ip().expect("an ip address").port())
    }

    /// Stops accepting; the threads of the requests still being served, to join.
    pub fn stop(&mut self) -> Vec<JoinHandle<()>> {
        self.server.unblock();
        self.accepting.take().and_then(|t| t.join().ok()).unwrap_or_default()
    }
}

impl Drop for Threaded {
    fn drop(&mut self) {
        for worker in self.stop() {
            let _ = worker.join();
        }
    }
}

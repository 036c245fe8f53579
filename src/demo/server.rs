//! The demo server's socket and threads: binds 127.0.0.1 only, serves requests on a few worker
//! threads that share one [`Context`], routes each request to its endpoint, and stops when
//! dropped. The endpoints live in their own files.
// The demo server owns its socket, as the callback listener does; nothing else in oat binds one.
#![allow(clippy::disallowed_types)]

use super::context::Context;
use super::keys::Signer;
use super::wire::{self, Incoming, Reply};
use super::{DemoError, Settings, authorize, device, pages, resource, token};
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::thread::JoinHandle;
use tiny_http::Method;

/// Worker threads: enough that a slow client does not hold up the others.
const WORKERS: usize = 4;

/// A running demo server; dropping it stops it.
pub struct DemoServer {
    issuer: String,
    server: Arc<tiny_http::Server>,
    workers: Vec<JoinHandle<()>>,
}

impl DemoServer {
    /// Starts the server on 127.0.0.1 at `port` (0: a free port chosen by the system).
    pub fn start(port: u16, settings: Settings) -> Result<DemoServer, DemoError> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let bind = |error: std::io::Error| DemoError::Bind {
            addr,
            hint: if error.kind() == std::io::ErrorKind::AddrInUse {
                "; another program uses this port: stop it, or pick another port with --port"
            } else {
                ""
            },
            error,
        };
        let listener = TcpListener::bind(addr).map_err(bind)?;
        let bound = listener.local_addr().map_err(bind)?;
        let server = tiny_http::Server::from_listener(listener, None).map_err(|e| bind(std::io::Error::other(e)))?;
        let issuer = format!("http://127.0.0.1:{}", bound.port());
        let context = Arc::new(Context::new(issuer.clone(), settings, Signer::generate()?));
        let mut demo = DemoServer { issuer, server: Arc::new(server), workers: Vec::with_capacity(WORKERS) };
        for n in 0..WORKERS {
            let (server, context) = (Arc::clone(&demo.server), Arc::clone(&context));
            let worker = std::thread::Builder::new()
                .name(format!("oat-demo-{n}"))
                .spawn(move || serve(&server, &context))
                .map_err(DemoError::Thread)?; // dropping `demo` stops the workers already started
            demo.workers.push(worker);
        }
        Ok(demo)
    }

    /// The issuer identifier, `http://127.0.0.1:PORT`; every endpoint is a path under it.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Serves until the process ends (for `oat demo serve`).
    pub fn wait(mut self) {
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        // Each `unblock` releases one worker from `recv`.
        for _ in &self.workers {
            self.server.unblock();
        }
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

/// One worker: answers requests until the server is stopped.
fn serve(server: &tiny_http::Server, context: &Context) {
    // `recv` fails when unblocked (stop) or when the listening socket broke: both end the worker.
    while let Ok(mut request) = server.recv() {
        context.state().prune(crate::time::now());
        let reply = match Incoming::read(&mut request, &context.issuer) {
            Ok(incoming) => route(context, &incoming),
            Err(reply) => reply,
        };
        // A client that went away cannot be answered; there is nobody to tell.
        let _ = request.respond(reply);
    }
}

/// Which methods a path accepts.
fn methods(path: &str) -> Option<&'static str> {
    match path {
        "/" | "/.well-known/openid-configuration" | "/.well-known/oauth-authorization-server" | "/jwks" | "/api" => {
            Some("GET")
        }
        "/authorize" | "/device" | "/userinfo" => Some("GET, POST"),
        "/authorize/decision" | "/token" | "/device_authorization" | "/revoke" | "/introspect" => Some("POST"),
        _ => None,
    }
}

fn route(context: &Context, request: &Incoming) -> Reply {
    let path = request.path.as_str();
    let Some(allowed) = methods(path) else {
        return not_found();
    };
    let method = request.method.as_str();
    if !allowed.split(", ").any(|m| m == method) {
        let reply = wire::text(405, &format!("{path} accepts {allowed}\n"));
        return wire::with_header(reply, "Allow", allowed);
    }
    let post = request.method == Method::Post;
    match path {
        "/" => wire::html(200, pages::index(&context.issuer)),
        "/.well-known/openid-configuration" | "/.well-known/oauth-authorization-server" => resource::metadata(context),
        "/jwks" => wire::public_json(&context.signer.jwks()),
        "/authorize" => authorize::authorize(context, request),
        "/authorize/decision" => authorize::decide(context, request),
        "/token" => token::token(context, request),
        "/device_authorization" => device::authorize(context, request),
        "/device" if post => device::decide(context, request),
        "/device" => device::page(context, request),
        "/revoke" => resource::revoke(context, request),
        "/introspect" => resource::introspect(context, request),
        "/userinfo" => resource::userinfo(context, request),
        "/api" => resource::api(context, request),
        _ => not_found(),
    }
}

fn not_found() -> Reply {
    wire::html(404, pages::message("Not found", "There is nothing here; the index is at /."))
}

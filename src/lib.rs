//! `oat` gets OAuth 2.0 / OpenID Connect tokens in a terminal, keeps them in the OS keyring
//! and hands a valid access token to people, shell scripts and CI jobs on demand.
//!
//! Calls point one way: `run → commands → flow → oauth → http → redact`; `store`, `callback`,
//! `proxy`, `browser`, `config`, `output` and `jwt` are leaves that `commands` and `flow` call;
//! `private_file` (0600 files, 0700 directories) sits beneath `store` and `config`.

pub mod browser;
pub mod callback;
pub mod cli;
pub mod commands;
pub mod config;
pub mod credential;
pub mod demo;
pub mod error;
pub mod flow;
pub mod http;
pub mod jwt;
pub mod oauth;
pub mod output;
pub mod presets;
pub mod private_file;
pub mod proxy;
pub mod redact;
pub mod source;
pub mod store;
pub mod time;
pub mod trace;
pub mod x509;

/// Runs one parsed command line; errors carry their exit code in their type (see [`error`]),
/// other outcomes are an [`error::ExitStatus`].
pub fn run(cli: cli::Cli) -> anyhow::Result<error::ExitStatus> {
    commands::run(cli)
}

//! Exit codes, in one place. Leaf modules and flow return their own small error types;
//! commands add context on the way up; [`classify`] walks the chain and reads the exit code
//! from the first of our own types it meets. Outcomes that are not errors are an
//! [`ExitStatus`]. Nothing else picks an exit code.

use crate::output::Printer;
use crate::{browser, callback, config, demo, flow, http, oauth, proxy, source, store};
use clap::error::ErrorKind;
use std::io;
use std::process::ExitCode;

/// Exit codes of the command-line contract (cli.md).
pub mod code {
    /// Success.
    pub const OK: u8 = 0;
    /// Any other error.
    pub const OTHER: u8 = 1;
    /// Usage or bad input.
    pub const USAGE: u8 = 2;
    /// A login is needed: no tokens, no refresh token, or the refresh token was rejected.
    pub const LOGIN: u8 = 3;
    /// The server answered with an OAuth error.
    pub const OAUTH: u8 = 4;
    /// Network or TLS failure, or a timeout.
    pub const NETWORK: u8 = 5;
    /// Keyring or storage failure.
    pub const STORE: u8 = 6;
    /// `oat request`: the API answered HTTP >= 400 (as `curl --fail`).
    pub const HTTP_FAIL: u8 = 22;
    /// Interrupted by Ctrl-C (128 + SIGINT, as shells report it).
    pub const INTERRUPTED: u8 = 130;
}

/// How a command ended when it did not fail: what the exit code says besides "an error".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Done as asked (exit 0).
    Success,
    /// A check found a problem (`oat doctor`; exit 1).
    Failure,
    /// `oat verify`: the token failed a check (exit 4, as a server refusing it would).
    Invalid,
    /// `oat request`: the API answered HTTP >= 400 (exit 22, as `curl --fail`).
    HttpFailure,
    /// `oat exec` where the command cannot replace oat (not Unix): the command's exit status.
    Child(u8),
    /// `oat proxy`, stopped by this signal as it is meant to be: 128 + the signal, as a shell
    /// reports a program the signal ended (130 for Ctrl-C, 143 for SIGTERM).
    Stopped(u8),
}

impl ExitStatus {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => code::OK,
            ExitStatus::Failure => code::OTHER,
            ExitStatus::Invalid => code::OAUTH,
            ExitStatus::HttpFailure => code::HTTP_FAIL,
            ExitStatus::Child(code) => code,
            ExitStatus::Stopped(signal) => 128u8.saturating_add(signal),
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(status.code())
    }
}

/// `oat exec` could not start its command.
#[derive(Debug, thiserror::Error)]
#[error("cannot run `{program}`: {error}")]
pub struct CommandFailed {
    pub program: String,
    pub error: std::io::Error,
}

/// Bad input that clap cannot see (a profile that does not exist, a value that does not fit).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Builds a [`UsageError`] as an `anyhow::Error`.
pub fn usage(message: impl Into<String>) -> anyhow::Error {
    UsageError(message.into()).into()
}

/// The exit code for an error chain.
pub fn classify(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if cause.is::<flow::LoginRequired>() {
            return code::LOGIN;
        }
        if cause.is::<UsageError>() || cause.is::<flow::BadInput>() {
            return code::USAGE;
        }
        if cause.is::<flow::Interrupted>() {
            return code::INTERRUPTED;
        }
        if let Some(e) = cause.downcast_ref::<clap::Error>() {
            // 0 for --help and --version, 2 for bad input.
            return u8::try_from(e.exit_code()).unwrap_or(code::USAGE);
        }
        if let Some(e) = cause.downcast_ref::<CommandFailed>() {
            // As shells do: 127 when the command is not found, 126 when it cannot be run.
            return match e.error.kind() {
                io::ErrorKind::NotFound => 127,
                _ => 126,
            };
        }
        if let Some(e) = cause.downcast_ref::<config::ConfigError>() {
            return match e {
                config::ConfigError::Read { .. } | config::ConfigError::Write { .. } => code::OTHER,
                _ => code::USAGE,
            };
        }
        if let Some(flow::verify::Error::Signature(_)) = cause.downcast_ref() {
            return code::OTHER;
        }
        if cause.is::<oauth::assertion::KeyError>() {
            return code::USAGE;
        }
        if cause.is::<config::ChoiceError>()
            || cause.is::<config::ServedUrlError>()
            || cause.is::<config::DetailsError>()
        {
            return code::USAGE;
        }
        if cause.is::<config::EndpointError>() || cause.is::<config::RedirectUriError>() {
            return code::USAGE;
        }
        if let Some(e) = cause.downcast_ref::<source::Error>() {
            return source_code(e);
        }
        if cause.is::<flow::CiTokenRefused>() {
            return code::OAUTH;
        }
        if let Some(e) = cause.downcast_ref::<oauth::Error>() {
            return match e {
                oauth::Error::Server(_) => code::OAUTH,
                oauth::Error::Assertion(e) => source_code(e),
                oauth::Error::Transport(_) => code::NETWORK,
                oauth::Error::Status { status, .. } if *status >= 500 || *status == 429 => code::NETWORK,
                oauth::Error::Status { .. }
                | oauth::Error::Parse { .. }
                | oauth::Error::Sign(_)
                | oauth::Error::Dpop(_) => code::OTHER,
            };
        }
        if cause.is::<http::Error>() {
            return code::NETWORK;
        }
        if let Some(e) = cause.downcast_ref::<store::StoreError>() {
            return match e {
                // An unreadable entry needs a new login, not a repaired keyring.
                store::StoreError::Corrupt { .. } => code::LOGIN,
                store::StoreError::LockTimeout { .. } => code::NETWORK,
                _ => code::STORE,
            };
        }
        if let Some(e) = cause.downcast_ref::<callback::CallbackError>() {
            return match e {
                callback::CallbackError::Timeout { .. } | callback::CallbackError::Bind { .. } => code::NETWORK,
                callback::CallbackError::Interrupted => code::INTERRUPTED,
            };
        }
        if cause.is::<flow::AuthorizationError>() {
            return code::OAUTH;
        }
        if let Some(e) = cause.downcast_ref::<demo::DemoError>() {
            return match e {
                demo::DemoError::Bind { .. } => code::NETWORK,
                _ => code::OTHER,
            };
        }
        if cause.is::<browser::BrowserError>() {
            return code::OTHER;
        }
        if let Some(e) = cause.downcast_ref::<proxy::ProxyError>() {
            return match e {
                proxy::ProxyError::Bind { .. } => code::NETWORK,
                proxy::ProxyError::Thread(_) => code::OTHER,
            };
        }
    }
    code::OTHER
}

/// The exit code of a token source's failure: the job's set-up (2), or its server (5, 1).
fn source_code(e: &source::Error) -> u8 {
    if e.is_bad_input() {
        code::USAGE
    } else if e.is_network() {
        code::NETWORK
    } else {
        code::OTHER
    }
}

/// Prints an error chain as one line on stderr and returns its exit code. A closed stdout
/// (`oat token | head -c0`) is not an error worth a message; the command line's own errors
/// (and --help, --version) are shown as [`command_line`] says.
pub fn report(err: &anyhow::Error) -> ExitCode {
    let broken_pipe =
        err.chain().filter_map(|c| c.downcast_ref::<io::Error>()).any(|e| e.kind() == io::ErrorKind::BrokenPipe);
    if broken_pipe {
        return ExitCode::from(code::OK);
    }
    match err.downcast_ref::<clap::Error>() {
        Some(e) => command_line(e),
        None => Printer::new(false, 0).error(&format!("{err:#}")),
    }
    ExitCode::from(classify(err))
}

/// Shows what clap found on the command line: a value that fails its check on one line (clap's
/// first) pointing to --help; other usage errors with clap's usage lines, and --help and
/// --version, exactly as clap prints them.
fn command_line(e: &clap::Error) {
    if matches!(e.kind(), ErrorKind::ValueValidation | ErrorKind::InvalidValue) {
        let text = e.render().to_string();
        let first = text.lines().next().unwrap_or("error: invalid value");
        Printer::new(false, 0).note(&format!("{first} (see --help)"));
    } else {
        // As clap's own `exit` does, a closed stdout is no reason to complain.
        let _ = e.print();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context as _;

    #[test]
    fn the_first_own_type_in_the_chain_decides() {
        let err = anyhow::Error::from(flow::LoginRequired::NoTokens("gh".into())).context("getting a token for `gh`");
        assert_eq!(classify(&err), code::LOGIN);
        assert_eq!(format!("{err:#}"), "getting a token for `gh`: no tokens stored for `gh`; run `oat login gh`");
    }

    #[test]
    fn oauth_errors_are_exit_4_and_usage_errors_exit_2() {
        let server = oauth::Error::Server(oauth::OAuthError::new("invalid_client", Some("bad secret".into())));
        assert_eq!(classify(&anyhow::Error::from(server)), code::OAUTH);
        assert_eq!(classify(&usage("no profile named `x`")), code::USAGE);
    }

    #[test]
    fn flow_errors_carry_their_exit_codes() {
        let no_secret =
            flow::BadInput::NoClientSecret { profile: "gh".into(), method: config::ClientAuthMethod::ClientSecretPost };
        assert_eq!(classify(&no_secret.into()), code::USAGE);
        assert_eq!(classify(&flow::BadInput::NoRefreshTokenToRevoke("gh".into()).into()), code::USAGE);
        assert_eq!(classify(&flow::Interrupted.into()), code::INTERRUPTED);
        assert_eq!(classify(&flow::AuthorizationError::IdToken("nonce".into()).into()), code::OAUTH);
        assert_eq!(classify(&config::EndpointError::PlainHttp("http://as".into()).into()), code::USAGE);
    }

    #[test]
    fn ci_token_failures_are_the_jobs_set_up_its_server_or_a_refusal() {
        let unset = || source::Error::GithubUnset(source::GITHUB_URL);
        assert_eq!(classify(&anyhow::Error::from(unset()).context("getting the subject token")), code::USAGE);
        assert_eq!(classify(&oauth::Error::Assertion(unset()).into()), code::USAGE);
        let down = source::Error::GithubAnswer { status: 503, detail: String::new() };
        assert_eq!(classify(&down.into()), code::NETWORK);
        let refused = flow::CiTokenRefused {
            error: oauth::OAuthError::new("invalid_grant", None),
            hint: "the CI token was issued for audience `x`".into(),
        };
        assert_eq!(classify(&refused.into()), code::OAUTH);
    }

    #[test]
    fn a_url_that_breaks_its_rule_is_a_usage_error() {
        let redirect = config::RedirectUriError::NotLoopback("https://app.example/cb".into());
        assert_eq!(classify(&anyhow::Error::from(redirect).context("the preset")), code::USAGE);
    }

    #[test]
    fn the_command_line_keeps_clap_exit_codes() {
        assert_eq!(classify(&clap::Error::new(ErrorKind::InvalidValue).into()), code::USAGE);
        assert_eq!(classify(&clap::Error::new(ErrorKind::MissingRequiredArgument).into()), code::USAGE);
        assert_eq!(classify(&clap::Error::new(ErrorKind::DisplayHelp).into()), code::OK);
        assert_eq!(classify(&clap::Error::new(ErrorKind::DisplayVersion).into()), code::OK);
    }

    #[test]
    fn exit_statuses_are_their_codes() {
        assert_eq!(ExitStatus::Success.code(), 0);
        assert_eq!(ExitStatus::Failure.code(), 1);
        assert_eq!(ExitStatus::HttpFailure.code(), 22);
        assert_eq!(ExitStatus::Child(7).code(), 7);
        assert_eq!(ExitStatus::Stopped(2).code(), 130);
    }

    #[test]
    fn unknown_errors_are_exit_1() {
        let err: anyhow::Result<()> = Err(io::Error::other("disk on fire")).context("saving");
        assert_eq!(classify(&err.unwrap_err()), code::OTHER);
    }
}

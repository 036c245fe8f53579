//! PLACEHOLDER: `oat proxy`.

use super::App;
use crate::cli::ProxyArgs;
use crate::error::ExitStatus;

/// PLACEHOLDER.
pub fn proxy(_app: &App, _args: ProxyArgs) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("not yet")
}

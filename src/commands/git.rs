//! PLACEHOLDER: the git credential helper and its `oat setup`.

use super::App;
use crate::cli::{GitCredentialArgs, SetupGitArgs};
use crate::error::ExitStatus;

/// PLACEHOLDER.
pub fn credential(_app: &App, _args: GitCredentialArgs) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("not yet")
}

/// PLACEHOLDER.
pub fn setup(_app: &App, _args: SetupGitArgs) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}

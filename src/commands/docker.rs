//! PLACEHOLDER: the docker credential helper and its `oat setup`.

use super::App;
use crate::cli::{DockerCredentialArgs, SetupDockerArgs};
use crate::error::ExitStatus;

/// PLACEHOLDER.
pub fn credential(_app: &App, _args: DockerCredentialArgs) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("not yet")
}

/// PLACEHOLDER.
pub fn setup(_app: &App, _args: SetupDockerArgs) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}

//! PLACEHOLDER: the kubectl exec credential plugin and its `oat setup`.

use super::App;
use crate::cli::{KubeCredentialArgs, SetupKubectlArgs};
use crate::error::ExitStatus;

/// PLACEHOLDER.
pub fn credential(_app: &App, _args: KubeCredentialArgs) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("not yet")
}

/// PLACEHOLDER.
pub fn setup(_app: &App, _args: SetupKubectlArgs) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}

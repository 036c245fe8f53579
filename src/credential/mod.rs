//! The wire formats of the programs that take their credentials from oat: git's credential
//! helper protocol, docker's credential helpers, and Kubernetes' exec credential plugins.
//! Leaves: they parse and print, and know nothing of profiles, stores or terminals.

pub mod docker;
pub mod git;
pub mod kube;

//! Integration tests of the real `oat` binary against a real OpenID provider (`oidc-provider`),
//! a real Secret Service (gnome-keyring-daemon) and, once, a real browser (headless Chromium).
//! See `support` for how they are started.
//!
//! Unix only: the support code runs gnome-keyring, Unix process groups and file modes. On
//! Windows, `scripts/windows` runs the unit and property tests under Wine and a whole session
//! through the Credential Manager.
#![cfg(unix)]

mod audit;
mod chromium;
mod cli;
mod demo;
mod device;
mod docker;
mod dpop;
mod fapi;
mod faults;
mod git;
mod git_server;
mod grants;
mod idle;
mod kube;
mod login;
mod mtls;
mod par;
mod presets;
mod presets_apis;
mod presets_facebook;
mod presets_identity;
mod presets_workspace;
mod profile;
mod proxy;
mod quirks;
mod rar;
mod reliability;
mod scripting;
mod security;
mod store;
mod support;
mod token;
mod trace;
mod verify;
mod workload;

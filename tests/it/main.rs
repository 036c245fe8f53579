//! Integration tests of the real `oat` binary against a real OpenID provider (`oidc-provider`),
//! a real Secret Service (gnome-keyring-daemon) and, once, a real browser (headless Chromium).
//! See `support` for how they are started.

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

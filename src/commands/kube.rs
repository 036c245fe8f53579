//! `oat kube-credential` (kubectl's exec credential plugin) and `oat setup kubectl` (the
//! kubeconfig entry that runs it, written by `kubectl config set-credentials`). Which token
//! kubectl gets: the ID token for OpenID Connect profiles (Kubernetes' OIDC authenticator
//! checks ID tokens), else the access token. A login runs only when kubectl says it may
//! (`spec.interactive`), talking on stderr; the wire formats are [`crate::credential::kube`]'s.

use super::App;
use super::login::{LoginChoice, run_login};
use crate::cli::{KubeCredentialArgs, SetupKubectlArgs, TokenKind};
use crate::config::{Config, Profile};
use crate::credential::kube::{self as wire, ApiVersion, EXEC_INFO_VAR, ExecEntry, ExecInfo, ExecUser};
use crate::error::{CommandFailed, ExitStatus, usage};
use crate::flow::doctor::Check;
use crate::flow::{self, LoginRequired, id_token, refresh};
use crate::redact::Secret;
use anyhow::Context as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// A token for kubectl, with its expiry if known.
struct Handed {
    token: Secret<String>,
    expires_at: Option<u64>,
    kind: TokenKind,
}

/// `oat kube-credential NAME [--token-kind id|access]`
pub fn credential(app: &App, args: KubeCredentialArgs) -> anyhow::Result<ExitStatus> {
    let from_kubectl = std::env::var(EXEC_INFO_VAR).ok();
    let info = ExecInfo::parse(from_kubectl.as_deref()).map_err(|e| usage(e.to_string()))?;
    let name = &args.name;
    let handed = match hand_out(app, name, args.token_kind) {
        Err(e) if needs_login(&e) && info.interactive => {
            app.printer.note(&format!("{e:#}; logging in"));
            run_login(app, name, &LoginChoice::default())?;
            app.printer.note(&format!("Logged in to `{name}`."));
            hand_out(app, name, args.token_kind)?
        }
        Err(e) if needs_login(&e) && from_kubectl.is_some() => {
            return Err(e.context(
                "no login can run here: kubectl lets oat use no terminal (it has none, the exec entry says interactiveMode: Never, or kubectl is older than 1.22)",
            ));
        }
        other => other?,
    };
    let p = &app.printer;
    if p.verbose > 0 {
        let kind = describe(handed.kind);
        let until = handed
            .expires_at
            .map_or("with no known expiry".to_string(), |at| format!("valid until {}", crate::time::local(at)));
        p.note(&format!("Handing kubectl the {kind} of `{name}`, {until}."));
    }
    p.data(&wire::exec_credential(info.api_version, handed.token.expose(), handed.expires_at))?;
    Ok(ExitStatus::Success)
}

/// The token of profile `name` that kubectl gets, renewed if needed.
fn hand_out(app: &App, name: &str, requested: Option<TokenKind>) -> anyhow::Result<Handed> {
    app.with_profile(name, |ports, profile| match token_kind(profile, requested) {
        TokenKind::Id => {
            let id = id_token::valid_id_token(ports, profile)?;
            Ok(Handed { token: id.token, expires_at: Some(id.expires_at), kind: TokenKind::Id })
        }
        TokenKind::Access => {
            let tokens = flow::bearer_only(refresh::valid_tokens(ports, profile, None)?, profile.name, "kubectl")?;
            Ok(Handed { token: tokens.access_token, expires_at: tokens.expires_at, kind: TokenKind::Access })
        }
    })
}

/// The token kind asked for, else the ID token for profiles that ask for `openid`.
fn token_kind(profile: &Profile, requested: Option<TokenKind>) -> TokenKind {
    requested.unwrap_or(if profile.scopes.contains("openid") { TokenKind::Id } else { TokenKind::Access })
}

fn needs_login(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.is::<LoginRequired>())
}

/// `oat setup kubectl NAME [--user KUBEUSER] [--kubeconfig FILE] [--token-kind …] [--dry-run]`
pub fn setup(app: &App, args: SetupKubectlArgs) -> anyhow::Result<()> {
    let name = &args.name;
    let (_, profile) = Config::load_profile(&app.config_path()?, name)?;
    if args.token_kind == Some(TokenKind::Id) && !profile.scopes.contains("openid") {
        return Err(usage(format!(
            "profile `{name}` does not ask for the openid scope, so its logins bring no ID token; add the scope to it, or use --token-kind access"
        )));
    }
    let kind = token_kind(&profile, args.token_kind);
    let user = args.user.as_deref().unwrap_or(name);
    let exe = std::env::current_exe().context("finding the path of this oat program")?;
    let command = exe.to_str().ok_or_else(|| {
        usage(format!("the path of this oat program is not UTF-8 ({}); kubectl needs one", exe.display()))
    })?;
    let mut exec_args = vec!["kube-credential".to_string(), name.clone()];
    if let Some(requested) = args.token_kind {
        exec_args.push(format!("--token-kind={}", kind_name(requested)));
    }
    // kubectl older than the `--exec-interactive-mode` flag gets v1beta1, where the mode is
    // optional (v1 requires it); a missing kubectl only matters when it must write.
    let modern = match kubectl(&["config".into(), "set-credentials".into(), "--help".into()]) {
        Ok(help) => String::from_utf8_lossy(&help.stdout).contains("--exec-interactive-mode"),
        Err(_) if args.dry_run => true,
        Err(e) => return Err(e.context("kubectl writes the kubeconfig; install it, or print the entry with --dry-run")),
    };
    let entry = ExecEntry {
        command: command.to_string(),
        args: exec_args,
        api_version: if modern { ApiVersion::V1 } else { ApiVersion::V1Beta1 },
        interactive_mode: modern,
    };
    let mut kubectl_args: Vec<String> =
        args.kubeconfig.iter().map(|f| format!("--kubeconfig={}", f.display())).collect();
    kubectl_args.extend(entry.set_credentials_args(user));
    let file =
        args.kubeconfig.as_ref().map_or("$KUBECONFIG or ~/.kube/config".to_string(), |f| f.display().to_string());
    let p = &app.printer;
    if args.dry_run {
        let line: Vec<String> = kubectl_args.iter().map(|a| shell_word(a)).collect();
        p.data(&format!("# oat setup kubectl runs:\n#   kubectl {}", line.join(" ")))?;
        p.data(&format!("# which writes this user to the kubeconfig ({file}):"))?;
        p.raw(entry.yaml(user).as_bytes())?;
        return Ok(());
    }
    let out = kubectl(&kubectl_args)?;
    if !out.status.success() {
        anyhow::bail!("`kubectl config set-credentials` failed ({}): {}", out.status, first_line(&out.stderr));
    }
    let written = kubeconfig_users(name, args.kubeconfig.as_deref())?;
    let Some(entry) = written.iter().find(|u| u.user == user && u.command == command) else {
        anyhow::bail!("kubectl reported success, but its view of {file} has no user `{user}` running {command}");
    };
    for key in &entry.also {
        p.warn(&format!(
            "user `{user}` also has `{key}`, which kubectl uses instead of oat (or refuses beside it); remove it with `kubectl config unset users.{user}.{key}`"
        ));
    }
    p.note(&format!(
        "Wrote user `{user}` to {file}: kubectl runs `oat kube-credential {name}` for it and sends the {} of `{name}`.",
        describe(kind)
    ));
    p.note(&format!("Use it in a context, e.g. `kubectl config set-context --current --user={user}`."));
    Ok(())
}

/// The kubeconfig users whose exec plugin runs `oat kube-credential NAME`, as
/// `kubectl config view --raw -o json` shows them (from `kubeconfig`, else kubectl's default:
/// `$KUBECONFIG` or ~/.kube/config); for `oat doctor` too. Fails when kubectl cannot be run.
pub fn kubeconfig_users(name: &str, kubeconfig: Option<&Path>) -> anyhow::Result<Vec<ExecUser>> {
    let mut args: Vec<String> = kubeconfig.iter().map(|f| format!("--kubeconfig={}", f.display())).collect();
    args.extend(["config", "view", "--raw", "-o", "json"].map(String::from));
    let out = kubectl(&args)?;
    if !out.status.success() {
        anyhow::bail!("`kubectl config view` failed ({}): {}", out.status, first_line(&out.stderr));
    }
    wire::exec_users(&String::from_utf8_lossy(&out.stdout), name).context("reading `kubectl config view -o json`")
}

/// For `oat doctor NAME`: the kubeconfig users that run `oat kube-credential NAME`. `None` when
/// there are none, or kubectl is not installed: kubectl is not set up for the profile. Fails
/// when such a user also carries credentials kubectl prefers to oat's or refuses beside it.
pub fn doctor_check(name: &str) -> Option<Check> {
    let users = match kubeconfig_users(name, None) {
        Ok(users) => users,
        Err(e) if e.downcast_ref::<CommandFailed>().is_some_and(|c| c.error.kind() == std::io::ErrorKind::NotFound) => {
            return None;
        }
        Err(e) => return Some(Check::fail("kubectl", format!("{e:#}"), "fix the kubeconfig kubectl names")),
    };
    if users.is_empty() {
        return None;
    }
    let names: Vec<&str> = users.iter().map(|u| u.user.as_str()).collect();
    let runs = format!("kubectl runs oat for kubeconfig user {}", names.join(", "));
    Some(match users.iter().find(|u| !u.also.is_empty()) {
        None => Check::pass("kubectl", runs),
        Some(user) => Check::fail(
            "kubectl",
            format!(
                "{runs}, but user `{}` also has `{}`, which kubectl uses instead",
                user.user,
                user.also.join("`, `")
            ),
            format!("kubectl config unset users.{}.{}", user.user, user.also[0]),
        ),
    })
}

/// Runs `kubectl ARGS` to its end with no stdin and its output captured; oat's secrets stay out
/// of its environment.
fn kubectl(args: &[String]) -> anyhow::Result<Output> {
    let mut command = Command::new("kubectl");
    crate::browser::scrub(&mut command).args(args).stdin(Stdio::null());
    command.output().map_err(|error| CommandFailed { program: "kubectl".into(), error }.into())
}

/// The first line kubectl wrote (its error; a crash's stack trace is left out).
fn first_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("it said nothing").to_string()
}

/// An argument as a POSIX shell reads it back: as it is when that is safe, else quoted.
fn shell_word(arg: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_=/.,:@%+".contains(c);
    if !arg.is_empty() && arg.chars().all(plain) { arg.to_string() } else { super::token::shell_quote(arg) }
}

/// The value of `--token-kind`.
fn kind_name(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::Id => "id",
        TokenKind::Access => "access",
    }
}

/// The token kind in words.
fn describe(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::Id => "ID token",
        TokenKind::Access => "access token",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openid_profiles_hand_out_the_id_token_unless_told_otherwise() {
        let openid =
            Profile { scopes: vec!["openid".to_string(), "offline_access".to_string()].into(), ..Profile::default() };
        let plain = Profile { scopes: vec!["repo".to_string()].into(), ..Profile::default() };
        assert_eq!(token_kind(&openid, None), TokenKind::Id);
        assert_eq!(token_kind(&plain, None), TokenKind::Access);
        assert_eq!(token_kind(&openid, Some(TokenKind::Access)), TokenKind::Access);
        assert_eq!(token_kind(&plain, Some(TokenKind::Id)), TokenKind::Id);
    }

    #[test]
    fn shell_words_are_quoted_only_when_they_must_be() {
        assert_eq!(shell_word("--exec-arg=kube-credential"), "--exec-arg=kube-credential");
        assert_eq!(shell_word("--exec-command=/opt/my oat/oat"), "'--exec-command=/opt/my oat/oat'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn only_a_login_needed_lets_kubectl_log_in() {
        use anyhow::Context as _;
        let login: anyhow::Result<()> = Err(LoginRequired::NoTokens("k".into()).into());
        assert!(needs_login(&login.context("getting a token").unwrap_err()));
        assert!(!needs_login(&anyhow::anyhow!("the network is down")));
    }
}

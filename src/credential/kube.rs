//! Kubernetes' exec credential plugins (client-go, `client.authentication.k8s.io` v1 and
//! v1beta1): what kubectl tells the plugin in `KUBERNETES_EXEC_INFO`, the `ExecCredential`
//! the plugin answers on stdout, and the kubeconfig's `users[].user.exec` entry that makes
//! kubectl run oat (as `kubectl config set-credentials` arguments, as YAML, and read back from
//! `kubectl config view -o json`). Which token goes in it is the command's business.

use serde::Deserialize;
use serde_json::{Value, json};

/// The environment variable in which kubectl passes an [`ExecInfo`] to the plugin.
pub const EXEC_INFO_VAR: &str = "KUBERNETES_EXEC_INFO";

/// The `ExecCredential` versions oat speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiVersion {
    /// `client.authentication.k8s.io/v1` (kubectl 1.22 and later).
    V1,
    /// `client.authentication.k8s.io/v1beta1` (kubectl 1.11 and later; the default without
    /// `KUBERNETES_EXEC_INFO`).
    V1Beta1,
}

impl ApiVersion {
    /// The `apiVersion` string.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "client.authentication.k8s.io/v1",
            ApiVersion::V1Beta1 => "client.authentication.k8s.io/v1beta1",
        }
    }

    fn parse(text: &str) -> Option<ApiVersion> {
        [ApiVersion::V1, ApiVersion::V1Beta1].into_iter().find(|v| v.as_str() == text)
    }
}

/// What kubectl asks in `KUBERNETES_EXEC_INFO`: the version of the answer, and whether the
/// plugin may talk to the person (kubectl passes its terminal through).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExecInfo {
    /// The `apiVersion` the answer must have.
    pub api_version: ApiVersion,
    /// `spec.interactive`: kubectl has a terminal and the kubeconfig allows using it.
    pub interactive: bool,
}

/// `KUBERNETES_EXEC_INFO` cannot be understood.
#[derive(Debug, thiserror::Error)]
pub enum ExecInfoError {
    /// Not the JSON of an `ExecCredential`.
    #[error("{EXEC_INFO_VAR} is not an ExecCredential: {0}")]
    Malformed(String),
    /// A version oat does not speak (v1alpha1, removed from Kubernetes in 1.24, or a future one).
    #[error(
        "kubectl asks for an ExecCredential of apiVersion `{0}`; oat answers {v1} and {v1beta1} (set the exec entry's apiVersion, e.g. with `oat setup kubectl`)",
        v1 = ApiVersion::V1.as_str(),
        v1beta1 = ApiVersion::V1Beta1.as_str()
    )]
    Unsupported(String),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Request {
    api_version: String,
    kind: Option<String>,
    #[serde(default)]
    spec: Spec,
}

#[derive(Default, Deserialize)]
struct Spec {
    #[serde(default)]
    interactive: bool,
}

impl ExecInfo {
    /// Reads the value of `KUBERNETES_EXEC_INFO`; without it (oat run by hand, or a kubectl
    /// that does not set it) the answer is v1beta1 and nobody is asked anything.
    pub fn parse(value: Option<&str>) -> Result<ExecInfo, ExecInfoError> {
        let Some(text) = value.filter(|v| !v.trim().is_empty()) else {
            return Ok(ExecInfo { api_version: ApiVersion::V1Beta1, interactive: false });
        };
        let request: Request = serde_json::from_str(text).map_err(|e| ExecInfoError::Malformed(e.to_string()))?;
        if let Some(kind) = request.kind.filter(|k| k != "ExecCredential") {
            return Err(ExecInfoError::Malformed(format!("its kind is `{kind}`")));
        }
        let api_version =
            ApiVersion::parse(&request.api_version).ok_or(ExecInfoError::Unsupported(request.api_version))?;
        Ok(ExecInfo { api_version, interactive: request.spec.interactive })
    }
}

/// The `ExecCredential` answer, one line of JSON: `status.token`, and
/// `status.expirationTimestamp` (RFC 3339, UTC) when the token's expiry is known, until which
/// kubectl keeps using it without asking again.
pub fn exec_credential(api_version: ApiVersion, token: &str, expires_at: Option<u64>) -> String {
    let mut status = json!({ "token": token });
    if let Some(at) = expires_at {
        status["expirationTimestamp"] = Value::String(crate::time::instant(at));
    }
    json!({ "apiVersion": api_version.as_str(), "kind": "ExecCredential", "status": status }).to_string()
}

/// A kubeconfig user's `exec` entry that runs oat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecEntry {
    /// The program (the absolute path of oat).
    pub command: String,
    /// Its arguments (`kube-credential NAME …`).
    pub args: Vec<String>,
    /// The `ExecCredential` version kubectl asks for.
    pub api_version: ApiVersion,
    /// `interactiveMode: IfAvailable`, written only where kubectl knows the field (it must be
    /// there for v1; v1beta1 defaults to it).
    pub interactive_mode: bool,
}

impl ExecEntry {
    /// The arguments of `kubectl config set-credentials` that write this entry for `user`
    /// (`provideClusterInfo` is left at its default, false: oat needs nothing of the cluster).
    pub fn set_credentials_args(&self, user: &str) -> Vec<String> {
        let mut args = vec!["config".to_string(), "set-credentials".to_string()];
        args.push(format!("--exec-command={}", self.command));
        args.push(format!("--exec-api-version={}", self.api_version.as_str()));
        args.extend(self.args.iter().map(|a| format!("--exec-arg={a}")));
        if self.interactive_mode {
            args.push("--exec-interactive-mode=IfAvailable".to_string());
        }
        // The user last, after `--`, so that a name starting with `-` is not read as a flag.
        args.extend(["--".to_string(), user.to_string()]);
        args
    }

    /// The entry as kubeconfig YAML (a `users:` list of one); strings are written as JSON
    /// strings, which YAML reads as they are.
    pub fn yaml(&self, user: &str) -> String {
        let q = |s: &str| Value::String(s.to_string()).to_string();
        let mut text = format!(
            "users:\n- name: {}\n  user:\n    exec:\n      apiVersion: {}\n      command: {}\n      args:\n",
            q(user),
            self.api_version.as_str(),
            q(&self.command)
        );
        for arg in &self.args {
            text.push_str(&format!("      - {}\n", q(arg)));
        }
        if self.interactive_mode {
            text.push_str("      interactiveMode: IfAvailable\n");
        }
        text.push_str("      provideClusterInfo: false\n");
        text
    }
}

/// A kubeconfig user whose exec plugin is `oat kube-credential` for a profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecUser {
    /// The user's name in the kubeconfig.
    pub user: String,
    /// The program it runs.
    pub command: String,
    /// Its `apiVersion`.
    pub api_version: String,
    /// Credentials of the same user that kubectl uses instead of the plugin's, or refuses to
    /// combine with it (`token`, `tokenFile`, `auth-provider`, `username`, `password`).
    pub also: Vec<String>,
}

/// The keys of a kubeconfig user that take the place of an exec plugin's token: with a token
/// client-go never runs the plugin; an auth provider beside it is an error; basic auth and a
/// bearer token cannot go together.
const RIVALS: [&str; 5] = ["token", "tokenFile", "auth-provider", "username", "password"];

/// The users of a kubeconfig (the JSON of `kubectl config view --raw -o json`) whose exec
/// entry runs `kube-credential PROFILE`.
pub fn exec_users(config: &str, profile: &str) -> Result<Vec<ExecUser>, serde_json::Error> {
    let config: Value = serde_json::from_str(config)?;
    let users = config["users"].as_array().map(Vec::as_slice).unwrap_or_default();
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    Ok(users
        .iter()
        .filter(|u| runs_profile(&u["user"]["exec"]["args"], profile))
        .map(|u| ExecUser {
            user: text(&u["name"]),
            command: text(&u["user"]["exec"]["command"]),
            api_version: text(&u["user"]["exec"]["apiVersion"]),
            also: RIVALS.iter().filter(|k| is_set(&u["user"][**k])).map(|k| k.to_string()).collect(),
        })
        .collect())
}

fn is_set(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Object(o) => !o.is_empty(),
        _ => true,
    }
}

/// Whether exec arguments are `kube-credential … PROFILE …` (the profile being the one
/// argument that is neither a flag nor a flag's value).
fn runs_profile(args: &Value, profile: &str) -> bool {
    let args: Vec<&str> = args.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    let Some((&"kube-credential", rest)) = args.split_first() else { return false };
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        if *arg == "--token-kind" {
            rest.next();
        } else if !arg.starts_with('-') {
            return *arg == profile;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_info_names_the_version_and_whether_kubectl_has_a_terminal() {
        let v1 =
            r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":true}}"#;
        assert_eq!(ExecInfo::parse(Some(v1)).unwrap(), ExecInfo { api_version: ApiVersion::V1, interactive: true });
        // kubectl 1.20 sends v1beta1 without `interactive`; cluster info may come along.
        let beta = r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"cluster":{"server":"https://k"}}}"#;
        assert_eq!(
            ExecInfo::parse(Some(beta)).unwrap(),
            ExecInfo { api_version: ApiVersion::V1Beta1, interactive: false }
        );
        let bare = r#"{"apiVersion":"client.authentication.k8s.io/v1"}"#;
        assert!(!ExecInfo::parse(Some(bare)).unwrap().interactive);
        for absent in [None, Some(""), Some("  ")] {
            assert_eq!(
                ExecInfo::parse(absent).unwrap(),
                ExecInfo { api_version: ApiVersion::V1Beta1, interactive: false }
            );
        }
    }

    #[test]
    fn exec_info_that_oat_cannot_answer_is_refused() {
        let alpha = r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1alpha1","spec":{}}"#;
        let err = ExecInfo::parse(Some(alpha)).unwrap_err();
        assert!(matches!(&err, ExecInfoError::Unsupported(v) if v.ends_with("v1alpha1")), "{err}");
        assert!(err.to_string().contains("oat setup kubectl"), "{err}");
        for bad in ["not json", "{}", r#"{"kind":"Pod","apiVersion":"client.authentication.k8s.io/v1"}"#] {
            let err = ExecInfo::parse(Some(bad)).unwrap_err();
            assert!(matches!(err, ExecInfoError::Malformed(_)), "{bad}: {err}");
            assert!(err.to_string().starts_with("KUBERNETES_EXEC_INFO is not an ExecCredential"), "{err}");
        }
    }

    #[test]
    fn the_answer_carries_the_token_and_its_expiry_in_the_asked_version() {
        let answer: Value =
            serde_json::from_str(&exec_credential(ApiVersion::V1, "eyJ.a.b", Some(1_780_000_000))).unwrap();
        assert_eq!(
            answer,
            json!({
                "apiVersion": "client.authentication.k8s.io/v1",
                "kind": "ExecCredential",
                "status": {"token": "eyJ.a.b", "expirationTimestamp": "2026-05-28T20:26:40Z"}
            })
        );
        let text = exec_credential(ApiVersion::V1Beta1, "opaque\"token", None);
        assert!(!text.contains('\n'), "one line: {text}");
        let answer: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(answer["apiVersion"], "client.authentication.k8s.io/v1beta1");
        assert_eq!(answer["status"], json!({"token": "opaque\"token"}), "no expiry when none is known");
    }

    fn entry() -> ExecEntry {
        ExecEntry {
            command: "/opt/oat bin/oat".into(),
            args: vec!["kube-credential".into(), "corp".into(), "--token-kind=access".into()],
            api_version: ApiVersion::V1,
            interactive_mode: true,
        }
    }

    #[test]
    fn set_credentials_gets_one_flag_per_field_and_the_user_last() {
        assert_eq!(
            entry().set_credentials_args("-dev"),
            [
                "config",
                "set-credentials",
                "--exec-command=/opt/oat bin/oat",
                "--exec-api-version=client.authentication.k8s.io/v1",
                "--exec-arg=kube-credential",
                "--exec-arg=corp",
                "--exec-arg=--token-kind=access",
                "--exec-interactive-mode=IfAvailable",
                "--",
                "-dev",
            ]
        );
        let old = ExecEntry { api_version: ApiVersion::V1Beta1, interactive_mode: false, ..entry() };
        let args = old.set_credentials_args("corp");
        assert!(args.contains(&"--exec-api-version=client.authentication.k8s.io/v1beta1".to_string()));
        assert!(!args.iter().any(|a| a.starts_with("--exec-interactive-mode")), "{args:?}");
    }

    #[test]
    fn the_yaml_is_the_users_entry_kubectl_writes() {
        assert_eq!(
            entry().yaml("corp: admin"),
            "users:\n- name: \"corp: admin\"\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      \
             command: \"/opt/oat bin/oat\"\n      args:\n      - \"kube-credential\"\n      - \"corp\"\n      \
             - \"--token-kind=access\"\n      interactiveMode: IfAvailable\n      provideClusterInfo: false\n"
        );
        let old = ExecEntry { api_version: ApiVersion::V1Beta1, interactive_mode: false, ..entry() };
        assert!(!old.yaml("corp").contains("interactiveMode"));
    }

    #[test]
    fn the_users_that_run_a_profile_are_found_in_kubectls_view() {
        let view = json!({
            "users": [
                {"name": "a", "user": {"exec": {"command": "/bin/oat", "apiVersion": "client.authentication.k8s.io/v1",
                    "args": ["kube-credential", "corp"]}}},
                {"name": "b", "user": {"exec": {"command": "oat", "apiVersion": "client.authentication.k8s.io/v1beta1",
                    "args": ["kube-credential", "--token-kind", "corp", "home"]}}},
                {"name": "c", "user": {"token": "static", "auth-provider": null, "username": "",
                    "exec": {"command": "oat", "args": ["kube-credential", "--token-kind=id", "corp"]}}},
                {"name": "d", "user": {"exec": {"command": "kubelogin", "args": ["get-token", "corp"]}}},
                {"name": "e", "user": {"token": "x"}},
                {"name": "f", "user": {"exec": {"command": "oat", "args": ["kube-credential", "corpus"]}}}
            ]
        })
        .to_string();
        let found = exec_users(&view, "corp").unwrap();
        let names: Vec<&str> = found.iter().map(|u| u.user.as_str()).collect();
        assert_eq!(names, ["a", "c"]);
        assert_eq!(
            found[0],
            ExecUser {
                user: "a".into(),
                command: "/bin/oat".into(),
                api_version: "client.authentication.k8s.io/v1".into(),
                also: vec![],
            }
        );
        assert_eq!(found[1].also, ["token"], "a static token wins over the plugin");
        assert_eq!(exec_users(&view, "home").unwrap().len(), 1);
        assert!(exec_users(r#"{"users":null}"#, "corp").unwrap().is_empty());
        assert!(exec_users("users: []", "corp").is_err());
    }
}

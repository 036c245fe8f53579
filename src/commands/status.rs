//! `oat status`: profiles and the state of their tokens — never the tokens themselves.

use super::App;
use crate::config::NamedProfile;
use crate::oauth::Tokens;
use crate::store::StoreError;
use serde::Serialize;

/// One profile's state, as `--json` shows it.
#[derive(Serialize)]
pub struct Row {
    profile: String,
    flow: String,
    client_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    issuer: Option<String>,
    logged_in: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_in: Option<i64>,
    expired: bool,
    refresh_token: bool,
    scopes: Vec<String>,
    /// What the server granted (RFC 9396 §7), as it sent it.
    #[serde(skip_serializing_if = "Option::is_none")]
    authorization_details: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    problem: Option<String>,
    /// When a new login is needed, for a token that cannot be renewed and ends soon.
    #[serde(skip_serializing_if = "Option::is_none")]
    login_needed_by: Option<u64>,
    #[serde(skip)]
    unattended: bool,
}

impl Row {
    /// The state of `profile` given its stored tokens.
    pub fn new(profile: &NamedProfile<'_>, tokens: Option<&Tokens>, now: u64) -> Row {
        let scopes = match tokens.and_then(|t| t.scope.as_deref()) {
            Some(scope) => scope.split_whitespace().map(str::to_string).collect(),
            None => profile.scopes.iter().map(str::to_string).collect(),
        };
        Row {
            profile: profile.name.to_string(),
            flow: profile.flow.to_string(),
            client_id: profile.client_id.clone(),
            issuer: profile.issuer.as_ref().map(ToString::to_string),
            logged_in: tokens.is_some(),
            expires_at: tokens.and_then(|t| t.expires_at),
            expires_in: tokens.and_then(|t| t.remaining(now)),
            expired: tokens.is_some_and(|t| !t.is_fresh(now, 0)),
            refresh_token: tokens.is_some_and(|t| t.refresh_token.is_some()),
            scopes,
            authorization_details: tokens.and_then(|t| t.authorization_details.clone()),
            problem: None,
            login_needed_by: tokens.and_then(|t| crate::flow::refresh::login_due(profile, t, now)),
            unattended: profile.flow.is_unattended(),
        }
    }
}

/// "valid until … (in …)", "expired … ago" or "valid, no expiry given".
pub fn validity(tokens: &Tokens, now: u64) -> String {
    match tokens.expires_at {
        None => "the access token has no expiry".into(),
        Some(at) if at > now => {
            format!("the access token is valid until {} ({})", crate::time::instant(at), crate::time::relative(at, now))
        }
        Some(at) => format!("the access token expired {}", crate::time::relative(at, now)),
    }
}

/// `oat status [NAME]`
pub fn status(app: &App, only: Option<&str>) -> anyhow::Result<()> {
    let session = app.session()?;
    let (config, path, store) = (&session.config, &session.path, &session.store);
    let profiles: Vec<NamedProfile> = match only {
        Some(name) => vec![config.profile(name)?],
        None => config.named_profiles().collect(),
    };
    let now = crate::time::now();
    let mut rows = Vec::new();
    for profile in profiles {
        let row = match store.tokens(profile.name) {
            Ok(tokens) => Row::new(&profile, tokens.as_ref(), now),
            // One unreadable entry must not hide the others.
            Err(e @ StoreError::Corrupt { .. }) => {
                Row { problem: Some(e.to_string()), ..Row::new(&profile, None, now) }
            }
            Err(e) => return Err(e.into()),
        };
        rows.push(row);
    }
    let p = &app.printer;
    if p.json {
        p.json(&rows)?;
        return Ok(());
    }
    if rows.is_empty() {
        p.note(&format!(
            "No profiles in {}; add one with `oat profile add NAME --issuer URL --client-id ID`.",
            path.display()
        ));
        return Ok(());
    }
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let token = match (r.logged_in, r.expires_at, &r.problem) {
                (_, _, Some(_)) => "unreadable (see below)".to_string(),
                (false, _, _) if r.unattended => "none (fetched when needed)".to_string(),
                (false, _, _) => "none (run `oat login`)".to_string(),
                (true, None, _) => "valid (no expiry given)".to_string(),
                (true, Some(at), _) if at > now => {
                    format!("valid until {} ({})", crate::time::instant(at), crate::time::relative(at, now))
                }
                (true, Some(at), _) => format!("expired {}", crate::time::relative(at, now)),
            };
            let refresh = if !r.logged_in {
                "-"
            } else if r.refresh_token {
                "yes"
            } else {
                "no"
            };
            vec![r.profile.clone(), r.flow.clone(), token, refresh.to_string(), r.scopes.join(" ")]
        })
        .collect();
    p.table(&["PROFILE", "FLOW", "ACCESS TOKEN", "REFRESH", "SCOPES"], &table)?;
    for r in rows.iter().filter(|r| r.problem.is_some()) {
        p.warn(r.problem.as_deref().unwrap_or_default());
    }
    for r in &rows {
        if let Some(at) = r.login_needed_by {
            p.warn(&super::login_due(&r.profile, at, now));
        }
    }
    Ok(())
}

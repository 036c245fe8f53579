
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'oat' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'oat'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'oat' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('profile', 'profile', [CompletionResultType]::ParameterValue, 'Add, list, show or remove profiles (one registered client at one server each)')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in: run the profile''s flow in the browser and store the tokens')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Revoke the stored tokens where the server supports it, then delete them')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print a valid access token, refreshing it first if it is about to expire')
            [CompletionResult]::new('header', 'header', [CompletionResultType]::ParameterValue, 'Print `Authorization: Bearer <token>` (`DPoP <token>` for a DPoP-bound one; same rules as `token`)')
            [CompletionResult]::new('proof', 'proof', [CompletionResultType]::ParameterValue, 'Print `DPoP: <proof>` for one request with the profile''s DPoP-bound token (RFC 9449), for curl')
            [CompletionResult]::new('request', 'request', [CompletionResultType]::ParameterValue, 'Call an API with a valid token; on 401 refresh once and retry')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with OAT_ACCESS_TOKEN and OAT_TOKEN_TYPE in its environment')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Refresh the tokens now')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show profiles and the state of their tokens (never the tokens themselves)')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Decode a stored token (or with --ci, the CI job''s ID token): JWT header and claims, dates, expiry')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decode a token given as an argument (or `-` for stdin)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify a JWT as an API would: signature against the issuer''s keys, iss, aud, exp, nbf, iat')
            [CompletionResult]::new('introspect', 'introspect', [CompletionResultType]::ParameterValue, 'Ask the server about a stored token (RFC 7662 introspection)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a stored token at the server (RFC 7009) and drop it here')
            [CompletionResult]::new('userinfo', 'userinfo', [CompletionResultType]::ParameterValue, 'Print the OpenID Connect userinfo for the stored token')
            [CompletionResult]::new('exchange', 'exchange', [CompletionResultType]::ParameterValue, 'Exchange a token for another at the profile''s token endpoint (RFC 8693)')
            [CompletionResult]::new('discover', 'discover', [CompletionResultType]::ParameterValue, 'Print an issuer''s metadata (OpenID Connect Discovery, then RFC 8414)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check a set-up end to end: one line per check, with the fix')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Check a server''s published metadata against RFC 9700 (and FAPI 2.0): one line per check')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'See the whole flow against an authorization server built into oat (no account needed)')
            [CompletionResult]::new('git-credential', 'git-credential', [CompletionResultType]::ParameterValue, 'git credential helper (gitcredentials(7)); `oat setup git` makes git call it')
            [CompletionResult]::new('kube-credential', 'kube-credential', [CompletionResultType]::ParameterValue, 'kubectl exec credential plugin: prints an ExecCredential for the profile')
            [CompletionResult]::new('docker-credential', 'docker-credential', [CompletionResultType]::ParameterValue, 'docker credential helper (also run as `docker-credential-oat`)')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Make git, kubectl or docker get their credentials from oat')
            [CompletionResult]::new('proxy', 'proxy', [CompletionResultType]::ParameterValue, 'A loopback reverse proxy that adds a valid token to every request it forwards')
            [CompletionResult]::new('trace', 'trace', [CompletionResultType]::ParameterValue, 'Read a trace file (OAT_TRACE): one line per HTTP exchange (-v: with headers and bodies), or HAR 1.2')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oat;profile' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Register a client; with --issuer the endpoints come from discovery')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List profiles')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one profile (secrets are never shown)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a profile with its stored tokens and client secret')
            [CompletionResult]::new('which', 'which', [CompletionResultType]::ParameterValue, 'Which profile serves a URL (the longest of the profiles'' --url prefixes), and why')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oat;profile;add' {
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Start from a provider preset (see --list-presets): github, google, microsoft, gitlab, facebook, okta, auth0, keycloak, slack, atlassian, salesforce, dropbox, discord, spotify, twitch')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The preset''s server: GitHub Enterprise or GitLab host, Okta or Auth0 domain, Keycloak URL, Salesforce login|test|MYDOMAIN; for a provider with fixed hosts, a stand-in that serves all of its paths (a mock server)')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'The preset''s server: GitHub Enterprise or GitLab host, Okta or Auth0 domain, Keycloak URL, Salesforce login|test|MYDOMAIN; for a provider with fixed hosts, a stand-in that serves all of its paths (a mock server)')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Microsoft Entra tenant: common, organizations, consumers or a tenant id [default: common]')
            [CompletionResult]::new('--realm', '--realm', [CompletionResultType]::ParameterName, 'Keycloak realm')
            [CompletionResult]::new('--authorization-server', '--authorization-server', [CompletionResultType]::ParameterName, 'Okta authorization server: org, default or the id of a custom one [default: default]')
            [CompletionResult]::new('--graph-version', '--graph-version', [CompletionResultType]::ParameterName, 'Facebook Graph API version, e.g. v24.0')
            [CompletionResult]::new('--api-base', '--api-base', [CompletionResultType]::ParameterName, 'Where `oat request NAME /path` sends relative paths (a preset sets one); {instance_url} and {cloud_id} are filled from what the server said at login')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Issuer URL; its discovery document fills the endpoints')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'The client id registered at the server')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Scope to request (repeat for several; replaces a preset''s scopes)')
            [CompletionResult]::new('--redirect-uri', '--redirect-uri', [CompletionResultType]::ParameterName, 'A fixed loopback redirect URI [default: http://127.0.0.1:<ephemeral>/callback]')
            [CompletionResult]::new('--flow', '--flow', [CompletionResultType]::ParameterName, 'The grant `oat login` runs [default: authorization_code]')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Authorization endpoint (overrides discovery)')
            [CompletionResult]::new('--token-url', '--token-url', [CompletionResultType]::ParameterName, 'Token endpoint (overrides discovery)')
            [CompletionResult]::new('--device-url', '--device-url', [CompletionResultType]::ParameterName, 'Device authorization endpoint (overrides discovery)')
            [CompletionResult]::new('--revocation-url', '--revocation-url', [CompletionResultType]::ParameterName, 'Revocation endpoint (overrides discovery)')
            [CompletionResult]::new('--introspection-url', '--introspection-url', [CompletionResultType]::ParameterName, 'Introspection endpoint (overrides discovery)')
            [CompletionResult]::new('--userinfo-url', '--userinfo-url', [CompletionResultType]::ParameterName, 'Userinfo endpoint (overrides discovery)')
            [CompletionResult]::new('--client-auth', '--client-auth', [CompletionResultType]::ParameterName, 'Client authentication at the token endpoint [default: client_secret_basic with a secret, else none]')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Private key (PEM, or a service-account JSON key) for private_key_jwt, jwt_bearer and --cert')
            [CompletionResult]::new('--key-id', '--key-id', [CompletionResultType]::ParameterName, '`kid` of the JWTs signed with --key')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'TLS client certificate (PEM) for tls_client_auth; its key is --key')
            [CompletionResult]::new('--subject-token-from', '--subject-token-from', [CompletionResultType]::ParameterName, 'With --flow jwt_bearer: the assertion is the token from SOURCE instead of one signed with --key: github-actions[:AUDIENCE], gitlab:VARNAME, env:VARNAME or file:PATH')
            [CompletionResult]::new('--client-assertion-from', '--client-assertion-from', [CompletionResultType]::ParameterName, 'Authenticate the client with the token from SOURCE as its client assertion (RFC 7523 §2.2; Entra ID federated credentials): github-actions[:AUDIENCE], gitlab:VARNAME, env:VARNAME or file:PATH, read anew for every request and never stored')
            [CompletionResult]::new('--subject', '--subject', [CompletionResultType]::ParameterName, '`sub` of JWT bearer assertions (the user a service account acts for)')
            [CompletionResult]::new('--audience', '--audience', [CompletionResultType]::ParameterName, '`audience` parameter for token requests')
            [CompletionResult]::new('--resource', '--resource', [CompletionResultType]::ParameterName, '`resource` indicator for token requests (RFC 8707)')
            [CompletionResult]::new('--authorization-details', '--authorization-details', [CompletionResultType]::ParameterName, '`authorization_details` to ask for (RFC 9396): a JSON array of objects with a `type`; @FILE reads a file')
            [CompletionResult]::new('--request-object', '--request-object', [CompletionResultType]::ParameterName, 'Send the authorization request as a request object signed with --key (JAR, RFC 9101)')
            [CompletionResult]::new('--response-mode', '--response-mode', [CompletionResultType]::ParameterName, 'Ask for the authorization response as a signed JWT (JARM), checked before it is used')
            [CompletionResult]::new('--security-profile', '--security-profile', [CompletionResultType]::ParameterName, 'Meet a security profile: fapi2 (FAPI 2.0) turns on PAR and DPoP (or mTLS-bound tokens with --cert) and refuses a profile that cannot meet it, naming what is missing')
            [CompletionResult]::new('--param', '--param', [CompletionResultType]::ParameterName, 'Extra authorization request parameter (repeat for several)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'A URL prefix this profile''s tokens are for (repeat for several): commands given a URL but no profile (git and docker helpers, `oat request URL`, `oat proxy`) take the longest match')
            [CompletionResult]::new('--git-username', '--git-username', [CompletionResultType]::ParameterName, 'The user name git gets with the token [default: by host: x-access-token on GitHub, x-token-auth on Bitbucket, else oauth2]')
            [CompletionResult]::new('--git-auth', '--git-auth', [CompletionResultType]::ParameterName, 'How git sends the token: basic (as the password) or bearer (git 2.46+) [default: basic]')
            [CompletionResult]::new('--docker-username', '--docker-username', [CompletionResultType]::ParameterName, 'The user name docker gets with the token, for registries without a convention')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('--list-presets', '--list-presets', [CompletionResultType]::ParameterName, 'List the presets, the options each takes and the quirks each handles')
            [CompletionResult]::new('--client-secret-stdin', '--client-secret-stdin', [CompletionResultType]::ParameterName, 'Read the client secret from stdin (it goes to the secret store, never to config.toml)')
            [CompletionResult]::new('--spa', '--spa', [CompletionResultType]::ParameterName, 'The redirect URI is registered as a single-page app (Microsoft): send an Origin header')
            [CompletionResult]::new('--par', '--par', [CompletionResultType]::ParameterName, 'Push every authorization request to the server first (PAR, RFC 9126)')
            [CompletionResult]::new('--dpop', '--dpop', [CompletionResultType]::ParameterName, 'Bind tokens to a key of this profile with DPoP (RFC 9449): every token request and API call carries a proof; the key is made on the first token request and kept in the store')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing profile of that name')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;profile;list' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;profile;show' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;profile;remove' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;profile;which' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;profile;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Register a client; with --issuer the endpoints come from discovery')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List profiles')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one profile (secrets are never shown)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a profile with its stored tokens and client secret')
            [CompletionResult]::new('which', 'which', [CompletionResultType]::ParameterValue, 'Which profile serves a URL (the longest of the profiles'' --url prefixes), and why')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oat;profile;help;add' {
            break
        }
        'oat;profile;help;list' {
            break
        }
        'oat;profile;help;show' {
            break
        }
        'oat;profile;help;remove' {
            break
        }
        'oat;profile;help;which' {
            break
        }
        'oat;profile;help;help' {
            break
        }
        'oat;login' {
            [CompletionResult]::new('--flow', '--flow', [CompletionResultType]::ParameterName, 'Run this flow instead of the profile''s')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Listen for the redirect on this loopback port')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Request these scopes instead of the profile''s (repeat for several)')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'User name for the password flow')
            [CompletionResult]::new('--response-mode', '--response-mode', [CompletionResultType]::ParameterName, 'Ask for the authorization response as a signed JWT (JARM), for this login')
            [CompletionResult]::new('--authorization-details', '--authorization-details', [CompletionResultType]::ParameterName, '`authorization_details` to ask for in this login instead of the profile''s (RFC 9396): a JSON array of objects with a `type`; @FILE reads a file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Print the URL instead of opening a browser')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password for the password flow from stdin (else it is asked on the terminal)')
            [CompletionResult]::new('--par', '--par', [CompletionResultType]::ParameterName, 'Push the authorization request to the server first (PAR, RFC 9126), for this login')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;logout' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;token' {
            [CompletionResult]::new('--min-ttl', '--min-ttl', [CompletionResultType]::ParameterName, 'Refresh first if the token expires within this many seconds [default: 60, or half the token''s lifetime if shorter]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--authorization-details', '--authorization-details', [CompletionResultType]::ParameterName, '`authorization_details` for a new token of a client-credentials or JWT-bearer profile, printed and not stored (RFC 9396): a JSON array of objects with a `type`; @FILE reads a file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('--login', '--login', [CompletionResultType]::ParameterName, 'Log in (opening the browser) when no usable token is stored')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;header' {
            [CompletionResult]::new('--min-ttl', '--min-ttl', [CompletionResultType]::ParameterName, 'Refresh first if the token expires within this many seconds [default: 60, or half the token''s lifetime if shorter]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;proof' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'The URL of the request the proof is for (its query and fragment are not part of it)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'HTTP method of the request')
            [CompletionResult]::new('--request', '--request', [CompletionResultType]::ParameterName, 'HTTP method of the request')
            [CompletionResult]::new('--nonce', '--nonce', [CompletionResultType]::ParameterName, 'A nonce the server gave in `DPoP-Nonce`')
            [CompletionResult]::new('--min-ttl', '--min-ttl', [CompletionResultType]::ParameterName, 'Refresh first if the token expires within this many seconds [default: 60, or half the token''s lifetime if shorter]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;request' {
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'HTTP method [default: GET, or POST with a body]')
            [CompletionResult]::new('--request', '--request', [CompletionResultType]::ParameterName, 'HTTP method [default: GET, or POST with a body]')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Request header (repeat for several)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Request header (repeat for several)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Body, sent as application/x-www-form-urlencoded unless -H says otherwise; @FILE reads a file, @- stdin')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'Body, sent as application/x-www-form-urlencoded unless -H says otherwise; @FILE reads a file, @- stdin')
            [CompletionResult]::new('--data-json', '--data-json', [CompletionResultType]::ParameterName, 'JSON body (checked), sent as application/json; @FILE reads a file, @- stdin')
            [CompletionResult]::new('--form', '--form', [CompletionResultType]::ParameterName, 'Form field for an application/x-www-form-urlencoded body (repeat for several)')
            [CompletionResult]::new('--token-in', '--token-in', [CompletionResultType]::ParameterName, 'Where the token goes')
            [CompletionResult]::new('--min-ttl', '--min-ttl', [CompletionResultType]::ParameterName, 'Refresh first if the token expires within this many seconds [default: 60, or half the token''s lifetime if shorter]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Print the status line and the response headers before the body')
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Print the status line and the response headers before the body')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;exec' {
            [CompletionResult]::new('--min-ttl', '--min-ttl', [CompletionResultType]::ParameterName, 'Refresh first if the token expires within this many seconds [default: 60, or half the token''s lifetime if shorter]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;refresh' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;status' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;inspect' {
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Decode a CI job''s own ID token from SOURCE instead (github-actions[:AUDIENCE], gitlab:VARNAME, env:VARNAME, file:PATH; default github-actions inside GitHub Actions): its claims, never the token')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('--id-token', '--id-token', [CompletionResultType]::ParameterName, 'The ID token instead of the access token')
            [CompletionResult]::new('--refresh-token', '--refresh-token', [CompletionResultType]::ParameterName, 'The refresh token instead of the access token')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Verify the signature against the issuer''s keys (JWKS)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;decode' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Verify the signature against the keys (JWKS) of the issuer named in `iss`')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;verify' {
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The issuer the token must name (`iss`); its keys are found through discovery. Without it the token''s own `iss` is used, and not pinned')
            [CompletionResult]::new('--audience', '--audience', [CompletionResultType]::ParameterName, 'A value the token''s `aud` must contain (the API''s identifier)')
            [CompletionResult]::new('--jwks', '--jwks', [CompletionResultType]::ParameterName, 'The keys to check the signature with: a JWKS file (a path that exists) or URL, instead of the issuer''s `jwks_uri`')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;introspect' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('--refresh-token', '--refresh-token', [CompletionResultType]::ParameterName, 'The refresh token instead of the access token')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;revoke' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('--refresh-token', '--refresh-token', [CompletionResultType]::ParameterName, 'Revoke the refresh token (usually ends the whole grant)')
            [CompletionResult]::new('--access-token', '--access-token', [CompletionResultType]::ParameterName, 'Revoke the access token (the default when neither is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;userinfo' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;exchange' {
            [CompletionResult]::new('--subject-token-from', '--subject-token-from', [CompletionResultType]::ParameterName, 'Where the subject token comes from: github-actions[:AUDIENCE] (the job''s ID token), gitlab:VARNAME (an `id_tokens:` variable), env:VARNAME, file:PATH, or profile:NAME (a valid access token of that profile; a bare NAME means the same)')
            [CompletionResult]::new('--subject-token-type', '--subject-token-type', [CompletionResultType]::ParameterName, 'Type of the subject token: access_token, refresh_token, id_token, jwt, saml1, saml2 or a URI [default: access_token for a profile''s token and stdin, jwt for the other sources]')
            [CompletionResult]::new('--requested-token-type', '--requested-token-type', [CompletionResultType]::ParameterName, 'Type of token wanted (same names)')
            [CompletionResult]::new('--audience', '--audience', [CompletionResultType]::ParameterName, '`audience` of the new token')
            [CompletionResult]::new('--resource', '--resource', [CompletionResultType]::ParameterName, '`resource` of the new token (RFC 8707)')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Scope of the new token (repeat for several)')
            [CompletionResult]::new('--authorization-details', '--authorization-details', [CompletionResultType]::ParameterName, '`authorization_details` for the new token (RFC 9396): a JSON array of objects with a `type`; @FILE reads a file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('--subject-token-stdin', '--subject-token-stdin', [CompletionResultType]::ParameterName, 'Read the subject token from stdin')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;discover' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;doctor' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;audit' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('--fapi2', '--fapi2', [CompletionResultType]::ParameterName, 'Also check the FAPI 2.0 Security Profile''s requirements')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;demo' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port of the demo server [default: a free one]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Print the sign-in URL instead of opening a browser')
            [CompletionResult]::new('--auto-approve', '--auto-approve', [CompletionResultType]::ParameterName, 'Approve the sign-in without showing a page (for CI)')
            [CompletionResult]::new('--dpop', '--dpop', [CompletionResultType]::ParameterName, 'Bind the demo''s tokens to a DPoP key (RFC 9449) and show a DPoP-bound API call')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Keep the demo server running for experiments and scripts (prints its issuer URL)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oat;demo;serve' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port [default: a free one]')
            [CompletionResult]::new('--access-ttl', '--access-ttl', [CompletionResultType]::ParameterName, 'Lifetime of access tokens in seconds')
            [CompletionResult]::new('--token-size', '--token-size', [CompletionResultType]::ParameterName, 'Issue tokens of about this many characters (access, refresh and ID token), as large as real providers'' JWTs; for tests of the secret store')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('--auto-approve', '--auto-approve', [CompletionResultType]::ParameterName, 'Approve every sign-in and device code without showing a page')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;demo;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Keep the demo server running for experiments and scripts (prints its issuer URL)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oat;demo;help;serve' {
            break
        }
        'oat;demo;help;help' {
            break
        }
        'oat;git-credential' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Answer for this profile instead of the one that serves the URL git asks about')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;kube-credential' {
            [CompletionResult]::new('--token-kind', '--token-kind', [CompletionResultType]::ParameterName, 'Which token kubectl gets: id (the default for OpenID Connect profiles) or access')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;docker-credential' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;setup' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('git', 'git', [CompletionResultType]::ParameterValue, 'Make git ask oat for credentials (`credential.<url>.helper`)')
            [CompletionResult]::new('kubectl', 'kubectl', [CompletionResultType]::ParameterValue, 'Add an exec credential entry for oat to a kubeconfig')
            [CompletionResult]::new('docker', 'docker', [CompletionResultType]::ParameterValue, 'Make docker ask oat for a registry''s credentials (`credHelpers`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oat;setup;git' {
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The URL git should ask oat about, e.g. https://github.com/acme/ (a bare host means https://HOST) [default: the profile''s --url prefixes]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the `git config --global` commands instead of running them')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;setup;kubectl' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The kubeconfig user to write [default: the profile name]')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'The kubeconfig file [default: kubectl''s, $KUBECONFIG or ~/.kube/config]')
            [CompletionResult]::new('--token-kind', '--token-kind', [CompletionResultType]::ParameterName, 'Which token kubectl gets (see `oat kube-credential`)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the configuration instead of writing it')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;setup;docker' {
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry host (e.g. europe-docker.pkg.dev)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the configuration instead of writing it')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;setup;help' {
            [CompletionResult]::new('git', 'git', [CompletionResultType]::ParameterValue, 'Make git ask oat for credentials (`credential.<url>.helper`)')
            [CompletionResult]::new('kubectl', 'kubectl', [CompletionResultType]::ParameterValue, 'Add an exec credential entry for oat to a kubeconfig')
            [CompletionResult]::new('docker', 'docker', [CompletionResultType]::ParameterValue, 'Make docker ask oat for a registry''s credentials (`credHelpers`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oat;setup;help;git' {
            break
        }
        'oat;setup;help;kubectl' {
            break
        }
        'oat;setup;help;docker' {
            break
        }
        'oat;setup;help;help' {
            break
        }
        'oat;proxy' {
            [CompletionResult]::new('--upstream', '--upstream', [CompletionResultType]::ParameterName, 'Where requests go (https, or http on loopback)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The local port [default: a free one, printed at start]')
            [CompletionResult]::new('--allow-origin', '--allow-origin', [CompletionResultType]::ParameterName, 'A web page origin allowed to call the proxy, e.g. http://localhost:3000 (repeat for several)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;trace' {
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Write the exchanges as HAR 1.2 to OUT (`-` for stdout), for browser dev tools and HAR viewers')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;completions' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;man' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: <config dir>/oat/config.toml]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (PEM) for HTTPS')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not redact secrets in -v output (a trace file is redacted all the same)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oat;help' {
            [CompletionResult]::new('profile', 'profile', [CompletionResultType]::ParameterValue, 'Add, list, show or remove profiles (one registered client at one server each)')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in: run the profile''s flow in the browser and store the tokens')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Revoke the stored tokens where the server supports it, then delete them')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print a valid access token, refreshing it first if it is about to expire')
            [CompletionResult]::new('header', 'header', [CompletionResultType]::ParameterValue, 'Print `Authorization: Bearer <token>` (`DPoP <token>` for a DPoP-bound one; same rules as `token`)')
            [CompletionResult]::new('proof', 'proof', [CompletionResultType]::ParameterValue, 'Print `DPoP: <proof>` for one request with the profile''s DPoP-bound token (RFC 9449), for curl')
            [CompletionResult]::new('request', 'request', [CompletionResultType]::ParameterValue, 'Call an API with a valid token; on 401 refresh once and retry')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with OAT_ACCESS_TOKEN and OAT_TOKEN_TYPE in its environment')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Refresh the tokens now')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show profiles and the state of their tokens (never the tokens themselves)')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Decode a stored token (or with --ci, the CI job''s ID token): JWT header and claims, dates, expiry')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decode a token given as an argument (or `-` for stdin)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify a JWT as an API would: signature against the issuer''s keys, iss, aud, exp, nbf, iat')
            [CompletionResult]::new('introspect', 'introspect', [CompletionResultType]::ParameterValue, 'Ask the server about a stored token (RFC 7662 introspection)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a stored token at the server (RFC 7009) and drop it here')
            [CompletionResult]::new('userinfo', 'userinfo', [CompletionResultType]::ParameterValue, 'Print the OpenID Connect userinfo for the stored token')
            [CompletionResult]::new('exchange', 'exchange', [CompletionResultType]::ParameterValue, 'Exchange a token for another at the profile''s token endpoint (RFC 8693)')
            [CompletionResult]::new('discover', 'discover', [CompletionResultType]::ParameterValue, 'Print an issuer''s metadata (OpenID Connect Discovery, then RFC 8414)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check a set-up end to end: one line per check, with the fix')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Check a server''s published metadata against RFC 9700 (and FAPI 2.0): one line per check')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'See the whole flow against an authorization server built into oat (no account needed)')
            [CompletionResult]::new('git-credential', 'git-credential', [CompletionResultType]::ParameterValue, 'git credential helper (gitcredentials(7)); `oat setup git` makes git call it')
            [CompletionResult]::new('kube-credential', 'kube-credential', [CompletionResultType]::ParameterValue, 'kubectl exec credential plugin: prints an ExecCredential for the profile')
            [CompletionResult]::new('docker-credential', 'docker-credential', [CompletionResultType]::ParameterValue, 'docker credential helper (also run as `docker-credential-oat`)')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Make git, kubectl or docker get their credentials from oat')
            [CompletionResult]::new('proxy', 'proxy', [CompletionResultType]::ParameterValue, 'A loopback reverse proxy that adds a valid token to every request it forwards')
            [CompletionResult]::new('trace', 'trace', [CompletionResultType]::ParameterValue, 'Read a trace file (OAT_TRACE): one line per HTTP exchange (-v: with headers and bodies), or HAR 1.2')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oat;help;profile' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Register a client; with --issuer the endpoints come from discovery')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List profiles')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one profile (secrets are never shown)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a profile with its stored tokens and client secret')
            [CompletionResult]::new('which', 'which', [CompletionResultType]::ParameterValue, 'Which profile serves a URL (the longest of the profiles'' --url prefixes), and why')
            break
        }
        'oat;help;profile;add' {
            break
        }
        'oat;help;profile;list' {
            break
        }
        'oat;help;profile;show' {
            break
        }
        'oat;help;profile;remove' {
            break
        }
        'oat;help;profile;which' {
            break
        }
        'oat;help;login' {
            break
        }
        'oat;help;logout' {
            break
        }
        'oat;help;token' {
            break
        }
        'oat;help;header' {
            break
        }
        'oat;help;proof' {
            break
        }
        'oat;help;request' {
            break
        }
        'oat;help;exec' {
            break
        }
        'oat;help;refresh' {
            break
        }
        'oat;help;status' {
            break
        }
        'oat;help;inspect' {
            break
        }
        'oat;help;decode' {
            break
        }
        'oat;help;verify' {
            break
        }
        'oat;help;introspect' {
            break
        }
        'oat;help;revoke' {
            break
        }
        'oat;help;userinfo' {
            break
        }
        'oat;help;exchange' {
            break
        }
        'oat;help;discover' {
            break
        }
        'oat;help;doctor' {
            break
        }
        'oat;help;audit' {
            break
        }
        'oat;help;demo' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Keep the demo server running for experiments and scripts (prints its issuer URL)')
            break
        }
        'oat;help;demo;serve' {
            break
        }
        'oat;help;git-credential' {
            break
        }
        'oat;help;kube-credential' {
            break
        }
        'oat;help;docker-credential' {
            break
        }
        'oat;help;setup' {
            [CompletionResult]::new('git', 'git', [CompletionResultType]::ParameterValue, 'Make git ask oat for credentials (`credential.<url>.helper`)')
            [CompletionResult]::new('kubectl', 'kubectl', [CompletionResultType]::ParameterValue, 'Add an exec credential entry for oat to a kubeconfig')
            [CompletionResult]::new('docker', 'docker', [CompletionResultType]::ParameterValue, 'Make docker ask oat for a registry''s credentials (`credHelpers`)')
            break
        }
        'oat;help;setup;git' {
            break
        }
        'oat;help;setup;kubectl' {
            break
        }
        'oat;help;setup;docker' {
            break
        }
        'oat;help;proxy' {
            break
        }
        'oat;help;trace' {
            break
        }
        'oat;help;completions' {
            break
        }
        'oat;help;man' {
            break
        }
        'oat;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}

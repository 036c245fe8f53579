
use builtin;
use str;

set edit:completion:arg-completer[oat] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'oat'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'oat'= {
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand profile 'Add, list, show or remove profiles (one registered client at one server each)'
            cand login 'Log in: run the profile''s flow in the browser and store the tokens'
            cand logout 'Revoke the stored tokens where the server supports it, then delete them'
            cand token 'Print a valid access token, refreshing it first if it is about to expire'
            cand header 'Print `Authorization: Bearer <token>` (`DPoP <token>` for a DPoP-bound one; same rules as `token`)'
            cand proof 'Print `DPoP: <proof>` for one request with the profile''s DPoP-bound token (RFC 9449), for curl'
            cand request 'Call an API with a valid token; on 401 refresh once and retry'
            cand exec 'Run a command with OAT_ACCESS_TOKEN and OAT_TOKEN_TYPE in its environment'
            cand refresh 'Refresh the tokens now'
            cand status 'Show profiles and the state of their tokens (never the tokens themselves)'
            cand inspect 'Decode a stored token (or with --ci, the CI job''s ID token): JWT header and claims, dates, expiry'
            cand decode 'Decode a token given as an argument (or `-` for stdin)'
            cand verify 'Verify a JWT as an API would: signature against the issuer''s keys, iss, aud, exp, nbf, iat'
            cand introspect 'Ask the server about a stored token (RFC 7662 introspection)'
            cand revoke 'Revoke a stored token at the server (RFC 7009) and drop it here'
            cand userinfo 'Print the OpenID Connect userinfo for the stored token'
            cand exchange 'Exchange a token for another at the profile''s token endpoint (RFC 8693)'
            cand discover 'Print an issuer''s metadata (OpenID Connect Discovery, then RFC 8414)'
            cand doctor 'Check a set-up end to end: one line per check, with the fix'
            cand audit 'Check a server''s published metadata against RFC 9700 (and FAPI 2.0): one line per check'
            cand demo 'See the whole flow against an authorization server built into oat (no account needed)'
            cand git-credential 'git credential helper (gitcredentials(7)); `oat setup git` makes git call it'
            cand kube-credential 'kubectl exec credential plugin: prints an ExecCredential for the profile'
            cand docker-credential 'docker credential helper (also run as `docker-credential-oat`)'
            cand setup 'Make git, kubectl or docker get their credentials from oat'
            cand proxy 'A loopback reverse proxy that adds a valid token to every request it forwards'
            cand trace 'Read a trace file (OAT_TRACE): one line per HTTP exchange (-v: with headers and bodies), or HAR 1.2'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oat;profile'= {
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand add 'Register a client; with --issuer the endpoints come from discovery'
            cand list 'List profiles'
            cand show 'Show one profile (secrets are never shown)'
            cand remove 'Remove a profile with its stored tokens and client secret'
            cand which 'Which profile serves a URL (the longest of the profiles'' --url prefixes), and why'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oat;profile;add'= {
            cand --preset 'Start from a provider preset (see --list-presets): github, google, microsoft, gitlab, facebook, okta, auth0, keycloak, slack, atlassian, salesforce, dropbox, discord, spotify, twitch'
            cand --host 'The preset''s server: GitHub Enterprise or GitLab host, Okta or Auth0 domain, Keycloak URL, Salesforce login|test|MYDOMAIN; for a provider with fixed hosts, a stand-in that serves all of its paths (a mock server)'
            cand --domain 'The preset''s server: GitHub Enterprise or GitLab host, Okta or Auth0 domain, Keycloak URL, Salesforce login|test|MYDOMAIN; for a provider with fixed hosts, a stand-in that serves all of its paths (a mock server)'
            cand --tenant 'Microsoft Entra tenant: common, organizations, consumers or a tenant id [default: common]'
            cand --realm 'Keycloak realm'
            cand --authorization-server 'Okta authorization server: org, default or the id of a custom one [default: default]'
            cand --graph-version 'Facebook Graph API version, e.g. v24.0'
            cand --api-base 'Where `oat request NAME /path` sends relative paths (a preset sets one); {instance_url} and {cloud_id} are filled from what the server said at login'
            cand --issuer 'Issuer URL; its discovery document fills the endpoints'
            cand --client-id 'The client id registered at the server'
            cand --scope 'Scope to request (repeat for several; replaces a preset''s scopes)'
            cand --redirect-uri 'A fixed loopback redirect URI [default: http://127.0.0.1:<ephemeral>/callback]'
            cand --flow 'The grant `oat login` runs [default: authorization_code]'
            cand --auth-url 'Authorization endpoint (overrides discovery)'
            cand --token-url 'Token endpoint (overrides discovery)'
            cand --device-url 'Device authorization endpoint (overrides discovery)'
            cand --revocation-url 'Revocation endpoint (overrides discovery)'
            cand --introspection-url 'Introspection endpoint (overrides discovery)'
            cand --userinfo-url 'Userinfo endpoint (overrides discovery)'
            cand --client-auth 'Client authentication at the token endpoint [default: client_secret_basic with a secret, else none]'
            cand --key 'Private key (PEM, or a service-account JSON key) for private_key_jwt, jwt_bearer and --cert'
            cand --key-id '`kid` of the JWTs signed with --key'
            cand --cert 'TLS client certificate (PEM) for tls_client_auth; its key is --key'
            cand --subject-token-from 'With --flow jwt_bearer: the assertion is the token from SOURCE instead of one signed with --key: github-actions[:AUDIENCE], gitlab:VARNAME, env:VARNAME or file:PATH'
            cand --client-assertion-from 'Authenticate the client with the token from SOURCE as its client assertion (RFC 7523 §2.2; Entra ID federated credentials): github-actions[:AUDIENCE], gitlab:VARNAME, env:VARNAME or file:PATH, read anew for every request and never stored'
            cand --subject '`sub` of JWT bearer assertions (the user a service account acts for)'
            cand --audience '`audience` parameter for token requests'
            cand --resource '`resource` indicator for token requests (RFC 8707)'
            cand --authorization-details '`authorization_details` to ask for (RFC 9396): a JSON array of objects with a `type`; @FILE reads a file'
            cand --request-object 'Send the authorization request as a request object signed with --key (JAR, RFC 9101)'
            cand --response-mode 'Ask for the authorization response as a signed JWT (JARM), checked before it is used'
            cand --security-profile 'Meet a security profile: fapi2 (FAPI 2.0) turns on PAR and DPoP (or mTLS-bound tokens with --cert) and refuses a profile that cannot meet it, naming what is missing'
            cand --param 'Extra authorization request parameter (repeat for several)'
            cand --url 'A URL prefix this profile''s tokens are for (repeat for several): commands given a URL but no profile (git and docker helpers, `oat request URL`, `oat proxy`) take the longest match'
            cand --git-username 'The user name git gets with the token [default: by host: x-access-token on GitHub, x-token-auth on Bitbucket, else oauth2]'
            cand --git-auth 'How git sends the token: basic (as the password) or bearer (git 2.46+) [default: basic]'
            cand --docker-username 'The user name docker gets with the token, for registries without a convention'
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand --list-presets 'List the presets, the options each takes and the quirks each handles'
            cand --client-secret-stdin 'Read the client secret from stdin (it goes to the secret store, never to config.toml)'
            cand --spa 'The redirect URI is registered as a single-page app (Microsoft): send an Origin header'
            cand --par 'Push every authorization request to the server first (PAR, RFC 9126)'
            cand --dpop 'Bind tokens to a key of this profile with DPoP (RFC 9449): every token request and API call carries a proof; the key is made on the first token request and kept in the store'
            cand --force 'Replace an existing profile of that name'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;profile;list'= {
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;profile;show'= {
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;profile;remove'= {
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;profile;which'= {
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;profile;help'= {
            cand add 'Register a client; with --issuer the endpoints come from discovery'
            cand list 'List profiles'
            cand show 'Show one profile (secrets are never shown)'
            cand remove 'Remove a profile with its stored tokens and client secret'
            cand which 'Which profile serves a URL (the longest of the profiles'' --url prefixes), and why'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oat;profile;help;add'= {
        }
        &'oat;profile;help;list'= {
        }
        &'oat;profile;help;show'= {
        }
        &'oat;profile;help;remove'= {
        }
        &'oat;profile;help;which'= {
        }
        &'oat;profile;help;help'= {
        }
        &'oat;login'= {
            cand --flow 'Run this flow instead of the profile''s'
            cand --port 'Listen for the redirect on this loopback port'
            cand --scope 'Request these scopes instead of the profile''s (repeat for several)'
            cand --username 'User name for the password flow'
            cand --response-mode 'Ask for the authorization response as a signed JWT (JARM), for this login'
            cand --authorization-details '`authorization_details` to ask for in this login instead of the profile''s (RFC 9396): a JSON array of objects with a `type`; @FILE reads a file'
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand --no-browser 'Print the URL instead of opening a browser'
            cand --password-stdin 'Read the password for the password flow from stdin (else it is asked on the terminal)'
            cand --par 'Push the authorization request to the server first (PAR, RFC 9126), for this login'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;logout'= {
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;token'= {
            cand --min-ttl 'Refresh first if the token expires within this many seconds [default: 60, or half the token''s lifetime if shorter]'
            cand --format 'Output format'
            cand --authorization-details '`authorization_details` for a new token of a client-credentials or JWT-bearer profile, printed and not stored (RFC 9396): a JSON array of objects with a `type`; @FILE reads a file'
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand --login 'Log in (opening the browser) when no usable token is stored'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;header'= {
            cand --min-ttl 'Refresh first if the token expires within this many seconds [default: 60, or half the token''s lifetime if shorter]'
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;proof'= {
            cand --url 'The URL of the request the proof is for (its query and fragment are not part of it)'
            cand -X 'HTTP method of the request'
            cand --request 'HTTP method of the request'
            cand --nonce 'A nonce the server gave in `DPoP-Nonce`'
            cand --min-ttl 'Refresh first if the token expires within this many seconds [default: 60, or half the token''s lifetime if shorter]'
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;request'= {
            cand -X 'HTTP method [default: GET, or POST with a body]'
            cand --request 'HTTP method [default: GET, or POST with a body]'
            cand -H 'Request header (repeat for several)'
            cand --header 'Request header (repeat for several)'
            cand -d 'Body, sent as application/x-www-form-urlencoded unless -H says otherwise; @FILE reads a file, @- stdin'
            cand --data 'Body, sent as application/x-www-form-urlencoded unless -H says otherwise; @FILE reads a file, @- stdin'
            cand --data-json 'JSON body (checked), sent as application/json; @FILE reads a file, @- stdin'
            cand --form 'Form field for an application/x-www-form-urlencoded body (repeat for several)'
            cand --token-in 'Where the token goes'
            cand --min-ttl 'Refresh first if the token expires within this many seconds [default: 60, or half the token''s lifetime if shorter]'
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -i 'Print the status line and the response headers before the body'
            cand --include 'Print the status line and the response headers before the body'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;exec'= {
            cand --min-ttl 'Refresh first if the token expires within this many seconds [default: 60, or half the token''s lifetime if shorter]'
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;refresh'= {
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;status'= {
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;inspect'= {
            cand --ci 'Decode a CI job''s own ID token from SOURCE instead (github-actions[:AUDIENCE], gitlab:VARNAME, env:VARNAME, file:PATH; default github-actions inside GitHub Actions): its claims, never the token'
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand --id-token 'The ID token instead of the access token'
            cand --refresh-token 'The refresh token instead of the access token'
            cand --verify 'Verify the signature against the issuer''s keys (JWKS)'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;decode'= {
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand --verify 'Verify the signature against the keys (JWKS) of the issuer named in `iss`'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;verify'= {
            cand --issuer 'The issuer the token must name (`iss`); its keys are found through discovery. Without it the token''s own `iss` is used, and not pinned'
            cand --audience 'A value the token''s `aud` must contain (the API''s identifier)'
            cand --jwks 'The keys to check the signature with: a JWKS file (a path that exists) or URL, instead of the issuer''s `jwks_uri`'
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;introspect'= {
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand --refresh-token 'The refresh token instead of the access token'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;revoke'= {
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand --refresh-token 'Revoke the refresh token (usually ends the whole grant)'
            cand --access-token 'Revoke the access token (the default when neither is given)'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;userinfo'= {
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;exchange'= {
            cand --subject-token-from 'Where the subject token comes from: github-actions[:AUDIENCE] (the job''s ID token), gitlab:VARNAME (an `id_tokens:` variable), env:VARNAME, file:PATH, or profile:NAME (a valid access token of that profile; a bare NAME means the same)'
            cand --subject-token-type 'Type of the subject token: access_token, refresh_token, id_token, jwt, saml1, saml2 or a URI [default: access_token for a profile''s token and stdin, jwt for the other sources]'
            cand --requested-token-type 'Type of token wanted (same names)'
            cand --audience '`audience` of the new token'
            cand --resource '`resource` of the new token (RFC 8707)'
            cand --scope 'Scope of the new token (repeat for several)'
            cand --authorization-details '`authorization_details` for the new token (RFC 9396): a JSON array of objects with a `type`; @FILE reads a file'
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand --subject-token-stdin 'Read the subject token from stdin'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;discover'= {
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;doctor'= {
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;audit'= {
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand --fapi2 'Also check the FAPI 2.0 Security Profile''s requirements'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;demo'= {
            cand --port 'Port of the demo server [default: a free one]'
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand --no-browser 'Print the sign-in URL instead of opening a browser'
            cand --auto-approve 'Approve the sign-in without showing a page (for CI)'
            cand --dpop 'Bind the demo''s tokens to a DPoP key (RFC 9449) and show a DPoP-bound API call'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand serve 'Keep the demo server running for experiments and scripts (prints its issuer URL)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oat;demo;serve'= {
            cand --port 'Port [default: a free one]'
            cand --access-ttl 'Lifetime of access tokens in seconds'
            cand --token-size 'Issue tokens of about this many characters (access, refresh and ID token), as large as real providers'' JWTs; for tests of the secret store'
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand --auto-approve 'Approve every sign-in and device code without showing a page'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;demo;help'= {
            cand serve 'Keep the demo server running for experiments and scripts (prints its issuer URL)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oat;demo;help;serve'= {
        }
        &'oat;demo;help;help'= {
        }
        &'oat;git-credential'= {
            cand --profile 'Answer for this profile instead of the one that serves the URL git asks about'
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;kube-credential'= {
            cand --token-kind 'Which token kubectl gets: id (the default for OpenID Connect profiles) or access'
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;docker-credential'= {
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;setup'= {
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand git 'Make git ask oat for credentials (`credential.<url>.helper`)'
            cand kubectl 'Add an exec credential entry for oat to a kubeconfig'
            cand docker 'Make docker ask oat for a registry''s credentials (`credHelpers`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oat;setup;git'= {
            cand --host 'The URL git should ask oat about, e.g. https://github.com/acme/ (a bare host means https://HOST) [default: the profile''s --url prefixes]'
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand --dry-run 'Print the `git config --global` commands instead of running them'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;setup;kubectl'= {
            cand --user 'The kubeconfig user to write [default: the profile name]'
            cand --kubeconfig 'The kubeconfig file [default: kubectl''s, $KUBECONFIG or ~/.kube/config]'
            cand --token-kind 'Which token kubectl gets (see `oat kube-credential`)'
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand --dry-run 'Print the configuration instead of writing it'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;setup;docker'= {
            cand --registry 'The registry host (e.g. europe-docker.pkg.dev)'
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand --dry-run 'Print the configuration instead of writing it'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;setup;help'= {
            cand git 'Make git ask oat for credentials (`credential.<url>.helper`)'
            cand kubectl 'Add an exec credential entry for oat to a kubeconfig'
            cand docker 'Make docker ask oat for a registry''s credentials (`credHelpers`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oat;setup;help;git'= {
        }
        &'oat;setup;help;kubectl'= {
        }
        &'oat;setup;help;docker'= {
        }
        &'oat;setup;help;help'= {
        }
        &'oat;proxy'= {
            cand --upstream 'Where requests go (https, or http on loopback)'
            cand --port 'The local port [default: a free one, printed at start]'
            cand --allow-origin 'A web page origin allowed to call the proxy, e.g. http://localhost:3000 (repeat for several)'
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;trace'= {
            cand --har 'Write the exchanges as HAR 1.2 to OUT (`-` for stdout), for browser dev tools and HAR viewers'
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;completions'= {
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;man'= {
            cand --config 'Configuration file [default: <config dir>/oat/config.toml]'
            cand --cacert 'Extra trusted CA certificates (PEM) for HTTPS'
            cand --timeout 'Longest wait for any one thing: a server''s answer (default 30s) or the browser''s redirect during login (default 300s); e.g. 10s, 2m'
            cand --store 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]'
            cand --trace 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file'
            cand -v 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --verbose 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
            cand --show-secrets 'Do not redact secrets in -v output (a trace file is redacted all the same)'
            cand --json 'Machine-readable output on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oat;help'= {
            cand profile 'Add, list, show or remove profiles (one registered client at one server each)'
            cand login 'Log in: run the profile''s flow in the browser and store the tokens'
            cand logout 'Revoke the stored tokens where the server supports it, then delete them'
            cand token 'Print a valid access token, refreshing it first if it is about to expire'
            cand header 'Print `Authorization: Bearer <token>` (`DPoP <token>` for a DPoP-bound one; same rules as `token`)'
            cand proof 'Print `DPoP: <proof>` for one request with the profile''s DPoP-bound token (RFC 9449), for curl'
            cand request 'Call an API with a valid token; on 401 refresh once and retry'
            cand exec 'Run a command with OAT_ACCESS_TOKEN and OAT_TOKEN_TYPE in its environment'
            cand refresh 'Refresh the tokens now'
            cand status 'Show profiles and the state of their tokens (never the tokens themselves)'
            cand inspect 'Decode a stored token (or with --ci, the CI job''s ID token): JWT header and claims, dates, expiry'
            cand decode 'Decode a token given as an argument (or `-` for stdin)'
            cand verify 'Verify a JWT as an API would: signature against the issuer''s keys, iss, aud, exp, nbf, iat'
            cand introspect 'Ask the server about a stored token (RFC 7662 introspection)'
            cand revoke 'Revoke a stored token at the server (RFC 7009) and drop it here'
            cand userinfo 'Print the OpenID Connect userinfo for the stored token'
            cand exchange 'Exchange a token for another at the profile''s token endpoint (RFC 8693)'
            cand discover 'Print an issuer''s metadata (OpenID Connect Discovery, then RFC 8414)'
            cand doctor 'Check a set-up end to end: one line per check, with the fix'
            cand audit 'Check a server''s published metadata against RFC 9700 (and FAPI 2.0): one line per check'
            cand demo 'See the whole flow against an authorization server built into oat (no account needed)'
            cand git-credential 'git credential helper (gitcredentials(7)); `oat setup git` makes git call it'
            cand kube-credential 'kubectl exec credential plugin: prints an ExecCredential for the profile'
            cand docker-credential 'docker credential helper (also run as `docker-credential-oat`)'
            cand setup 'Make git, kubectl or docker get their credentials from oat'
            cand proxy 'A loopback reverse proxy that adds a valid token to every request it forwards'
            cand trace 'Read a trace file (OAT_TRACE): one line per HTTP exchange (-v: with headers and bodies), or HAR 1.2'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oat;help;profile'= {
            cand add 'Register a client; with --issuer the endpoints come from discovery'
            cand list 'List profiles'
            cand show 'Show one profile (secrets are never shown)'
            cand remove 'Remove a profile with its stored tokens and client secret'
            cand which 'Which profile serves a URL (the longest of the profiles'' --url prefixes), and why'
        }
        &'oat;help;profile;add'= {
        }
        &'oat;help;profile;list'= {
        }
        &'oat;help;profile;show'= {
        }
        &'oat;help;profile;remove'= {
        }
        &'oat;help;profile;which'= {
        }
        &'oat;help;login'= {
        }
        &'oat;help;logout'= {
        }
        &'oat;help;token'= {
        }
        &'oat;help;header'= {
        }
        &'oat;help;proof'= {
        }
        &'oat;help;request'= {
        }
        &'oat;help;exec'= {
        }
        &'oat;help;refresh'= {
        }
        &'oat;help;status'= {
        }
        &'oat;help;inspect'= {
        }
        &'oat;help;decode'= {
        }
        &'oat;help;verify'= {
        }
        &'oat;help;introspect'= {
        }
        &'oat;help;revoke'= {
        }
        &'oat;help;userinfo'= {
        }
        &'oat;help;exchange'= {
        }
        &'oat;help;discover'= {
        }
        &'oat;help;doctor'= {
        }
        &'oat;help;audit'= {
        }
        &'oat;help;demo'= {
            cand serve 'Keep the demo server running for experiments and scripts (prints its issuer URL)'
        }
        &'oat;help;demo;serve'= {
        }
        &'oat;help;git-credential'= {
        }
        &'oat;help;kube-credential'= {
        }
        &'oat;help;docker-credential'= {
        }
        &'oat;help;setup'= {
            cand git 'Make git ask oat for credentials (`credential.<url>.helper`)'
            cand kubectl 'Add an exec credential entry for oat to a kubeconfig'
            cand docker 'Make docker ask oat for a registry''s credentials (`credHelpers`)'
        }
        &'oat;help;setup;git'= {
        }
        &'oat;help;setup;kubectl'= {
        }
        &'oat;help;setup;docker'= {
        }
        &'oat;help;proxy'= {
        }
        &'oat;help;trace'= {
        }
        &'oat;help;completions'= {
        }
        &'oat;help;man'= {
        }
        &'oat;help;help'= {
        }
    ]
    $completions[$command]
}

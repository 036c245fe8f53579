# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_oat_global_optspecs
    string join \n v/verbose show-secrets json config= cacert= timeout= store= trace= h/help V/version
end

function __fish_oat_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_oat_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_oat_using_subcommand
    set -l cmd (__fish_oat_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c oat -n "__fish_oat_needs_command" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_needs_command" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_needs_command" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_needs_command" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_needs_command" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_needs_command" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_needs_command" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_needs_command" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_needs_command" -s V -l version -d 'Print version'
complete -c oat -n "__fish_oat_needs_command" -f -a "profile" -d 'Add, list, show or remove profiles (one registered client at one server each)'
complete -c oat -n "__fish_oat_needs_command" -f -a "login" -d 'Log in: run the profile\'s flow in the browser and store the tokens'
complete -c oat -n "__fish_oat_needs_command" -f -a "logout" -d 'Revoke the stored tokens where the server supports it, then delete them'
complete -c oat -n "__fish_oat_needs_command" -f -a "token" -d 'Print a valid access token, refreshing it first if it is about to expire'
complete -c oat -n "__fish_oat_needs_command" -f -a "header" -d 'Print `Authorization: Bearer <token>` (`DPoP <token>` for a DPoP-bound one; same rules as `token`)'
complete -c oat -n "__fish_oat_needs_command" -f -a "proof" -d 'Print `DPoP: <proof>` for one request with the profile\'s DPoP-bound token (RFC 9449), for curl'
complete -c oat -n "__fish_oat_needs_command" -f -a "request" -d 'Call an API with a valid token; on 401 refresh once and retry'
complete -c oat -n "__fish_oat_needs_command" -f -a "exec" -d 'Run a command with OAT_ACCESS_TOKEN and OAT_TOKEN_TYPE in its environment'
complete -c oat -n "__fish_oat_needs_command" -f -a "refresh" -d 'Refresh the tokens now'
complete -c oat -n "__fish_oat_needs_command" -f -a "status" -d 'Show profiles and the state of their tokens (never the tokens themselves)'
complete -c oat -n "__fish_oat_needs_command" -f -a "inspect" -d 'Decode a stored token (or with --ci, the CI job\'s ID token): JWT header and claims, dates, expiry'
complete -c oat -n "__fish_oat_needs_command" -f -a "decode" -d 'Decode a token given as an argument (or `-` for stdin)'
complete -c oat -n "__fish_oat_needs_command" -f -a "verify" -d 'Verify a JWT as an API would: signature against the issuer\'s keys, iss, aud, exp, nbf, iat'
complete -c oat -n "__fish_oat_needs_command" -f -a "introspect" -d 'Ask the server about a stored token (RFC 7662 introspection)'
complete -c oat -n "__fish_oat_needs_command" -f -a "revoke" -d 'Revoke a stored token at the server (RFC 7009) and drop it here'
complete -c oat -n "__fish_oat_needs_command" -f -a "userinfo" -d 'Print the OpenID Connect userinfo for the stored token'
complete -c oat -n "__fish_oat_needs_command" -f -a "exchange" -d 'Exchange a token for another at the profile\'s token endpoint (RFC 8693)'
complete -c oat -n "__fish_oat_needs_command" -f -a "discover" -d 'Print an issuer\'s metadata (OpenID Connect Discovery, then RFC 8414)'
complete -c oat -n "__fish_oat_needs_command" -f -a "doctor" -d 'Check a set-up end to end: one line per check, with the fix'
complete -c oat -n "__fish_oat_needs_command" -f -a "audit" -d 'Check a server\'s published metadata against RFC 9700 (and FAPI 2.0): one line per check'
complete -c oat -n "__fish_oat_needs_command" -f -a "demo" -d 'See the whole flow against an authorization server built into oat (no account needed)'
complete -c oat -n "__fish_oat_needs_command" -f -a "git-credential" -d 'git credential helper (gitcredentials(7)); `oat setup git` makes git call it'
complete -c oat -n "__fish_oat_needs_command" -f -a "kube-credential" -d 'kubectl exec credential plugin: prints an ExecCredential for the profile'
complete -c oat -n "__fish_oat_needs_command" -f -a "docker-credential" -d 'docker credential helper (also run as `docker-credential-oat`)'
complete -c oat -n "__fish_oat_needs_command" -f -a "setup" -d 'Make git, kubectl or docker get their credentials from oat'
complete -c oat -n "__fish_oat_needs_command" -f -a "proxy" -d 'A loopback reverse proxy that adds a valid token to every request it forwards'
complete -c oat -n "__fish_oat_needs_command" -f -a "trace" -d 'Read a trace file (OAT_TRACE): one line per HTTP exchange (-v: with headers and bodies), or HAR 1.2'
complete -c oat -n "__fish_oat_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c oat -n "__fish_oat_needs_command" -f -a "man" -d 'Print the man page (roff)'
complete -c oat -n "__fish_oat_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oat -n "__fish_oat_using_subcommand profile; and not __fish_seen_subcommand_from add list show remove which help" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand profile; and not __fish_seen_subcommand_from add list show remove which help" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand profile; and not __fish_seen_subcommand_from add list show remove which help" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and not __fish_seen_subcommand_from add list show remove which help" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand profile; and not __fish_seen_subcommand_from add list show remove which help" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand profile; and not __fish_seen_subcommand_from add list show remove which help" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand profile; and not __fish_seen_subcommand_from add list show remove which help" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand profile; and not __fish_seen_subcommand_from add list show remove which help" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand profile; and not __fish_seen_subcommand_from add list show remove which help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand profile; and not __fish_seen_subcommand_from add list show remove which help" -f -a "add" -d 'Register a client; with --issuer the endpoints come from discovery'
complete -c oat -n "__fish_oat_using_subcommand profile; and not __fish_seen_subcommand_from add list show remove which help" -f -a "list" -d 'List profiles'
complete -c oat -n "__fish_oat_using_subcommand profile; and not __fish_seen_subcommand_from add list show remove which help" -f -a "show" -d 'Show one profile (secrets are never shown)'
complete -c oat -n "__fish_oat_using_subcommand profile; and not __fish_seen_subcommand_from add list show remove which help" -f -a "remove" -d 'Remove a profile with its stored tokens and client secret'
complete -c oat -n "__fish_oat_using_subcommand profile; and not __fish_seen_subcommand_from add list show remove which help" -f -a "which" -d 'Which profile serves a URL (the longest of the profiles\' --url prefixes), and why'
complete -c oat -n "__fish_oat_using_subcommand profile; and not __fish_seen_subcommand_from add list show remove which help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l preset -d 'Start from a provider preset (see --list-presets): github, google, microsoft, gitlab, facebook, okta, auth0, keycloak, slack, atlassian, salesforce, dropbox, discord, spotify, twitch' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l host -l domain -d 'The preset\'s server: GitHub Enterprise or GitLab host, Okta or Auth0 domain, Keycloak URL, Salesforce login|test|MYDOMAIN; for a provider with fixed hosts, a stand-in that serves all of its paths (a mock server)' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l tenant -d 'Microsoft Entra tenant: common, organizations, consumers or a tenant id [default: common]' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l realm -d 'Keycloak realm' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l authorization-server -d 'Okta authorization server: org, default or the id of a custom one [default: default]' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l graph-version -d 'Facebook Graph API version, e.g. v24.0' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l api-base -d 'Where `oat request NAME /path` sends relative paths (a preset sets one); {instance_url} and {cloud_id} are filled from what the server said at login' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l issuer -d 'Issuer URL; its discovery document fills the endpoints' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l client-id -d 'The client id registered at the server' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l scope -d 'Scope to request (repeat for several; replaces a preset\'s scopes)' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l redirect-uri -d 'A fixed loopback redirect URI [default: http://127.0.0.1:<ephemeral>/callback]' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l flow -d 'The grant `oat login` runs [default: authorization_code]' -r -f -a "authorization_code\t'Authorization code with PKCE through a loopback redirect (RFC 6749 §4.1, RFC 8252)'
device_code\t'Device authorization grant (RFC 8628), for SSH sessions and containers'
client_credentials\t'Client credentials (RFC 6749 §4.4), for machines'
password\t'Resource owner password (RFC 6749 §4.3), for old servers and test set-ups'
jwt_bearer\t'JWT bearer assertion (RFC 7523 §2.1), for service accounts'"
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l auth-url -d 'Authorization endpoint (overrides discovery)' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l token-url -d 'Token endpoint (overrides discovery)' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l device-url -d 'Device authorization endpoint (overrides discovery)' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l revocation-url -d 'Revocation endpoint (overrides discovery)' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l introspection-url -d 'Introspection endpoint (overrides discovery)' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l userinfo-url -d 'Userinfo endpoint (overrides discovery)' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l client-auth -d 'Client authentication at the token endpoint [default: client_secret_basic with a secret, else none]' -r -f -a "client_secret_basic\t'HTTP Basic with the form-urlencoded id and secret (RFC 6749 §2.3.1)'
client_secret_post\t'`client_id` and `client_secret` in the form body'
none\t'A public client: `client_id` in the body, no secret'
client_secret_jwt\t'A JWT signed with the client secret, HS256 (OpenID Connect Core §9)'
private_key_jwt\t'A JWT signed with the client\'s private key, RS256 or ES256 (OpenID Connect Core §9)'
tls_client_auth\t'A TLS client certificate (RFC 8705 §2.1)'"
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l key -d 'Private key (PEM, or a service-account JSON key) for private_key_jwt, jwt_bearer and --cert' -r -F
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l key-id -d '`kid` of the JWTs signed with --key' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l cert -d 'TLS client certificate (PEM) for tls_client_auth; its key is --key' -r -F
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l subject-token-from -d 'With --flow jwt_bearer: the assertion is the token from SOURCE instead of one signed with --key: github-actions[:AUDIENCE], gitlab:VARNAME, env:VARNAME or file:PATH' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l client-assertion-from -d 'Authenticate the client with the token from SOURCE as its client assertion (RFC 7523 §2.2; Entra ID federated credentials): github-actions[:AUDIENCE], gitlab:VARNAME, env:VARNAME or file:PATH, read anew for every request and never stored' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l subject -d '`sub` of JWT bearer assertions (the user a service account acts for)' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l audience -d '`audience` parameter for token requests' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l resource -d '`resource` indicator for token requests (RFC 8707)' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l authorization-details -d '`authorization_details` to ask for (RFC 9396): a JSON array of objects with a `type`; @FILE reads a file' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l request-object -d 'Send the authorization request as a request object signed with --key (JAR, RFC 9101)' -r -f -a "signed\t'A JWT signed with the profile\'s key (`--key`), RS256 or ES256 as the key is'"
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l response-mode -d 'Ask for the authorization response as a signed JWT (JARM), checked before it is used' -r -f -a "jwt\t'JARM\'s default for the code flow: the response JWT in the redirect\'s query'
query.jwt\t'JARM with the response JWT in the redirect\'s query, named explicitly'"
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l security-profile -d 'Meet a security profile: fapi2 (FAPI 2.0) turns on PAR and DPoP (or mTLS-bound tokens with --cert) and refuses a profile that cannot meet it, naming what is missing' -r -f -a "fapi2\t'FAPI 2.0 Security Profile: PAR, PKCE S256, private_key_jwt or mTLS client authentication, sender-constrained tokens (DPoP or mTLS), `iss` in the authorization response'"
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l param -d 'Extra authorization request parameter (repeat for several)' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l url -d 'A URL prefix this profile\'s tokens are for (repeat for several): commands given a URL but no profile (git and docker helpers, `oat request URL`, `oat proxy`) take the longest match' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l git-username -d 'The user name git gets with the token [default: by host: x-access-token on GitHub, x-token-auth on Bitbucket, else oauth2]' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l git-auth -d 'How git sends the token: basic (as the password) or bearer (git 2.46+) [default: basic]' -r -f -a "basic\t'`Authorization: Basic`, the token as the password: what every git and server know'
bearer\t'`Authorization: Bearer` (git\'s `authtype` capability, git 2.46 or later)'"
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l docker-username -d 'The user name docker gets with the token, for registries without a convention' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l list-presets -d 'List the presets, the options each takes and the quirks each handles'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l client-secret-stdin -d 'Read the client secret from stdin (it goes to the secret store, never to config.toml)'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l spa -d 'The redirect URI is registered as a single-page app (Microsoft): send an Origin header'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l par -d 'Push every authorization request to the server first (PAR, RFC 9126)'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l dpop -d 'Bind tokens to a key of this profile with DPoP (RFC 9449): every token request and API call carries a proof; the key is made on the first token request and kept in the store'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l force -d 'Replace an existing profile of that name'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from list" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from list" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from list" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from list" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from list" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from list" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from show" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from show" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from show" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from show" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from show" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from show" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from show" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from remove" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from remove" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from remove" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from remove" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from remove" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from remove" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from remove" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from which" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from which" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from which" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from which" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from which" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from which" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from which" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from which" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from which" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "add" -d 'Register a client; with --issuer the endpoints come from discovery'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "list" -d 'List profiles'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one profile (secrets are never shown)'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a profile with its stored tokens and client secret'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "which" -d 'Which profile serves a URL (the longest of the profiles\' --url prefixes), and why'
complete -c oat -n "__fish_oat_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oat -n "__fish_oat_using_subcommand login" -l flow -d 'Run this flow instead of the profile\'s' -r -f -a "authorization_code\t'Authorization code with PKCE through a loopback redirect (RFC 6749 §4.1, RFC 8252)'
device_code\t'Device authorization grant (RFC 8628), for SSH sessions and containers'
client_credentials\t'Client credentials (RFC 6749 §4.4), for machines'
password\t'Resource owner password (RFC 6749 §4.3), for old servers and test set-ups'
jwt_bearer\t'JWT bearer assertion (RFC 7523 §2.1), for service accounts'"
complete -c oat -n "__fish_oat_using_subcommand login" -l port -d 'Listen for the redirect on this loopback port' -r
complete -c oat -n "__fish_oat_using_subcommand login" -l scope -d 'Request these scopes instead of the profile\'s (repeat for several)' -r
complete -c oat -n "__fish_oat_using_subcommand login" -l username -d 'User name for the password flow' -r
complete -c oat -n "__fish_oat_using_subcommand login" -l response-mode -d 'Ask for the authorization response as a signed JWT (JARM), for this login' -r -f -a "jwt\t'JARM\'s default for the code flow: the response JWT in the redirect\'s query'
query.jwt\t'JARM with the response JWT in the redirect\'s query, named explicitly'"
complete -c oat -n "__fish_oat_using_subcommand login" -l authorization-details -d '`authorization_details` to ask for in this login instead of the profile\'s (RFC 9396): a JSON array of objects with a `type`; @FILE reads a file' -r
complete -c oat -n "__fish_oat_using_subcommand login" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand login" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand login" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand login" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand login" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand login" -l no-browser -d 'Print the URL instead of opening a browser'
complete -c oat -n "__fish_oat_using_subcommand login" -l password-stdin -d 'Read the password for the password flow from stdin (else it is asked on the terminal)'
complete -c oat -n "__fish_oat_using_subcommand login" -l par -d 'Push the authorization request to the server first (PAR, RFC 9126), for this login'
complete -c oat -n "__fish_oat_using_subcommand login" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand login" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand login" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand logout" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand logout" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand logout" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand logout" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand logout" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand logout" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand logout" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand logout" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand token" -l min-ttl -d 'Refresh first if the token expires within this many seconds [default: 60, or half the token\'s lifetime if shorter]' -r
complete -c oat -n "__fish_oat_using_subcommand token" -l format -d 'Output format' -r -f -a "raw\t'The token alone'
json\t'`{"access_token": …, "token_type": …, "expires_at": …}`'
header\t'`Authorization: Bearer <token>`'
env\t'`export OAT_ACCESS_TOKEN=…` lines for POSIX shells'"
complete -c oat -n "__fish_oat_using_subcommand token" -l authorization-details -d '`authorization_details` for a new token of a client-credentials or JWT-bearer profile, printed and not stored (RFC 9396): a JSON array of objects with a `type`; @FILE reads a file' -r
complete -c oat -n "__fish_oat_using_subcommand token" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand token" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand token" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand token" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand token" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand token" -l login -d 'Log in (opening the browser) when no usable token is stored'
complete -c oat -n "__fish_oat_using_subcommand token" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand token" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand token" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand header" -l min-ttl -d 'Refresh first if the token expires within this many seconds [default: 60, or half the token\'s lifetime if shorter]' -r
complete -c oat -n "__fish_oat_using_subcommand header" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand header" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand header" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand header" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand header" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand header" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand header" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand header" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand header" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand proof" -l url -d 'The URL of the request the proof is for (its query and fragment are not part of it)' -r
complete -c oat -n "__fish_oat_using_subcommand proof" -s X -l request -d 'HTTP method of the request' -r
complete -c oat -n "__fish_oat_using_subcommand proof" -l nonce -d 'A nonce the server gave in `DPoP-Nonce`' -r
complete -c oat -n "__fish_oat_using_subcommand proof" -l min-ttl -d 'Refresh first if the token expires within this many seconds [default: 60, or half the token\'s lifetime if shorter]' -r
complete -c oat -n "__fish_oat_using_subcommand proof" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand proof" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand proof" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand proof" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand proof" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand proof" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand proof" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand proof" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand proof" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand request" -s X -l request -d 'HTTP method [default: GET, or POST with a body]' -r
complete -c oat -n "__fish_oat_using_subcommand request" -s H -l header -d 'Request header (repeat for several)' -r
complete -c oat -n "__fish_oat_using_subcommand request" -s d -l data -d 'Body, sent as application/x-www-form-urlencoded unless -H says otherwise; @FILE reads a file, @- stdin' -r
complete -c oat -n "__fish_oat_using_subcommand request" -l data-json -d 'JSON body (checked), sent as application/json; @FILE reads a file, @- stdin' -r
complete -c oat -n "__fish_oat_using_subcommand request" -l form -d 'Form field for an application/x-www-form-urlencoded body (repeat for several)' -r
complete -c oat -n "__fish_oat_using_subcommand request" -l token-in -d 'Where the token goes' -r -f -a "header\t'`Authorization: Bearer <token>` (RFC 6750 §2.1)'
query\t'`access_token=<token>` in the query (RFC 6750 §2.3; only for APIs that need it)'"
complete -c oat -n "__fish_oat_using_subcommand request" -l min-ttl -d 'Refresh first if the token expires within this many seconds [default: 60, or half the token\'s lifetime if shorter]' -r
complete -c oat -n "__fish_oat_using_subcommand request" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand request" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand request" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand request" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand request" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand request" -s i -l include -d 'Print the status line and the response headers before the body'
complete -c oat -n "__fish_oat_using_subcommand request" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand request" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand request" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand request" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand exec" -l min-ttl -d 'Refresh first if the token expires within this many seconds [default: 60, or half the token\'s lifetime if shorter]' -r
complete -c oat -n "__fish_oat_using_subcommand exec" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand exec" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand exec" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand exec" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand exec" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand exec" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand exec" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand exec" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand refresh" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand refresh" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand refresh" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand refresh" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand refresh" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand refresh" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand refresh" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand refresh" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand refresh" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand status" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand status" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand status" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand status" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand status" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand status" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand status" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand status" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand inspect" -l ci -d 'Decode a CI job\'s own ID token from SOURCE instead (github-actions[:AUDIENCE], gitlab:VARNAME, env:VARNAME, file:PATH; default github-actions inside GitHub Actions): its claims, never the token' -r
complete -c oat -n "__fish_oat_using_subcommand inspect" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand inspect" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand inspect" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand inspect" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand inspect" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand inspect" -l id-token -d 'The ID token instead of the access token'
complete -c oat -n "__fish_oat_using_subcommand inspect" -l refresh-token -d 'The refresh token instead of the access token'
complete -c oat -n "__fish_oat_using_subcommand inspect" -l verify -d 'Verify the signature against the issuer\'s keys (JWKS)'
complete -c oat -n "__fish_oat_using_subcommand inspect" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand inspect" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand inspect" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand decode" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand decode" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand decode" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand decode" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand decode" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand decode" -l verify -d 'Verify the signature against the keys (JWKS) of the issuer named in `iss`'
complete -c oat -n "__fish_oat_using_subcommand decode" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand decode" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand decode" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand decode" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand verify" -l issuer -d 'The issuer the token must name (`iss`); its keys are found through discovery. Without it the token\'s own `iss` is used, and not pinned' -r
complete -c oat -n "__fish_oat_using_subcommand verify" -l audience -d 'A value the token\'s `aud` must contain (the API\'s identifier)' -r
complete -c oat -n "__fish_oat_using_subcommand verify" -l jwks -d 'The keys to check the signature with: a JWKS file (a path that exists) or URL, instead of the issuer\'s `jwks_uri`' -r
complete -c oat -n "__fish_oat_using_subcommand verify" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand verify" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand verify" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand verify" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand verify" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand verify" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand verify" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand verify" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand introspect" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand introspect" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand introspect" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand introspect" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand introspect" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand introspect" -l refresh-token -d 'The refresh token instead of the access token'
complete -c oat -n "__fish_oat_using_subcommand introspect" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand introspect" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand introspect" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand introspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand revoke" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand revoke" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand revoke" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand revoke" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand revoke" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand revoke" -l refresh-token -d 'Revoke the refresh token (usually ends the whole grant)'
complete -c oat -n "__fish_oat_using_subcommand revoke" -l access-token -d 'Revoke the access token (the default when neither is given)'
complete -c oat -n "__fish_oat_using_subcommand revoke" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand revoke" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand revoke" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand userinfo" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand userinfo" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand userinfo" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand userinfo" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand userinfo" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand userinfo" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand userinfo" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand userinfo" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand userinfo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand exchange" -l subject-token-from -d 'Where the subject token comes from: github-actions[:AUDIENCE] (the job\'s ID token), gitlab:VARNAME (an `id_tokens:` variable), env:VARNAME, file:PATH, or profile:NAME (a valid access token of that profile; a bare NAME means the same)' -r
complete -c oat -n "__fish_oat_using_subcommand exchange" -l subject-token-type -d 'Type of the subject token: access_token, refresh_token, id_token, jwt, saml1, saml2 or a URI [default: access_token for a profile\'s token and stdin, jwt for the other sources]' -r
complete -c oat -n "__fish_oat_using_subcommand exchange" -l requested-token-type -d 'Type of token wanted (same names)' -r
complete -c oat -n "__fish_oat_using_subcommand exchange" -l audience -d '`audience` of the new token' -r
complete -c oat -n "__fish_oat_using_subcommand exchange" -l resource -d '`resource` of the new token (RFC 8707)' -r
complete -c oat -n "__fish_oat_using_subcommand exchange" -l scope -d 'Scope of the new token (repeat for several)' -r
complete -c oat -n "__fish_oat_using_subcommand exchange" -l authorization-details -d '`authorization_details` for the new token (RFC 9396): a JSON array of objects with a `type`; @FILE reads a file' -r
complete -c oat -n "__fish_oat_using_subcommand exchange" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand exchange" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand exchange" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand exchange" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand exchange" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand exchange" -l subject-token-stdin -d 'Read the subject token from stdin'
complete -c oat -n "__fish_oat_using_subcommand exchange" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand exchange" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand exchange" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand exchange" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand discover" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand discover" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand discover" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand discover" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand discover" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand discover" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand discover" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand discover" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand discover" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand doctor" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand doctor" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand doctor" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand doctor" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand doctor" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand doctor" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand doctor" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand doctor" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand audit" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand audit" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand audit" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand audit" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand audit" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand audit" -l fapi2 -d 'Also check the FAPI 2.0 Security Profile\'s requirements'
complete -c oat -n "__fish_oat_using_subcommand audit" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand audit" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand audit" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand audit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand demo; and not __fish_seen_subcommand_from serve help" -l port -d 'Port of the demo server [default: a free one]' -r
complete -c oat -n "__fish_oat_using_subcommand demo; and not __fish_seen_subcommand_from serve help" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand demo; and not __fish_seen_subcommand_from serve help" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand demo; and not __fish_seen_subcommand_from serve help" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand demo; and not __fish_seen_subcommand_from serve help" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand demo; and not __fish_seen_subcommand_from serve help" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand demo; and not __fish_seen_subcommand_from serve help" -l no-browser -d 'Print the sign-in URL instead of opening a browser'
complete -c oat -n "__fish_oat_using_subcommand demo; and not __fish_seen_subcommand_from serve help" -l auto-approve -d 'Approve the sign-in without showing a page (for CI)'
complete -c oat -n "__fish_oat_using_subcommand demo; and not __fish_seen_subcommand_from serve help" -l dpop -d 'Bind the demo\'s tokens to a DPoP key (RFC 9449) and show a DPoP-bound API call'
complete -c oat -n "__fish_oat_using_subcommand demo; and not __fish_seen_subcommand_from serve help" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand demo; and not __fish_seen_subcommand_from serve help" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand demo; and not __fish_seen_subcommand_from serve help" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand demo; and not __fish_seen_subcommand_from serve help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand demo; and not __fish_seen_subcommand_from serve help" -f -a "serve" -d 'Keep the demo server running for experiments and scripts (prints its issuer URL)'
complete -c oat -n "__fish_oat_using_subcommand demo; and not __fish_seen_subcommand_from serve help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oat -n "__fish_oat_using_subcommand demo; and __fish_seen_subcommand_from serve" -l port -d 'Port [default: a free one]' -r
complete -c oat -n "__fish_oat_using_subcommand demo; and __fish_seen_subcommand_from serve" -l access-ttl -d 'Lifetime of access tokens in seconds' -r
complete -c oat -n "__fish_oat_using_subcommand demo; and __fish_seen_subcommand_from serve" -l token-size -d 'Issue tokens of about this many characters (access, refresh and ID token), as large as real providers\' JWTs; for tests of the secret store' -r
complete -c oat -n "__fish_oat_using_subcommand demo; and __fish_seen_subcommand_from serve" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand demo; and __fish_seen_subcommand_from serve" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand demo; and __fish_seen_subcommand_from serve" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand demo; and __fish_seen_subcommand_from serve" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand demo; and __fish_seen_subcommand_from serve" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand demo; and __fish_seen_subcommand_from serve" -l auto-approve -d 'Approve every sign-in and device code without showing a page'
complete -c oat -n "__fish_oat_using_subcommand demo; and __fish_seen_subcommand_from serve" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand demo; and __fish_seen_subcommand_from serve" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand demo; and __fish_seen_subcommand_from serve" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand demo; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand demo; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Keep the demo server running for experiments and scripts (prints its issuer URL)'
complete -c oat -n "__fish_oat_using_subcommand demo; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oat -n "__fish_oat_using_subcommand git-credential" -l profile -d 'Answer for this profile instead of the one that serves the URL git asks about' -r
complete -c oat -n "__fish_oat_using_subcommand git-credential" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand git-credential" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand git-credential" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand git-credential" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand git-credential" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand git-credential" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand git-credential" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand git-credential" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand git-credential" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand kube-credential" -l token-kind -d 'Which token kubectl gets: id (the default for OpenID Connect profiles) or access' -r -f -a "id\t'The OpenID Connect ID token'
access\t'The access token'"
complete -c oat -n "__fish_oat_using_subcommand kube-credential" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand kube-credential" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand kube-credential" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand kube-credential" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand kube-credential" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand kube-credential" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand kube-credential" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand kube-credential" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand kube-credential" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand docker-credential" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand docker-credential" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand docker-credential" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand docker-credential" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand docker-credential" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand docker-credential" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand docker-credential" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand docker-credential" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand docker-credential" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand setup; and not __fish_seen_subcommand_from git kubectl docker help" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand setup; and not __fish_seen_subcommand_from git kubectl docker help" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand setup; and not __fish_seen_subcommand_from git kubectl docker help" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand setup; and not __fish_seen_subcommand_from git kubectl docker help" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand setup; and not __fish_seen_subcommand_from git kubectl docker help" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand setup; and not __fish_seen_subcommand_from git kubectl docker help" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand setup; and not __fish_seen_subcommand_from git kubectl docker help" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand setup; and not __fish_seen_subcommand_from git kubectl docker help" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand setup; and not __fish_seen_subcommand_from git kubectl docker help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand setup; and not __fish_seen_subcommand_from git kubectl docker help" -f -a "git" -d 'Make git ask oat for credentials (`credential.<url>.helper`)'
complete -c oat -n "__fish_oat_using_subcommand setup; and not __fish_seen_subcommand_from git kubectl docker help" -f -a "kubectl" -d 'Add an exec credential entry for oat to a kubeconfig'
complete -c oat -n "__fish_oat_using_subcommand setup; and not __fish_seen_subcommand_from git kubectl docker help" -f -a "docker" -d 'Make docker ask oat for a registry\'s credentials (`credHelpers`)'
complete -c oat -n "__fish_oat_using_subcommand setup; and not __fish_seen_subcommand_from git kubectl docker help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from git" -l host -d 'The URL git should ask oat about, e.g. https://github.com/acme/ (a bare host means https://HOST) [default: the profile\'s --url prefixes]' -r
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from git" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from git" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from git" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from git" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from git" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from git" -l dry-run -d 'Print the `git config --global` commands instead of running them'
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from git" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from git" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from git" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from git" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from kubectl" -l user -d 'The kubeconfig user to write [default: the profile name]' -r
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from kubectl" -l kubeconfig -d 'The kubeconfig file [default: kubectl\'s, $KUBECONFIG or ~/.kube/config]' -r -F
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from kubectl" -l token-kind -d 'Which token kubectl gets (see `oat kube-credential`)' -r -f -a "id\t'The OpenID Connect ID token'
access\t'The access token'"
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from kubectl" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from kubectl" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from kubectl" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from kubectl" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from kubectl" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from kubectl" -l dry-run -d 'Print the configuration instead of writing it'
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from kubectl" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from kubectl" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from kubectl" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from kubectl" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from docker" -l registry -d 'The registry host (e.g. europe-docker.pkg.dev)' -r
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from docker" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from docker" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from docker" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from docker" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from docker" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from docker" -l dry-run -d 'Print the configuration instead of writing it'
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from docker" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from docker" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from docker" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from docker" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from help" -f -a "git" -d 'Make git ask oat for credentials (`credential.<url>.helper`)'
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from help" -f -a "kubectl" -d 'Add an exec credential entry for oat to a kubeconfig'
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from help" -f -a "docker" -d 'Make docker ask oat for a registry\'s credentials (`credHelpers`)'
complete -c oat -n "__fish_oat_using_subcommand setup; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oat -n "__fish_oat_using_subcommand proxy" -l upstream -d 'Where requests go (https, or http on loopback)' -r
complete -c oat -n "__fish_oat_using_subcommand proxy" -l port -d 'The local port [default: a free one, printed at start]' -r
complete -c oat -n "__fish_oat_using_subcommand proxy" -l allow-origin -d 'A web page origin allowed to call the proxy, e.g. http://localhost:3000 (repeat for several)' -r
complete -c oat -n "__fish_oat_using_subcommand proxy" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand proxy" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand proxy" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand proxy" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand proxy" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand proxy" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand proxy" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand proxy" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand proxy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand trace" -l har -d 'Write the exchanges as HAR 1.2 to OUT (`-` for stdout), for browser dev tools and HAR viewers' -r -F
complete -c oat -n "__fish_oat_using_subcommand trace" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand trace" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand trace" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand trace" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand trace" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand trace" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand trace" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand trace" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand trace" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand completions" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand completions" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand completions" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand completions" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand completions" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand completions" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand completions" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand completions" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand man" -l config -d 'Configuration file [default: <config dir>/oat/config.toml]' -r -F
complete -c oat -n "__fish_oat_using_subcommand man" -l cacert -d 'Extra trusted CA certificates (PEM) for HTTPS' -r -F
complete -c oat -n "__fish_oat_using_subcommand man" -l timeout -d 'Longest wait for any one thing: a server\'s answer (default 30s) or the browser\'s redirect during login (default 300s); e.g. 10s, 2m' -r
complete -c oat -n "__fish_oat_using_subcommand man" -l store -d 'Where secrets are kept: the OS keyring or 0600 files [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'One JSON file per profile in the data dir (0600), for machines without a keyring'"
complete -c oat -n "__fish_oat_using_subcommand man" -l trace -d 'Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`); without it, OAT_TRACE names the file' -r -F
complete -c oat -n "__fish_oat_using_subcommand man" -s v -l verbose -d 'Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)'
complete -c oat -n "__fish_oat_using_subcommand man" -l show-secrets -d 'Do not redact secrets in -v output (a trace file is redacted all the same)'
complete -c oat -n "__fish_oat_using_subcommand man" -l json -d 'Machine-readable output on stdout'
complete -c oat -n "__fish_oat_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "profile" -d 'Add, list, show or remove profiles (one registered client at one server each)'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "login" -d 'Log in: run the profile\'s flow in the browser and store the tokens'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "logout" -d 'Revoke the stored tokens where the server supports it, then delete them'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "token" -d 'Print a valid access token, refreshing it first if it is about to expire'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "header" -d 'Print `Authorization: Bearer <token>` (`DPoP <token>` for a DPoP-bound one; same rules as `token`)'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "proof" -d 'Print `DPoP: <proof>` for one request with the profile\'s DPoP-bound token (RFC 9449), for curl'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "request" -d 'Call an API with a valid token; on 401 refresh once and retry'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "exec" -d 'Run a command with OAT_ACCESS_TOKEN and OAT_TOKEN_TYPE in its environment'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "refresh" -d 'Refresh the tokens now'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "status" -d 'Show profiles and the state of their tokens (never the tokens themselves)'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "inspect" -d 'Decode a stored token (or with --ci, the CI job\'s ID token): JWT header and claims, dates, expiry'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "decode" -d 'Decode a token given as an argument (or `-` for stdin)'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "verify" -d 'Verify a JWT as an API would: signature against the issuer\'s keys, iss, aud, exp, nbf, iat'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "introspect" -d 'Ask the server about a stored token (RFC 7662 introspection)'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "revoke" -d 'Revoke a stored token at the server (RFC 7009) and drop it here'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "userinfo" -d 'Print the OpenID Connect userinfo for the stored token'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "exchange" -d 'Exchange a token for another at the profile\'s token endpoint (RFC 8693)'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "discover" -d 'Print an issuer\'s metadata (OpenID Connect Discovery, then RFC 8414)'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "doctor" -d 'Check a set-up end to end: one line per check, with the fix'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "audit" -d 'Check a server\'s published metadata against RFC 9700 (and FAPI 2.0): one line per check'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "demo" -d 'See the whole flow against an authorization server built into oat (no account needed)'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "git-credential" -d 'git credential helper (gitcredentials(7)); `oat setup git` makes git call it'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "kube-credential" -d 'kubectl exec credential plugin: prints an ExecCredential for the profile'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "docker-credential" -d 'docker credential helper (also run as `docker-credential-oat`)'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "setup" -d 'Make git, kubectl or docker get their credentials from oat'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "proxy" -d 'A loopback reverse proxy that adds a valid token to every request it forwards'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "trace" -d 'Read a trace file (OAT_TRACE): one line per HTTP exchange (-v: with headers and bodies), or HAR 1.2'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "man" -d 'Print the man page (roff)'
complete -c oat -n "__fish_oat_using_subcommand help; and not __fish_seen_subcommand_from profile login logout token header proof request exec refresh status inspect decode verify introspect revoke userinfo exchange discover doctor audit demo git-credential kube-credential docker-credential setup proxy trace completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oat -n "__fish_oat_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "add" -d 'Register a client; with --issuer the endpoints come from discovery'
complete -c oat -n "__fish_oat_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "list" -d 'List profiles'
complete -c oat -n "__fish_oat_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "show" -d 'Show one profile (secrets are never shown)'
complete -c oat -n "__fish_oat_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "remove" -d 'Remove a profile with its stored tokens and client secret'
complete -c oat -n "__fish_oat_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "which" -d 'Which profile serves a URL (the longest of the profiles\' --url prefixes), and why'
complete -c oat -n "__fish_oat_using_subcommand help; and __fish_seen_subcommand_from demo" -f -a "serve" -d 'Keep the demo server running for experiments and scripts (prints its issuer URL)'
complete -c oat -n "__fish_oat_using_subcommand help; and __fish_seen_subcommand_from setup" -f -a "git" -d 'Make git ask oat for credentials (`credential.<url>.helper`)'
complete -c oat -n "__fish_oat_using_subcommand help; and __fish_seen_subcommand_from setup" -f -a "kubectl" -d 'Add an exec credential entry for oat to a kubeconfig'
complete -c oat -n "__fish_oat_using_subcommand help; and __fish_seen_subcommand_from setup" -f -a "docker" -d 'Make docker ask oat for a registry\'s credentials (`credHelpers`)'

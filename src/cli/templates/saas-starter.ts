import type { Template } from './template.js';

/** Self-serve SaaS: email and password (or a mailed code) into workspaces; SSO per customer later. */
export const saasStarter: Template = {
  name: 'saas-starter',
  summary: 'self-serve sign-up with passwords or one-time codes, workspaces as organizations, SSO later',
  organization: 'demo',
  secrets: [
    {
      name: 'API_WORKER_CLIENT_SECRET',
      kind: 'secret',
      comment: 'client secret of api-worker: give it to your backend',
    },
    { name: 'OWNER_PASSWORD', kind: 'password', comment: 'password of the local account owner@example.com' },
  ],
  yaml: `# Gatehouse declarative config: SaaS starter.
#
# People sign up and sign in with a password or a one-time code mailed to them, and work in
# organizations (workspaces). When a customer asks for single sign-on, give their workspace a
# connection:
#
#   gatehouse config add-sso --organization demo --provider okta --domain demo.example \\
#     --issuer https://<your org>.okta.com --client-id <id> --client-secret <secret>
#   gatehouse plan -f gatehouse.yaml && gatehouse apply -f gatehouse.yaml
#
# Secrets are \${VARIABLE} references, expanded from the environment when the file is applied:
# \`gatehouse init\` wrote them to .env (load it first: set -a; . ./.env; set +a).
version: 1

clients:
  # The browser app (single-page app): a public client, so PKCE is required and it has no secret.
  - client_id: spa
    name: Web app
    redirect_uris: [ "http://localhost:5173/callback" ]
    post_logout_redirect_uris: [ "http://localhost:5173/" ]
    grant_types: [ authorization_code, refresh_token ]
    scopes: [ openid, email, profile, organization, roles, offline_access ]
    # RFC 8707: access tokens for this API are JWTs with it as their audience.
    resources: [ "http://localhost:8080/api" ]
  # Your backend's own jobs calling the API (client credentials, no user).
  - client_id: api-worker
    name: Background worker
    client_secret: \${API_WORKER_CLIENT_SECRET}
    grant_types: [ client_credentials ]
    resources: [ "http://localhost:8080/api" ]

users:
  - email: owner@example.com
    password: \${OWNER_PASSWORD}
    name: Owner

organizations:
  # A first workspace; the admin API (or \`gatehouse orgs create\`) adds the ones customers sign up for.
  demo:
    name: Demo workspace
    domains: []
    # Nobody joins by email domain: members are invited.
    domain_policy: { sso_required: false, auto_join: false, allow_local_passwords: true }
    roles:
      - { name: owner, permissions: [ "*" ], admin: true }
      - { name: member, permissions: [ projects:read, projects:write ] }
      - { name: viewer, permissions: [ projects:read ] }
    default_role: member
    security_policies:
      mfa: optional # members may enrol a second factor
      mfa_factors: [ totp, webauthn, email ]
      magic_auth: true # sign in with a one-time code instead of a password
      session_timeout: 7d
    connections: []
    routing:
      rules: []
    provisioning: { jit: true, approval: none }
`,
};

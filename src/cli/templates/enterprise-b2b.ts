import type { Template } from './template.js';

/** Customers are enterprises bringing their own IdP: SSO required for their domains, SCIM later. */
export const enterpriseB2b: Template = {
  name: 'enterprise-b2b',
  summary: 'enterprise customers sign in through their own IdP (SSO required), local accounts for operators',
  organization: 'acme',
  secrets: [
    {
      name: 'WEB_APP_CLIENT_SECRET',
      kind: 'secret',
      comment: 'client secret of web-app: give it to your application',
    },
    {
      name: 'ADMIN_PASSWORD',
      kind: 'password',
      comment: 'password of the local operator account admin@example.com',
    },
  ],
  yaml: `# Gatehouse declarative config: enterprise B2B.
#
# Your application signs people in through Gatehouse. Each customer organization brings its own
# identity provider (Entra ID, Okta, PingFederate, AD FS, ...), and Gatehouse sends every email to
# the right one by its domain. Typical next steps:
#
#   gatehouse config add-sso --organization acme --provider azure-ad --domain acme.example \\
#     --issuer https://login.microsoftonline.com/<tenant id>/v2.0 --client-id <id> --client-secret <secret>
#   gatehouse plan -f gatehouse.yaml       # what would change, nothing written
#   gatehouse apply -f gatehouse.yaml      # all or nothing
#   gatehouse explain jane@acme.example    # which connection signs jane in, and why
#
# Secrets are \${VARIABLE} references, expanded from the environment when the file is applied:
# \`gatehouse init\` wrote them to .env (load it first: set -a; . ./.env; set +a).
version: 1

clients:
  # Your web application: authorization code flow with PKCE, as a confidential client.
  - client_id: web-app
    name: Web app
    client_secret: \${WEB_APP_CLIENT_SECRET}
    redirect_uris: [ "http://localhost:8080/callback" ]
    post_logout_redirect_uris: [ "http://localhost:8080/" ]
    grant_types: [ authorization_code, refresh_token ]
    # organization and roles put org_id, roles and permissions into the tokens.
    scopes: [ openid, email, profile, organization, roles, offline_access ]

users:
  # A local account for your own operators; customers' people sign in through their IdP.
  - email: admin@example.com
    password: \${ADMIN_PASSWORD}
    name: Operator

organizations:
  # One entry per customer, by slug (lower-case letters, digits, _ and -).
  acme:
    name: Acme Corporation
    # Email domains the customer owns; add-sso adds each domain it routes. A domain listed here
    # counts as verified: you, the operator, vouch for it.
    domains: []
    # Everyone with an Acme email signs in through Acme's IdP and joins the organization.
    domain_policy: { sso_required: true, auto_join: true, allow_local_passwords: false }
    roles:
      - { name: admin, permissions: [ "*" ], admin: true }
      - { name: member, permissions: [ app:read, app:write ] }
    default_role: member
    security_policies:
      mfa: required_for_admins # off | optional | required | required_for_admins
      trust_upstream_mfa: true # an IdP reporting MFA (amr) satisfies the policy
      session_timeout: 8h
      idle_timeout: 1h
    # Upstream identity providers: \`gatehouse config add-sso\` adds one with its IdP's defaults.
    connections: []
    # Which connection each email domain goes to; the lowest priority number wins.
    routing:
      rules: []
    provisioning:
      jit: true # create users at their first sign-in
      approval: none # none | org_admin
      # Roles from what the IdP asserts (attribute_map names them), e.g.
      # role_rules: [ { condition: "groups contains 'Acme Admins'", assign_role: admin } ]
      role_rules: []
    # SCIM user and group sync: gatehouse config add-directory --provider scim --organization acme
    directories: []
`,
};

import type { Template } from './template.js';

/** A host organization and partner companies under it, each with its own IdP and inherited roles. */
export const partnerNetwork: Template = {
  name: 'partner-network',
  summary: 'partner companies as sub-organizations of yours, each through its own IdP, under your policies',
  organization: 'globex',
  secrets: [
    {
      name: 'PARTNER_PORTAL_CLIENT_SECRET',
      kind: 'secret',
      comment: 'client secret of partner-portal: give it to the portal',
    },
    {
      name: 'PARTNER_API_CLIENT_SECRET',
      kind: 'secret',
      comment: 'client secret of partner-api: give it to the service calling your API',
    },
    {
      name: 'ADMIN_PASSWORD',
      kind: 'password',
      comment: 'password of the local operator account admin@example.com',
    },
  ],
  yaml: `# Gatehouse declarative config: partner network.
#
# You run the network (organization \`network\`); partner companies are its sub-organizations.
# Partners inherit the roles you define, and the policies you lock cannot be loosened by them.
# Each partner signs in through its own identity provider:
#
#   gatehouse config add-sso --organization globex --provider okta --domain globex.example \\
#     --saml-metadata-url https://<your org>.okta.com/app/<app id>/sso/saml/metadata
#   gatehouse plan -f gatehouse.yaml && gatehouse apply -f gatehouse.yaml
#
# Secrets are \${VARIABLE} references, expanded from the environment when the file is applied:
# \`gatehouse init\` wrote them to .env (load it first: set -a; . ./.env; set +a).
version: 1

clients:
  # The portal partners' people sign in to.
  - client_id: partner-portal
    name: Partner portal
    client_secret: \${PARTNER_PORTAL_CLIENT_SECRET}
    redirect_uris: [ "http://localhost:8080/callback" ]
    post_logout_redirect_uris: [ "http://localhost:8080/" ]
    grant_types: [ authorization_code, refresh_token ]
    scopes: [ openid, email, profile, organization, roles, offline_access ]
  # A service calling your partner API on its own behalf (client credentials).
  - client_id: partner-api
    name: Partner API client
    client_secret: \${PARTNER_API_CLIENT_SECRET}
    grant_types: [ client_credentials ]
    resources: [ "http://localhost:8080/partner-api" ]

users:
  - email: admin@example.com
    password: \${ADMIN_PASSWORD}
    name: Network operator

organizations:
  network:
    name: Example Network
    domains: []
    domain_policy: { sso_required: true, auto_join: true, allow_local_passwords: false }
    # Roles of the whole network: partners inherit them; overridable: false keeps them as defined here.
    roles:
      - { name: network_admin, permissions: [ "*" ], admin: true }
      - { name: partner_admin, permissions: [ "partner:*", orders:read, orders:write ], admin: true }
      - { name: partner_user, permissions: [ orders:read, orders:write ] }
    default_role: network_admin
    security_policies:
      mfa: required
      mfa_factors: [ totp, webauthn ]
      trust_upstream_mfa: true # a partner IdP reporting MFA (amr) satisfies the policy
      session_timeout: 12h
      locked: [ mfa, mfa_factors ] # partners may not loosen these
    connections: []
    routing:
      rules: []
    provisioning: { jit: true, approval: none }
    sub_organizations:
      # One entry per partner company.
      globex:
        name: Globex (partner)
        domains: []
        domain_policy: { sso_required: true, auto_join: true, allow_local_passwords: false }
        default_role: partner_user
        connections: []
        routing:
          rules: []
        # A partner's admins approve who joins from their company.
        provisioning: { jit: true, approval: org_admin }
`,
};

import { describe, expect, it } from '@jest/globals';
import { parseConfigText } from '../../../src/config/declarative/load.js';
import { problemsOf } from '../../support/config-problems.js';
import { organizationsExample } from '../../support/issue-example.js';

/** The example of the issue, verbatim. */
const ISSUE_EXAMPLE = organizationsExample();

/** The organizations of gatehouse.example.yaml, keys of later releases included (lines 2 to 40 here). */
const EXAMPLE_ORGANIZATIONS = `version: 1
organizations:
  maritime_underwriters:
    name: Maritime Underwriters
    domains:
      - { domain: underwriters.example, verified: true }   # verified: true only honoured for operator-applied files
      - { domain: "*.uw.example", verified: true }
    domain_policy: { sso_required: true, auto_join: true, allow_local_passwords: false }
    roles:
      - { name: senior_underwriter, permissions: ["*", manage_users, access_reports], admin: true }
      - { name: claims_adjuster, permissions: [view_claims, update_claims] }
    default_role: claims_adjuster
    security_policies:
      mfa: required_for_admins                  # off | optional | required | required_for_admins
      mfa_factors: [totp, webauthn]
      trust_upstream_mfa: true
      session_timeout: 8h
      idle_timeout: 1h
      concurrent_sessions: 3
      ip_allowlist: ["198.51.100.0/24", "2001:db8::/32"]
    branding: { display_name: Maritime Underwriters, logo_url: /assets/maritime.png, primary_color: "#1e3a8a" }
    connections:
      - id: azure
        type: oidc
        client_secret: \${MARITIME_AZURE_CLIENT_SECRET}
    routing:
      rules:
        - { domain: underwriters.example, connection: azure, priority: 1 }
    provisioning: { jit: true }
    directories: [{ id: entra-scim, type: scim }]
    impersonation: { allowed: true, approval: org_admin, max_duration: 1h }
    sub_organizations:
      marine_cargo:
        name: Marine Cargo
        roles:
          - { name: cargo_specialist, permissions: [cargo_underwriting, cargo_claims] }
  broker_network:
    name: Broker Network
    domains: [{ domain: brokers.example, verified: true }]
    roles: [{ name: broker, permissions: [submit_policies, view_quotes] }]
    plan: { tier: pro, monthly_active_users: 500, api_rate_limit: 50/s }
`;

const LATER_KEYS = /^ {4}(branding|connections|routing|provisioning|directories|impersonation|plan):/;

/** The example without the keys of later releases (and the blocks under them). */
function withoutLaterKeys(text: string): string {
  const kept: string[] = [];
  let skipping = false;
  for (const line of text.split('\n')) {
    if (LATER_KEYS.test(line)) skipping = true;
    else if (skipping && !/^ {5,}/.test(line)) skipping = false;
    if (!skipping) kept.push(line);
  }
  return kept.join('\n');
}

describe('organizations in the declarative file', () => {
  it('loads the example of the issue as is: names default to slugs, plain domains are verified', () => {
    const { organizations } = parseConfigText(ISSUE_EXAMPLE, 'gatehouse.yaml', {});
    expect(organizations).toEqual([
      {
        slug: 'maritime_underwriters',
        name: 'maritime_underwriters',
        domains: [
          { domain: 'underwriters.example', verified: true },
          { domain: 'uw.example', verified: true },
        ],
        domainPolicy: {},
        roles: [
          {
            name: 'senior_underwriter',
            description: null,
            permissions: ['*', 'manage_users', 'access_reports'],
            admin: false,
            overridable: false,
          },
          {
            name: 'claims_adjuster',
            description: null,
            permissions: ['view_claims', 'update_claims'],
            admin: false,
            overridable: false,
          },
        ],
        defaultRole: null,
        securityPolicies: { mfa: 'required_for_admins', session_timeout: '8h', concurrent_sessions: 3 },
        metadata: {},
        connections: [],
        routing: { rules: [], fallbackConnection: null },
        directories: [],
        provisioning: {},
        branding: {},
        plan: {},
        children: [
          expect.objectContaining({
            slug: 'marine_cargo',
            name: 'marine_cargo',
            roles: [
              expect.objectContaining({ name: 'cargo_specialist', permissions: ['cargo_underwriting'] }),
            ],
            children: [],
          }),
        ],
      },
    ]);
  });

  it('takes the example’s plan on a top-level organization, and refuses one on a sub-organization', () => {
    const plan = 'plan: { tier: pro, monthly_active_users: 500, api_rate_limit: 50/s }';
    const { organizations } = parseConfigText(
      `version: 1\norganizations:\n  broker_network:\n    ${plan}\n`,
      'gatehouse.yaml',
      {},
    );
    expect(organizations[0]!.plan).toEqual({
      tier: 'pro',
      monthly_active_users: 500,
      api_rate_limit: '50/s',
    });
    const nested = problemsOf(
      'version: 1\norganizations:\n  parent_org:\n    sub_organizations:\n      child_org:\n        plan: { tier: pro }\n',
    );
    expect(nested).toEqual([
      expect.stringMatching(/^6: .*child_org.*plan: a plan belongs on the top-level organization/),
    ]);
    expect(
      problemsOf('version: 1\norganizations:\n  acme:\n    plan: { tier: pro, api_rate_limit: fast }\n'),
    ).toEqual([expect.stringMatching(/^4: .*api_rate_limit: N\/s, N\/m or N\/h/)]);
  });

  it('refuses connections and directories a top-level plan does not include', () => {
    const file = `version: 1
organizations:
  acme:
    plan: { tier: basic }
    directories: [{ id: scim, type: scim }]
    sub_organizations:
      acme_eu:
        connections:
          - { id: okta, type: oidc, issuer: "https://okta.example", client_id: gh, client_secret: s }
`;
    expect(problemsOf(file)).toEqual([
      expect.stringMatching(/^5: .*directories: the basic plan of acme does not include scim/),
      expect.stringMatching(/^8: .*acme_eu\.connections: the basic plan of acme does not include sso/),
    ]);
  });

  it('keeps impersonation with the security policies, given once, at most an hour', () => {
    const file = (block: string) => `version: 1\norganizations:\n  acme:\n${block}`;
    const { organizations } = parseConfigText(
      file(
        '    security_policies: { mfa: required }\n    impersonation: { allowed: true, approval: org_admin, max_duration: 1h }\n',
      ),
      'gatehouse.yaml',
      {},
    );
    expect(organizations[0]?.securityPolicies).toEqual({
      mfa: 'required',
      impersonation: { allowed: true, approval: 'org_admin', max_duration: '1h' },
    });
    expect(
      problemsOf(
        file(
          '    security_policies: { impersonation: { allowed: false } }\n    impersonation: { allowed: true }\n',
        ),
      ),
    ).toEqual([expect.stringContaining('give impersonation once')]);
    expect(problemsOf(file('    impersonation: { allowed: true, max_duration: 2h }\n'))).toEqual([
      expect.stringContaining('impersonation lasts at most 1h'),
    ]);
  });

  it('loads the rest of the example: wildcard domains, domain policy, admin roles, every policy', () => {
    const { organizations } = parseConfigText(withoutLaterKeys(EXAMPLE_ORGANIZATIONS), 'gatehouse.yaml', {});
    expect(organizations.map((organization) => organization.slug)).toEqual([
      'maritime_underwriters',
      'broker_network',
    ]);
    const [maritime] = organizations;
    expect(maritime).toMatchObject({
      name: 'Maritime Underwriters',
      domains: [
        { domain: 'underwriters.example', verified: true },
        { domain: '*.uw.example', verified: true },
      ],
      domainPolicy: { sso_required: true, auto_join: true, allow_local_passwords: false },
      defaultRole: 'claims_adjuster',
      securityPolicies: {
        mfa: 'required_for_admins',
        mfa_factors: ['totp', 'webauthn'],
        trust_upstream_mfa: true,
        ip_allowlist: ['198.51.100.0/24', '2001:db8::/32'],
      },
      children: [expect.objectContaining({ slug: 'marine_cargo', name: 'Marine Cargo' })],
    });
    expect(maritime?.roles[0]).toMatchObject({ name: 'senior_underwriter', admin: true });
  });

  it('treats empty blocks as empty and normalizes domains; verified: false stays pending', () => {
    const { organizations } = parseConfigText(
      'version: 1\norganizations:\n  acme:\n    roles:\n    domains:\n      - { domain: Acme.EXAMPLE., verified: false }\n      - { domain: "*.eu.acme.example" }\n    sub_organizations:\n',
      'gatehouse.yaml',
      {},
    );
    expect(organizations[0]).toMatchObject({
      roles: [],
      children: [],
      domains: [
        { domain: 'acme.example', verified: false },
        { domain: '*.eu.acme.example', verified: true },
      ],
    });
    expect(parseConfigText('version: 1\norganizations:\n', 'gatehouse.yaml', {}).organizations).toEqual([]);
  });

  it('reports an unknown default_role, a locked override and a duplicate domain with their lines', () => {
    const text = `version: 1
organizations:
  insurer:
    domains: [insurer.example]
    roles:
      - { name: underwriter, permissions: [quote] }
      - { name: auditor, overridable: true }
    default_role: adjuster
    sub_organizations:
      cargo:
        domains: ["cargo.example", "INSURER.example"]
        roles:
          - { name: underwriter, permissions: ["*"] }
          - { name: auditor, permissions: [read] }
        default_role: auditor
  broker:
    domains: [{ domain: cargo.example, verified: false }]
    default_role: underwriter
`;
    expect(problemsOf(text)).toEqual([
      '8: organizations.insurer.default_role: role adjuster is not defined by this organization or inherited from a parent organization',
      '11: organizations.insurer.sub_organizations.cargo.domains[1]: insurer.example is already claimed by insurer on line 4',
      '13: organizations.insurer.sub_organizations.cargo.roles[0].name: role underwriter is inherited from insurer (line 3), which does not allow overriding it (mark it overridable: true there, or choose another name)',
      '17: organizations.broker.domains[0]: cargo.example is already claimed by cargo on line 11',
      '18: organizations.broker.default_role: role underwriter is not defined by this organization or inherited from a parent organization',
    ]);
  });

  it('reports locked policies, duplicate slugs and roles, and bad slugs and domains', () => {
    const text = `version: 1
organizations:
  holding:
    security_policies: { mfa: required, session_timeout: 8h, locked: [mfa] }
    roles: [{ name: member }, { name: member }]
    sub_organizations:
      subsidiary:
        security_policies: { mfa: optional, session_timeout: 1h }
        sub_organizations:
          branch: { security_policies: { mfa: off } }
  subsidiary: {}
  Bad_Slug: {}
  domains_org:
    domains: [localhost, "*.com"]
`;
    expect(problemsOf(text)).toEqual([
      '12: organizations.Bad_Slug: invalid key: lower-case letters, digits, _ and - (2 to 63)',
      '14: organizations.domains_org.domains[0].domain: not a domain an organization can claim (example.com or *.example.com)',
      '14: organizations.domains_org.domains[1].domain: not a domain an organization can claim (example.com or *.example.com)',
    ]);
    expect(problemsOf(text.replace('  Bad_Slug: {}\n', '').replace('[localhost, "*.com"]', '[]'))).toEqual([
      '5: organizations.holding.roles[1].name: role member is already defined on line 5',
      '8: organizations.holding.sub_organizations.subsidiary.security_policies.mfa: mfa is locked by holding (line 3); sub-organizations may not override it',
      '10: organizations.holding.sub_organizations.subsidiary.sub_organizations.branch.security_policies.mfa: mfa is locked by holding (line 3); sub-organizations may not override it',
      '11: organizations.subsidiary: organization subsidiary is already defined on line 7',
    ]);
  });

  it('rejects unknown organization fields and bad role and policy values', () => {
    const text = `version: 1
organizations:
  acme:
    colour: blue
    roles: [{ name: "bad name", permissions: ["no spaces"] }]
    security_policies: { mfa: sometimes }
`;
    expect(problemsOf(text)).toEqual([
      '4: organizations.acme.colour: unknown field',
      expect.stringMatching(/^5: organizations\.acme\.roles\[0\]\.name: /),
      expect.stringMatching(/^5: organizations\.acme\.roles\[0\]\.permissions\[0\]: /),
      expect.stringMatching(/^6: organizations\.acme\.security_policies\.mfa: /),
    ]);
  });

  const CONNECTIONS = `version: 1
organizations:
  maritime_underwriters:
    connections:
      - id: azure
        type: oidc
        preset: azure-ad
        issuer: https://login.microsoftonline.com/\${TENANT}/v2.0
        client_id: \${MARITIME_AZURE_CLIENT_ID}
        client_secret: \${MARITIME_AZURE_CLIENT_SECRET}
        scopes: [openid, email, profile]
        attribute_map: { department: business_unit }
      - id: legacy-okta
        type: saml
        preset: okta
        idp_metadata_url: https://example.okta.com/app/abc/sso/saml/metadata
        allow_idp_initiated: false
        sign_authn_requests: true
`;
  const CONNECTION_ENV = {
    TENANT: 'tenant-1',
    MARITIME_AZURE_CLIENT_ID: 'client-1',
    MARITIME_AZURE_CLIENT_SECRET: 'shh-secret',
  };

  it('loads the connections of the example file, the id as the key, with the admin API defaults', () => {
    const [organization] = parseConfigText(CONNECTIONS, 'gatehouse.yaml', CONNECTION_ENV).organizations;
    expect(organization?.connections).toEqual([
      {
        key: 'azure',
        type: 'oidc',
        preset: 'azure-ad',
        enabled: true,
        issuer: 'https://login.microsoftonline.com/tenant-1/v2.0',
        client_id: 'client-1',
        client_secret: 'shh-secret',
        scopes: ['openid', 'email', 'profile'],
        token_endpoint_auth_method: 'client_secret_basic',
        attribute_map: { department: 'business_unit' },
      },
      {
        key: 'legacy-okta',
        type: 'saml',
        preset: 'okta',
        enabled: true,
        idp_metadata_url: 'https://example.okta.com/app/abc/sso/saml/metadata',
        allow_idp_initiated: false,
        sign_authn_requests: true,
        signature_required_on: 'assertion',
        want_encrypted_assertions: false,
        allow_sha1: false,
        attribute_map: {},
      },
    ]);
  });

  it('reports duplicate connection ids and invalid connection fields with their lines', () => {
    const duplicate = `${CONNECTIONS}      - id: azure\n        type: saml\n        idp_metadata_url: https://idp.example/metadata\n`;
    expect(problemsOf(duplicate, CONNECTION_ENV)).toEqual([
      '19: organizations.maritime_underwriters.connections[2].id: connection azure is already defined on line 5',
    ]);
    const invalid = CONNECTIONS.replace('id: azure', 'id: Azure!')
      .replace('scopes: [openid, email, profile]', 'scopes: [email]')
      .replace('sign_authn_requests: true', 'sign_authn_requests: true\n        bogus: 1');
    expect(problemsOf(invalid, CONNECTION_ENV)).toEqual([
      expect.stringMatching(/^5: organizations\.maritime_underwriters\.connections\[0\]\.id: lower-case/),
      '11: organizations.maritime_underwriters.connections[0].scopes: must include openid',
      '19: organizations.maritime_underwriters.connections[1].bogus: unknown field',
    ]);
    const { MARITIME_AZURE_CLIENT_SECRET: _secret, ...withoutSecret } = CONNECTION_ENV;
    expect(problemsOf(CONNECTIONS.replace(/ {8}client_secret: .*\n/, ''), withoutSecret)).toEqual([
      '5: organizations.maritime_underwriters.connections[0].client_secret: required with token_endpoint_auth_method client_secret_basic',
    ]);
  });
});

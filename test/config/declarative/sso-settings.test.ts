import { describe, expect, it } from '@jest/globals';
import { parseConfigText } from '../../../src/config/declarative/load.js';
import { problemsOf } from '../../support/config-problems.js';

/** The routing, provisioning and branding of gatehouse.example.yaml, with the blocks they refer to. */
const EXAMPLE = `version: 1
organizations:
  maritime_underwriters:
    name: Maritime Underwriters
    domains:
      - { domain: underwriters.example, verified: true }
      - { domain: "*.uw.example", verified: true }
    roles:
      - { name: senior_underwriter, permissions: ["*", manage_users, access_reports], admin: true }
      - { name: claims_adjuster, permissions: [view_claims, update_claims] }
    default_role: claims_adjuster
    branding: { display_name: Maritime Underwriters, logo_url: /assets/maritime.png, primary_color: "#1e3a8a" }
    connections:
      - id: azure
        type: oidc
        preset: azure-ad
        issuer: https://login.microsoftonline.com/tenant/v2.0
        client_id: maritime
        client_secret: secret
      - id: legacy-okta
        type: oidc
        issuer: https://example.okta.com
        client_id: maritime
        client_secret: secret
    routing:
      rules:
        - { domain: underwriters.example, connection: azure, priority: 1 }
        - { domain: "*.uw.example", connection: legacy-okta, priority: 2 }
      fallback_connection: azure
    provisioning:
      jit: true
      approval: none                            # none | org_admin
      role_rules:
        - { condition: "maritime_role == 'Senior_Underwriter'", assign_role: senior_underwriter }
        - { condition: "business_unit in ['Marine_Cargo', 'Hull']", assign_role: claims_adjuster }
    sub_organizations:
      marine_cargo:
        roles: [{ name: cargo_specialist, permissions: [cargo_underwriting] }]
        provisioning:
          role_rules: [{ condition: "true", assign_role: claims_adjuster }]
`;

describe('routing, provisioning and branding in the declarative file', () => {
  it('loads them with the names of the example file', () => {
    const [maritime] = parseConfigText(EXAMPLE, 'gatehouse.yaml', {}).organizations;
    expect(maritime).toMatchObject({
      branding: {
        display_name: 'Maritime Underwriters',
        logo_url: '/assets/maritime.png',
        primary_color: '#1e3a8a',
      },
      routing: {
        rules: [
          { domain: 'underwriters.example', connection: 'azure', priority: 1 },
          { domain: '*.uw.example', connection: 'legacy-okta', priority: 2 },
        ],
        fallbackConnection: 'azure',
      },
      provisioning: {
        jit: true,
        approval: 'none',
        role_rules: [
          { condition: "maritime_role == 'Senior_Underwriter'", assign_role: 'senior_underwriter' },
          { condition: "business_unit in ['Marine_Cargo', 'Hull']", assign_role: 'claims_adjuster' },
        ],
      },
    });
    // An inherited role may be given by a sub-organization's rules.
    expect(maritime?.children[0]?.provisioning.role_rules).toHaveLength(1);
  });

  it('normalizes rule domains as the domains list does, and an empty routing block means none', () => {
    const text = EXAMPLE.replace(
      'domain: underwriters.example, connection',
      'domain: UNDERWRITERS.Example., connection',
    );
    const [maritime] = parseConfigText(text, 'gatehouse.yaml', {}).organizations;
    expect(maritime?.routing.rules[0]?.domain).toBe('underwriters.example');
    const empty = parseConfigText(
      'version: 1\norganizations:\n  acme:\n    routing:\n',
      'gatehouse.yaml',
      {},
    );
    expect(empty.organizations[0]?.routing).toEqual({ rules: [], fallbackConnection: null });
  });

  it('reports rules on domains or connections the organization lacks, with their lines', () => {
    const text = EXAMPLE.replace(
      '      fallback_connection: azure\n',
      '        - { domain: other.example, connection: okta, priority: 3 }\n' +
        '        - { domain: "eu.uw.example", connection: azure, priority: 3 }\n' +
        '      fallback_connection: ping\n',
    );
    expect(problemsOf(text)).toEqual([
      "29: organizations.maritime_underwriters.routing.rules[2].domain: other.example is not one of this organization's domains (list it, or a wildcard covering it, under domains)",
      '29: organizations.maritime_underwriters.routing.rules[2].connection: connection okta is not a connection of this organization (it has azure, legacy-okta)',
      '31: organizations.maritime_underwriters.routing.fallback_connection: connection ping is not a connection of this organization (it has azure, legacy-okta)',
    ]);
  });

  it('reports every bad role rule: conditions that do not parse and roles not offered', () => {
    const text = EXAMPLE.replace(
      "maritime_role == 'Senior_Underwriter'\", assign_role: senior_underwriter",
      'maritime_role ==", assign_role: senior_underwriter',
    )
      .replace('assign_role: claims_adjuster }\n    sub', 'assign_role: chief }\n    sub')
      .replace(
        '{ condition: "true", assign_role: claims_adjuster }',
        '{ condition: "true", assign_role: cargo_boss }',
      );
    expect(problemsOf(text)).toEqual([
      "34: organizations.maritime_underwriters.provisioning.role_rules[0].condition: expected a value after '==' at column 17",
      '35: organizations.maritime_underwriters.provisioning.role_rules[1].assign_role: role chief is not defined by this organization or inherited from a parent organization',
      '40: organizations.maritime_underwriters.sub_organizations.marine_cargo.provisioning.role_rules[0].assign_role: role cargo_boss is not defined by this organization or inherited from a parent organization',
    ]);
  });

  it('refuses bad branding, approval and priority values, and unknown fields', () => {
    const text = `version: 1
organizations:
  acme:
    branding: { logo_url: "javascript:alert(1)", primary_color: blue, motto: hi }
    provisioning: { approval: always }
    routing: { rules: [{ domain: acme.example, connection: x, priority: high }], fallback: x }
`;
    expect(problemsOf(text)).toEqual([
      '4: organizations.acme.branding.logo_url: an https URL or a path on this server such as /assets/logo.png',
      '4: organizations.acme.branding.primary_color: a hex colour such as #1e3a8a',
      '4: organizations.acme.branding.motto: unknown field',
      expect.stringMatching(/^5: organizations\.acme\.provisioning\.approval: /),
      expect.stringMatching(/^6: organizations\.acme\.routing\.rules\[0\]\.priority: /),
      '6: organizations.acme.routing.fallback: unknown field',
    ]);
  });
});

import { describe, expect, it } from '@jest/globals';
import { parseConfigText } from '../../../src/config/declarative/load.js';
import { problemsOf } from '../../support/config-problems.js';

const TOKEN = 'scim-token-from-the-secret-manager-0123456789';

/** The directories of gatehouse.example.yaml, with the roles they map to and a token reference. */
const EXAMPLE = `version: 1
organizations:
  maritime_underwriters:
    roles:
      - { name: senior_underwriter, permissions: ["*"] }
      - { name: claims_adjuster }
    directories:
      - id: entra-scim
        type: scim
        group_role_map: { "Underwriting Leads": senior_underwriter }
        token: \${SCIM_TOKEN}
      - id: okta-scim
    sub_organizations:
      marine_cargo:
        roles: [{ name: cargo_specialist }]
        directories:
          - id: cargo-scim
            group_role_map: { Cargo: cargo_specialist, Adjusters: claims_adjuster }
`;

const problemLines = (text: string, env: Record<string, string> = { SCIM_TOKEN: TOKEN }) =>
  problemsOf(text, env);

describe('directories in the declarative file', () => {
  it('loads them with the names of the example file: id as the key, scim by default, the token from env', () => {
    const [maritime] = parseConfigText(EXAMPLE, 'gatehouse.yaml', { SCIM_TOKEN: TOKEN }).organizations;
    expect(maritime?.directories).toEqual([
      { key: 'entra-scim', groupRoleMap: { 'Underwriting Leads': 'senior_underwriter' }, token: TOKEN },
      { key: 'okta-scim', groupRoleMap: {}, token: undefined },
    ]);
    // A sub-organization maps its own roles and inherited ones.
    expect(maritime?.children[0]?.directories).toEqual([
      {
        key: 'cargo-scim',
        groupRoleMap: { Cargo: 'cargo_specialist', Adjusters: 'claims_adjuster' },
        token: undefined,
      },
    ]);
  });

  it('names the missing token variable and its line', () => {
    expect(problemLines(EXAMPLE, {})).toEqual(['11: environment variable SCIM_TOKEN is not set']);
  });

  it('refuses a short token and says why, without quoting it', () => {
    const short = 'only-twenty-characte';
    const problems = problemLines(EXAMPLE, { SCIM_TOKEN: short });
    expect(problems).toEqual([
      '11: organizations.maritime_underwriters.directories[0].token: SCIM tokens need at least 32 characters: the token is the only secret guarding the directory',
    ]);
    expect(JSON.stringify(problems)).not.toContain(short);
    const spaced = problemLines(EXAMPLE, { SCIM_TOKEN: `${TOKEN} with spaces` });
    expect(spaced).toEqual([
      '11: organizations.maritime_underwriters.directories[0].token: SCIM tokens are printable ASCII without spaces (they travel in an HTTP header)',
    ]);
  });

  it('reports duplicate ids, unknown roles, a group mapped twice and a shared token with their lines', () => {
    const text = `version: 1
organizations:
  insurer:
    roles: [{ name: underwriter }]
    directories:
      - id: entra-scim
        token: \${SCIM_TOKEN}
      - id: entra-scim
        group_role_map:
          Leads: underwriter
          LEADS: underwriter
          Auditors: auditor
    sub_organizations:
      cargo:
        directories:
          - id: cargo-scim
            group_role_map: { "Cargo Team": underwriter, "Sales Team": broker }
            token: \${SCIM_TOKEN}
  broker:
    roles: [{ name: broker }]
    directories: [{ id: entra-scim, group_role_map: { Brokers: underwriter } }]
`;
    expect(problemLines(text)).toEqual([
      '8: organizations.insurer.directories[1].id: directory entra-scim is already defined on line 6',
      '11: organizations.insurer.directories[1].group_role_map.LEADS: group LEADS is already mapped on line 10 (group names ignore case)',
      '12: organizations.insurer.directories[1].group_role_map.Auditors: role auditor is not defined by this organization or inherited from a parent organization',
      '17: organizations.insurer.sub_organizations.cargo.directories[0].group_role_map["Sales Team"]: role broker is not defined by this organization or inherited from a parent organization',
      '18: organizations.insurer.sub_organizations.cargo.directories[0].token: the same token already opens directory insurer/entra-scim (line 7); each directory needs its own',
      // Roles of another top-level organization are not offered.
      '21: organizations.broker.directories[0].group_role_map.Brokers: role underwriter is not defined by this organization or inherited from a parent organization',
    ]);
  });

  it('refuses a bad id, another type and unknown fields, naming the field the file wrote', () => {
    const text = `version: 1
organizations:
  acme:
    directories:
      - id: Entra SCIM
        type: ldap
        client_secret: nope
      - type: scim
`;
    expect(problemLines(text)).toEqual([
      '5: organizations.acme.directories[0].id: lower-case letters, digits, _ and - (1 to 63, starting with a letter or digit)',
      expect.stringMatching(/^6: organizations\.acme\.directories\[0\]\.type: /),
      '7: organizations.acme.directories[0].client_secret: unknown field',
      '8: organizations.acme.directories[1].id: is required',
    ]);
  });
});

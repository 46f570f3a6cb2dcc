import { describe, expect, it } from '@jest/globals';
import type { Context } from 'koa';
import { providerGuide } from '../../../../src/domain/sso-setup/provider-guides.js';
import {
  connectionFromForm,
  mappingFromRows,
  mappingRowsFromForm,
  PortalFormError,
  settingsChangesFromForm,
} from '../../../../src/http/portal/sso/sso-forms.js';

const posted = (body: Record<string, string>) => ({ request: { body } }) as unknown as Context;

describe('portal SSO forms', () => {
  it('makes a disabled OIDC connection from a discovery URL, with the guide’s preset', () => {
    const input = connectionFromForm(
      posted({
        key: 'entra',
        issuer: 'https://idp.example.com/tenant/v2.0/.well-known/openid-configuration',
        client_id: 'abc',
        client_secret: 's3cret',
      }),
      providerGuide('oidc')!,
    );
    expect(input).toMatchObject({
      key: 'entra',
      type: 'oidc',
      preset: 'oidc',
      enabled: false,
      issuer: 'https://idp.example.com/tenant/v2.0',
      client_secret: 's3cret',
    });
  });

  it('refuses a SAML connection without any IdP source, and a bad key, naming the field', () => {
    const okta = providerGuide('okta')!;
    expect(() => connectionFromForm(posted({ key: 'okta' }), okta)).toThrow(/idp_metadata_url/);
    expect(() =>
      connectionFromForm(posted({ key: 'Bad Key', idp_metadata_url: 'https://x.test/m' }), okta),
    ).toThrow(PortalFormError);
  });

  it('replaces one SAML metadata source by the other, and keeps the stored secret when left blank', () => {
    expect(settingsChangesFromForm(posted({ idp_metadata_url: 'https://idp.test/m' }), 'saml')).toEqual({
      idp_metadata_url: 'https://idp.test/m',
      idp_metadata_xml: null,
    });
    expect(
      settingsChangesFromForm(posted({ issuer: 'https://idp.test', client_secret: '' }), 'oidc'),
    ).toEqual({
      issuer: 'https://idp.test',
    });
    expect(() => settingsChangesFromForm(posted({}), 'oidc')).toThrow(/nothing to change/);
  });

  it('reads the editor rows, skipping blank ones, and validates them as the admin API does', () => {
    const rows = mappingRowsFromForm(
      posted({
        map_from_0: 'memberOf',
        map_to_0: 'groups',
        map_from_1: '',
        map_to_1: '',
        map_from_2: 'dept',
        map_to_2: 'department',
        rule_condition_0: "groups contains 'A'",
        rule_role_0: 'admin',
      }),
    );
    expect(mappingFromRows(rows)).toEqual({
      attributeMap: { memberOf: 'groups', dept: 'department' },
      roleRules: [{ condition: "groups contains 'A'", assign_role: 'admin' }],
    });
    expect(() => mappingFromRows({ ...rows, map: [...rows.map, { from: 'memberOf', to: 'x' }] })).toThrow(
      /mapped twice/,
    );
    expect(() => mappingFromRows({ ...rows, map: [{ from: 'a', to: 'not a name!' }] })).toThrow(
      /attribute map/,
    );
  });
});

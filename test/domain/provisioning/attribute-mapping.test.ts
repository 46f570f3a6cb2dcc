import { describe, expect, it } from '@jest/globals';
import { mapAttributes } from '../../../src/domain/provisioning/attribute-mapping.js';
import { syncRuleRoles } from '../../../src/domain/provisioning/provisioned-roles.js';

describe('attribute mapping', () => {
  it('passes standard OIDC profile claims through when the map is empty, and drops the rest', () => {
    const claims = {
      sub: 's',
      email: 'a@x.example',
      given_name: ' Ada ',
      locale: 'en',
      groups: ['g'],
      iss: 'i',
    };
    expect(mapAttributes(claims, {})).toEqual({
      profile: { email: 'a@x.example', given_name: 'Ada', locale: 'en' },
      custom: {},
    });
  });

  it('maps upstream names to profile fields and custom attributes; lists stay lists for custom ones', () => {
    const claims = {
      'urn:oid:2.5.4.42': ['Grace', 'G.'],
      'http://schemas.xmlsoap.org/claims/Group': ['Hull', 'Cargo'],
      level: 3,
      given_name: 'ignored: the map fills given_name',
    };
    const map = {
      'urn:oid:2.5.4.42': 'given_name',
      'http://schemas.xmlsoap.org/claims/Group': 'groups',
      level: 'level',
    };
    expect(mapAttributes(claims, map)).toEqual({
      profile: { given_name: 'Grace' },
      custom: { groups: ['Hull', 'Cargo'], level: 3 },
    });
  });

  it('takes the first present of several upstream names for one attribute, in map order', () => {
    const map = { mail: 'email', upn: 'email' };
    expect(mapAttributes({ upn: 'u@x.example' }, map).profile.email).toBe('u@x.example');
    expect(mapAttributes({ mail: 'm@x.example', upn: 'u@x.example' }, map).profile.email).toBe('m@x.example');
  });

  it('keeps only strings, finite numbers and booleans', () => {
    const claims = { nested: { a: 1 }, nothing: null, mixed: [1, { b: 2 }, 'x'], nan: Number.NaN, none: [] };
    const map = { nested: 'nested', nothing: 'nothing', mixed: 'mixed', nan: 'nan', none: 'none' };
    expect(mapAttributes(claims, map).custom).toEqual({ mixed: [1, 'x'] });
  });

  it('reads only own claims and writes plain data, whatever the names', () => {
    // JSON.parse makes `__proto__` an own key, as a decoded token or assertion would.
    const claims = JSON.parse('{"__proto__": "p", "x": "y"}') as Record<string, unknown>;
    const map = JSON.parse('{"__proto__": "proto", "x": "__proto__", "constructor": "ctor"}') as Record<
      string,
      string
    >;
    const { custom } = mapAttributes(claims, map);
    expect(Object.getPrototypeOf(custom)).toBe(Object.prototype);
    expect(Object.entries(custom)).toEqual([
      ['proto', 'p'],
      ['__proto__', 'y'],
    ]);
  });
});

describe('rule roles on a membership', () => {
  it('takes back what the last rules gave and adds what the rules give now', () => {
    expect(syncRuleRoles({ roles: ['member', 'a', 'admin'], ruleRoles: ['a'] }, ['b'])).toEqual({
      roles: ['member', 'admin', 'b'],
      ruleRoles: ['b'],
    });
  });

  it('never records a role held for another reason as rule-given, so a rule cannot take it back', () => {
    const first = syncRuleRoles({ roles: ['member'], ruleRoles: [] }, ['member', 'a']);
    expect(first).toEqual({ roles: ['member', 'a'], ruleRoles: ['a'] });
    expect(syncRuleRoles(first, [])).toEqual({ roles: ['member'], ruleRoles: [] });
  });
});

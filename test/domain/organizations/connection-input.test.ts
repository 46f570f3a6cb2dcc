import { describe, expect, it } from '@jest/globals';
import {
  connectionCreateSchema,
  isUpstreamUrl,
  samlSettingsSchema,
} from '../../../src/domain/organizations/connection-input.js';

describe('connection input', () => {
  it('accepts https upstream URLs, and plain http on the loopback host only', () => {
    for (const url of [
      'https://idp.example.test/x',
      'http://localhost:8080',
      'http://127.0.0.1/x',
      'http://[::1]:3000',
    ]) {
      expect(isUpstreamUrl(url)).toBe(true);
    }
    for (const url of [
      'http://idp.example.test',
      'http://localhost.example.test',
      'ftp://idp.example.test',
      'https://user:pass@idp.example.test',
      'https://idp.example.test/#fragment',
      'not a url',
    ]) {
      expect(isUpstreamUrl(url)).toBe(false);
    }
  });

  it('asks SAML for metadata, or an SSO URL with certificates, once per problem', () => {
    const missing = samlSettingsSchema.safeParse({ idp_sso_url: 'https://idp.example.test/sso' });
    expect(missing.error?.issues.map((issue) => issue.path)).toEqual([['idp_certificates']]);
    const badCert = connectionCreateSchema.safeParse({
      key: 'x',
      type: 'saml',
      idp_sso_url: 'https://idp.example.test/sso',
      idp_certificates: ['nope'],
    });
    expect(badCert.error?.issues.map((issue) => issue.path)).toEqual([['idp_certificates', 0]]);
  });

  it('defaults OIDC scopes and auth method, and keeps presets to their protocol', () => {
    const parsed = connectionCreateSchema.parse({
      key: 'azure',
      type: 'oidc',
      issuer: 'https://login.example.test',
      client_id: 'app',
      client_secret: 'secret',
    });
    expect(parsed).toMatchObject({
      enabled: true,
      scopes: ['openid', 'email', 'profile'],
      token_endpoint_auth_method: 'client_secret_basic',
      attribute_map: {},
    });
    const wrongPreset = connectionCreateSchema.safeParse({ ...parsed, preset: 'saml' });
    expect(wrongPreset.error?.issues.map((issue) => issue.path)).toEqual([['preset']]);
  });
});

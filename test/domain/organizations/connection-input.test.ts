import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  connectionCreateSchema,
  isUpstreamUrl,
  samlSettingsSchema,
} from '../../../src/domain/organizations/connection-input.js';
import { PROJECT_ROOT } from '../../support/paths.js';

const CERTIFICATE = readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'saml', 'idp.crt'), 'utf8');

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
      idp_entity_id: 'https://idp.example.test',
      idp_certificates: ['nope'],
    });
    expect(badCert.error?.issues.map((issue) => issue.path)).toEqual([['idp_certificates', 0]]);
  });

  it('asks a manual SAML IdP for its entity ID, and IdP-initiated sign-in for its landing client', () => {
    const manual = { idp_sso_url: 'https://idp.example.test/sso', idp_certificates: [CERTIFICATE] };
    expect(samlSettingsSchema.safeParse(manual).error?.issues.map((issue) => issue.path)).toEqual([
      ['idp_entity_id'],
    ]);
    const parsed = samlSettingsSchema.parse({ ...manual, idp_entity_id: 'https://idp.example.test' });
    expect(parsed).toMatchObject({
      signature_required_on: 'assertion',
      want_encrypted_assertions: false,
      allow_idp_initiated: false,
      allow_sha1: false,
      sign_authn_requests: false,
    });
    const fromMetadata = { idp_metadata_url: 'https://idp.example.test/metadata' };
    expect(samlSettingsSchema.safeParse(fromMetadata).success).toBe(true);
    const unsolicited = samlSettingsSchema.safeParse({ ...fromMetadata, allow_idp_initiated: true });
    expect(unsolicited.error?.issues.map((issue) => issue.path)).toEqual([['idp_initiated_client']]);
    const landing = { ...fromMetadata, allow_idp_initiated: true, idp_initiated_client: 'portal' };
    expect(samlSettingsSchema.safeParse(landing).success).toBe(true);
    const signatures = samlSettingsSchema.safeParse({ ...fromMetadata, signature_required_on: 'none' });
    expect(signatures.error?.issues.map((issue) => issue.path)).toEqual([['signature_required_on']]);
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

import { describe, expect, it } from '@jest/globals';
import { settingsDigest } from '../../../src/domain/connection-health/settings-digest.js';

const base = {
  type: 'saml' as const,
  settings: { idp_metadata_url: 'https://idp.example.com/metadata', sign_authn_requests: false },
  secretCiphertext: null,
  spCertificate: 'PEM-1',
};

describe('settings digest', () => {
  it('is stable across member order, and changes with any protocol setting, secret or SP certificate', () => {
    const digest = settingsDigest(base);
    expect(
      settingsDigest({
        ...base,
        settings: { sign_authn_requests: false, idp_metadata_url: 'https://idp.example.com/metadata' },
      }),
    ).toBe(digest);
    expect(
      settingsDigest({
        ...base,
        settings: { ...base.settings, idp_metadata_url: 'https://other.example.com/m' },
      }),
    ).not.toBe(digest);
    expect(settingsDigest({ ...base, secretCiphertext: 'sealed' })).not.toBe(digest);
    expect(settingsDigest({ ...base, spCertificate: 'PEM-2' })).not.toBe(digest);
  });
});

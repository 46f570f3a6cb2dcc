import { describe, expect, it } from '@jest/globals';
import { CONNECTION_PRESETS } from '../../../src/domain/organizations/connection-input.js';
import {
  guideSteps,
  PROVIDER_GUIDES,
  providerGuide,
  serviceProviderValues,
} from '../../../src/domain/sso-setup/provider-guides.js';

describe('provider guides', () => {
  it('covers the products the portal names, each with a valid preset', () => {
    expect(PROVIDER_GUIDES.map((guide) => guide.id)).toEqual([
      'entra-id',
      'okta',
      'google-workspace',
      'pingfederate',
      'adfs',
      'oidc',
      'saml',
    ]);
    for (const guide of PROVIDER_GUIDES) expect(CONNECTION_PRESETS).toContain(guide.preset);
    expect(providerGuide('nope')).toBeUndefined();
  });

  it('fills the connection’s own values into the steps', () => {
    const values = serviceProviderValues('https://id.example.com', 'con_abc');
    expect(values).toEqual({
      entity_id: 'https://id.example.com/sso/saml/con_abc',
      acs_url: 'https://id.example.com/sso/saml/con_abc/acs',
      metadata_url: 'https://id.example.com/sso/saml/con_abc/metadata',
      redirect_uri: 'https://id.example.com/sso/oidc/con_abc/callback',
    });
    const okta = guideSteps(providerGuide('okta')!, values).join('\n');
    expect(okta).toContain(values.acs_url);
    expect(okta).toContain(values.entity_id);
    expect(okta).not.toMatch(/\{\w+\}/);
    expect(guideSteps(providerGuide('oidc')!, values).join('\n')).toContain(values.redirect_uri);
  });
});

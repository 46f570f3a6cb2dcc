import { describe, expect, it } from '@jest/globals';
import { failureReason } from '../../../src/domain/connection-health/failure-reasons.js';

describe('plain-language failure reasons', () => {
  it('explains SAML rejections by their code, saying what to check at the IdP', () => {
    expect(failureReason('saml_signature_invalid')).toMatch(/rotated its certificate/);
    expect(failureReason('saml_audience_mismatch')).toMatch(/SP entity ID/);
    expect(failureReason('saml_expired')).toMatch(/clocks/);
  });

  it('refines an OIDC rejection by its logged detail, and falls back to a general reason', () => {
    expect(failureReason('upstream_rejected', 'server responded with invalid_client')).toMatch(
      /client ID and client secret/,
    );
    expect(failureReason('upstream_rejected', 'something else')).toMatch(/could not be verified/);
    expect(failureReason('upstream_error')).toMatch(/did not sign the user in/);
  });

  it('explains provisioning refusals, and never echoes an unknown code or detail', () => {
    expect(failureReason('email_domain_not_verified')).toMatch(
      /not under a domain this organization has verified/,
    );
    const unknown = failureReason('saml_<script>', '<assertion>secret</assertion>');
    expect(unknown).not.toContain('<');
    expect(failureReason('no_such_code', 'detail text')).not.toContain('detail text');
  });
});

import { describe, expect, it } from '@jest/globals';
import { createHash, X509Certificate } from 'node:crypto';
import { connectionCertificates } from '../../../src/federation/saml/connection-certificates.js';
import { fixtureKey, IDP_ENTITY_ID } from './support/saml-context.js';

const idp = fixtureKey('idp').certificate;
const next = fixtureKey('idp-next').certificate;
const fingerprint = (pem: string) => createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');

describe('a SAML connection’s IdP certificates', () => {
  it('reads pinned certificates with their expiry and fingerprint', () => {
    const [certificate, ...rest] = connectionCertificates({
      type: 'saml',
      settings: {
        idp_entity_id: IDP_ENTITY_ID,
        idp_sso_url: 'https://idp.example.com/sso',
        idp_certificates: [idp],
      },
      upstreamMetadata: null,
    });
    expect(rest).toEqual([]);
    expect(certificate).toEqual({
      fingerprint: fingerprint(idp),
      subject: 'CN=Test IdP',
      notAfter: new Date(new X509Certificate(idp).validTo),
      state: 'current',
    });
  });

  it('reads fetched metadata with the certificates kept from before a rollover', () => {
    const certificates = connectionCertificates({
      type: 'saml',
      settings: { idp_metadata_url: 'https://idp.example.com/metadata' },
      upstreamMetadata: {
        entityId: IDP_ENTITY_ID,
        ssoRedirectUrl: 'https://idp.example.com/sso',
        certificates: [next],
        previousCertificates: [idp],
        fetchedAt: '2026-11-30T00:00:00Z',
      },
    });
    expect(certificates.map((c) => [c.fingerprint, c.state])).toEqual([
      [fingerprint(next), 'current'],
      [fingerprint(idp), 'previous'],
    ]);
  });

  it('knows none before the metadata is fetched, and none for OIDC', () => {
    expect(
      connectionCertificates({
        type: 'saml',
        settings: { idp_metadata_url: 'https://idp.example.com/m' },
        upstreamMetadata: null,
      }),
    ).toEqual([]);
    expect(connectionCertificates({ type: 'oidc', settings: {}, upstreamMetadata: null })).toEqual([]);
  });
});

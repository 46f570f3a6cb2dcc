import { createPrivateKey, createSign, X509Certificate } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { generateSpCredential } from '../../../src/federation/saml/index.js';

describe('SP credential', () => {
  it('is a self-signed RSA 3072 certificate, valid for ten years, matching its private key', async () => {
    const before = Date.now();
    const { certificate, privateKey } = await generateSpCredential('Gatehouse SAML SP con_x');
    const cert = new X509Certificate(certificate);
    expect(cert.subject).toBe('CN=Gatehouse SAML SP con_x');
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(cert.ca).toBe(false);
    const years = (Date.parse(cert.validTo) - before) / (365.25 * 86_400_000);
    expect(years).toBeGreaterThan(9.99);
    expect(years).toBeLessThan(10.01);
    const key = createPrivateKey(privateKey);
    expect(cert.checkPrivateKey(key)).toBe(true);
    const signature = createSign('RSA-SHA256').update('x').sign(key);
    expect(signature).toHaveLength(384);
    const other = await generateSpCredential('Gatehouse SAML SP con_y');
    expect(new X509Certificate(other.certificate).serialNumber).not.toBe(cert.serialNumber);
  });
});

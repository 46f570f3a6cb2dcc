import { describe, expect, it } from '@jest/globals';
import { encode, responseXml } from './support/response-builder.js';
import { expectRejection } from './support/expect-rejection.js';
import { respond } from './support/respond.js';
import { samlConnection, testSp } from './support/saml-context.js';
import { encryptAssertion } from './support/xml-signing.js';
import { assertionXml } from './support/response-builder.js';
import { fixtureKey } from './support/saml-context.js';

// Unsolicited responses keep these tests about one rule each (no AuthnRequest needed).
const idpInitiated = { allow_idp_initiated: true, idp_initiated_client: 'portal' };

describe('SAML response signatures', () => {
  it('accepts a signed assertion (the default requirement) and rejects an unsigned one', async () => {
    const t = testSp();
    const connection = samlConnection(idpInitiated);
    const signed = await respond(t.shape());
    await expect(t.sp.acceptResponse(connection, signed.form)).resolves.toBeDefined();
    await expectRejection(
      t.sp.acceptResponse(connection, (await respond(t.shape(), { sign: 'none' })).form),
      'signature_missing',
    );
  });

  it('requires the signature where the connection says: response, assertion, either, both', async () => {
    const t = testSp();
    const cases = [
      ['assertion', 'response', 'signature_missing'],
      ['response', 'assertion', 'signature_missing'],
      ['both', 'assertion', 'signature_missing'],
      ['both', 'response', 'signature_missing'],
      ['either', 'none', 'signature_missing'],
    ] as const;
    for (const [required, sign, reason] of cases) {
      const connection = samlConnection({ ...idpInitiated, signature_required_on: required });
      await expectRejection(
        t.sp.acceptResponse(connection, (await respond(t.shape(), { sign })).form),
        reason,
      );
    }
    for (const [required, sign] of [
      ['response', 'response'],
      ['either', 'response'],
      ['either', 'assertion'],
      ['both', 'both'],
    ] as const) {
      const connection = samlConnection({ ...idpInitiated, signature_required_on: required });
      await expect(
        t.sp.acceptResponse(connection, (await respond(t.shape(), { sign })).form),
      ).resolves.toBeDefined();
    }
  });

  it('rejects a signed assertion changed after signing', async () => {
    const t = testSp();
    const { xml } = await respond(t.shape());
    const tampered = xml.replace('ada@example.test', 'admin@example.test');
    await expectRejection(
      t.sp.acceptResponse(samlConnection(idpInitiated), { SAMLResponse: encode(tampered) }),
      'signature_invalid',
    );
  });

  it('rejects a signature by a key the connection does not trust, even with its certificate in KeyInfo', async () => {
    const t = testSp();
    const forged = await respond(t.shape(), { key: 'attacker' });
    expect(Buffer.from(forged.form.SAMLResponse, 'base64').toString()).toContain('X509Certificate');
    await expectRejection(
      t.sp.acceptResponse(samlConnection(idpInitiated), forged.form),
      'signature_invalid',
    );
  });

  it('refuses SHA-1 signature methods and digests unless the connection allows SHA-1', async () => {
    const t = testSp();
    const strict = samlConnection(idpInitiated);
    const sha1Method = await respond(t.shape(), { sha1Signature: true });
    const sha1Digest = await respond(t.shape(), { sha1Digest: true });
    await expectRejection(t.sp.acceptResponse(strict, sha1Method.form), 'sha1_refused');
    await expectRejection(t.sp.acceptResponse(strict, sha1Digest.form), 'sha1_refused');
    const lenient = samlConnection({ ...idpInitiated, allow_sha1: true });
    await expect(t.sp.acceptResponse(lenient, sha1Method.form)).resolves.toBeDefined();
    await expect(t.sp.acceptResponse(lenient, sha1Digest.form)).resolves.toBeDefined();
  });

  it('refuses SHA-1 inside an encrypted assertion too', async () => {
    const t = testSp();
    const { form } = await respond(t.shape(), { sha1Signature: true, sha1Digest: true, encrypt: true });
    await expectRejection(t.sp.acceptResponse(samlConnection(idpInitiated), form), 'sha1_refused');
  });

  it('accepts an encrypted assertion, and requires one when the connection wants encryption', async () => {
    const t = testSp();
    const connection = samlConnection({ ...idpInitiated, want_encrypted_assertions: true });
    const encrypted = await respond(t.shape(), { encrypt: true });
    expect((await t.sp.acceptResponse(connection, encrypted.form)).identity.subject).toBe('ada@example.test');
    await expectRejection(
      t.sp.acceptResponse(connection, (await respond(t.shape())).form),
      'encrypted_assertion_required',
    );
  });

  it('refuses RSA 1.5 key transport and assertions encrypted for another key', async () => {
    const t = testSp();
    const connection = samlConnection(idpInitiated);
    const shape = t.shape();
    const rsa15 = await encryptAssertion(assertionXml(shape), fixtureKey('sp').certificate, {
      keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-1_5',
    });
    await expectRejection(
      t.sp.acceptResponse(connection, { SAMLResponse: encode(responseXml(shape, rsa15)) }),
      'insecure_encryption',
    );
    const foreign = await encryptAssertion(assertionXml(shape), fixtureKey('attacker').certificate);
    await expectRejection(
      t.sp.acceptResponse(connection, { SAMLResponse: encode(responseXml(shape, foreign)) }),
      'decryption_failed',
    );
  });

  it('rejects a comment inside the NameID even though the signature covers the text around it', async () => {
    const t = testSp();
    // Canonicalization drops the comment, so this signature is valid over "admin@example.test.evil.test".
    const { form } = await respond(t.shape({ nameIdXml: 'admin@example.test<!---->.evil.test' }));
    await expectRejection(t.sp.acceptResponse(samlConnection(idpInitiated), form), 'comment_in_value');
    const inAttribute = await respond(
      t.shape({ attributes: { mail: 'admin@example.test<!-- x -->.evil.test' } }),
    );
    await expectRejection(
      t.sp.acceptResponse(samlConnection(idpInitiated), inAttribute.form),
      'comment_in_value',
    );
  });

  it('refuses a document with a DTD, and input that is not a base64 SAML Response', async () => {
    const t = testSp();
    const connection = samlConnection(idpInitiated);
    const { xml } = await respond(t.shape());
    const withDtd = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "x">]>${xml}`;
    await expectRejection(t.sp.acceptResponse(connection, { SAMLResponse: encode(withDtd) }), 'malformed');
    await expectRejection(t.sp.acceptResponse(connection, {}), 'malformed');
    await expectRejection(t.sp.acceptResponse(connection, { SAMLResponse: ['a'] }), 'malformed');
    await expectRejection(t.sp.acceptResponse(connection, { SAMLResponse: 'not base64!' }), 'malformed');
    await expectRejection(
      t.sp.acceptResponse(connection, { SAMLResponse: encode('<a><b></a>') }),
      'malformed',
    );
    await expectRejection(
      t.sp.acceptResponse(connection, {
        SAMLResponse: encode('<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>'),
      }),
      'malformed',
    );
  });
});

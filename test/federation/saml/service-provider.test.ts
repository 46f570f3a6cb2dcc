import { describe, expect, it } from '@jest/globals';
import { SamlRejection } from '../../../src/federation/saml/index.js';
import { ADA, answerAuthnRequest, EMAIL_CLAIM, unsolicitedResponse } from './support/samlp-idp.js';
import { CONNECTION_ID, fixtureKey, samlConnection, testSp } from './support/saml-context.js';

/** samlp, a real SAML IdP library, on the other side of every exchange here. */
describe('SAML service provider with samlp as the IdP', () => {
  const setup = (settings: Record<string, unknown> = {}) => {
    const t = testSp();
    const connection = samlConnection(settings);
    const idp = { acsUrl: t.sp.acsUrl(CONNECTION_ID), spEntityId: t.sp.spEntityId(CONNECTION_ID) };
    return { ...t, connection, idp };
  };

  it('completes an SP-initiated login: AuthnRequest, signed response, one UpstreamIdentity', async () => {
    const { sp, connection, idp } = setup();
    const { url, requestId } = await sp.startLogin(connection, 'interaction-1');
    const form = await answerAuthnRequest(url, idp);
    expect(form.RelayState).toBe('interaction-1');

    const accepted = await sp.acceptResponse(connection, form);
    expect(accepted).toMatchObject({ inResponseTo: requestId, relayState: 'interaction-1' });
    expect(accepted.identity).toMatchObject({
      connectionId: CONNECTION_ID,
      protocol: 'saml',
      subject: ADA.id,
      email: 'ada@example.test',
      claims: { [EMAIL_CLAIM]: 'ada@example.test' },
    });
    expect(accepted.identity.authenticatedAt).toBeInstanceOf(Date);
  });

  it('signs the AuthnRequest when the connection says so, and samlp verifies it with the SP certificate', async () => {
    const { sp, connection, idp } = setup({ sign_authn_requests: true });
    const { url, requestId } = await sp.startLogin(connection, 'signed');
    expect(new URL(url).searchParams.get('SigAlg')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    const form = await answerAuthnRequest(url, { ...idp, verifyRequestWith: connection.spCertificate });
    expect((await sp.acceptResponse(connection, form)).inResponseTo).toBe(requestId);

    const tampered = url.replace('RelayState=signed', 'RelayState=forged');
    await expect(
      answerAuthnRequest(tampered, { ...idp, verifyRequestWith: connection.spCertificate }),
    ).rejects.toThrow(/signature/i);
    const otherKey = { ...idp, verifyRequestWith: fixtureKey('attacker').certificate };
    await expect(answerAuthnRequest((await sp.startLogin(connection, 'x')).url, otherKey)).rejects.toThrow(
      /signature/i,
    );
  });

  it('decrypts an encrypted assertion with the connection key', async () => {
    const { sp, connection, idp } = setup({ want_encrypted_assertions: true });
    const { url } = await sp.startLogin(connection, 'enc');
    const form = await answerAuthnRequest(url, { ...idp, encryptFor: connection.spCertificate });
    expect(Buffer.from(form.SAMLResponse!, 'base64').toString()).toContain('EncryptedAssertion');
    expect((await sp.acceptResponse(connection, form)).identity.subject).toBe(ADA.id);
  });

  it('accepts a response signed on both levels when the connection requires both', async () => {
    const { sp, connection, idp } = setup({ signature_required_on: 'both' });
    const { url } = await sp.startLogin(connection, 'both');
    const form = await answerAuthnRequest(url, { ...idp, signResponse: true });
    expect((await sp.acceptResponse(connection, form)).identity.subject).toBe(ADA.id);
  });

  it('accepts IdP-initiated sign-in only when the connection allows it', async () => {
    const allowed = setup({ allow_idp_initiated: true, idp_initiated_client: 'portal' });
    const SAMLResponse = await unsolicitedResponse(allowed.idp);
    const accepted = await allowed.sp.acceptResponse(allowed.connection, {
      SAMLResponse,
      RelayState: 'deep-link',
    });
    expect(accepted).toMatchObject({ inResponseTo: null, relayState: 'deep-link' });

    const refused = setup();
    const rejection = await refused.sp
      .acceptResponse(refused.connection, { SAMLResponse: await unsolicitedResponse(refused.idp) })
      .catch((error: unknown) => error);
    expect(rejection).toBeInstanceOf(SamlRejection);
    expect((rejection as SamlRejection).reason).toBe('idp_initiated_refused');
  });

  it('reports the authentication method from the AuthnContextClassRef (RFC 8176)', async () => {
    const { sp, connection, idp } = setup();
    const { url } = await sp.startLogin(connection, 'mfa');
    const form = await answerAuthnRequest(url, {
      ...idp,
      authnContextClassRef: 'http://schemas.microsoft.com/claims/multipleauthn',
    });
    expect((await sp.acceptResponse(connection, form)).identity.authenticationMethods).toEqual(['mfa']);
  });
});

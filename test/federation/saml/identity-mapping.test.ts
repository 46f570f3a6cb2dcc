import { describe, expect, it } from '@jest/globals';
import { respond } from './support/respond.js';
import type { ResponseShape } from './support/response-builder.js';
import { samlConnection, testSp } from './support/saml-context.js';

const PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
const AC = 'urn:oasis:names:tc:SAML:2.0:ac:classes:';

async function identityFor(overrides: Partial<ResponseShape>, settings: Record<string, unknown> = {}) {
  const t = testSp();
  const { form } = await respond(t.shape(overrides));
  const connection = samlConnection({
    allow_idp_initiated: true,
    idp_initiated_client: 'portal',
    ...settings,
  });
  return (await t.sp.acceptResponse(connection, form)).identity;
}

describe('SAML assertion to UpstreamIdentity', () => {
  it('keeps the NameID as the subject and every attribute as a claim, several values as an array', async () => {
    const identity = await identityFor({
      nameIdXml: 'AAE-4711',
      nameIdFormat: PERSISTENT,
      attributes: { mail: 'ada@example.test', groups: ['engineering', 'admins'], 'urn:oid:2.5.4.42': 'Ada' },
    });
    expect(identity).toMatchObject({
      protocol: 'saml',
      subject: 'AAE-4711',
      email: 'ada@example.test',
      claims: {
        mail: 'ada@example.test',
        groups: ['engineering', 'admins'],
        'urn:oid:2.5.4.42': 'Ada',
        nameid_format: PERSISTENT,
      },
    });
  });

  it('takes the email from the configured attribute, the usual ones, or an emailAddress NameID', async () => {
    const upn = await identityFor(
      { attributes: { upn: 'ada@corp.example.test', mail: 'other@example.test' } },
      {
        email_attribute: 'upn',
      },
    );
    expect(upn.email).toBe('ada@corp.example.test');
    const wsFed = await identityFor({
      nameIdFormat: PERSISTENT,
      attributes: {
        'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': 'ada@ws.example.test',
      },
    });
    expect(wsFed.email).toBe('ada@ws.example.test');
    expect((await identityFor({})).email).toBe('ada@example.test');
    expect((await identityFor({ nameIdFormat: PERSISTENT, nameIdXml: 'AAE-4711' })).email).toBeUndefined();
  });

  it.each([
    [`${AC}PasswordProtectedTransport`, ['pwd']],
    [`${AC}SmartcardPKI`, ['sc', 'hwk']],
    [`${AC}TimeSyncToken`, ['otp']],
    ['https://refeds.org/profile/mfa', ['mfa']],
    [`${AC}unspecified`, []],
    [null, []],
  ])('translates AuthnContextClassRef %s to amr %j', async (classRef, methods) => {
    expect((await identityFor({ authnContextClassRef: classRef })).authenticationMethods).toEqual(methods);
  });

  it('reports when the user authenticated at the IdP', async () => {
    const t = testSp();
    const { form } = await respond(t.shape());
    const connection = samlConnection({ allow_idp_initiated: true, idp_initiated_client: 'portal' });
    const { identity } = await t.sp.acceptResponse(connection, form);
    expect(identity.authenticatedAt?.getTime()).toBe(t.now().getTime() - 30_000);
  });
});

import { describe, expect, it } from '@jest/globals';
import { expectRejection } from './support/expect-rejection.js';
import { respond, type RespondOptions } from './support/respond.js';
import type { ResponseShape } from './support/response-builder.js';
import { IDP_ENTITY_ID, samlConnection, testSp } from './support/saml-context.js';

const idpInitiated = { allow_idp_initiated: true, idp_initiated_client: 'portal' };

/** One rule broken per call: the shape override and who signs. */
async function attempt(overrides: Partial<ResponseShape>, options: RespondOptions = {}, settings = {}) {
  const t = testSp();
  const { form } = await respond(t.shape(overrides), options);
  return t.sp.acceptResponse(samlConnection({ ...idpInitiated, ...settings }), form);
}

describe('SAML response conditions (Profiles §4.1.4.2/§4.1.4.3, Bindings §3.5.5.2)', () => {
  it('accepts the well-formed baseline these tests break one rule at a time', async () => {
    await expect(attempt({})).resolves.toMatchObject({ identity: { subject: 'ada@example.test' } });
  });

  it('rejects a Destination other than the ACS URL', async () => {
    await expectRejection(attempt({ destination: 'https://evil.example.test/acs' }), 'destination_mismatch');
  });

  it('requires a Destination on a signed response, not on an unsigned one', async () => {
    await expectRejection(attempt({ destination: null }, { sign: 'both' }), 'destination_mismatch');
    await expect(attempt({ destination: null })).resolves.toBeDefined();
  });

  it('rejects a bearer Recipient other than the ACS URL', async () => {
    await expectRejection(attempt({ recipient: 'https://evil.example.test/acs' }), 'recipient_mismatch');
    await expectRejection(attempt({ recipient: null }), 'recipient_mismatch');
  });

  it('rejects an assertion without a bearer SubjectConfirmation', async () => {
    const holderOfKey = 'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key';
    await expectRejection(attempt({ confirmationMethod: holderOfKey }), 'subject_confirmation_missing');
  });

  it('rejects an audience other than the SP entity ID, and a missing AudienceRestriction', async () => {
    await expectRejection(attempt({ audiences: ['https://other-sp.example.test'] }), 'audience_mismatch');
    await expectRejection(attempt({ audiences: null }), 'audience_mismatch');
  });

  it("rejects an assertion Issuer other than the connection's IdP entity ID", async () => {
    await expectRejection(attempt({ assertionIssuer: 'https://evil.example.test' }), 'issuer_mismatch');
    await expectRejection(attempt({ assertionIssuer: null }), 'issuer_mismatch');
  });

  it('rejects a Response Issuer other than the IdP, and a missing one on a signed response', async () => {
    await expectRejection(attempt({ responseIssuer: 'https://evil.example.test' }), 'issuer_mismatch');
    await expectRejection(attempt({ responseIssuer: null }, { sign: 'both' }), 'issuer_mismatch');
    await expect(attempt({ responseIssuer: null })).resolves.toBeDefined();
  });

  it('checks the issuer against the entity ID from the settings, not just any the certificate signed', async () => {
    await expectRejection(
      attempt({}, {}, { idp_entity_id: 'https://other-idp.example.test' }),
      'issuer_mismatch',
    );
    await expect(attempt({ assertionIssuer: IDP_ENTITY_ID })).resolves.toBeDefined();
  });

  it('treats a status other than Success as a failure even with a signed assertion attached', async () => {
    const rejection = await expectRejection(
      attempt({
        status: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
        statusDetail: 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed',
      }),
      'status_not_success',
    );
    expect(rejection.status).toBe('urn:oasis:names:tc:SAML:2.0:status:Responder');
    expect(rejection.message).toContain('Responder/AuthnFailed');
  });

  it('rejects an assertion without an AuthnStatement', async () => {
    await expectRejection(attempt({ authnStatement: false }), 'authn_statement_missing');
  });

  it('rejects conditions it does not understand (SAML Core §2.5.1: Indeterminate)', async () => {
    const custom =
      '<saml:Condition xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="x:Custom"/>';
    await expectRejection(attempt({ extraConditions: custom }), 'condition_unsupported');
    await expect(attempt({ extraConditions: '<saml:OneTimeUse/>' })).resolves.toBeDefined();
  });
});

describe('SAML validity windows, with bounded clock skew', () => {
  const connection = samlConnection(idpInitiated);

  it('accepts within the skew and rejects beyond it, on the bearer NotOnOrAfter', async () => {
    const t = testSp({ clockSkewSeconds: 120 });
    // Conditions without times: node-saml refuses NotBefore without NotOnOrAfter as malformed.
    const shape = () =>
      t.shape({ confirmationLifetime: 60, conditionsNotBefore: null, conditionsLifetime: null });
    const late = await respond(shape());
    t.advance(170_000); // 110 s past NotOnOrAfter: inside the 120 s skew
    await expect(t.sp.acceptResponse(connection, late.form)).resolves.toBeDefined();
    const tooLate = await respond(shape());
    t.advance(190_000); // 130 s past
    await expectRejection(t.sp.acceptResponse(connection, tooLate.form), 'expired');
  });

  it('rejects expired Conditions', async () => {
    const t = testSp({ clockSkewSeconds: 0 });
    const { form } = await respond(t.shape({ conditionsLifetime: 30 }));
    t.advance(31_000);
    await expectRejection(t.sp.acceptResponse(connection, form), 'expired');
  });

  it('rejects an assertion that is not valid yet, beyond the skew', async () => {
    const t = testSp({ clockSkewSeconds: 60 });
    await expectRejection(
      t.sp.acceptResponse(connection, (await respond(t.shape({ conditionsNotBefore: 90 }))).form),
      'not_yet_valid',
    );
    await expect(
      t.sp.acceptResponse(connection, (await respond(t.shape({ conditionsNotBefore: 30 }))).form),
    ).resolves.toBeDefined();
  });

  it('rejects an assertion issued in the future, beyond the skew', async () => {
    const t = testSp({ clockSkewSeconds: 60 });
    const future = new Date(t.now().getTime() + 300_000);
    const { form } = await respond(t.shape({ now: future, conditionsNotBefore: null }));
    await expectRejection(t.sp.acceptResponse(connection, form), 'not_yet_valid');
  });

  it('refuses an unbounded skew at construction', () => {
    expect(() => testSp({ clockSkewSeconds: 3600 })).toThrow(RangeError);
  });
});

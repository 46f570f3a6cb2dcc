import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EphemeralStore } from '../../../../src/domain/ports/ephemeral-store.js';
import { expectRejection } from './expect-rejection.js';
import { respond } from './respond.js';
import { newId } from './response-builder.js';
import { samlConnection, testSp, type TestSp } from './saml-context.js';

export interface StoreUnderTest {
  store: EphemeralStore;
  close(): Promise<void>;
}

/**
 * InResponseTo and replay rules against one EphemeralStore implementation: the in-process map
 * and Redis must give the same answers, since several Gatehouse instances share the latter.
 */
export function describeRequestCorrelation(name: string, open: () => Promise<StoreUnderTest>) {
  describe(`SAML request IDs and assertion replay (${name})`, () => {
    let opened: StoreUnderTest;
    let t: TestSp;
    const connection = samlConnection();
    beforeAll(async () => {
      opened = await open();
      t = testSp({ store: opened.store });
    });
    afterAll(() => opened?.close());

    /** A response signed by the IdP answering `requestId`. */
    const answer = async (requestId: string | null, overrides = {}) =>
      (await respond(t.shape({ inResponseTo: requestId, ...overrides }))).form;

    it('accepts the answer to a request it sent, once', async () => {
      const { requestId } = await t.sp.startLogin(connection, 'state-1');
      const accepted = await t.sp.acceptResponse(connection, {
        ...(await answer(requestId)),
        RelayState: 'state-1',
      });
      expect(accepted).toMatchObject({ inResponseTo: requestId, relayState: 'state-1' });
    });

    it('rejects an InResponseTo it never issued', async () => {
      await expectRejection(t.sp.acceptResponse(connection, await answer(newId())), 'unknown_request');
    });

    it('rejects a second response to the same request (request IDs are single use)', async () => {
      const { requestId } = await t.sp.startLogin(connection, 'state-2');
      await t.sp.acceptResponse(connection, { ...(await answer(requestId)), RelayState: 'state-2' });
      const second = { ...(await answer(requestId)), RelayState: 'state-2' };
      await expectRejection(t.sp.acceptResponse(connection, second), 'replayed_request');
    });

    it('rejects the same assertion posted twice (assertion IDs kept until NotOnOrAfter)', async () => {
      const open = samlConnection({ allow_idp_initiated: true, idp_initiated_client: 'portal' });
      const form = await answer(null);
      await t.sp.acceptResponse(open, form);
      await expectRejection(t.sp.acceptResponse(open, form), 'replayed_assertion');
    });

    it('rejects a request ID issued for another connection', async () => {
      const other = { ...connection, id: 'con_other' };
      const { requestId } = await t.sp.startLogin(other, 'state-3');
      await expectRejection(t.sp.acceptResponse(connection, await answer(requestId)), 'unknown_request');
    });

    it('rejects a Response InResponseTo that disagrees with the signed assertion', async () => {
      const { requestId } = await t.sp.startLogin(connection, 'state-4');
      const form = await answer(newId(), { confirmationInResponseTo: requestId });
      await expectRejection(t.sp.acceptResponse(connection, form), 'in_response_to_mismatch');
    });

    it('rejects a RelayState other than the one sent with the request (Bindings §3.5.3)', async () => {
      const { requestId } = await t.sp.startLogin(connection, 'state-5');
      const form = { ...(await answer(requestId)), RelayState: 'forged' };
      await expectRejection(t.sp.acceptResponse(connection, form), 'relay_state_mismatch');
    });

    it('rejects an unsolicited response unless the connection allows IdP-initiated sign-in', async () => {
      await expectRejection(t.sp.acceptResponse(connection, await answer(null)), 'idp_initiated_refused');
    });
  });
}

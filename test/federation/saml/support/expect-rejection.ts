import { expect } from '@jest/globals';
import { SamlRejection, type SamlRejectionReason } from '../../../../src/federation/saml/index.js';

/** Awaits a refusal and checks its stable reason code; returns it for further checks. */
export async function expectRejection(
  work: Promise<unknown>,
  reason: SamlRejectionReason,
): Promise<SamlRejection> {
  const outcome = await work.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(SamlRejection);
  expect({ reason: (outcome as SamlRejection).reason, message: (outcome as SamlRejection).message }).toEqual({
    reason,
    message: expect.any(String),
  });
  return outcome as SamlRejection;
}

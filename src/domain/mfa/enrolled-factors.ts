import type { Database } from '../ports/repositories.js';
import { isConfirmedTotp } from './totp-factors.js';
import { isConfirmedKey } from './webauthn-factors.js';

/** Which second factors a user has confirmed, from one read of their factors. */
export interface EnrolledFactors {
  totp: boolean;
  webauthn: boolean;
}

/** The second-factor step asks for both at every sign-in: one read answers both. */
export const enrolledFactors =
  (db: Pick<Database, 'mfaFactors'>) =>
  async (userId: string): Promise<EnrolledFactors> => {
    const factors = await db.mfaFactors.listFor(userId);
    return { totp: factors.some(isConfirmedTotp), webauthn: factors.some(isConfirmedKey) };
  };

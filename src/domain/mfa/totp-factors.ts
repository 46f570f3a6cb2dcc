import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import type { Envelope } from '../../lib/crypto/envelope.js';
import { newId } from '../../lib/ids.js';
import type { EphemeralStore } from '../ports/ephemeral-store.js';
import type { MfaFactorRecord } from '../ports/mfa.js';
import type { Database } from '../ports/repositories.js';
import { factorView, recordOwnFactorChange } from './factor-audit.js';

export interface TotpFactorsDeps {
  envelope: Envelope;
  store: EphemeralStore;
  now: () => Date;
  /** Shown in authenticator apps next to the account, e.g. 'Gatehouse'. */
  issuerName: string;
}

/** RFC 6238 §4.1 / §5.2: the recommended 30-second time step. */
const PERIOD_SECONDS = 30;
/**
 * RFC 6238 §5.2 allows a transmission-delay window; one step either way (checked in seconds by
 * otplib) absorbs ordinary clock drift without widening the guessing odds more than 3x.
 */
const DRIFT_SECONDS = PERIOD_SECONDS;
/** A code stays acceptable for at most three steps (previous, current, next): remember it that long. */
const REPLAY_TTL_SECONDS = 3 * PERIOD_SECONDS;
/** RFC 4226 §4 R6 recommends a 160-bit shared secret. */
const SECRET_BYTES = 20;
const SIX_DIGITS = /^\d{6}$/;

const sealContext = (factorId: string) => `mfa-totp:${factorId}`;

export const isConfirmedTotp = (factor: MfaFactorRecord) =>
  factor.type === 'totp' && factor.confirmedAt !== null;

/** TOTP (RFC 6238) second factors: enrolment with a first code, then verification at sign-in. */
export function createTotpFactors(db: Database, deps: TotpFactorsDeps) {
  /** The RFC 6238 time step the code matches within the drift window, or undefined. */
  async function matchingStep(factor: MfaFactorRecord, code: string): Promise<number | undefined> {
    if (factor.secretCiphertext === null) return undefined;
    const secret = deps.envelope.open(factor.secretCiphertext, sealContext(factor.id));
    const epoch = Math.floor(deps.now().getTime() / 1000);
    // otplib compares the candidates in constant time.
    const result = await verifyTotp({
      secret,
      token: code,
      epoch,
      period: PERIOD_SECONDS,
      epochTolerance: DRIFT_SECONDS,
    });
    return result.valid ? Math.floor(epoch / PERIOD_SECONDS) + result.delta : undefined;
  }

  /**
   * RFC 6238 §5.2: a verifier must not accept the same OTP twice. One marker per (factor, step),
   * set atomically in the shared store, so a second instance refuses the replay too.
   */
  function claimStep(factorId: string, step: number): Promise<boolean> {
    return deps.store.putIfAbsent(`mfa:totp-used:${factorId}:${step}`, '1', REPLAY_TTL_SECONDS);
  }

  async function accept(factor: MfaFactorRecord, code: string): Promise<boolean> {
    const step = await matchingStep(factor, code);
    return step !== undefined && (await claimStep(factor.id, step));
  }

  return {
    /** Starts an enrolment: an unconfirmed factor with a fresh secret (sealed with context `mfa-totp:<id>`). */
    async beginEnrolment(userId: string, accountName: string, label?: string) {
      const factorId = newId('mfa');
      const secret = generateSecret({ length: SECRET_BYTES });
      await db.transaction(async (repos) => {
        // Only the secret last shown can be confirmed: abandoned enrolments would otherwise pile
        // up as live secrets nobody holds any more.
        for (const stale of await repos.mfaFactors.listFor(userId)) {
          if (stale.type === 'totp' && stale.confirmedAt === null) await repos.mfaFactors.delete(stale.id);
        }
        await repos.mfaFactors.create({
          id: factorId,
          userId,
          type: 'totp',
          label: label ?? null,
          secretCiphertext: deps.envelope.seal(secret, sealContext(factorId)),
        });
      });
      const otpauthUrl = generateURI({
        issuer: deps.issuerName,
        label: accountName,
        secret,
        period: PERIOD_SECONDS,
        digits: 6,
      });
      return { factorId, secret, otpauthUrl };
    },

    /** Confirms with the first code; false for a wrong or replayed code; the factor must be the user's and unconfirmed. */
    async confirmEnrolment(userId: string, factorId: string, code: string): Promise<boolean> {
      if (!SIX_DIGITS.test(code)) return false;
      const factor = await db.mfaFactors.find(factorId);
      if (!factor || factor.userId !== userId || factor.type !== 'totp' || factor.confirmedAt !== null) {
        return false;
      }
      if (!(await accept(factor, code))) return false;
      const now = deps.now();
      await db.transaction(async (repos) => {
        const confirmed = await repos.mfaFactors.update(factor.id, { confirmedAt: now, lastUsedAt: now });
        await recordOwnFactorChange(repos, userId, {
          action: 'mfa.enrol',
          targetType: 'mfa_factor',
          targetId: factor.id,
          before: null,
          after: factorView(confirmed),
        });
      });
      return true;
    },

    /** Verifies a code against the user's confirmed TOTP factors; each (factor, time step) is accepted once. */
    async verify(userId: string, code: string): Promise<boolean> {
      if (!SIX_DIGITS.test(code)) return false;
      const factors = (await db.mfaFactors.listFor(userId)).filter(isConfirmedTotp);
      for (const factor of factors) {
        if (!(await accept(factor, code))) continue;
        await db.mfaFactors.update(factor.id, { lastUsedAt: deps.now() });
        return true;
      }
      return false;
    },
  };
}

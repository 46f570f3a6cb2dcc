import { createHmac, randomBytes } from 'node:crypto';
import type { Database } from '../ports/repositories.js';
import { recordOwnFactorChange } from './factor-audit.js';

/**
 * Crockford's base32 alphabet: no I, L, O or U, and the look-alikes a user may still type are read
 * as the digit they resemble (see `normalize`). 32 symbols = 5 bits each.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const LOOK_ALIKES: Record<string, string> = { o: '0', i: '1', l: '1' };
/** 10 symbols = 50 bits per code; NIST SP 800-63B §5.1.2.1 asks at least 20 bits of a look-up secret. */
const CODE_LENGTH = 10;
const GROUP_LENGTH = 5;
const CODE_COUNT = 10;
const VALID_CODE = new RegExp(`^[${ALPHABET}]{${CODE_LENGTH}}$`);

function randomCode(): string {
  // 256 is a multiple of 32, so masking a random byte keeps every symbol equally likely.
  return [...randomBytes(CODE_LENGTH)].map((byte) => ALPHABET[byte & 31]).join('');
}

/** The canonical form that is hashed: lower case, no separators, look-alikes mapped; undefined when no code. */
function normalize(input: string): string | undefined {
  const code = input
    .toLowerCase()
    .replace(/[\s-]/g, '')
    .replace(/[oil]/g, (char) => LOOK_ALIKES[char] ?? char);
  return VALID_CODE.test(code) ? code : undefined;
}

const display = (code: string) => `${code.slice(0, GROUP_LENGTH)}-${code.slice(GROUP_LENGTH)}`;

/**
 * Single-use recovery codes (NIST SP 800-63B §5.1.2 look-up secrets): the way back in when every
 * other factor is lost. Only hashes are stored; the plain codes are shown once.
 */
export function createRecoveryCodes(db: Database, deps: { now: () => Date; pepper: Buffer }) {
  // NIST SP 800-63B §5.1.2.2: a 50-bit secret must not be stored as a bare hash someone with the
  // table could search; keyed with a server secret kept outside the database, it cannot be.
  const hashCode = (normalized: string) => createHmac('sha256', deps.pepper).update(normalized).digest('hex');
  return {
    /** 10 new codes (replacing any old ones), shown once. */
    async generate(userId: string): Promise<string[]> {
      const codes = new Set<string>();
      while (codes.size < CODE_COUNT) codes.add(randomCode());
      const hashes = [...codes].map(hashCode);
      // One transaction: a failure keeps the old set, never leaves the user with none.
      await db.transaction(async (repos) => {
        const unusedBefore = await repos.recoveryCodes.countUnused(userId);
        await repos.recoveryCodes.replaceFor(userId, hashes);
        // Counts only: neither the codes nor their hashes belong in an audit log.
        await recordOwnFactorChange(repos, userId, {
          action: 'mfa.recovery_codes',
          targetType: 'user',
          targetId: userId,
          before: { unused: unusedBefore },
          after: { unused: hashes.length },
        });
      });
      return [...codes].map(display);
    },

    /** Normalizes (case, spaces, dashes), consumes atomically; true once per code. */
    async redeem(userId: string, code: string): Promise<boolean> {
      const normalized = normalize(code);
      if (normalized === undefined) return false;
      return db.recoveryCodes.consume(userId, hashCode(normalized), deps.now());
    },

    remaining(userId: string): Promise<number> {
      return db.recoveryCodes.countUnused(userId);
    },
  };
}

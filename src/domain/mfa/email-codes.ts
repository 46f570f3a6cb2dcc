import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { EphemeralStore } from '../ports/ephemeral-store.js';
import type { Mailer } from '../ports/mailer.js';
import type { UserRecord } from '../ports/repositories.js';

/** NIST SP 800-63B §5.1.3.2: an out-of-band secret lives at most 10 minutes. */
const CODE_SECONDS = 10 * 60;
/** A 6-digit code is guessed 1 in 10^6; five tries per code keeps that at 1 in 200,000. */
const TRIES_PER_CODE = 5;
/** Codes sent per account in the window: a sign-in page must not become a way to flood a mailbox. */
const SENDS_PER_WINDOW = 5;
const SEND_WINDOW_SECONDS = 15 * 60;

/**
 * What a code proves. Each purpose has its own store keys, so a code mailed as a second factor
 * cannot be spent as a first factor (Magic Auth) or the reverse: one mailbox must not pass both.
 */
export type EmailCodePurpose = 'second_factor' | 'first_factor';
/** The second factor keeps the keys it had before first-factor codes existed (codes in flight stay valid). */
const PREFIX: Record<EmailCodePurpose, string> = { second_factor: 'mfa', first_factor: 'magic' };

const MAIL_TEXT: Record<EmailCodePurpose, (code: string) => string> = {
  second_factor: (code) =>
    `Your sign-in code is ${code}. It works once, for the next 10 minutes.\n\n` +
    'If you did not try to sign in, someone may know your password: change it, and tell your administrator.',
  first_factor: (code) =>
    `Your sign-in code is ${code}. It works once, for the next 10 minutes.\n\n` +
    'If you did not ask for it, ignore this email: nobody can sign in without the code.',
};

export type EmailCodeSent = 'sent' | 'unavailable' | 'too_many';

interface StoredCode {
  id: string;
  hash: string;
}

/**
 * One-time codes by email, as a second factor or (Magic Auth) as the first: 6 digits, 10
 * minutes, single use, a new code replacing the last. Only an HMAC (keyed by a server secret, bound to the user) sits in the
 * store: whoever reads Redis cannot try 10^6 candidates offline.
 */
export function createEmailCodes(deps: {
  store: EphemeralStore;
  mailer: Mailer;
  users: { findById(id: string): Promise<UserRecord | undefined> };
  pepper: Buffer;
  /** Default `second_factor`. */
  purpose?: EmailCodePurpose;
}) {
  const purpose = deps.purpose ?? 'second_factor';
  const prefix = PREFIX[purpose];
  const codeKey = (userId: string) => `${prefix}:email-code:${userId}`;
  const triesKey = (codeId: string) => `${prefix}:email-code-tries:${codeId}`;
  const hashOf = (userId: string, code: string) =>
    createHmac('sha256', deps.pepper).update(`${userId}\u0000${code}`).digest('hex');
  const same = (a: string, b: string) => timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
  const read = async (userId: string): Promise<StoredCode | undefined> => {
    const raw = await deps.store.get(codeKey(userId));
    return raw === undefined ? undefined : (JSON.parse(raw) as StoredCode);
  };

  /** The address codes go to: only a verified one, or a typo in an account would mail a stranger the code. */
  const addressOf = async (userId: string) => {
    const user = await deps.users.findById(userId);
    return user?.emailVerified ? user.email : undefined;
  };

  return {
    /** Whether the user can receive codes at all (a verified email address). */
    available: async (userId: string) => (await addressOf(userId)) !== undefined,

    /** Mails a new code to the user's verified address; the code sent before stops working. */
    async send(userId: string): Promise<EmailCodeSent> {
      const to = await addressOf(userId);
      if (to === undefined) return 'unavailable';
      const sends = await deps.store.hit(`${prefix}:email-code-sends:${userId}`, SEND_WINDOW_SECONDS);
      if (sends > SENDS_PER_WINDOW) return 'too_many';
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const stored: StoredCode = { id: randomUUID(), hash: hashOf(userId, code) };
      await deps.store.put(codeKey(userId), JSON.stringify(stored), CODE_SECONDS);
      await deps.mailer.send({
        to,
        subject: `Your Gatehouse sign-in code: ${code}`,
        text: MAIL_TEXT[purpose](code),
      });
      return 'sent';
    },

    /** True once for the current code; the fifth wrong try burns it. */
    async verify(userId: string, code: string): Promise<boolean> {
      if (!/^\d{6}$/.test(code)) return false;
      const current = await read(userId);
      if (current === undefined) return false;
      if (!same(current.hash, hashOf(userId, code))) {
        const tries = await deps.store.hit(triesKey(current.id), CODE_SECONDS);
        if (tries >= TRIES_PER_CODE) await deps.store.delete(codeKey(userId));
        return false;
      }
      // take() is the single-use gate: of two concurrent right answers only one gets the entry,
      // and only if it is still this code (not one that replaced it meanwhile).
      const taken = await deps.store.take(codeKey(userId));
      return taken !== undefined && (JSON.parse(taken) as StoredCode).id === current.id;
    },
  };
}
export type EmailCodes = ReturnType<typeof createEmailCodes>;

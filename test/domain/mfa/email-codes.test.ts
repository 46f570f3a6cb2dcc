import { describe, expect, it } from '@jest/globals';
import { createMemoryEphemeralStore } from '../../../src/data/memory/index.js';
import { createEmailCodes } from '../../../src/domain/mfa/email-codes.js';
import type { MailMessage } from '../../../src/domain/ports/mailer.js';
import type { UserRecord } from '../../../src/domain/ports/repositories.js';
import { movableClock } from './mfa-fixtures.js';

const user = (id: string, emailVerified: boolean): UserRecord => ({
  id,
  email: `${id}@example.test`,
  emailVerified,
  name: null,
  profile: {},
  passwordHash: null,
  managedBy: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

/** Email codes on the in-process store, whose TTLs follow a clock the test moves. */
function setUp() {
  const clock = movableClock(new Date('2026-06-01T09:00:00Z'));
  const sent: MailMessage[] = [];
  const users = new Map([
    ['usr_ada', user('usr_ada', true)],
    ['usr_unverified', user('usr_unverified', false)],
  ]);
  const codes = createEmailCodes({
    store: createMemoryEphemeralStore({ now: clock.nowMs }),
    mailer: { send: async (message) => void sent.push(message) },
    users: { findById: async (id) => users.get(id) },
    pepper: Buffer.from('email-code-test-pepper'),
  });
  const lastCode = () => /\b(\d{6})\b/.exec(sent.at(-1)?.text ?? '')?.[1] ?? '';
  const wrongFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  return { clock, sent, codes, lastCode, wrongFor };
}

describe('email one-time codes', () => {
  it('mails 6 digits to the verified address and accepts them once', async () => {
    const { sent, codes, lastCode } = setUp();
    expect(await codes.send('usr_ada')).toBe('sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe('usr_ada@example.test');
    expect(lastCode()).toMatch(/^\d{6}$/);
    expect(await codes.verify('usr_ada', lastCode())).toBe(true);
    expect(await codes.verify('usr_ada', lastCode())).toBe(false);
  });

  it('sends nothing to an unverified address', async () => {
    const { sent, codes } = setUp();
    expect(await codes.available('usr_unverified')).toBe(false);
    expect(await codes.send('usr_unverified')).toBe('unavailable');
    expect(await codes.send('usr_nobody')).toBe('unavailable');
    expect(sent).toHaveLength(0);
  });

  it('expires a code after 10 minutes', async () => {
    const { clock, codes, lastCode } = setUp();
    await codes.send('usr_ada');
    clock.advanceSeconds(10 * 60 + 1);
    expect(await codes.verify('usr_ada', lastCode())).toBe(false);
  });

  it('still accepts a code just inside its 10 minutes', async () => {
    const { clock, codes, lastCode } = setUp();
    await codes.send('usr_ada');
    clock.advanceSeconds(10 * 60 - 1);
    expect(await codes.verify('usr_ada', lastCode())).toBe(true);
  });

  it('burns a code on the fifth wrong try', async () => {
    const { codes, lastCode, wrongFor } = setUp();
    await codes.send('usr_ada');
    const code = lastCode();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(await codes.verify('usr_ada', wrongFor(code))).toBe(false);
    }
    expect(await codes.verify('usr_ada', code)).toBe(false);
  });

  it('accepts the right code after four wrong tries', async () => {
    const { codes, lastCode, wrongFor } = setUp();
    await codes.send('usr_ada');
    const code = lastCode();
    for (let attempt = 0; attempt < 4; attempt += 1) await codes.verify('usr_ada', wrongFor(code));
    expect(await codes.verify('usr_ada', code)).toBe(true);
  });

  it('replaces the previous code with a new one', async () => {
    const { codes, lastCode } = setUp();
    await codes.send('usr_ada');
    const first = lastCode();
    await codes.send('usr_ada');
    const second = lastCode();
    if (first !== second) expect(await codes.verify('usr_ada', first)).toBe(false);
    expect(await codes.verify('usr_ada', second)).toBe(true);
  });

  it('binds a code to its user', async () => {
    const { codes, lastCode } = setUp();
    await codes.send('usr_ada');
    expect(await codes.verify('usr_unverified', lastCode())).toBe(false);
    expect(await codes.verify('usr_ada', lastCode())).toBe(true);
  });

  it('limits how many codes an account is sent in 15 minutes', async () => {
    const { clock, codes } = setUp();
    for (let send = 0; send < 5; send += 1) expect(await codes.send('usr_ada')).toBe('sent');
    expect(await codes.send('usr_ada')).toBe('too_many');
    clock.advanceSeconds(15 * 60 + 1);
    expect(await codes.send('usr_ada')).toBe('sent');
  });
});

import { describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { createDevOutbox } from '../../src/mail/dev-outbox.js';

describe('dev outbox', () => {
  it('keeps the last 50 messages, oldest dropped first', async () => {
    const outbox = createDevOutbox({ logger: pino({ level: 'silent' }), logBodies: false });
    for (let index = 0; index < 55; index += 1) {
      await outbox.mailer.send({ to: 'ada@example.test', subject: `message ${index}`, text: 'hello' });
    }
    expect(outbox.messages).toHaveLength(50);
    expect(outbox.messages[0]!.subject).toBe('message 5');
    expect(outbox.messages.at(-1)!.subject).toBe('message 54');
  });

  it('logs the body only when asked (development)', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const quiet = createDevOutbox({ logger, logBodies: false });
    await quiet.mailer.send({ to: 'ada@example.test', subject: 'code', text: 'Your code is 123456' });
    expect(lines.join('')).toContain('ada@example.test');
    expect(lines.join('')).not.toContain('123456');
    const loud = createDevOutbox({ logger, logBodies: true });
    await loud.mailer.send({ to: 'ada@example.test', subject: 'code', text: 'Your code is 123456' });
    expect(lines.at(-1)).toContain('123456');
  });
});

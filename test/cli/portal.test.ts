import { describe, expect, it } from '@jest/globals';
import { parseDuration } from '../../src/cli/commands/portal.js';
import { EXIT_INVALID_INPUT } from '../../src/cli/errors.js';
import { gatehouseInProcess } from './config-in-process.js';

describe('gatehouse portal link', () => {
  it('reads durations in seconds, minutes, hours and days', () => {
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('30m')).toBe(1800);
    expect(parseDuration('24h')).toBe(86_400);
    expect(parseDuration('7d')).toBe(604_800);
    expect(() => parseDuration('soon')).toThrow('--expires');
  });

  it('refuses an unknown intent and a lifetime out of bounds before touching the database', async () => {
    const intent = await gatehouseInProcess(['portal', 'link', '--organization', 'acme', '--intent', 'all']);
    expect(intent.code).toBe(EXIT_INVALID_INPUT);
    expect(intent.stderr).toContain('--intent');
    const short = await gatehouseInProcess([
      'portal',
      'link',
      '--organization',
      'acme',
      '--intent',
      'sso',
      '--expires',
      '1m',
    ]);
    expect(short.code).toBe(EXIT_INVALID_INPUT);
    expect(short.stderr).toContain('--expires');
  });
});

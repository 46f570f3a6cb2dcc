import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseEnv } from '../../src/config/env.js';

describe('METRICS_TOKEN', () => {
  it('is optional: without it there is no /metrics', () => {
    expect(parseEnv({}).METRICS_TOKEN).toBeUndefined();
    expect(parseEnv({ METRICS_TOKEN: '' }).METRICS_TOKEN).toBeUndefined();
  });

  it('refuses a guessable token, naming the variable but not its value', () => {
    const short = 'metrics-token-too-short';
    expect(() => parseEnv({ METRICS_TOKEN: short })).toThrow(ConfigError);
    expect(() => parseEnv({ METRICS_TOKEN: short })).toThrow(/METRICS_TOKEN: needs 32\+ characters/);
    expect(() => parseEnv({ METRICS_TOKEN: short })).not.toThrow(new RegExp(short));
  });

  it('takes a token of 32 characters or more', () => {
    expect(parseEnv({ METRICS_TOKEN: 'm'.repeat(32) }).METRICS_TOKEN).toBe('m'.repeat(32));
  });
});

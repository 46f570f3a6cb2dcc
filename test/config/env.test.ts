import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseEnv } from '../../src/config/env.js';
import { assertProductionReady, productionWarnings } from '../../src/config/production-rules.js';

const KEY = 'k'.repeat(32);

describe('environment', () => {
  it('has working defaults for development', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      ISSUER: 'http://localhost:3000',
      DEMO: true,
      NODE_ENV: 'development',
    });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('names every bad variable without echoing its value', () => {
    let error: unknown;
    try {
      parseEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://secret-password@db/x', LOG_LEVEL: 'loud' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/DATABASE_URL/);
    expect(message).toMatch(/LOG_LEVEL/);
    expect(message).not.toContain('secret-password');
  });

  it('rejects short cookie keys and a key-encryption key of the wrong size', () => {
    expect(() => parseEnv({ COOKIE_KEYS: 'short' })).toThrow(/COOKIE_KEYS/);
    expect(() => parseEnv({ GATEHOUSE_KEK: Buffer.alloc(16).toString('base64url') })).toThrow(
      /GATEHOUSE_KEK/,
    );
  });

  it('refuses production with embedded services, generated secrets or demo data', () => {
    const env = parseEnv({ NODE_ENV: 'production', ISSUER: 'http://id.example.com' });
    expect(() => assertProductionReady(env, false)).toThrow(
      /DATABASE_URL[\s\S]*REDIS_URL[\s\S]*COOKIE_KEYS[\s\S]*GATEHOUSE_KEK[\s\S]*ISSUER/,
    );
    expect(() => assertProductionReady(parseEnv({ NODE_ENV: 'production', DEMO: 'true' }), true)).toThrow(
      /DEMO/,
    );
  });

  it('accepts a complete production environment', () => {
    const env = parseEnv({
      NODE_ENV: 'production',
      ISSUER: 'https://id.example.com/',
      DATABASE_URL: 'postgresql://gatehouse@db/gatehouse',
      REDIS_URL: 'redis://redis:6379',
      COOKIE_KEYS: KEY,
      GATEHOUSE_KEK: Buffer.alloc(32, 1).toString('base64url'),
    });
    expect(env.ISSUER).toBe('https://id.example.com');
    expect(env.DEMO).toBe(false);
    expect(() => assertProductionReady(env, false)).not.toThrow();
  });

  it('validates SMTP_URL without echoing it, and warns in production when it is missing', () => {
    expect(() => parseEnv({ SMTP_URL: 'http://user:secret-pass@mail.example.com' })).toThrow(/SMTP_URL/);
    expect(() => parseEnv({ SMTP_URL: 'http://user:secret-pass@mail.example.com' })).not.toThrow(
      /secret-pass/,
    );
    const smtp = parseEnv({ SMTP_URL: 'smtp://user:pass@mail.example.com:587' });
    expect(smtp.MAIL_FROM).toBe('Gatehouse <no-reply@localhost>');
    expect(productionWarnings(parseEnv({ NODE_ENV: 'production' }))).toEqual([
      expect.stringMatching(/^SMTP_URL/),
    ]);
    expect(
      productionWarnings(parseEnv({ NODE_ENV: 'production', SMTP_URL: 'smtps://mail.example.com' })),
    ).toEqual([]);
    expect(productionWarnings(parseEnv({}))).toEqual([]);
  });
});

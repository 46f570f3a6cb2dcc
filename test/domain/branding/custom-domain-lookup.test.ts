import { describe, expect, it } from '@jest/globals';
import { createCustomDomainLookup } from '../../../src/domain/branding/custom-domain-lookup.js';
import { normalizeCustomHost, requestHost } from '../../../src/domain/branding/custom-hosts.js';
import type { CustomDomainRecord } from '../../../src/domain/ports/custom-domains.js';

const row = (host: string, verified: boolean): CustomDomainRecord => ({
  id: `cdm_${host}`,
  organizationId: `org_${host.split('.')[1]}`,
  host,
  verificationToken: 'gatehouse-verification=x',
  verifiedAt: verified ? new Date('2026-11-01T00:00:00Z') : null,
  createdAt: new Date('2026-11-01T00:00:00Z'),
});

const rows = [row('login.acme.example', true), row('login.pending.example', false)];
const domains = { findByHost: async (host: string) => rows.find((candidate) => candidate.host === host) };
const lookup = (enabled: boolean) =>
  createCustomDomainLookup({ enabled, issuerHost: 'id.gatehouse.example', domains });

describe('custom domain hosts', () => {
  it('normalizes hosts and refuses what cannot be one', () => {
    expect(normalizeCustomHost('Login.ACME.example.')).toBe('login.acme.example');
    expect(normalizeCustomHost('bücher.example')).toBe('xn--bcher-kva.example');
    for (const bad of [
      '*.acme.example',
      'localhost',
      '127.0.0.1',
      'https://login.acme.example',
      'a b.example',
      'login.acme.example/x',
    ])
      expect(normalizeCustomHost(bad)).toBeUndefined();
  });

  it("reads a Host header's name without its port", () => {
    expect(requestHost('login.acme.example:8443')).toBe('login.acme.example');
    expect(requestHost('LOGIN.acme.example')).toBe('login.acme.example');
    expect(requestHost('login.acme.example, evil.example')).toBe('login.acme.example');
    expect(requestHost('[::1]:3000')).toBeUndefined();
    expect(requestHost(undefined)).toBeUndefined();
  });
});

describe('host -> organization', () => {
  it('a verified custom domain names its organization', async () => {
    expect((await lookup(true)('login.acme.example:443'))?.organizationId).toBe('org_acme');
  });

  it('an unverified or unknown host, or the issuer host, names none', async () => {
    expect(await lookup(true)('login.pending.example')).toBeUndefined();
    expect(await lookup(true)('evil.example')).toBeUndefined();
    expect(await lookup(true)('id.gatehouse.example')).toBeUndefined();
    expect(await lookup(true)(undefined)).toBeUndefined();
  });

  it('with CUSTOM_DOMAINS off, even a verified host names none', async () => {
    expect(await lookup(false)('login.acme.example')).toBeUndefined();
  });
});

import { describe, expect, it } from '@jest/globals';
import {
  chooseRule,
  ipAllowed,
  mfaSatisfied,
  ruleLapse,
  unmetCondition,
} from '../../../src/domain/federations/trust-rule-decision.js';
import type { PartnerRuleRow } from '../../../src/domain/ports/federations.js';

const NOW = new Date('2026-11-30T12:00:00Z');
const hours = (n: number) => new Date(NOW.getTime() + n * 3_600_000);

function row(overrides: {
  id?: string;
  source?: string;
  frozenAt?: Date | null;
  sourceFrozen?: boolean;
  validFrom?: Date | null;
  validUntil?: Date | null;
  permissions?: string[];
}): PartnerRuleRow {
  const source = overrides.source ?? 'broker_network';
  return {
    rule: {
      id: overrides.id ?? `ftr_${source}`,
      federationId: 'fed_1',
      sourceOrganizationId: `org_${source}`,
      targetOrganizationId: 'org_target',
      permissions: overrides.permissions ?? ['submit_quotes'],
      requiresMfa: false,
      ipRestrictions: [],
      validFrom: overrides.validFrom ?? null,
      validUntil: overrides.validUntil ?? null,
      createdAt: NOW,
    },
    federation: { id: 'fed_1', slug: 'broker_trust', frozenAt: overrides.frozenAt ?? null },
    source: { id: `org_${source}`, slug: source, frozen: overrides.sourceFrozen ?? false },
  };
}

describe('trust rule in force', () => {
  it('holds inside its window, and without one', () => {
    expect(ruleLapse(row({}), NOW)).toBeUndefined();
    expect(ruleLapse(row({ validFrom: hours(-1), validUntil: hours(1) }), NOW)).toBeUndefined();
    // valid_from is inclusive, valid_until exclusive.
    expect(ruleLapse(row({ validFrom: NOW }), NOW)).toBeUndefined();
    expect(ruleLapse(row({ validUntil: NOW }), NOW)).toBe('expired');
  });

  it('lapses before its window, after it, and while frozen', () => {
    expect(ruleLapse(row({ validFrom: hours(1) }), NOW)).toBe('not_yet_valid');
    expect(ruleLapse(row({ validUntil: hours(-1) }), NOW)).toBe('expired');
    expect(ruleLapse(row({ frozenAt: hours(-1) }), NOW)).toBe('federation_frozen');
    expect(ruleLapse(row({ sourceFrozen: true }), NOW)).toBe('source_frozen');
    // The kill switch wins over a window that would otherwise hold.
    expect(ruleLapse(row({ frozenAt: hours(-1), validFrom: hours(-2) }), NOW)).toBe('federation_frozen');
  });
});

describe('choosing the rule among several source organizations', () => {
  it('takes the only rule there is, and nothing when there is none', () => {
    expect(chooseRule([row({})], NOW)).toEqual({ row: row({}) });
    expect(chooseRule([], NOW)).toBeUndefined();
  });

  it('never merges rules: the first source organization in slug order decides', () => {
    const zulu = row({ id: 'ftr_a', source: 'zulu', permissions: ['everything'] });
    const alpha = row({ id: 'ftr_z', source: 'alpha', permissions: ['view_only'] });
    expect(chooseRule([zulu, alpha], NOW)?.row.rule.permissions).toEqual(['view_only']);
    expect(chooseRule([alpha, zulu], NOW)?.row.rule.permissions).toEqual(['view_only']);
  });

  it('skips rules out of force for one in force, and reports a lapse when none is', () => {
    const frozen = row({ source: 'alpha', frozenAt: hours(-1) });
    const live = row({ source: 'beta' });
    expect(chooseRule([frozen, live], NOW)).toEqual({ row: live });
    expect(chooseRule([frozen], NOW)).toEqual({ row: frozen, lapse: 'federation_frozen' });
  });
});

describe('rule conditions', () => {
  const ranges = ['203.0.113.0/24', '2001:db8:abcd::/48'];

  it('admits addresses inside the ranges, IPv4, IPv6 and IPv4-mapped IPv6', () => {
    expect(ipAllowed(ranges, '203.0.113.7')).toBe(true);
    expect(ipAllowed(ranges, '::ffff:203.0.113.7')).toBe(true);
    expect(ipAllowed(ranges, '2001:db8:abcd:1::5')).toBe(true);
  });

  it('refuses addresses outside them, and an unknown address when ranges are set', () => {
    expect(ipAllowed(ranges, '198.51.100.7')).toBe(false);
    expect(ipAllowed(ranges, '::ffff:198.51.100.7')).toBe(false);
    expect(ipAllowed(ranges, '2001:db8:abce::1')).toBe(false);
    expect(ipAllowed(ranges, undefined)).toBe(false);
    expect(ipAllowed([], undefined)).toBe(true);
    expect(ipAllowed([], '198.51.100.7')).toBe(true);
  });

  it('counts a second factor from amr, as the MFA step does', () => {
    expect(mfaSatisfied(['pwd', 'otp', 'mfa'])).toBe(true);
    expect(mfaSatisfied(['pwd', 'hwk'])).toBe(true);
    expect(mfaSatisfied(['pwd'])).toBe(false);
    expect(mfaSatisfied(undefined)).toBe(false);
  });

  it('names the first unmet condition; MFA only once the methods are known', () => {
    const rule = { requiresMfa: true, ipRestrictions: ['203.0.113.0/24'] };
    expect(unmetCondition(rule, { ip: '198.51.100.1', amr: ['pwd'] })).toBe('ip_not_allowed');
    expect(unmetCondition(rule, { ip: '203.0.113.1', amr: ['pwd'] })).toBe('mfa_required');
    expect(unmetCondition(rule, { ip: '203.0.113.1', amr: ['pwd', 'otp'] })).toBeUndefined();
    expect(unmetCondition(rule, { ip: '203.0.113.1' })).toBeUndefined();
    expect(unmetCondition({ requiresMfa: false, ipRestrictions: [] }, {})).toBeUndefined();
  });
});

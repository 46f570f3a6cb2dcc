import { describe, expect, it } from '@jest/globals';
import { auditFilterOf, auditQuerySchema } from '../../../src/domain/audit/audit-query.js';
import { RuleViolationError } from '../../../src/domain/errors.js';

describe('audit query filters', () => {
  const filterOf = (input: Record<string, string>) => auditFilterOf(auditQuerySchema.parse(input));

  it('turns a trailing * into a prefix and RFC 3339 instants into dates', () => {
    expect(filterOf({ action: 'login.*', from: '2026-01-31T10:00:00+01:00' })).toEqual({
      actionPrefix: 'login.',
      from: new Date('2026-01-31T09:00:00Z'),
    });
    expect(filterOf({ action: 'role.update', actor_type: 'api_key', actor_id: 'key_1' })).toEqual({
      action: 'role.update',
      actorType: 'api_key',
      actorId: 'key_1',
    });
    expect(filterOf({ action: '*', target_type: 'user', target_id: 'usr_1' })).toEqual({
      targetType: 'user',
      targetId: 'usr_1',
    });
  });

  it('refuses malformed filters and an empty time range', () => {
    expect(auditQuerySchema.safeParse({ action: 'log*in' }).success).toBe(false);
    expect(auditQuerySchema.safeParse({ from: '2026-01-31' }).success).toBe(false);
    expect(auditQuerySchema.safeParse({ actor_type: 'robot' }).success).toBe(false);
    expect(auditQuerySchema.safeParse({ colour: 'red' }).success).toBe(false);
    expect(() => filterOf({ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' })).toThrow(
      RuleViolationError,
    );
  });
});

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigFileError, parseConfigText } from '../../../src/config/declarative/load.js';
import { openDatabase, type OpenedDatabase } from '../../../src/data/database.js';
import { applyConfig } from '../../../src/domain/config/apply.js';
import type { ConfigDeps } from '../../../src/domain/config/desired-state.js';
import { planConfig } from '../../../src/domain/config/plan.js';
import { RuleViolationError } from '../../../src/domain/errors.js';
import { createFederationsAdmin } from '../../../src/domain/federations/federations-admin.js';
import { ENVIRONMENT_SCOPE, type AdminPrincipal } from '../../../src/domain/organizations/admin-principal.js';
import { createEnvelope } from '../../../src/lib/crypto/envelope.js';
import { createArgon2Hasher } from '../../../src/lib/crypto/password.js';
import { MIGRATIONS_DIR } from '../../support/paths.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/scratch-database.js';

const SOURCE = 'federations.yaml';
const deps: ConfigDeps = {
  envelope: createEnvelope(randomBytes(32)),
  hasher: createArgon2Hasher(),
  source: SOURCE,
};
const operator: AdminPrincipal = { actor: { type: 'cli', id: 'tester' }, scope: ENVIRONMENT_SCOPE };
const desired = (text: string) => parseConfigText(text, SOURCE, {});

const ORGANIZATIONS = `version: 1
organizations:
  maritime_underwriters:
    name: Maritime Underwriters
    roles:
      - { name: senior_underwriter, permissions: ["*", manage_users, access_reports], admin: true }
  broker_network:
    name: Broker Network
    roles: [{ name: broker, permissions: [submit_policies, view_quotes] }]
`;
/** The federations section of gatehouse.example.yaml, verbatim. */
const EXAMPLE = `${ORGANIZATIONS}
federations:
  broker_trust:
    members: [broker_network, maritime_underwriters]
    rules:
      - source: broker_network
        target: maritime_underwriters
        permissions: [submit_quotes, view_bound_policies]
        requires_mfa: true
        ip_restrictions: ["203.0.113.0/24"]
`;

const problemsOf = (text: string) => {
  try {
    desired(text);
  } catch (error) {
    if (error instanceof ConfigFileError) return error.problems.map((p) => `${p.line}: ${p.message}`);
    throw error;
  }
  throw new Error('expected the file to be rejected');
};

describe('declarative federations', () => {
  let scratch: ScratchDatabase;
  let db: OpenedDatabase;

  beforeAll(async () => {
    // Apply deletes config-owned rows the file no longer lists: a database of its own.
    scratch = await createScratchDatabase('gatehouse_federation_apply');
    db = await openDatabase({ url: scratch.url, dataDir: '/nonexistent' });
    await db.migrate(MIGRATIONS_DIR);
  });
  afterAll(async () => {
    await db?.close();
    await scratch?.drop();
  });

  it('refuses rules naming non-members, onto itself or twice, bad networks and windows, naming lines', () => {
    const text = `version: 1
federations:
  broker_trust:
    members: [a_org, b_org]
    rules:
      - { source: a_org, target: c_org, permissions: [x] }
      - { source: a_org, target: a_org, permissions: [x] }
      - { source: b_org, target: a_org, permissions: [x], ip_restrictions: ["10.0.0.0/33"] }
      - { source: a_org, target: b_org, permissions: [x], valid_from: "2027-01-01", valid_until: "2026-01-01" }
      - { source: a_org, target: b_org, permissions: [] }
`;
    expect(problemsOf(text)).toEqual([
      '6: federations.broker_trust.rules[0].target: c_org is not listed under members',
      '7: federations.broker_trust.rules[1].target: source and target must be different organizations',
      '8: federations.broker_trust.rules[2].ip_restrictions[0]: a CIDR network such as 203.0.113.0/24 or 2001:db8::/32',
      '9: federations.broker_trust.rules[3].valid_until: valid_until must be after valid_from',
      '10: federations.broker_trust.rules[4]: a second rule for a_org -> b_org',
      '10: federations.broker_trust.rules[4].permissions: Too small: expected array to have >=1 items',
    ]);
  });

  it('applies the example, then a second apply writes nothing', async () => {
    const first = await applyConfig(db, desired(EXAMPLE), deps);
    const lines = first.entries.map((entry) => `${entry.kind} ${entry.id} ${entry.action}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        'federation broker_trust create',
        'trust_rule broker_trust/broker_network->maritime_underwriters create',
      ]),
    );
    const detail = await createFederationsAdmin(db).get(operator, 'broker_trust');
    const [brokers, maritime] = await Promise.all([
      db.organizations.findBySlug('broker_network'),
      db.organizations.findBySlug('maritime_underwriters'),
    ]);
    expect(detail.federation).toMatchObject({ slug: 'broker_trust', managedBy: 'config', frozenAt: null });
    expect(detail.members.map((member) => member.slug).sort()).toEqual([
      'broker_network',
      'maritime_underwriters',
    ]);
    expect(detail.rules).toEqual([
      expect.objectContaining({
        sourceOrganizationId: brokers!.id,
        targetOrganizationId: maritime!.id,
        permissions: ['submit_quotes', 'view_bound_policies'],
        requiresMfa: true,
        ipRestrictions: ['203.0.113.0/24'],
        validFrom: null,
        validUntil: null,
      }),
    ]);
    const audit = await db.audit.list({ actorId: SOURCE, actionPrefix: 'trust_rule.' }, { limit: 10 });
    expect(audit.map((record) => [record.action, record.organizationId])).toEqual([
      ['trust_rule.create', maritime!.id],
    ]);

    const again = await applyConfig(db, desired(EXAMPLE), deps);
    expect(again.entries.filter((entry) => entry.action !== 'unchanged')).toEqual([]);
  });

  it('plans and applies a changed rule by field, leaves a freeze alone, and removes what the file drops', async () => {
    await applyConfig(db, desired(EXAMPLE), deps);
    await createFederationsAdmin(db).freeze(operator, 'broker_trust', 'incident');
    const changed = EXAMPLE.replace('requires_mfa: true', 'requires_mfa: false').replace(
      'ip_restrictions: ["203.0.113.0/24"]',
      'ip_restrictions: ["203.0.113.0/24", "2001:db8::/32"]\n        valid_until: 2030-01-01T00:00:00Z',
    );
    const plan = await planConfig(db, desired(changed), deps);
    expect(plan.find((entry) => entry.kind === 'trust_rule')).toEqual({
      kind: 'trust_rule',
      id: 'broker_trust/broker_network->maritime_underwriters',
      action: 'update',
      changes: ['requires_mfa', 'ip_restrictions', 'valid_until'],
    });
    await applyConfig(db, desired(changed), deps);
    const detail = await createFederationsAdmin(db).get(operator, 'broker_trust');
    expect(detail.rules[0]).toMatchObject({
      requiresMfa: false,
      validUntil: new Date('2030-01-01T00:00:00Z'),
    });
    expect(detail.federation.frozenReason).toBe('incident');

    const removed = await applyConfig(db, desired(ORGANIZATIONS), deps);
    expect(removed.entries.filter((entry) => entry.kind === 'federation')).toEqual([
      { kind: 'federation', id: 'broker_trust', action: 'delete', changes: [] },
    ]);
    expect(await db.federations.findBySlug('broker_trust')).toBeUndefined();
  });

  it('refuses a member that is neither in the file nor stored, writing nothing', async () => {
    const text = `version: 1
federations:
  lonely:
    members: [nowhere_org]
`;
    await expect(applyConfig(db, desired(text), deps)).rejects.toThrow(RuleViolationError);
    expect(await db.federations.findBySlug('lonely')).toBeUndefined();
  });
});

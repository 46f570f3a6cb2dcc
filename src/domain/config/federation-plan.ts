import { newId } from '../../lib/ids.js';
import { NotFoundError, RuleViolationError } from '../errors.js';
import { recordChange } from '../organizations/tenancy-scope.js';
import type { FederationRecord, TrustRuleRecord } from '../ports/federations.js';
import type { Repositories } from '../ports/repositories.js';
import type { Actor } from '../ports/tenancy.js';
import {
  CONFIG_OWNER,
  type DesiredFederation,
  type DesiredTrustRule,
  type PlannedChange,
} from './desired-state.js';

interface Context {
  actor: Actor;
}

const RULE_FIELDS = ['permissions', 'requiresMfa', 'ipRestrictions', 'validFrom', 'validUntil'] as const;
const FIELD_NAMES: Record<(typeof RULE_FIELDS)[number], string> = {
  permissions: 'permissions',
  requiresMfa: 'requires_mfa',
  ipRestrictions: 'ip_restrictions',
  validFrom: 'valid_from',
  validUntil: 'valid_until',
};
const ruleKey = (source: string, target: string) => `${source}->${target}`;
const same = (a: unknown, b: unknown) =>
  a instanceof Date || b instanceof Date
    ? (a as Date | null)?.getTime() === (b as Date | null)?.getTime()
    : JSON.stringify(a) === JSON.stringify(b);

async function organizationId(repos: Repositories, slug: string): Promise<string> {
  const organization = await repos.organizations.findBySlug(slug);
  if (!organization) throw new NotFoundError(`organization ${slug}`);
  return organization.id;
}

async function everyFederation(repos: Repositories): Promise<FederationRecord[]> {
  const all: FederationRecord[] = [];
  for (let page = await repos.federations.list({ limit: 200 }); page.length > 0;) {
    all.push(...page);
    page = await repos.federations.list({ after: page[page.length - 1]!.id, limit: 200 });
  }
  return all;
}

/**
 * Compares the file's federations with the stored ones. The file's members and rules are each
 * federation's whole lists; a federation the file dropped is deleted only if the file made it.
 * A freeze is an operator's act, not the file's: apply never freezes or unfreezes.
 */
export async function planFederations(
  repos: Repositories,
  desired: readonly DesiredFederation[] | undefined,
  declaredOrganizations: ReadonlySet<string>,
  context: Context,
): Promise<PlannedChange[]> {
  if (desired === undefined) return [];
  const changes: PlannedChange[] = [];
  for (const federation of desired) {
    for (const slug of federation.members) {
      if (!declaredOrganizations.has(slug) && !(await repos.organizations.findBySlug(slug))) {
        throw new RuleViolationError(
          `federations.${federation.slug}.members: organization ${slug} is neither in the file nor stored`,
          'unknown_organization',
          'members',
        );
      }
    }
    const stored = await repos.federations.findBySlug(federation.slug);
    changes.push(...(await planFederation(repos, federation, stored, context)));
  }
  const wanted = new Set(desired.map((federation) => federation.slug));
  for (const stale of await everyFederation(repos)) {
    if (stale.managedBy === CONFIG_OWNER && !wanted.has(stale.slug))
      changes.push(deleteFederation(stale, context));
  }
  return changes;
}

async function planFederation(
  repos: Repositories,
  desired: DesiredFederation,
  stored: FederationRecord | undefined,
  context: Context,
): Promise<PlannedChange[]> {
  const federationId = stored?.id ?? newId('fed');
  const memberSlugs = stored ? await storedMemberSlugs(repos, stored.id) : new Map<string, string>();
  const fields = [
    ...(stored && stored.name !== desired.name ? ['name'] : []),
    ...(stored && stored.managedBy !== CONFIG_OWNER ? ['managed_by'] : []),
    ...(stored && !same([...memberSlugs.values()].sort(), [...desired.members].sort()) ? ['members'] : []),
  ];
  const action = !stored ? 'create' : fields.length > 0 ? 'update' : 'unchanged';
  const head: PlannedChange = { kind: 'federation', id: desired.slug, action, changes: fields };
  if (action !== 'unchanged') {
    head.write = (tx) => writeFederation(tx, desired, stored, federationId, context);
  }
  const rules = await planRules(repos, desired, stored, memberSlugs, () => federationId, context);
  const dropped = [...memberSlugs.keys()].filter((id) => !desired.members.includes(memberSlugs.get(id)!));
  if (dropped.length === 0) return [head, ...rules];
  // Members leave after the rules naming them are gone.
  const leave: PlannedChange = {
    kind: 'federation',
    id: desired.slug,
    action: 'update',
    changes: ['members'],
    unlisted: true,
    write: async (tx) => {
      for (const organization of dropped) await tx.federations.removeMember(federationId, organization);
    },
  };
  return [head, ...rules, leave];
}

/** Creates or updates the federation row and adds the file's members (idempotent), audited. */
async function writeFederation(
  tx: Repositories,
  desired: DesiredFederation,
  stored: FederationRecord | undefined,
  federationId: string,
  context: Context,
): Promise<void> {
  const after = stored
    ? await tx.federations.update(stored.id, { name: desired.name, managedBy: CONFIG_OWNER })
    : await tx.federations.create({
        id: federationId,
        slug: desired.slug,
        name: desired.name,
        frozenAt: null,
        frozenReason: null,
        managedBy: CONFIG_OWNER,
      });
  for (const slug of desired.members)
    await tx.federations.addMember(after.id, await organizationId(tx, slug));
  await recordChange(tx, context.actor, {
    organizationId: null,
    action: stored ? 'federation.update' : 'federation.create',
    targetType: 'federation',
    targetId: after.id,
    before: stored ?? null,
    after: { ...after, members: desired.members },
  });
}

/** Organization id -> slug of the stored members. */
async function storedMemberSlugs(repos: Repositories, federationId: string): Promise<Map<string, string>> {
  const slugs = new Map<string, string>();
  for (const member of await repos.federations.members(federationId)) {
    const organization = await repos.organizations.find(member.organizationId);
    if (organization) slugs.set(organization.id, organization.slug);
  }
  return slugs;
}

async function planRules(
  repos: Repositories,
  desired: DesiredFederation,
  stored: FederationRecord | undefined,
  slugs: ReadonlyMap<string, string>,
  federationId: () => string,
  context: Context,
): Promise<PlannedChange[]> {
  const storedRules = stored ? await repos.federations.rules(stored.id) : [];
  const slugOf = async (id: string) => slugs.get(id) ?? (await repos.organizations.find(id))?.slug ?? id;
  const byKey = new Map<string, TrustRuleRecord>();
  for (const rule of storedRules) {
    byKey.set(
      ruleKey(await slugOf(rule.sourceOrganizationId), await slugOf(rule.targetOrganizationId)),
      rule,
    );
  }
  const entryId = (key: string) => `${desired.slug}/${key}`;
  const changes: PlannedChange[] = desired.rules.map((rule) => {
    const key = ruleKey(rule.source, rule.target);
    const before = byKey.get(key);
    byKey.delete(key);
    return compareRule(entryId(key), rule, before, federationId, context);
  });
  for (const [key, rule] of byKey) {
    changes.unshift({
      kind: 'trust_rule',
      id: entryId(key),
      action: 'delete',
      changes: [],
      write: async (tx) => {
        await tx.federations.deleteRule(rule.id);
        await auditRule(tx, context, 'delete', rule, rule, null);
      },
    });
  }
  return changes;
}

function compareRule(
  id: string,
  rule: DesiredTrustRule,
  before: TrustRuleRecord | undefined,
  federationId: () => string,
  context: Context,
): PlannedChange {
  const values = {
    permissions: rule.permissions,
    requiresMfa: rule.requiresMfa,
    ipRestrictions: rule.ipRestrictions,
    validFrom: rule.validFrom,
    validUntil: rule.validUntil,
  };
  if (!before) {
    const write = async (tx: Repositories) => {
      const after = await tx.federations.createRule({
        id: newId('ftr'),
        federationId: federationId(),
        sourceOrganizationId: await organizationId(tx, rule.source),
        targetOrganizationId: await organizationId(tx, rule.target),
        ...values,
      });
      await auditRule(tx, context, 'create', after, null, after);
    };
    return { kind: 'trust_rule', id, action: 'create', changes: [], write };
  }
  const changed = RULE_FIELDS.filter((field) => !same(before[field], values[field]));
  if (changed.length === 0) return { kind: 'trust_rule', id, action: 'unchanged', changes: [] };
  const write = async (tx: Repositories) => {
    const after = await tx.federations.updateRule(before.id, values);
    await auditRule(tx, context, 'update', after, before, after);
  };
  return {
    kind: 'trust_rule',
    id,
    action: 'update',
    changes: changed.map((field) => FIELD_NAMES[field]),
    write,
  };
}

const auditRule = (
  tx: Repositories,
  context: Context,
  verb: string,
  rule: TrustRuleRecord,
  before: TrustRuleRecord | null,
  after: TrustRuleRecord | null,
) =>
  recordChange(tx, context.actor, {
    organizationId: rule.targetOrganizationId,
    action: `trust_rule.${verb}`,
    targetType: 'trust_rule',
    targetId: rule.id,
    before,
    after,
  });

function deleteFederation(stale: FederationRecord, context: Context): PlannedChange {
  const write = async (tx: Repositories) => {
    await tx.federations.delete(stale.id);
    await recordChange(tx, context.actor, {
      organizationId: null,
      action: 'federation.delete',
      targetType: 'federation',
      targetId: stale.id,
      before: stale,
      after: null,
    });
  };
  return { kind: 'federation', id: stale.slug, action: 'delete', changes: [], write };
}

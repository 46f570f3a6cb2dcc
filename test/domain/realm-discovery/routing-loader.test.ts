import { randomUUID } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabase, type OpenedDatabase } from '../../../src/data/database.js';
import type { RoutingDecision } from '../../../src/domain/realm-discovery/route-login.js';
import {
  createRealmDiscovery,
  loadRoutingInput,
  type RealmDiscovery,
} from '../../../src/domain/realm-discovery/routing-loader.js';
import type { DomainPolicy } from '../../../src/domain/ports/tenancy.js';
import { testDatabaseUrl } from '../../support/services.js';
import { createStoredOrganization } from '../../support/stored-organization.js';

/** Routing read from real PostgreSQL rows: what the loader fetches and what routeLogin then decides. */
describe('realm discovery on the stored model (PostgreSQL)', () => {
  const id = randomUUID().slice(0, 8);
  const name = (label: string) => `${label}-${id}.example`;
  const idn = domainToASCII(`bücher-${id}.example`);
  let db: OpenedDatabase;
  let realm: RealmDiscovery;

  async function organization(
    slug: string,
    options: { parentId?: string; domainPolicy?: DomainPolicy; status?: 'active' | 'suspended' } = {},
  ) {
    return createStoredOrganization(db, {
      slug: `${slug}-${id}`,
      name: slug,
      parentId: options.parentId ?? null,
      status: options.status ?? 'active',
      domainPolicy: options.domainPolicy ?? { sso_required: true, allow_local_passwords: false },
    });
  }
  const claim = (organizationId: string, domain: string, verified = true) =>
    db.domains.create({
      id: randomUUID(),
      organizationId,
      domain,
      verificationToken: randomUUID(),
      verifiedAt: verified ? new Date() : null,
      verificationMethod: verified ? 'operator' : null,
      lastCheckedAt: null,
      managedBy: null,
    });
  const connection = (organizationId: string, key: string, enabled = true) =>
    db.connections.create({
      id: `con_${randomUUID()}`,
      organizationId,
      key,
      type: 'oidc',
      preset: null,
      enabled,
      settings: { issuer: 'https://idp.example.test', client_id: 'gatehouse' },
      attributeMap: {},
      secretCiphertext: null,
      managedBy: null,
    });
  const keyOf = async (decision: RoutingDecision) =>
    decision.kind === 'connection' ? (await db.connections.findById(decision.connectionId))?.key : undefined;

  let maritime: { id: string; slug: string };
  let azure: { id: string };
  let okta: { id: string };

  beforeAll(async () => {
    db = await openDatabase({ url: testDatabaseUrl(), dataDir: '/nonexistent' });
    realm = createRealmDiscovery(db);
    maritime = await organization('maritime');
    await claim(maritime.id, name('underwriters'));
    await claim(maritime.id, `*.${name('uw')}`);
    await claim(maritime.id, idn);
    await claim(maritime.id, name('pending'), false);
    azure = await connection(maritime.id, 'azure');
    okta = await connection(maritime.id, 'legacy-okta');
    const off = await connection(maritime.id, 'switched-off', false);
    await db.routingRules.replace(maritime.id, [
      { domain: name('underwriters'), connectionId: azure.id, priority: 1 },
      { domain: `*.${name('uw')}`, connectionId: okta.id, priority: 2 },
      { domain: `*.eu.${name('uw')}`, connectionId: azure.id, priority: 2 },
      { domain: `*.us.${name('uw')}`, connectionId: off.id, priority: 0 },
      { domain: idn, connectionId: okta.id, priority: 1 },
      // Written past the admin checks: a rule on a claim still pending must never route.
      { domain: name('pending'), connectionId: okta.id, priority: 0 },
    ]);
    await db.organizations.update(maritime.id, { fallbackConnectionId: azure.id });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('routes exact and wildcard domains, explaining each rule by connection key', async () => {
    const decision = await realm.decide(`Jane+claims@UNDERWRITERS-${id}.Example`, {});
    expect(decision).toMatchObject({
      kind: 'connection',
      connectionId: azure.id,
      organizationId: maritime.id,
    });
    expect(decision.reason).toBe(`rule #1 of ${maritime.slug} routes ${name('underwriters')} to azure`);
    const rules = decision.explain.filter((line) => line.step === 'rule');
    expect(rules.map((line) => line.rule?.connection)).toEqual([
      'azure',
      'legacy-okta',
      'azure',
      'switched-off',
      'legacy-okta',
      'legacy-okta',
    ]);
    expect(rules[0]).toMatchObject({ selected: true, rule: { connectionId: azure.id } });
    expect(await keyOf(await realm.decide(`x@deep.team.${name('uw')}`, {}))).toBe('legacy-okta');
  });

  it('breaks priority ties by specificity, and never routes through a disabled connection', async () => {
    const eu = await realm.decide(`x@a.eu.${name('uw')}`, {});
    expect(await keyOf(eu)).toBe('azure');
    expect(eu.explain.find((line) => line.rule?.number === 2)?.why).toMatch(/which is more specific$/);
    const us = await realm.decide(`x@a.us.${name('uw')}`, {});
    expect(await keyOf(us)).toBe('legacy-okta');
    expect(us.explain.find((line) => line.rule?.number === 4)?.why).toBe(
      `domain *.us.${name('uw')} covers a.us.${name('uw')}, but connection switched-off is disabled`,
    );
  });

  it('routes IDN emails through their punycode claim', async () => {
    const decision = await realm.decide(`u@BÜCHER-${id}.example`, {});
    expect(decision).toMatchObject({ kind: 'connection', connectionId: okta.id });
  });

  it('ignores unverified claims: a rule on one never routes', async () => {
    const decision = await realm.decide(`x@${name('pending')}`, {});
    expect(decision).toMatchObject({
      kind: 'local',
      reason: `no organization has verified ${name('pending')}`,
    });
    // With the organization named, the rule is considered and skipped; the fallback applies.
    const hinted = await realm.decide(`x@${name('pending')}`, { organization: maritime.slug });
    expect(hinted).toMatchObject({ connectionId: azure.id, reason: expect.stringContaining('fallback') });
    expect(hinted.explain.find((line) => line.rule?.number === 6)?.why).toBe(
      `rule skipped: ${name('pending')} is not a verified domain of ${maritime.slug}`,
    );
  });

  it('loads only the organizations the email and hints name', async () => {
    const other = await organization('bystander');
    await claim(other.id, name('bystander'));
    const { input } = await loadRoutingInput(db, `x@${name('underwriters')}`, {});
    expect(input.organizations.map((org) => org.slug)).toEqual([maritime.slug]);
    expect(input.organizations[0]).toMatchObject({
      status: 'active',
      fallbackConnection: azure.id,
      ssoRequired: true,
      allowLocalPasswords: false,
    });
    expect(input.organizations[0]?.verifiedDomains).not.toContain(name('pending'));
    expect(input.connections.map((row) => row.key).sort()).toEqual(['azure', 'legacy-okta', 'switched-off']);
    const nothing = await loadRoutingInput(db, `x@nobody-${id}.example`, {});
    expect(nothing.input).toEqual({ organizations: [], connections: [] });
  });

  it('takes organization, connection, login_hint and domain_hint hints', async () => {
    expect(await realm.decide(undefined, { organization: maritime.id })).toMatchObject({
      connectionId: azure.id,
    });
    expect(await realm.decide(undefined, { loginHint: `a@${name('underwriters')}` })).toMatchObject({
      connectionId: azure.id,
    });
    expect(await realm.decide(undefined, { domainHint: `team.${name('uw')}` })).toMatchObject({
      connectionId: okta.id,
    });
    // A connection by key resolves in the hinted organization, or in the one owning the domain.
    expect(
      await realm.decide(undefined, { organization: maritime.slug, connection: 'legacy-okta' }),
    ).toMatchObject({ connectionId: okta.id, reason: `connection hint legacy-okta of ${maritime.slug}` });
    expect(await realm.decide(`x@${name('underwriters')}`, { connection: 'legacy-okta' })).toMatchObject({
      connectionId: okta.id,
    });
    expect(await realm.decide(undefined, { connection: okta.id })).toMatchObject({ connectionId: okta.id });
    expect(await realm.decide(undefined, { connection: 'legacy-okta' })).toMatchObject({
      kind: 'refused',
      reason: 'connection hint legacy-okta names no connection',
    });
  });

  it("refuses a connection hint of another organization for this one's users", async () => {
    const rival = await organization('rival');
    await claim(rival.id, name('rival'));
    const rivalIdp = await connection(rival.id, 'rival-idp');
    expect(await realm.decide(`x@${name('underwriters')}`, { connection: rivalIdp.id })).toMatchObject({
      kind: 'refused',
      reason: `connection rival-idp of ${rival.slug} cannot sign in users of ${name('underwriters')}: not its verified domain`,
    });
  });

  it('refuses suspended organizations, and organizations under a suspended parent', async () => {
    const frozen = await organization('frozen', { status: 'suspended' });
    await claim(frozen.id, name('frozen'));
    expect(await realm.decide(`x@${name('frozen')}`, {})).toMatchObject({
      kind: 'refused',
      reason: `organization ${frozen.slug} is suspended`,
    });
    const child = await organization('thawed-child', { parentId: frozen.id });
    await claim(child.id, name('child'));
    await db.organizations.update(child.id, { fallbackConnectionId: (await connection(child.id, 'idp')).id });
    expect(await realm.decide(`x@${name('child')}`, {})).toMatchObject({
      kind: 'refused',
      reason: `organization ${child.slug} is suspended`,
    });
    await db.organizations.update(frozen.id, { status: 'active' });
    expect(await realm.decide(`x@${name('child')}`, {})).toMatchObject({ kind: 'connection' });
  });

  it('goes local for an organization that allows local passwords and has no usable connection', async () => {
    const friendly = await organization('friendly', { domainPolicy: {} });
    await claim(friendly.id, name('friendly'));
    expect(await realm.decide(`x@${name('friendly')}`, {})).toMatchObject({
      kind: 'local',
      reason: `no usable connection; ${friendly.slug} allows local passwords`,
    });
  });

  it('names the organization and connection of a decision for operators', async () => {
    const named = await realm.explain(`x@${name('underwriters')}`, {});
    expect(named).toMatchObject({
      organization: { id: maritime.id, slug: maritime.slug },
      connection: { id: azure.id, key: 'azure' },
    });
    expect(await realm.explain(`x@nobody-${id}.example`, {})).toMatchObject({
      organization: null,
      connection: null,
      decision: { kind: 'local' },
    });
  });
});

import { describe, expect, it } from '@jest/globals';
import { openDatabase, type OpenedDatabase } from '../../../src/data/database.js';
import { createOrganizationsAdmin } from '../../../src/domain/organizations/organizations-admin.js';
import { createSetupLinks, setupLinkCreateSchema } from '../../../src/domain/portal/setup-links.js';
import { testDatabaseUrl } from '../../support/services.js';
import { openDuringSuite } from '../../support/suite-database.js';
import { OPERATOR, uniqueSlug } from '../../support/tenancy.js';

const HOUR = 60 * 60 * 1000;

describe('portal setup links', () => {
  let db: OpenedDatabase;
  openDuringSuite(
    () => openDatabase({ url: testDatabaseUrl(), dataDir: 'unused' }),
    (opened) => (db = opened),
  );
  const clock = () => {
    let at = new Date('2026-11-30T08:00:00Z').getTime();
    return { now: () => new Date(at), advance: (ms: number) => (at += ms) };
  };
  const organization = (name: string) =>
    createOrganizationsAdmin(db).create(OPERATOR, { slug: uniqueSlug(name), name });
  const input = (intent: 'sso' | 'dsync' | 'domains', expires_in?: number) =>
    setupLinkCreateSchema.parse({ intent, ...(expires_in ? { expires_in } : {}) });

  it('issues a link whose secret is stored only as a digest and audited without it', async () => {
    const time = clock();
    const links = createSetupLinks(db, time.now);
    const org = await organization('Links Acme');
    const { link, secret } = await links.issue(OPERATOR, org.slug, input('domains'));
    expect(secret).toMatch(/^ghpl_[A-Za-z0-9_-]{43}$/);
    expect(link).toMatchObject({
      organizationId: org.id,
      intent: 'domains',
      usedAt: null,
      createdBy: 'system:test',
    });
    expect(link.expiresAt.getTime() - time.now().getTime()).toBe(24 * HOUR);
    expect(JSON.stringify(link)).not.toContain(secret.slice(5));
    const [record] = await db.audit.list(
      { organizationIds: [org.id], action: 'portal.link_created' },
      { limit: 5 },
    );
    expect(record).toMatchObject({ targetId: link.id, actor: { type: 'system', id: 'test' } });
    expect(JSON.stringify(record)).not.toContain(secret.slice(5));
  });

  it('opens once: a second visit is refused as used, and the use is audited as the link', async () => {
    const links = createSetupLinks(db, clock().now);
    const org = await organization('Links Once');
    const { link, secret } = await links.issue(OPERATOR, org.id, input('dsync'));
    expect(await links.inspect(secret)).toMatchObject({ ok: true, link: { id: link.id } });
    const first = await links.consume(secret);
    expect(first).toMatchObject({ ok: true, organization: { id: org.id }, link: { intent: 'dsync' } });
    expect(await links.consume(secret)).toEqual({ ok: false, refusal: 'used' });
    expect(await links.inspect(secret)).toEqual({ ok: false, refusal: 'used' });
    const [record] = await db.audit.list(
      { organizationIds: [org.id], action: 'portal.link_used' },
      { limit: 5 },
    );
    expect(record).toMatchObject({ targetId: link.id, actor: { type: 'portal', id: link.id } });
  });

  it('lets exactly one of many concurrent consumers win', async () => {
    const links = createSetupLinks(db, clock().now);
    const org = await organization('Links Race');
    const { secret } = await links.issue(OPERATOR, org.id, input('sso'));
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => links.consume(secret)));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(outcomes.filter((outcome) => !outcome.ok)).toEqual(
      Array.from({ length: 5 }, () => ({ ok: false, refusal: 'used' })),
    );
  });

  it('refuses a link once its expiry has passed on the injected clock', async () => {
    const time = clock();
    const links = createSetupLinks(db, time.now);
    const org = await organization('Links Expiry');
    const { secret } = await links.issue(OPERATOR, org.id, input('domains', 3600));
    time.advance(HOUR - 1000);
    expect(await links.inspect(secret)).toMatchObject({ ok: true });
    time.advance(1000);
    expect(await links.inspect(secret)).toEqual({ ok: false, refusal: 'expired' });
    expect(await links.consume(secret)).toEqual({ ok: false, refusal: 'expired' });
  });

  it('refuses unknown and malformed secrets alike', async () => {
    const links = createSetupLinks(db, clock().now);
    expect(await links.consume(`ghpl_${'A'.repeat(43)}`)).toEqual({ ok: false, refusal: 'unknown' });
    expect(await links.consume('not-a-link')).toEqual({ ok: false, refusal: 'unknown' });
    expect(await links.inspect('')).toEqual({ ok: false, refusal: 'unknown' });
  });

  it('lets an organization principal issue links only for its own organization', async () => {
    const links = createSetupLinks(db, clock().now);
    const own = await organization('Links Own');
    const other = await organization('Links Other');
    const delegated = {
      actor: { type: 'api_key' as const, id: 'key_test' },
      scope: { kind: 'organization' as const, organizationId: own.id },
    };
    await expect(links.issue(delegated, own.id, input('sso'))).resolves.toMatchObject({
      organization: { id: own.id },
    });
    await expect(links.issue(delegated, other.id, input('sso'))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('bounds the lifetime between five minutes and thirty days', () => {
    expect(setupLinkCreateSchema.safeParse({ intent: 'sso', expires_in: 60 }).success).toBe(false);
    expect(setupLinkCreateSchema.safeParse({ intent: 'sso', expires_in: 31 * 24 * 3600 }).success).toBe(
      false,
    );
    expect(setupLinkCreateSchema.safeParse({ intent: 'admin' }).success).toBe(false);
  });
});

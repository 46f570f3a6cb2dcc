import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseConfigText } from '../../../src/config/declarative/load.js';
import { openDatabase, type OpenedDatabase } from '../../../src/data/database.js';
import { applyConfig } from '../../../src/domain/config/apply.js';
import type { ConfigDeps } from '../../../src/domain/config/desired-state.js';
import { planConfig } from '../../../src/domain/config/plan.js';
import { createEnvelope } from '../../../src/lib/crypto/envelope.js';
import { createArgon2Hasher } from '../../../src/lib/crypto/password.js';
import { MIGRATIONS_DIR } from '../../support/paths.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/scratch-database.js';

const SOURCE = 'routing.yaml';
const deps: ConfigDeps = {
  envelope: createEnvelope(randomBytes(32)),
  hasher: createArgon2Hasher(),
  source: SOURCE,
  // Key generation is the SAML module's business: any PEM-shaped pair will do for these rows.
  spCredential: async () => ({ certificate: 'certificate', privateKey: 'private key' }),
};

const OIDC = (key: string) => `      - id: ${key}
        type: oidc
        issuer: https://${key}.example.test
        client_id: gatehouse
        client_secret: secret
`;
const SAML = (key: string) => `      - id: ${key}
        type: saml
        idp_metadata_url: https://${key}.example.test/metadata
`;

interface Shape {
  connections?: string;
  routing?: string;
  provisioning?: string;
  branding?: string;
}

/** One organization with two verified domains, and the blocks a test varies. */
const fileFor = (slug: string, shape: Shape) => `version: 1
organizations:
  ${slug}:
    domains: [${slug}.example, "*.uw-${slug}.example"]
    roles: [{ name: adjuster }]
${shape.branding ?? ''}${shape.provisioning ?? ''}    connections:
${shape.connections ?? OIDC('azure') + OIDC('okta')}${shape.routing ?? ''}`;

const ROUTING = (slug: string, first = 'azure', fallback = 'azure') => `    routing:
      rules:
        - { domain: ${slug}.example, connection: ${first}, priority: 1 }
        - { domain: "*.uw-${slug}.example", connection: okta, priority: 2 }
      fallback_connection: ${fallback}
`;

describe('declarative routing, provisioning and branding apply (PostgreSQL)', () => {
  let scratch: ScratchDatabase;
  let db: OpenedDatabase;
  const apply = (text: string) => applyConfig(db, parseConfigText(text, SOURCE, {}), deps);
  const plan = (text: string) => planConfig(db, parseConfigText(text, SOURCE, {}), deps);
  const lines = (entries: Array<{ kind: string; id: string; action: string; changes: string[] }>) =>
    entries.map((entry) => `${entry.kind} ${entry.id} ${entry.action} ${entry.changes.join(',')}`.trim());
  const routingOf = async (slug: string) => {
    const organization = await db.organizations.findBySlug(slug);
    const connections = await db.connections.listFor(organization!.id);
    const key = (id: string | null) => connections.find((row) => row.id === id)?.key ?? id;
    const rules = await db.routingRules.listFor(organization!.id);
    return {
      rules: rules.map((rule) => `${rule.domain} -> ${key(rule.connectionId)} (${rule.priority})`),
      fallback: key(organization!.fallbackConnectionId),
    };
  };

  beforeAll(async () => {
    scratch = await createScratchDatabase('gatehouse_routing_apply');
    db = await openDatabase({ url: scratch.url, dataDir: '/nonexistent' });
    await db.migrate(MIGRATIONS_DIR);
  });
  afterAll(async () => {
    await db?.close();
    await scratch?.drop();
  });

  it('writes routing after the connections it names, and an unchanged file plans no change', async () => {
    const slug = `mu-${randomUUID().slice(0, 8)}`;
    const text = fileFor(slug, {
      routing: ROUTING(slug),
      branding: '    branding: { display_name: Maritime, primary_color: "#1e3a8a" }\n',
      provisioning: `    provisioning:\n      approval: org_admin\n      role_rules: [{ condition: "department == 'claims'", assign_role: adjuster }]\n`,
    });
    const first = await apply(text);
    expect(lines(first.entries)).toEqual([
      `organization ${slug} create`,
      `role ${slug}/adjuster create`,
      `domain ${slug}/${slug}.example create`,
      `domain ${slug}/*.uw-${slug}.example create`,
      `connection ${slug}/azure create`,
      `connection ${slug}/okta create`,
      `routing ${slug} create rules,fallback_connection`,
    ]);
    expect(first.byKind.routing).toEqual({ create: 1, update: 0, delete: 0, unchanged: 0 });
    expect(await routingOf(slug)).toEqual({
      rules: [`${slug}.example -> azure (1)`, `*.uw-${slug}.example -> okta (2)`],
      fallback: 'azure',
    });
    const organization = await db.organizations.findBySlug(slug);
    expect(organization).toMatchObject({
      branding: { display_name: 'Maritime', primary_color: '#1e3a8a' },
      provisioning: {
        approval: 'org_admin',
        role_rules: [{ condition: "department == 'claims'", assign_role: 'adjuster' }],
      },
    });
    const records = await db.audit.list({ targetType: 'routing', targetId: organization!.id }, { limit: 5 });
    expect(records).toEqual([
      expect.objectContaining({
        action: 'routing.update',
        actor: { type: 'config', id: SOURCE },
        after: {
          rules: [
            { domain: `${slug}.example`, connection: 'azure', priority: 1 },
            { domain: `*.uw-${slug}.example`, connection: 'okta', priority: 2 },
          ],
          fallback_connection: 'azure',
        },
      }),
    ]);

    const again = await apply(text);
    expect(again.summary).toEqual({ create: 0, update: 0, delete: 0, unchanged: 7 });

    const changed = text
      .replace('connection: azure, priority: 1', 'connection: okta, priority: 1')
      .replace('display_name: Maritime,', 'display_name: Maritime Underwriters,')
      .replace('approval: org_admin', 'approval: none');
    expect(lines((await plan(changed)).filter((entry) => entry.action !== 'unchanged'))).toEqual([
      `organization ${slug} update branding,provisioning`,
      `routing ${slug} update rules`,
    ]);
  });

  it('replaces rules before deleting the connection they named, in one apply', async () => {
    const slug = `drop-${randomUUID().slice(0, 8)}`;
    await apply(fileFor(slug, { routing: ROUTING(slug) }));
    const without = fileFor(slug, {
      connections: OIDC('okta'),
      routing: ROUTING(slug, 'okta', 'okta'),
    });
    const result = await apply(without);
    expect(lines(result.entries.filter((entry) => entry.action !== 'unchanged'))).toEqual([
      `routing ${slug} update rules,fallback_connection`,
      `connection ${slug}/azure delete`,
    ]);
    expect(await routingOf(slug)).toEqual({
      rules: [`${slug}.example -> okta (1)`, `*.uw-${slug}.example -> okta (2)`],
      fallback: 'okta',
    });
  });

  it('keeps routing through a connection whose type changes (a new row replaces the old)', async () => {
    const slug = `swap-${randomUUID().slice(0, 8)}`;
    await apply(fileFor(slug, { routing: ROUTING(slug) }));
    const organization = await db.organizations.findBySlug(slug);
    const oldAzure = await db.connections.find(organization!.id, 'azure');
    const swapped = fileFor(slug, { connections: SAML('azure') + OIDC('okta'), routing: ROUTING(slug) });
    const result = await apply(swapped);
    expect(lines(result.entries.filter((entry) => entry.action !== 'unchanged'))).toEqual([
      `connection ${slug}/azure update type`,
      `routing ${slug} update rules,fallback_connection`,
    ]);
    const newAzure = await db.connections.find(organization!.id, 'azure');
    expect(newAzure).toMatchObject({ type: 'saml' });
    expect(newAzure?.id).not.toBe(oldAzure?.id);
    expect(await routingOf(slug)).toEqual({
      rules: [`${slug}.example -> azure (1)`, `*.uw-${slug}.example -> okta (2)`],
      fallback: 'azure',
    });
    expect((await apply(swapped)).summary.update).toBe(0);
  });

  it('removes the routing a file no longer declares', async () => {
    const slug = `gone-${randomUUID().slice(0, 8)}`;
    await apply(fileFor(slug, { routing: ROUTING(slug) }));
    const result = await apply(fileFor(slug, {}));
    expect(lines(result.entries.filter((entry) => entry.action !== 'unchanged'))).toEqual([
      `routing ${slug} delete rules,fallback_connection`,
    ]);
    expect(await routingOf(slug)).toEqual({ rules: [], fallback: null });
    // No routing either side: no entry at all.
    expect((await plan(fileFor(slug, {}))).filter((entry) => entry.kind === 'routing')).toEqual([]);
  });
});

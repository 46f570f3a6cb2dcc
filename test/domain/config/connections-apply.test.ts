import { createPrivateKey, randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseConfigText } from '../../../src/config/declarative/load.js';
import { openDatabase, type OpenedDatabase } from '../../../src/data/database.js';
import { applyConfig } from '../../../src/domain/config/apply.js';
import type { ConfigDeps } from '../../../src/domain/config/desired-state.js';
import { planConfig } from '../../../src/domain/config/plan.js';
import {
  connectionSecretContext,
  connectionSpKeyContext,
} from '../../../src/domain/organizations/connections-admin.js';
import { generateSpCredential } from '../../../src/federation/saml/index.js';
import { createEnvelope } from '../../../src/lib/crypto/envelope.js';
import { createArgon2Hasher } from '../../../src/lib/crypto/password.js';
import { MIGRATIONS_DIR } from '../../support/paths.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/scratch-database.js';

const SOURCE = 'connections.yaml';
const envelope = createEnvelope(randomBytes(32));
const deps: ConfigDeps = {
  envelope,
  hasher: createArgon2Hasher(),
  source: SOURCE,
  spCredential: generateSpCredential,
};

/** The connections of gatehouse.example.yaml under a slug of this test only. */
const fileFor = (slug: string, withOkta = true) => `version: 1
organizations:
  ${slug}:
    connections:
      - id: azure
        type: oidc
        preset: azure-ad
        issuer: https://login.microsoftonline.com/tenant/v2.0
        client_id: \${MARITIME_AZURE_CLIENT_ID}
        client_secret: \${MARITIME_AZURE_CLIENT_SECRET}
        scopes: [openid, email, profile]
        attribute_map: { department: business_unit }
${
  withOkta
    ? `      - id: legacy-okta
        type: saml
        preset: okta
        idp_metadata_url: https://example.okta.com/app/abc/sso/saml/metadata
        allow_idp_initiated: false
        sign_authn_requests: true
`
    : ''
}`;
const desired = (text: string, secret = 'first-secret') =>
  parseConfigText(text, SOURCE, {
    MARITIME_AZURE_CLIENT_ID: 'azure-client',
    MARITIME_AZURE_CLIENT_SECRET: secret,
  });

describe('declarative connections apply (PostgreSQL)', () => {
  let scratch: ScratchDatabase;
  let db: OpenedDatabase;

  beforeAll(async () => {
    scratch = await createScratchDatabase('gatehouse_connection_apply');
    db = await openDatabase({ url: scratch.url, dataDir: '/nonexistent' });
    await db.migrate(MIGRATIONS_DIR);
  });
  afterAll(async () => {
    await db?.close();
    await scratch?.drop();
  });

  it('creates, keeps, re-seals and deletes connections, never showing the secret', async () => {
    const slug = `mu-${randomUUID().slice(0, 8)}`;
    const first = await applyConfig(db, desired(fileFor(slug)), deps);
    expect(first.entries.map((entry) => `${entry.kind} ${entry.id} ${entry.action}`)).toEqual([
      `organization ${slug} create`,
      `connection ${slug}/azure create`,
      `connection ${slug}/legacy-okta create`,
    ]);
    expect(first.byKind.connection).toEqual({ create: 2, update: 0, delete: 0, unchanged: 0 });
    const organization = await db.organizations.findBySlug(slug);
    const [azure, okta] = await db.connections.listFor(organization!.id);
    expect(azure).toMatchObject({
      key: 'azure',
      type: 'oidc',
      preset: 'azure-ad',
      managedBy: 'config',
      attributeMap: { department: 'business_unit' },
      settings: expect.objectContaining({ client_id: 'azure-client' }),
    });
    expect(azure!.settings).not.toHaveProperty('client_secret');
    expect(azure!.secretCiphertext).not.toContain('first-secret');
    expect(envelope.open(azure!.secretCiphertext!, connectionSecretContext(azure!.id))).toBe('first-secret');
    expect(okta).toMatchObject({
      key: 'legacy-okta',
      type: 'saml',
      managedBy: 'config',
      secretCiphertext: null,
      spCertificate: expect.stringContaining('-----BEGIN CERTIFICATE-----'),
    });
    // The SAML connection's own SP key, sealed to its row.
    const spKey = createPrivateKey(envelope.open(okta!.spKeyCiphertext!, connectionSpKeyContext(okta!.id)));
    expect(new X509Certificate(okta!.spCertificate!).checkPrivateKey(spKey)).toBe(true);
    expect(azure).toMatchObject({ spCertificate: null, spKeyCiphertext: null });

    const second = await applyConfig(db, desired(fileFor(slug)), deps);
    expect(second.summary).toEqual({ create: 0, update: 0, delete: 0, unchanged: 3 });
    expect((await db.connections.find(organization!.id, 'azure'))?.updatedAt).toEqual(azure!.updatedAt);

    const plan = await planConfig(db, desired(fileFor(slug), 'second-secret'), deps);
    expect(plan.find((entry) => entry.id === `${slug}/azure`)).toEqual({
      kind: 'connection',
      id: `${slug}/azure`,
      action: 'update',
      changes: ['client_secret'],
    });
    expect(JSON.stringify(plan)).not.toContain('second-secret');
    await applyConfig(db, desired(fileFor(slug), 'second-secret'), deps);
    const resealed = await db.connections.find(organization!.id, 'azure');
    expect(resealed?.id).toBe(azure!.id);
    expect(envelope.open(resealed!.secretCiphertext!, connectionSecretContext(azure!.id))).toBe(
      'second-secret',
    );

    const removed = await applyConfig(db, desired(fileFor(slug, false), 'second-secret'), deps);
    expect(removed.entries.filter((entry) => entry.action !== 'unchanged')).toEqual([
      { kind: 'connection', id: `${slug}/legacy-okta`, action: 'delete', changes: [] },
    ]);
    expect((await db.connections.listFor(organization!.id)).map((row) => row.key)).toEqual(['azure']);

    const records = await db.audit.list({ organizationIds: [organization!.id] }, { limit: 100 });
    expect(records.map((record) => record.action)).toEqual([
      'organization.create',
      'connection.create',
      'connection.create',
      'connection.update',
      'connection.delete',
    ]);
    for (const record of records) expect(record.actor).toEqual({ type: 'config', id: SOURCE });
    const logged = JSON.stringify(records);
    expect(logged).not.toContain('first-secret');
    expect(logged).not.toContain('second-secret');
    expect(logged).not.toContain(azure!.secretCiphertext!);
    expect(logged).not.toContain('secretCiphertext');
    expect(logged).not.toContain(okta!.spKeyCiphertext!);
    expect(logged).not.toContain('spKeyCiphertext');
  });
});

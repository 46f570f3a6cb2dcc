import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseConfigText } from '../../../src/config/declarative/load.js';
import { openDatabase, type OpenedDatabase } from '../../../src/data/database.js';
import { createCustomDomainsAdmin } from '../../../src/domain/branding/custom-domains-admin.js';
import { applyConfig } from '../../../src/domain/config/apply.js';
import type { ConfigDeps } from '../../../src/domain/config/desired-state.js';
import { ConflictError } from '../../../src/domain/errors.js';
import { ENVIRONMENT_SCOPE } from '../../../src/domain/organizations/admin-principal.js';
import { createEnvelope } from '../../../src/lib/crypto/envelope.js';
import { createArgon2Hasher } from '../../../src/lib/crypto/password.js';
import { MIGRATIONS_DIR } from '../../support/paths.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/scratch-database.js';
import { createStoredOrganization } from '../../support/stored-organization.js';

const SOURCE = 'custom-domains.yaml';
const deps: ConfigDeps = {
  envelope: createEnvelope(randomBytes(32)),
  hasher: createArgon2Hasher(),
  source: SOURCE,
};
const OPERATOR = { actor: { type: 'cli' as const, id: 'tester' }, scope: ENVIRONMENT_SCOPE };
const noDns = { resolveTxt: async () => [] };

/** `custom_domains` in the declarative file: the organization's whole list when the key is given. */
describe('declarative custom domains (PostgreSQL)', () => {
  let scratch: ScratchDatabase;
  let db: OpenedDatabase;
  const id = randomUUID().slice(0, 8);
  const file = (list: string | undefined, other = '') => `version: 1
organizations:
  acme-${id}:
    branding: { display_name: Acme, primary_color: "#1e3a8a" }
${list === undefined ? '' : `    custom_domains: ${list}\n`}  globex-${id}:
${other ? `    custom_domains: ${other}\n` : '    name: Globex\n'}`;
  const apply = (text: string) => applyConfig(db, parseConfigText(text, SOURCE, {}), deps);
  const hostsOf = async (slug: string) => {
    const organization = await db.organizations.findBySlug(slug);
    return (await db.customDomains.listFor(organization!.id)).map((row) => [
      row.host,
      row.verifiedAt !== null,
    ]);
  };

  beforeAll(async () => {
    scratch = await createScratchDatabase('gatehouse_custom_domains');
    db = await openDatabase({ url: scratch.url, dataDir: '/nonexistent' });
    await db.migrate(MIGRATIONS_DIR);
  });
  afterAll(async () => {
    await db?.close();
    await scratch?.drop();
  });

  it('creates listed hosts (verified by the operator unless verified: false), then writes nothing', async () => {
    const list = `[Login.Acme-${id}.example, { host: sso.acme-${id}.example, verified: false }]`;
    const first = await apply(file(list));
    expect(
      first.entries
        .filter((entry) => entry.kind === 'custom_domain')
        .map((entry) => `${entry.id} ${entry.action}`),
    ).toEqual([`acme-${id}/login.acme-${id}.example create`, `acme-${id}/sso.acme-${id}.example create`]);
    expect(await hostsOf(`acme-${id}`)).toEqual([
      [`login.acme-${id}.example`, true],
      [`sso.acme-${id}.example`, false],
    ]);
    const again = await apply(file(list));
    expect(again.byKind.custom_domain).toEqual({ create: 0, update: 0, delete: 0, unchanged: 2 });
  });

  it('leaves hosts alone without the key, removes unlisted ones with it, and moves a host between organizations', async () => {
    const admin = createCustomDomainsAdmin(db, { dns: noDns });
    await admin.add(OPERATOR, `acme-${id}`, { host: `api-added.acme-${id}.example`, verified: false });
    await apply(file(undefined));
    expect(await hostsOf(`acme-${id}`)).toHaveLength(3);

    const moved = await apply(file(`[sso.acme-${id}.example]`, `[login.acme-${id}.example]`));
    expect(moved.byKind.custom_domain).toEqual({ create: 1, update: 1, delete: 2, unchanged: 0 });
    expect(await hostsOf(`acme-${id}`)).toEqual([[`sso.acme-${id}.example`, true]]);
    expect(await hostsOf(`globex-${id}`)).toEqual([[`login.acme-${id}.example`, true]]);
  });

  it('refuses a host listed twice or held by an organization outside the file, and an invalid host', async () => {
    await expect(apply(file(`[twice.${id}.example]`, `[twice.${id}.example]`))).rejects.toThrow(
      ConflictError,
    );
    const outsider = await createStoredOrganization(db, {
      id: `org_out${id}`,
      slug: `outsider-${id}`,
      name: 'Outsider',
    });
    await createCustomDomainsAdmin(db, { dns: noDns }).add(OPERATOR, outsider.id, {
      host: `held.${id}.example`,
      verified: true,
    });
    await expect(apply(file(`[held.${id}.example]`))).rejects.toThrow(/belongs to organization outsider/);
    expect(() => parseConfigText(file('["https://x.example/login"]'), SOURCE, {})).toThrow(/custom_domains/);
  });
});

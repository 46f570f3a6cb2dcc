import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { openDatabase, type OpenedDatabase } from '../../src/data/database.js';
import { createOrganizationsAdmin } from '../../src/domain/organizations/organizations-admin.js';
import type { OrganizationRecord } from '../../src/domain/ports/tenancy.js';
import { call } from '../mcp/mcp-fixture.js';
import { PROJECT_ROOT } from '../support/paths.js';
import { testDatabaseUrl, testRedisUrl, uniqueRedisPrefix } from '../support/services.js';
import { OPERATOR, uniqueSlug } from '../support/tenancy.js';

/** `gatehouse mcp` through the real bin, driven by the SDK's own client over stdio. */
describe('gatehouse mcp (stdio)', () => {
  let db: OpenedDatabase;
  let organization: OrganizationRecord;
  const env = (extra: Record<string, string> = {}) => ({
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    DATABASE_URL: testDatabaseUrl(),
    // The servers' key for this database: the records written here join the same audit chains.
    GATEHOUSE_KEK: createHash('sha256').update(testDatabaseUrl()).digest('base64url'),
    ...extra,
  });
  const start = async (variables: Record<string, string>) => {
    const client = new Client({ name: 'gatehouse-test', version: '1' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', 'src/cli/main.ts', 'mcp'],
      cwd: PROJECT_ROOT,
      env: variables,
      stderr: 'pipe',
    });
    await client.connect(transport);
    return client;
  };

  beforeAll(async () => {
    db = await openDatabase({ url: testDatabaseUrl(), dataDir: '/nonexistent' });
    organization = await createOrganizationsAdmin(db).create(OPERATOR, {
      slug: uniqueSlug('mcp-stdio'),
      name: 'MCP stdio',
    });
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  it('lists the tools, reads and writes as the operator, audited as the CLI', async () => {
    const client = await start(env({ REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: uniqueRedisPrefix() }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(
        expect.arrayContaining(['list_organizations', 'explain_routing', 'list_sessions', 'revoke_sessions']),
      );
      const listed = await call(client, 'list_organizations', { slug: organization.slug });
      expect(listed.json.data).toEqual([expect.objectContaining({ id: organization.id })]);
      const explained = await call(client, 'explain_routing', { email: 'someone@nobody-mcp.example' });
      expect(explained.json.decision).toMatchObject({ kind: 'local' });

      const slug = uniqueSlug('mcp-stdio-sub');
      const created = await call(client, 'create_organization', {
        slug,
        name: 'Sub',
        parent: organization.slug,
      });
      expect(created).toMatchObject({ isError: false, json: { slug, parent_id: organization.id } });
      const [record] = await db.audit.list({ targetId: created.json.id as string }, { limit: 1 });
      expect(record).toMatchObject({ action: 'organization.create', actor: { type: 'cli' } });
    } finally {
      await client.close();
    }
  }, 60_000);

  it('leaves the session tools out without REDIS_URL (sessions live inside the server)', async () => {
    const client = await start(env());
    try {
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      expect(names).toContain('query_audit');
      expect(names).not.toContain('list_sessions');
      const missing = await call(client, 'get_organization', { organization: 'no-such-organization' });
      expect(missing).toMatchObject({ isError: true, json: { error: 'not_found' } });
    } finally {
      await client.close();
    }
  }, 60_000);
});

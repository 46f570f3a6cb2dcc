import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { decodeJwt } from 'jose';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { connectionCreateSchema } from '../../src/domain/organizations/connection-input.js';
import { member, sessionApp, signIn } from './sessions-fixture.js';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { createOrganization, OPERATOR, uniqueSlug } from '../support/tenancy.js';
import {
  call,
  clientToken,
  connect,
  initialize,
  mcpClient,
  mcpUrl,
  post,
  toolCall,
} from '../mcp/mcp-fixture.js';

const READ_TOOLS = [
  'list_organizations',
  'get_organization',
  'list_connections',
  'get_connection',
  'get_routing',
  'explain_routing',
  'list_users',
  'get_user',
  'list_memberships',
  'list_sessions',
  'query_audit',
];
const WRITE_TOOLS = ['create_organization', 'add_domain', 'add_connection', 'revoke_sessions'];

describe('MCP admin endpoint over Streamable HTTP, protected by OAuth', () => {
  let gh: TestGatehouse;
  let operatorClient: string;
  let reader: Client;
  let admin: Client;
  let metadataUrl: string;

  beforeAll(async () => {
    gh = await startGatehouse();
    metadataUrl = `${gh.issuer}/.well-known/oauth-protected-resource/mcp`;
    operatorClient = await mcpClient(gh, ['gatehouse:read', 'gatehouse:admin']);
    reader = await connect(gh, await clientToken(gh, operatorClient, { scope: 'gatehouse:read' }));
    admin = await connect(
      gh,
      await clientToken(gh, operatorClient, { scope: 'gatehouse:read gatehouse:admin' }),
    );
  });
  afterAll(async () => {
    await Promise.allSettled([reader?.close(), admin?.close()]);
    await gh?.stop();
  });

  it('publishes RFC 9728 protected resource metadata naming Gatehouse as the authorization server', async () => {
    const response = await fetch(metadataUrl);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      resource: mcpUrl(gh),
      authorization_servers: [gh.issuer],
      scopes_supported: ['gatehouse:read', 'gatehouse:admin'],
      bearer_methods_supported: ['header'],
    });
  });

  it('lists every tool to a client with the read scope, writes marked as such', async () => {
    const { tools } = await reader.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...READ_TOOLS, ...WRITE_TOOLS].sort());
    const create = tools.find((tool) => tool.name === 'create_organization')!;
    expect(create.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(create.description).toContain('gatehouse:admin');
    expect(create.inputSchema).toMatchObject({ type: 'object', required: ['slug', 'name'] });
    const list = tools.find((tool) => tool.name === 'list_organizations')!;
    expect(list.annotations).toMatchObject({ readOnlyHint: true });
  });

  it('reads organizations, connections and routing, and explains where an email goes', async () => {
    const organization = await createOrganization(gh, 'MCP Reads');
    const domain = `mcp-${randomUUID().slice(0, 8)}.example`;
    await gh.container.admin.domains.add(OPERATOR, organization.id, { domain, verified: true });
    const azure = await gh.container.admin.connections.create(
      OPERATOR,
      organization.id,
      connectionCreateSchema.parse({
        key: 'azure',
        type: 'oidc',
        issuer: 'https://idp.example.test',
        client_id: 'gatehouse',
        client_secret: 'connection-secret',
      }),
    );
    await gh.container.admin.routing.replace(OPERATOR, organization.id, {
      rules: [{ domain, connection: 'azure', priority: 1 }],
      fallback_connection: null,
    });

    const listed = await call(reader, 'list_organizations', { slug: organization.slug });
    expect(listed).toMatchObject({
      isError: false,
      json: { data: [{ id: organization.id }], next_cursor: null },
    });
    const got = await call(reader, 'get_organization', { organization: organization.slug });
    expect(got.json).toMatchObject({ id: organization.id, domains: [{ domain, verified: true }] });
    const connections = await call(reader, 'list_connections', { organization: organization.id });
    expect(connections.json.data).toEqual([
      expect.objectContaining({ key: 'azure', has_client_secret: true }),
    ]);
    expect(connections.text).not.toContain('connection-secret');

    const one = await call(reader, 'get_connection', {
      organization: organization.slug,
      connection: 'azure',
    });
    expect(one.json).toMatchObject({ id: azure.id, type: 'oidc' });
    const routing = await call(reader, 'get_routing', { organization: organization.slug });
    expect(routing.json).toEqual({
      rules: [{ domain, connection: 'azure', priority: 1 }],
      fallback_connection: null,
    });

    const explained = await call(reader, 'explain_routing', { email: `jane@${domain}` });
    expect(explained.json.decision).toMatchObject({
      kind: 'connection',
      connection: { id: azure.id, key: 'azure' },
      organization: { id: organization.id },
    });
  });

  it('answers a rule refusal as a tool error (not found), never as a protocol failure', async () => {
    const missing = await call(reader, 'get_organization', { organization: 'no-such-organization' });
    expect(missing).toMatchObject({ isError: true, json: { error: 'not_found' } });
    const invalid = await call(reader, 'list_organizations', { limit: 0 });
    expect(invalid.isError).toBe(true);
    expect(invalid.text).toMatch(/Invalid arguments for tool list_organizations/);
  });

  it('refuses a write tool without the admin scope (403 insufficient_scope), writing nothing', async () => {
    const slug = uniqueSlug('refused');
    await expect(call(reader, 'create_organization', { slug, name: 'Refused' })).rejects.toMatchObject({
      code: 403,
    });
    await expect(call(reader, 'create_organization', { slug, name: 'Refused' })).rejects.toBeInstanceOf(
      StreamableHTTPError,
    );
    const token = await clientToken(gh, operatorClient, { scope: 'gatehouse:read' });
    const response = await post(gh, toolCall('create_organization', { slug, name: 'Refused' }), token);
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer error="insufficient_scope", error_description="needs gatehouse:admin", ` +
        `scope="gatehouse:admin", resource_metadata="${metadataUrl}"`,
    );
    expect(await response.json()).toMatchObject({ error: 'insufficient_scope' });
    expect(await gh.container.db.organizations.findBySlug(slug)).toBeUndefined();
  });

  it('creates an organization, claims a domain and adds a connection with the admin scope, audited as the MCP client', async () => {
    const slug = uniqueSlug('mcp-created');
    const created = await call(admin, 'create_organization', { slug, name: 'Made over MCP' });
    expect(created).toMatchObject({
      isError: false,
      json: { slug, name: 'Made over MCP', status: 'active' },
    });
    const id = created.json.id as string;
    const domain = `${slug}.example`;
    const claimed = await call(admin, 'add_domain', { organization: slug, domain });
    expect(claimed.json).toMatchObject({ domain, verified: false, verification: { type: 'dns_txt' } });
    const connection = await call(admin, 'add_connection', {
      organization: id,
      connection: {
        key: 'okta',
        type: 'oidc',
        issuer: 'https://idp.example.test',
        client_id: 'gatehouse',
        client_secret: 'okta-secret',
      },
    });
    expect(connection.json).toMatchObject({ key: 'okta', organization_id: id, has_client_secret: true });

    const records = await gh.container.db.audit.list({ organizationIds: [id] }, { limit: 10 });
    expect(records.map((record) => [record.action, record.actor])).toEqual([
      ['organization.create', { type: 'mcp_client', id: operatorClient }],
      ['domain.create', { type: 'mcp_client', id: operatorClient }],
      ['connection.create', { type: 'mcp_client', id: operatorClient }],
    ]);
    expect(JSON.stringify(records)).not.toContain('okta-secret');

    const audit = await call(reader, 'query_audit', {
      organization: id,
      actor_type: 'mcp_client',
      actor_id: operatorClient,
      action: 'organization.*',
    });
    expect(audit.json.data).toEqual([
      expect.objectContaining({
        action: 'organization.create',
        actor: { type: 'mcp_client', id: operatorClient },
        target: { type: 'organization', id },
      }),
    ]);
  });

  it('rejects bad write input as a tool error, writing nothing', async () => {
    const refused = await call(admin, 'create_organization', { slug: 'org_bad', name: 'Bad' });
    expect(refused.isError).toBe(true);
    expect(await gh.container.db.organizations.findBySlug('org_bad')).toBeUndefined();
    const unknown = await call(admin, 'add_domain', {
      organization: 'no-such-organization',
      domain: 'x.example',
    });
    expect(unknown).toMatchObject({ isError: true, json: { error: 'not_found' } });
  });

  it('lists and revokes sessions, users and memberships through the tools', async () => {
    const organization = await createOrganization(gh, 'MCP People');
    const email = `mcp-${randomUUID().slice(0, 8)}@example.test`;
    const userId = await gh.addUser(email, 'correct horse battery');
    await gh.container.admin.memberships.add(OPERATOR, organization.id, {
      user_id: userId,
      roles: [],
      status: 'active',
    });
    const users = await call(reader, 'list_users', { email });
    expect(users.json.data).toEqual([expect.objectContaining({ id: userId, email })]);
    expect((await call(reader, 'get_user', { user: email })).json).toMatchObject({ id: userId });
    const members = await call(reader, 'list_memberships', { organization: organization.slug });
    expect(members.json.data).toEqual([expect.objectContaining({ user_id: userId, status: 'active' })]);
    expect((await call(reader, 'list_sessions', { user: userId })).json).toEqual({ data: [] });
    const both = await call(reader, 'list_sessions', { user: userId, organization: organization.id });
    expect(both).toMatchObject({ isError: true, json: { error: 'invalid_target' } });
    expect((await call(admin, 'revoke_sessions', { user: userId })).json).toEqual({ ended: 0 });
  });

  it('lists a live session and revokes it, audited as the MCP client', async () => {
    const organization = await createOrganization(gh, 'MCP Sessions');
    const app = await sessionApp(gh);
    const { email, userId } = await member(gh, organization.id);
    await signIn(app.config, email, organization.id);
    const listed = await call(reader, 'list_sessions', { organization: organization.slug });
    expect(listed.json.data).toEqual([
      expect.objectContaining({ user_id: userId, organization_id: organization.id }),
    ]);
    const session = listed.json.data[0].id as string;

    expect((await call(admin, 'revoke_sessions', { session })).json).toEqual({ ended: 1 });
    expect((await call(reader, 'list_sessions', { user: userId })).json).toEqual({ data: [] });
    const [record] = await gh.container.db.audit.list(
      { action: 'session.revoke', organizationIds: [organization.id] },
      { limit: 1 },
    );
    expect(record!.actor).toEqual({ type: 'mcp_client', id: operatorClient });
  });

  it('answers 401 with the resource metadata challenge when the token is missing or not valid', async () => {
    const missing = await post(gh, initialize);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${metadataUrl}"`);

    const garbage = await post(gh, initialize, 'not-a-token');
    expect(garbage.status).toBe(401);
    expect(garbage.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(garbage.headers.get('www-authenticate')).toContain(`resource_metadata="${metadataUrl}"`);
    expect(await garbage.json()).toMatchObject({ error: 'invalid_token' });

    const get = await fetch(mcpUrl(gh));
    expect(get.status).toBe(401);
  });

  it('refuses the token of a client that no longer exists (401) and a body that is not JSON (400)', async () => {
    const doomed = await mcpClient(gh, ['gatehouse:read']);
    const token = await clientToken(gh, doomed, { scope: 'gatehouse:read' });
    expect((await post(gh, initialize, token)).status).toBe(200);
    await gh.container.db.clients.delete(doomed);
    const refused = await post(gh, initialize, token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');

    const reader = await clientToken(gh, operatorClient, { scope: 'gatehouse:read' });
    const garbled = await fetch(mcpUrl(gh), {
      method: 'POST',
      headers: { authorization: `Bearer ${reader}`, 'content-type': 'application/json' },
      body: '{"jsonrpc": "2.0", ',
    });
    expect(garbled.status).toBe(400);
    expect(await garbled.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32700 }, id: null });
  });

  it('refuses a token issued for another audience (401): tokens are audience-bound', async () => {
    const api = 'https://api.example.test/mcp-neighbour';
    const billing = await mcpClient(gh, ['gatehouse:read'], { resources: [api] });
    const token = await clientToken(gh, billing, { resource: api, scope: 'gatehouse:read' });
    const response = await post(gh, initialize, token);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    await expect(connect(gh, token)).rejects.toMatchObject({ code: 401 });
  });

  it('puts only the MCP scopes in a token for the endpoint, whatever else the client may ask for', async () => {
    const api = 'https://api.example.test/mcp-invoices';
    const both = await mcpClient(gh, ['gatehouse:read', 'invoices:read'], { resources: [mcpUrl(gh), api] });
    // The API scope is dropped (oidc-provider grants the subset the resource server offers).
    const token = await clientToken(gh, both, { scope: 'gatehouse:read invoices:read' });
    expect(decodeJwt(token)).toMatchObject({ aud: mcpUrl(gh), scope: 'gatehouse:read' });
    const forApi = await clientToken(gh, both, { resource: api, scope: 'invoices:read' });
    expect(decodeJwt(forApi)).toMatchObject({ aud: api, scope: 'invoices:read' });
  });

  it('refuses a token without an MCP scope (403) and serves no GET stream (405)', async () => {
    const bare = await mcpClient(gh, []);
    const unscoped = await post(gh, initialize, await clientToken(gh, bare));
    expect(unscoped.status).toBe(403);
    expect(unscoped.headers.get('www-authenticate')).toContain('error="insufficient_scope"');

    const token = await clientToken(gh, operatorClient, { scope: 'gatehouse:read' });
    const stream = await fetch(mcpUrl(gh), { headers: { authorization: `Bearer ${token}` } });
    expect(stream.status).toBe(405);
    expect(stream.headers.get('allow')).toBe('POST');
  });

  it("confines an organization's client to its subtree: other tenants are not found", async () => {
    const parent = await createOrganization(gh, 'MCP Tenant');
    const child = await createOrganization(gh, 'MCP Tenant Child', { parent: parent.id });
    const stranger = await createOrganization(gh, 'MCP Stranger');
    const tenantClient = await mcpClient(gh, ['gatehouse:read', 'gatehouse:admin'], {
      organizationId: parent.id,
    });
    const tenant = await connect(
      gh,
      await clientToken(gh, tenantClient, { scope: 'gatehouse:read gatehouse:admin' }),
    );
    try {
      const listed = await call(tenant, 'list_organizations', { limit: 200 });
      expect(listed.json.data.map((org: { id: string }) => org.id).sort()).toEqual(
        [parent.id, child.id].sort(),
      );
      const foreign = await call(tenant, 'get_organization', { organization: stranger.slug });
      expect(foreign).toMatchObject({ isError: true, json: { error: 'not_found' } });
      const explained = await call(tenant, 'explain_routing', { email: 'a@b.example' });
      expect(explained).toMatchObject({ isError: true, json: { error: 'forbidden' } });
      const topLevel = await call(tenant, 'create_organization', { slug: uniqueSlug('top'), name: 'Top' });
      expect(topLevel).toMatchObject({ isError: true, json: { error: 'forbidden' } });
      const sub = await call(tenant, 'create_organization', {
        slug: uniqueSlug('sub'),
        name: 'Sub',
        parent: parent.slug,
      });
      expect(sub.json).toMatchObject({ parent_id: parent.id });
    } finally {
      await tenant.close();
    }
  });
});

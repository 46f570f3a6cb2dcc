import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import type { OrganizationRecord } from '../../src/domain/ports/tenancy.js';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { discover, loginWithPassword, REDIRECT_URI } from '../support/relying-party.js';
import { addMember, createOrganization, uniqueSlug } from '../support/tenancy.js';
import { call, connect, initialize, mcpUrl, post, SECRET } from '../mcp/mcp-fixture.js';

const PASSWORD = 'correct horse battery';
const SCOPE = 'openid organization gatehouse:read gatehouse:admin';

/**
 * An interactive MCP client: a user signs in (authorization code, RFC 8707 resource = the MCP
 * endpoint) and the client acts as that user, within the organization the token was issued for.
 */
describe('MCP admin endpoint with a user’s token', () => {
  let gh: TestGatehouse;
  let clientId: string;
  let organization: OrganizationRecord;

  const member = async (roles: string[]) => {
    const email = `mcp-user-${randomUUID().slice(0, 8)}@example.test`;
    const id = await gh.addUser(email, PASSWORD);
    await addMember(gh, organization.id, id, roles);
    return { email, id };
  };
  const userToken = async (email: string) => {
    const config = await discover(gh.issuer, clientId, SECRET);
    const { tokens } = await loginWithPassword(config, email, PASSWORD, {
      scope: SCOPE,
      extra: { resource: mcpUrl(gh) },
    });
    return tokens.access_token;
  };

  beforeAll(async () => {
    gh = await startGatehouse();
    clientId = `mcp-desktop-${randomUUID().slice(0, 8)}`;
    await gh.addClient({
      client_id: clientId,
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      scopes: SCOPE.split(' '),
      resources: [mcpUrl(gh)],
    });
    organization = await createOrganization(gh, 'MCP Users', {
      roles: [
        { name: 'owner', permissions: ['*'], admin: true },
        { name: 'viewer', permissions: ['view'] },
      ],
    });
  });
  afterAll(() => gh?.stop());

  it('lets an admin member administer the organization, audited as the user', async () => {
    const owner = await member(['owner']);
    const token = await userToken(owner.email);
    expect(decodeJwt(token)).toMatchObject({ aud: mcpUrl(gh), sub: owner.id, org_id: organization.id });
    const client = await connect(gh, token);
    try {
      const listed = await call(client, 'list_organizations');
      expect(listed.json.data.map((org: { id: string }) => org.id)).toEqual([organization.id]);
      const slug = uniqueSlug('user-made');
      const created = await call(client, 'create_organization', {
        slug,
        name: 'Sub',
        parent: organization.id,
      });
      expect(created).toMatchObject({ isError: false, json: { slug, parent_id: organization.id } });
      const [record] = await gh.container.db.audit.list(
        { action: 'organization.create', targetId: created.json.id as string },
        { limit: 1 },
      );
      expect(record!.actor).toEqual({ type: 'user', id: owner.id });
    } finally {
      await client.close();
    }
  });

  it('refuses a member who does not administer the organization (403)', async () => {
    const viewer = await member(['viewer']);
    const response = await post(gh, initialize, await userToken(viewer.email));
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'access_denied' });
  });
});

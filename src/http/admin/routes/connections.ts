import { z } from 'zod';
import type { AdminServices } from '../../../domain/organizations/admin-services.js';
import {
  connectionCreateSchema,
  connectionUpdateSchema,
  type ConnectionUpdate,
} from '../../../domain/organizations/connection-input.js';
import { defineRoute, type AdminRoute } from '../route.js';
import { ConnectionJson, connectionJson } from './representations/connection.js';
import { ConnectionHealthJson, connectionHealthJson } from './representations/connection-health.js';
import { organizationParam, organizationParams, ref } from './params.js';
import { created, found, listOf, noContent, ok, problems, removed, segment } from './responses.js';

const tags = ['connections'];
const params = z.strictObject({ ...organizationParam, connection: ref('Connection key, e.g. `azure`.') });
const NewConnection = connectionCreateSchema.meta({ id: 'NewConnection' });
const ConnectionChanges = connectionUpdateSchema.meta({ id: 'ConnectionChanges' });

/** An organization's upstream identity providers (enterprise SSO). Secrets go in, never out. */
export function connectionRoutes({ connections, connectionHealth }: AdminServices): AdminRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization/connections',
      summary: "List the organization's connections",
      tags,
      params: organizationParams,
      responses: found(listOf(ConnectionJson), 'Connections.'),
      handler: async ({ principal, params }) =>
        ok({ data: (await connections.list(principal, params.organization)).map(connectionJson) }),
    }),
    defineRoute({
      method: 'POST',
      path: '/organizations/:organization/connections',
      summary: 'Add an OIDC or SAML connection',
      tags,
      params: organizationParams,
      body: NewConnection,
      responses: {
        201: { description: 'Created.', schema: ConnectionJson },
        ...problems.notFound,
        ...problems.conflict,
        ...problems.rule,
      },
      handler: async ({ principal, params, body }) => {
        const connection = await connections.create(principal, params.organization, body);
        return created(
          `/organizations/${connection.organizationId}/connections/${segment(connection.key)}`,
          connectionJson(connection),
        );
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization/connections/:connection',
      summary: 'Get a connection',
      tags,
      params,
      responses: found(ConnectionJson, 'The connection.'),
      handler: async ({ principal, params }) =>
        ok(connectionJson(await connections.get(principal, params.organization, params.connection))),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/organizations/:organization/connections/:connection',
      summary: 'Change a connection (null removes a setting; key and type never change)',
      tags,
      params,
      body: ConnectionChanges,
      responses: { ...found(ConnectionJson, 'The changed connection.'), ...problems.rule },
      handler: async ({ principal, params, body }) =>
        ok(
          connectionJson(
            await connections.update(
              principal,
              params.organization,
              params.connection,
              body as ConnectionUpdate,
            ),
          ),
        ),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/organizations/:organization/connections/:connection',
      summary: 'Delete a connection no routing rule or fallback uses',
      tags,
      params,
      responses: {
        ...removed(),
        409: {
          description: '`connection_in_use`: routing still sends sign-ins to it; `detail` names the rules.',
        },
      },
      handler: async ({ principal, params }) => {
        await connections.remove(principal, params.organization, params.connection);
        return noContent();
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization/connections/:connection/health',
      summary: "A connection's health: IdP certificates, metadata refresh, last sign-ins and test",
      tags,
      params,
      responses: found(ConnectionHealthJson, 'The connection’s health.'),
      handler: async ({ principal, params }) =>
        ok(
          connectionHealthJson(await connectionHealth.get(principal, params.organization, params.connection)),
        ),
    }),
    defineRoute({
      method: 'POST',
      path: '/organizations/:organization/connections/:connection/sp-credential',
      summary: "Replace a SAML connection's SP key pair (give the IdP the new SP metadata)",
      tags,
      params,
      responses: {
        ...found(ConnectionJson, 'The connection with its new SP certificate.'),
        ...problems.rule,
      },
      handler: async ({ principal, params }) =>
        ok(
          connectionJson(
            await connections.rotateSpCredential(principal, params.organization, params.connection),
          ),
        ),
    }),
  ];
}

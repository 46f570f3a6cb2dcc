import { z } from 'zod';
import type { AdminServices } from '../../../domain/organizations/admin-services.js';
import { clientCreateSchema, clientReplaceSchema } from '../../../domain/organizations/client-input.js';
import { pageOf, pageQuery } from '../pagination.js';
import { defineRoute, type AdminRoute } from '../route.js';
import {
  ClientJson,
  clientJson,
  ClientWithSecretJson,
  clientWithSecretJson,
} from './representations/client.js';
import { ref } from './params.js';
import { created, found, noContent, ok, pageResult, problems, removed } from './responses.js';

const tags = ['clients'];
const params = z.strictObject({ client: ref('The client_id.') });
const NewClient = clientCreateSchema.meta({ id: 'NewClient' });
const ClientReplacement = clientReplaceSchema.meta({ id: 'ClientReplacement' });

/**
 * Relying parties. The server makes the secret of a confidential client and shows it in that one
 * answer only; it is stored encrypted and never read back through the API.
 */
export function clientRoutes({ clients }: AdminServices): AdminRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/clients',
      summary: 'List clients',
      tags,
      query: z.strictObject(pageQuery),
      responses: { 200: { description: 'A page of clients.', schema: pageOf(ClientJson) } },
      handler: ({ principal, query }) => pageResult(query, (p) => clients.list(principal, p), clientJson),
    }),
    defineRoute({
      method: 'POST',
      path: '/clients',
      summary: 'Register a client',
      tags,
      body: NewClient,
      responses: {
        201: { description: 'Created; `client_secret` is shown this once.', schema: ClientWithSecretJson },
        ...problems.forbidden,
        ...problems.notFound,
        ...problems.conflict,
      },
      handler: async ({ principal, body }) => {
        const result = await clients.create(principal, body);
        return created(`/clients/${result.client.id}`, clientWithSecretJson(result));
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/clients/:client',
      summary: 'Get a client (never its secret)',
      tags,
      params,
      responses: found(ClientJson, 'The client.'),
      handler: async ({ principal, params }) => ok(clientJson(await clients.get(principal, params.client))),
    }),
    defineRoute({
      method: 'PUT',
      path: '/clients/:client',
      summary: 'Replace a client; a confidential client keeps its secret',
      tags,
      params,
      body: ClientReplacement,
      responses: found(
        ClientWithSecretJson,
        'The client; with `client_secret` if it just became confidential.',
      ),
      handler: async ({ principal, params, body }) =>
        ok(clientWithSecretJson(await clients.replace(principal, params.client, body))),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/clients/:client',
      summary: 'Delete a client',
      tags,
      params,
      responses: removed(),
      handler: async ({ principal, params }) => {
        await clients.remove(principal, params.client);
        return noContent();
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/clients/:client/secret',
      summary: 'Rotate the secret: the old one stops working at once',
      tags,
      params,
      responses: {
        ...found(ClientWithSecretJson, 'The client with its new `client_secret`, shown this once.'),
        ...problems.rule,
      },
      handler: async ({ principal, params }) =>
        ok(clientWithSecretJson(await clients.rotateSecret(principal, params.client))),
    }),
  ];
}

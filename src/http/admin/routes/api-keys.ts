import { z } from 'zod';
import type { AdminServices } from '../../../domain/organizations/admin-services.js';
import { apiKeyCreateSchema } from '../../../domain/organizations/api-keys.js';
import { pageOf, pageQuery } from '../pagination.js';
import { defineRoute, type AdminRoute } from '../route.js';
import { ApiKeyJson, apiKeyJson, NewApiKeyJson } from './representations/api-key.js';
import { ref } from './params.js';
import { created, found, noContent, ok, pageResult, problems, removed } from './responses.js';

const tags = ['api-keys'];
const params = z.strictObject({ key: ref('The key id (`key_...`), not the key itself.') });
const NewApiKey = apiKeyCreateSchema.meta({ id: 'NewApiKeyRequest' });

/** Admin API keys: environment-wide, or bound to one organization and its sub-organizations. */
export function apiKeyRoutes({ apiKeys }: AdminServices): AdminRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api-keys',
      summary: 'List API keys (never the keys themselves)',
      tags,
      query: z.strictObject(pageQuery),
      responses: { 200: { description: 'A page of keys.', schema: pageOf(ApiKeyJson) } },
      handler: ({ principal, query }) => pageResult(query, (p) => apiKeys.list(principal, p), apiKeyJson),
    }),
    defineRoute({
      method: 'POST',
      path: '/api-keys',
      summary: 'Create an API key; `key` is shown this once',
      tags,
      body: NewApiKey,
      responses: {
        201: { description: 'Created.', schema: NewApiKeyJson },
        ...problems.forbidden,
        ...problems.notFound,
      },
      handler: async ({ principal, body }) => {
        const { key, record } = await apiKeys.create(principal, body);
        return created(`/api-keys/${record.id}`, { ...apiKeyJson(record), key });
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api-keys/:key',
      summary: 'Get an API key (never the key itself)',
      tags,
      params,
      responses: found(ApiKeyJson, 'The key.'),
      handler: async ({ principal, params }) => ok(apiKeyJson(await apiKeys.get(principal, params.key))),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api-keys/:key',
      summary: 'Revoke an API key: it stops working at once',
      tags,
      params,
      responses: removed('Revoked.'),
      handler: async ({ principal, params }) => {
        await apiKeys.revoke(principal, params.key);
        return noContent();
      },
    }),
  ];
}

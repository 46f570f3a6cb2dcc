import { z } from 'zod';
import type { FederationsAdmin } from '../../../domain/federations/federations-admin.js';
import {
  federationChangeSchema,
  federationCreateSchema,
  freezeSchema,
} from '../../../domain/federations/federation-input.js';
import { pageOf, pageQuery } from '../pagination.js';
import { defineRoute, type AdminRoute } from '../route.js';
import { federationRuleRoutes } from './federation-rules.js';
import { ref } from './params.js';
import {
  FederationJson,
  FederationSummaryJson,
  federationJson,
  federationSummaryJson,
} from './representations/federation.js';
import { created, found, noContent, ok, pageResult, problems, removed } from './responses.js';

const tags = ['federations'];
const federationParam = { federation: ref('Federation id (`fed_...`) or slug.') };
const params = z.strictObject(federationParam);
const NewFederation = federationCreateSchema.meta({ id: 'NewFederation' });
const FederationChanges = federationChangeSchema.meta({ id: 'FederationChanges' });
const FreezeRequest = freezeSchema.meta({ id: 'FreezeRequest' });

/**
 * Partner federations: organizations grouped under trust rules that let members of one act for
 * another with named permissions. Environment-wide API keys only: they span organizations, so an
 * organization's key gets 404 for every one of them.
 */
export function federationRoutes({ federations }: { federations: FederationsAdmin }): AdminRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/federations',
      summary: 'List federations',
      tags,
      query: z.strictObject(pageQuery),
      responses: { 200: { description: 'A page of federations.', schema: pageOf(FederationSummaryJson) } },
      handler: ({ principal, query }) =>
        pageResult(query, (page) => federations.list(principal, page), federationSummaryJson),
    }),
    defineRoute({
      method: 'POST',
      path: '/federations',
      summary: 'Create a federation, optionally with its member organizations',
      tags,
      body: NewFederation,
      responses: {
        201: { description: 'Created.', schema: FederationJson },
        ...problems.notFound,
        ...problems.conflict,
      },
      handler: async ({ principal, body }) => {
        const detail = await federations.create(principal, body);
        return created(`/federations/${detail.federation.id}`, federationJson(detail));
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/federations/:federation',
      summary: 'Get a federation with its members and trust rules',
      tags,
      params,
      responses: found(FederationJson, 'The federation.'),
      handler: async ({ principal, params }) =>
        ok(federationJson(await federations.get(principal, params.federation))),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/federations/:federation',
      summary: 'Rename a federation',
      tags,
      params,
      body: FederationChanges,
      responses: { ...found(FederationJson, 'The changed federation.'), ...problems.conflict },
      handler: async ({ principal, params, body }) =>
        ok(federationJson(await federations.update(principal, params.federation, body))),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/federations/:federation',
      summary: "Delete a federation with its rules; partners' grants are revoked",
      tags,
      params,
      responses: removed(),
      handler: async ({ principal, params }) => {
        await federations.remove(principal, params.federation);
        return noContent();
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/federations/:federation/freeze',
      summary: "Kill switch: every rule stops now; partners' tokens, grants and sessions end",
      tags,
      params,
      body: FreezeRequest,
      responses: found(FederationSummaryJson, 'The frozen federation.'),
      handler: async ({ principal, params, body }) =>
        ok(federationSummaryJson(await federations.freeze(principal, params.federation, body.reason))),
    }),
    defineRoute({
      method: 'POST',
      path: '/federations/:federation/unfreeze',
      summary: 'Lift the kill switch: the rules apply again (partners sign in again)',
      tags,
      params,
      responses: found(FederationSummaryJson, 'The federation.'),
      handler: async ({ principal, params }) =>
        ok(federationSummaryJson(await federations.unfreeze(principal, params.federation))),
    }),
    ...federationRuleRoutes(federations),
  ];
}

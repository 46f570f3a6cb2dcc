import { z } from 'zod';
import type { EntitlementsService } from '../../../domain/entitlements/entitlements.js';
import { entitlementsView } from '../../../domain/entitlements/entitlements-view.js';
import { FEATURES, TIERS } from '../../../domain/entitlements/tiers.js';
import type { OrganizationFreeze } from '../../../domain/organizations/organization-freeze.js';
import { defineRoute, type AdminRoute } from '../route.js';
import { organizationParams } from './params.js';
import { OrganizationJson, organizationJson } from './representations/organization.js';
import { found, ok, problems } from './responses.js';

const tags = ['organizations'];
const limit = z.number().int().nullable().meta({ description: 'null: unlimited.' });

export const EntitlementsJson = z
  .object({
    organization_id: z.string(),
    contract_organization_id: z
      .string()
      .meta({ description: 'The top-level organization whose plan applies.' }),
    tier: z.enum(TIERS).nullable().meta({ description: 'null: no plan (every feature, no quota).' }),
    features: z.record(z.enum(FEATURES), z.boolean()),
    quotas: z.object({
      monthly_active_users: limit,
      connections: limit,
      api_rate_limit: z.string().nullable().meta({ description: '`N/s`, `N/m` or `N/h`; null: unlimited.' }),
    }),
    trial_ends_at: z.string().nullable(),
    contract_ends_at: z.string().nullable(),
    access_ended: z.enum(['trial_ended', 'contract_ended']).nullable().meta({
      description: 'Set once the trial or contract is over: sign-ins are refused, tokens inactive.',
    }),
    usage: z.object({
      month: z.string().meta({ description: 'The calendar month (UTC) counted, YYYY-MM.' }),
      monthly_active_users: z.number().int(),
      connections: z.number().int(),
    }),
  })
  .meta({ id: 'Entitlements' });

const FreezeBody = z
  .strictObject({
    reason: z.string().trim().min(1).max(500).meta({ description: 'Why: shown to operators, audited.' }),
  })
  .meta({ id: 'FreezeOrganization' });
const FrozenJson = z
  .object({
    organization: OrganizationJson,
    revoked: z.object({ sessions: z.number().int(), grants: z.number().int() }),
  })
  .meta({ id: 'FrozenOrganization' });

/** Plans (effective entitlements and usage) and the kill switch. */
export function entitlementRoutes(services: {
  entitlements: EntitlementsService;
  freeze: OrganizationFreeze;
}): AdminRoute[] {
  const { entitlements, freeze } = services;
  return [
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization/entitlements',
      summary: "Effective features and quotas of the organization's plan, and this month's usage",
      tags,
      params: organizationParams,
      responses: found(EntitlementsJson, 'What the plan allows and what is used.'),
      handler: async ({ principal, params }) =>
        ok(entitlementsView(await entitlements.report(principal, params.organization))),
    }),
    defineRoute({
      method: 'POST',
      path: '/organizations/:organization/freeze',
      summary:
        'Freeze the organization and its sub-organizations: end every session and grant, refuse sign-ins',
      tags,
      params: organizationParams,
      body: FreezeBody,
      responses: { ...found(FrozenJson, 'Frozen.'), ...problems.forbidden },
      handler: async ({ principal, params, body }) => {
        const result = await freeze.freeze(principal, params.organization, body.reason);
        return ok({ organization: organizationJson(result.organization), revoked: result.revoked });
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/organizations/:organization/unfreeze',
      summary: 'Lift a freeze: sign-ins work again (what the freeze revoked stays revoked)',
      tags,
      params: organizationParams,
      responses: { ...found(OrganizationJson, 'Unfrozen.'), ...problems.forbidden },
      handler: async ({ principal, params }) =>
        ok(organizationJson(await freeze.unfreeze(principal, params.organization))),
    }),
  ];
}

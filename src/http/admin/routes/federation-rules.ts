import { z } from 'zod';
import type { FederationsAdmin } from '../../../domain/federations/federations-admin.js';
import {
  memberAddSchema,
  trustRuleChangeSchema,
  trustRuleCreateSchema,
} from '../../../domain/federations/federation-input.js';
import { defineRoute, type AdminRoute } from '../route.js';
import { organizationParam, ref } from './params.js';
import {
  FederationMemberJson,
  TrustRuleJson,
  federationMemberJson,
  trustRuleJson,
} from './representations/federation.js';
import { created, found, listOf, noContent, ok, problems, removed, segment } from './responses.js';

const tags = ['federations'];
const federation = { federation: ref('Federation id (`fed_...`) or slug.') };
const federationParams = z.strictObject(federation);
const memberParams = z.strictObject({ ...federation, ...organizationParam });
const ruleParams = z.strictObject({ ...federation, rule: ref('Trust rule id (`ftr_...`).') });
const NewMember = memberAddSchema.meta({ id: 'NewFederationMember' });
const NewTrustRule = trustRuleCreateSchema.meta({ id: 'NewTrustRule' });
const TrustRuleChanges = trustRuleChangeSchema.meta({ id: 'TrustRuleChanges' });

/** A federation's member organizations and its trust rules. */
export function federationRuleRoutes(federations: FederationsAdmin): AdminRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/federations/:federation/members',
      summary: "List a federation's member organizations",
      tags,
      params: federationParams,
      responses: found(listOf(FederationMemberJson), 'Members.'),
      handler: async ({ principal, params }) =>
        ok({ data: (await federations.get(principal, params.federation)).members.map(federationMemberJson) }),
    }),
    defineRoute({
      method: 'POST',
      path: '/federations/:federation/members',
      summary: 'Add an organization to a federation',
      tags,
      params: federationParams,
      body: NewMember,
      responses: { 201: { description: 'Added.', schema: FederationMemberJson }, ...problems.notFound },
      handler: async ({ principal, params, body }) => {
        const member = await federations.addMember(principal, params.federation, body.organization);
        return created(
          `/federations/${member.federationId}/members/${segment(member.organizationId)}`,
          federationMemberJson(member),
        );
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/federations/:federation/members/:organization',
      summary: 'Remove an organization from a federation (no rule may name it)',
      tags,
      params: memberParams,
      responses: { ...removed('Removed.'), ...problems.conflict },
      handler: async ({ principal, params }) => {
        await federations.removeMember(principal, params.federation, params.organization);
        return noContent();
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/federations/:federation/rules',
      summary: "List a federation's trust rules",
      tags,
      params: federationParams,
      responses: found(listOf(TrustRuleJson), 'Trust rules.'),
      handler: async ({ principal, params }) =>
        ok({ data: (await federations.rules(principal, params.federation)).map(trustRuleJson) }),
    }),
    defineRoute({
      method: 'POST',
      path: '/federations/:federation/rules',
      summary: 'Add a trust rule: members of `source` may act for `target` with `permissions`',
      tags,
      params: federationParams,
      body: NewTrustRule,
      responses: {
        201: { description: 'Created.', schema: TrustRuleJson },
        ...problems.notFound,
        ...problems.conflict,
        ...problems.rule,
      },
      handler: async ({ principal, params, body }) => {
        const rule = await federations.createRule(principal, params.federation, body);
        return created(`/federations/${rule.federationId}/rules/${rule.id}`, trustRuleJson(rule));
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/federations/:federation/rules/:rule',
      summary: 'Get a trust rule',
      tags,
      params: ruleParams,
      responses: found(TrustRuleJson, 'The rule.'),
      handler: async ({ principal, params }) =>
        ok(trustRuleJson(await federations.getRule(principal, params.federation, params.rule))),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/federations/:federation/rules/:rule',
      summary: "Change a trust rule's permissions or conditions",
      tags,
      params: ruleParams,
      body: TrustRuleChanges,
      responses: { ...found(TrustRuleJson, 'The changed rule.'), ...problems.rule },
      handler: async ({ principal, params, body }) =>
        ok(trustRuleJson(await federations.updateRule(principal, params.federation, params.rule, body))),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/federations/:federation/rules/:rule',
      summary: 'Delete a trust rule; grants made through it are revoked',
      tags,
      params: ruleParams,
      responses: removed(),
      handler: async ({ principal, params }) => {
        await federations.deleteRule(principal, params.federation, params.rule);
        return noContent();
      },
    }),
  ];
}

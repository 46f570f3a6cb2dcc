import { z } from 'zod';
import type { AdminServices } from '../../../domain/organizations/admin-services.js';
import { defineRoute, type AdminRoute } from '../route.js';
import { ExplainJson, explainJson, RoutingJson } from './representations/routing.js';
import { organizationParams, ref } from './params.js';
import { found, ok, problems } from './responses.js';

const tags = ['routing'];
const hint = (description: string) => z.string().min(1).max(320).optional().meta({ description });
const explainQuery = z.strictObject({
  email: hint('The email as the user would type it.'),
  organization: ref('Organization hint: id or slug (the `organization` authorization parameter).').optional(),
  connection: ref(
    'Connection hint: an id (`con_...`), or a key of the hinted or owning organization.',
  ).optional(),
  login_hint: hint('Used as the email when none is given.'),
  domain_hint: hint('Used as the domain when no email is known.'),
});

/** Home-realm discovery: each organization's rules and fallback, and why an email goes where it goes. */
export function routingRoutes({ routing }: AdminServices): AdminRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization/routing',
      summary: "The organization's routing rules and fallback connection",
      tags,
      params: organizationParams,
      responses: found(RoutingJson, 'The routing.'),
      handler: async ({ principal, params }) => ok(await routing.get(principal, params.organization)),
    }),
    defineRoute({
      method: 'PUT',
      path: '/organizations/:organization/routing',
      summary: 'Replace the routing rules and fallback connection',
      tags,
      params: organizationParams,
      body: RoutingJson,
      responses: {
        ...found(RoutingJson, 'The routing now in force.'),
        422: {
          description:
            '`invalid_routing_rules`: `errors` names each rule (`rules.<index>.domain`) whose domain is not verified by the organization or whose connection is not one of its own.',
        },
      },
      handler: async ({ principal, params, body }) =>
        ok(await routing.replace(principal, params.organization, body)),
    }),
    defineRoute({
      method: 'GET',
      path: '/routing/explain',
      summary: 'Which connection would sign in an email, with every rule considered (environment keys only)',
      tags,
      query: explainQuery,
      responses: {
        200: { description: 'The decision and its explanation.', schema: ExplainJson },
        ...problems.forbidden,
      },
      handler: async ({ principal, query }) => {
        const hints = {
          organization: query.organization,
          connection: query.connection,
          loginHint: query.login_hint,
          domainHint: query.domain_hint,
        };
        return ok(explainJson(await routing.explain(principal, query.email, hints)));
      },
    }),
  ];
}

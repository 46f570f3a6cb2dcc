import type { AdminServices } from '../../../domain/organizations/admin-services.js';
import { defineRoute, type AdminRoute } from '../route.js';
import { ProvisioningChanges, ProvisioningJson } from './representations/provisioning.js';
import { organizationParams } from './params.js';
import { found, ok } from './responses.js';

const tags = ['provisioning'];

/** What SSO sign-ins create in an organization (JIT, approval) and the roles its rules give. */
export function provisioningRoutes({ provisioning }: AdminServices): AdminRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization/provisioning',
      summary: "The organization's provisioning policy, defaults spelled out",
      tags,
      params: organizationParams,
      responses: found(ProvisioningJson, 'The policy.'),
      handler: async ({ principal, params }) => ok(await provisioning.get(principal, params.organization)),
    }),
    defineRoute({
      method: 'PUT',
      path: '/organizations/:organization/provisioning',
      summary: 'Replace the provisioning policy',
      tags,
      params: organizationParams,
      body: ProvisioningChanges,
      responses: {
        ...found(ProvisioningJson, 'The policy now in force.'),
        422: {
          description:
            '`invalid_role_rules`: `errors` names every bad rule (`role_rules.<index>.condition` with the `column` where parsing failed, or `role_rules.<index>.assign_role` for a role the organization does not offer).',
        },
      },
      handler: async ({ principal, params, body }) =>
        ok(await provisioning.replace(principal, params.organization, body)),
    }),
  ];
}

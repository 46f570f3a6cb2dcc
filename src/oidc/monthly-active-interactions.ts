import type { Interactions } from './interactions.js';

/**
 * Counts monthly active users where a sign-in's organization is final: finishLogin when the
 * sign-in already decided it, finishOrganization otherwise. Whether the user may be counted (the
 * plan's quota) was decided before, with the organization (organization-selection.ts). A support
 * impersonation is not the user's own sign-in and is not counted.
 */
export function withMonthlyActiveUsers(
  interactions: Interactions,
  record: (organizationId: string, userId: string) => Promise<void>,
): Interactions {
  return {
    ...interactions,
    async finishLogin(req, res, accountId, method, organization) {
      if (organization?.id && !method.impersonation) await record(organization.id, accountId);
      await interactions.finishLogin(req, res, accountId, method, organization);
    },
    async finishOrganization(req, res, organization) {
      if (organization.id) {
        const view = await interactions.load(req, res);
        if (view.accountId) await record(organization.id, view.accountId);
      }
      await interactions.finishOrganization(req, res, organization);
    },
  };
}

import type { Context, Middleware, Next } from 'koa';
import type { OrganizationRateLimiter } from '../../domain/entitlements/api-rate-limiter.js';
import type { Feature } from '../../domain/entitlements/tiers.js';
import type { DirectoryRecord } from '../../domain/ports/directories.js';
import { ScimError } from '../../domain/scim/model/index.js';
import { scimOrganizationRateLimit } from '../middleware/organization-rate-limit.js';

export interface ScimPlanDeps {
  allows(organizationId: string, feature: Feature): Promise<boolean>;
  limiter: OrganizationRateLimiter;
}

/**
 * The organization's plan in front of its SCIM directories (after authentication): directory sync
 * must be in the plan (403 SCIM error), and requests count against the plan's API rate limit.
 */
export function scimPlanGate(deps: ScimPlanDeps): Middleware[] {
  const feature = async (ctx: Context, next: Next) => {
    const directory = ctx.state.directory as DirectoryRecord;
    if (!(await deps.allows(directory.organizationId, 'scim')))
      throw new ScimError(403, "SCIM directory sync is not part of the organization's plan.");
    await next();
  };
  return [feature, scimOrganizationRateLimit(deps.limiter)];
}

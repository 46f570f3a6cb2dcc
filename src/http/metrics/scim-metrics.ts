import type { Middleware } from 'koa';
import type { Metrics, ScimResource } from '../../domain/ports/metrics.js';
import { SCIM_PREFIX } from '../scim/scim-prefix.js';

const RESOURCES: readonly ScimResource[] = [
  'Users',
  'Groups',
  'Bulk',
  'Schemas',
  'ResourceTypes',
  'ServiceProviderConfig',
];

/** The resource of a SCIM path (`/scim/v2/<directory>/<resource>/...`); `.search` at the root is `other`. */
export function scimResourceOf(path: string): ScimResource {
  const segment = path.slice(SCIM_PREFIX.length + 1).split('/')[1];
  return RESOURCES.find((resource) => resource === segment) ?? 'other';
}

/**
 * Counts SCIM requests by resource, method and status class once answered. Mounted ahead of
 * the SCIM error boundary and authentication, so refusals (401, 4xx SCIM errors) count too.
 */
export function scimMetrics(metrics: Pick<Metrics, 'scim'>): Middleware {
  return async (ctx, next) => {
    // An error that escapes the boundary becomes Koa's 500.
    let status = 500;
    try {
      await next();
      status = ctx.status;
    } finally {
      metrics.scim(scimResourceOf(ctx.path), ctx.method, status);
    }
  };
}

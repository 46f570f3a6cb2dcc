import { z } from 'zod';
import type { PortalLinksAdmin } from '../../../domain/portal/portal-links-admin.js';
import { setupLinkCreateSchema } from '../../../domain/portal/setup-links.js';
import { defineRoute, type AdminRoute } from '../route.js';
import { organizationParams } from './params.js';
import { problems } from './responses.js';
import { iso, timestamp } from './representations/timestamps.js';

const tags = ['portal'];
const NewPortalLink = setupLinkCreateSchema.meta({ id: 'NewPortalLink' });
const PortalLinkJson = z
  .object({
    id: z.string(),
    organization_id: z.string(),
    intent: z.enum(['sso', 'dsync', 'domains']),
    url: z.string().meta({ description: 'The link to hand to the customer; shown only in this response.' }),
    expires_at: timestamp,
    created_at: timestamp,
  })
  .meta({ id: 'PortalLink' });

/** One-time links that open the customer portal for one organization and one task. */
export function portalLinkRoutes({ portalLinks }: { portalLinks: PortalLinksAdmin }): AdminRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/organizations/:organization/portal-links',
      summary: 'Create a one-time setup link to the customer portal (its URL is shown once)',
      tags,
      params: organizationParams,
      body: NewPortalLink,
      responses: { 201: { description: 'Created.', schema: PortalLinkJson }, ...problems.notFound },
      handler: async ({ principal, params, body }) => {
        const { link, url } = await portalLinks.issue(principal, params.organization, body);
        return {
          status: 201,
          // The secret is in the body: no cache may keep it (RFC 9111 §5.2.2.5).
          headers: { 'Cache-Control': 'no-store' },
          body: {
            id: link.id,
            organization_id: link.organizationId,
            intent: link.intent,
            url,
            expires_at: iso(link.expiresAt),
            created_at: iso(link.createdAt),
          },
        };
      },
    }),
  ];
}

import type { Env } from '../config/env.js';
import { createBranding, type Branding } from '../domain/branding/branding-service.js';
import {
  createCustomDomainLookup,
  type CustomDomainLookup,
} from '../domain/branding/custom-domain-lookup.js';
import { createEntryApplications } from '../domain/branding/entry-applications.js';
import type { Database } from '../domain/ports/repositories.js';

export interface BrandingServices {
  branding: Branding & {
    /** Which verified custom domain a request's host names (CUSTOM_DOMAINS on). */
    customDomainOf: CustomDomainLookup;
    /** The organization of a verified custom domain by id, when custom domains are on. */
    customDomainOrganization(id: string): Promise<string | undefined>;
    entryApplications: ReturnType<typeof createEntryApplications>;
  };
}

/** Per-organization branding of the sign-in pages and the custom login domains' entry. */
export function wireBranding(env: Pick<Env, 'CUSTOM_DOMAINS' | 'ISSUER'>, db: Database): BrandingServices {
  return {
    branding: {
      ...createBranding(db),
      customDomainOf: createCustomDomainLookup({
        enabled: env.CUSTOM_DOMAINS,
        issuerHost: new URL(env.ISSUER).host,
        domains: db.customDomains,
      }),
      async customDomainOrganization(id) {
        if (!env.CUSTOM_DOMAINS || !id.startsWith('cdm_')) return undefined;
        const domain = await db.customDomains.find(id);
        return domain?.verifiedAt ? domain.organizationId : undefined;
      },
      entryApplications: createEntryApplications(db),
    },
  };
}

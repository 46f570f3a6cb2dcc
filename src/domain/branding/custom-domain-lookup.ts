import type { CustomDomainRecord, CustomDomainRepository } from '../ports/custom-domains.js';
import { requestHost } from './custom-hosts.js';

export interface CustomDomainLookupOptions {
  /** CUSTOM_DOMAINS: the deployment serves custom login domains at all. */
  enabled: boolean;
  /** The issuer's own host: it is never a custom domain. */
  issuerHost: string;
  domains: Pick<CustomDomainRepository, 'findByHost'>;
}

/**
 * Which custom domain a request came through. Host header trust is explicit: only when the
 * deployment enabled custom domains, and only a host with a VERIFIED row counts; any other host
 * (unverified, unknown, the issuer's own) is answered as the issuer's host is, and is never
 * reflected into a URL or page.
 */
export function createCustomDomainLookup(options: CustomDomainLookupOptions) {
  const issuerHost = requestHost(options.issuerHost);
  return async (rawHost: string | undefined): Promise<CustomDomainRecord | undefined> => {
    if (!options.enabled) return undefined;
    const host = requestHost(rawHost);
    if (!host || host === issuerHost) return undefined;
    const domain = await options.domains.findByHost(host);
    return domain?.verifiedAt ? domain : undefined;
  };
}
export type CustomDomainLookup = ReturnType<typeof createCustomDomainLookup>;

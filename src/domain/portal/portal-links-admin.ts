import type { AdminPrincipal } from '../organizations/admin-principal.js';
import type { SetupLinkCreate, SetupLinks, SetupLinkView } from './setup-links.js';

/** Where a setup link's secret is redeemed: `<issuer>/portal/setup/<secret>`. */
export const setupLinkUrl = (issuer: string, secret: string) => `${issuer}/portal/setup/${secret}`;

export interface IssuedSetupLink {
  link: SetupLinkView;
  /** The only time the secret is seen: it is not stored, so it cannot be shown again. */
  url: string;
  organization: { id: string; slug: string; name: string };
}

/** Setup links as the admin API and the CLI issue them (scoped and audited by setup-links.ts). */
export function createPortalLinksAdmin(links: Pick<SetupLinks, 'issue'>, issuer: string) {
  return {
    async issue(principal: AdminPrincipal, orgRef: string, input: SetupLinkCreate): Promise<IssuedSetupLink> {
      const { link, secret, organization } = await links.issue(principal, orgRef, input);
      return {
        link,
        url: setupLinkUrl(issuer, secret),
        organization: { id: organization.id, slug: organization.slug, name: organization.name },
      };
    },
  };
}
export type PortalLinksAdmin = ReturnType<typeof createPortalLinksAdmin>;

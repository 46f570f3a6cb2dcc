import { emailDomain, looksLikeEmail, normalizeEmail } from '../../lib/email.js';
import { coveringPatterns } from '../organizations/domain-names.js';
import type { Repositories } from '../ports/repositories.js';
import type { OrganizationRecord } from '../ports/tenancy.js';
import { brandStylesheet, stylesheetVersion } from './brand-stylesheet.js';
import { effectiveBranding, paletteOf, type Brand } from './effective-branding.js';

type BrandingRepos = Pick<Repositories, 'organizations' | 'domains'>;

export interface BrandStylesheet {
  css: string;
  version: string;
}

/** The path of an organization's stylesheet (http/routes/branding-routes.ts serves it). */
export const stylesheetPath = (organizationId: string, version: string) =>
  `/branding/${organizationId}.css?v=${version}`;

/**
 * Branding as pages use it: the effective (inherited) branding of an organization named by id or
 * slug, and its stylesheet. An organization whose tree sets no branding at all gives no brand, so
 * its pages look as Gatehouse's own.
 */
export function createBranding(db: BrandingRepos) {
  const find = (ref: string): Promise<OrganizationRecord | undefined> =>
    ref.startsWith('org_') ? db.organizations.find(ref) : db.organizations.findBySlug(ref);

  const effectiveOf = async (organizationId: string) =>
    effectiveBranding(await db.organizations.chain(organizationId));

  const stylesheet = async (organizationId: string): Promise<BrandStylesheet | undefined> => {
    const palette = paletteOf(await effectiveOf(organizationId));
    if (!palette) return undefined;
    const css = brandStylesheet(palette);
    return { css, version: stylesheetVersion(css) };
  };

  return {
    async brandOf(ref: string): Promise<Brand | undefined> {
      const organization = await find(ref);
      if (!organization) return undefined;
      const effective = await effectiveOf(organization.id);
      if (Object.keys(effective.values).length === 0) return undefined;
      const palette = paletteOf(effective);
      const css = palette ? brandStylesheet(palette) : undefined;
      const { display_name: displayName, logo_url: logoUrl } = effective.values;
      return {
        organizationId: organization.id,
        displayName: displayName ?? organization.name,
        ...(logoUrl ? { logoUrl } : {}),
        ...(css ? { stylesheet: stylesheetPath(organization.id, stylesheetVersion(css)) } : {}),
      };
    },

    stylesheet,

    /**
     * The organization whose verified domain claim covers the email (the most specific claim),
     * as home realm discovery reads it: the routing result a page may show before sign-in ends.
     */
    async organizationForEmail(email: string): Promise<string | undefined> {
      const normalized = normalizeEmail(email);
      if (!looksLikeEmail(normalized)) return undefined;
      const patterns = coveringPatterns(emailDomain(normalized));
      const claims = await db.domains.findVerifiedAmong(patterns);
      for (const pattern of patterns) {
        const claim = claims.find((candidate) => candidate.domain === pattern);
        if (claim) return claim.organizationId;
      }
      return undefined;
    },
  };
}
export type Branding = ReturnType<typeof createBranding>;

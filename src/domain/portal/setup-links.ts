import { z } from 'zod';
import { digestBearerToken, newBearerToken } from '../../lib/crypto/bearer-token.js';
import { newId } from '../../lib/ids.js';
import type { AdminPrincipal } from '../organizations/admin-principal.js';
import { recordChange, visibleOrganization } from '../organizations/tenancy-scope.js';
import type { PortalSetupLinkRecord } from '../ports/portal.js';
import type { Database } from '../ports/repositories.js';
import type { OrganizationRecord } from '../ports/tenancy.js';
import { PORTAL_INTENTS, type PortalPrincipal } from './portal-principal.js';

const SECRET_PREFIX = 'ghpl_';
const MINUTE = 60;
export const DEFAULT_LINK_SECONDS = 24 * 60 * MINUTE;
export const MAX_LINK_SECONDS = 30 * 24 * 60 * MINUTE;

export const setupLinkCreateSchema = z.strictObject({
  intent: z.enum(PORTAL_INTENTS).meta({ description: 'The task the link opens: sso, dsync or domains' }),
  expires_in: z
    .number()
    .int()
    .min(5 * MINUTE)
    .max(MAX_LINK_SECONDS)
    .default(DEFAULT_LINK_SECONDS)
    .meta({
      description: 'Seconds until the link stops working (5 minutes to 30 days; 24 hours by default)',
    }),
});
export type SetupLinkCreate = z.output<typeof setupLinkCreateSchema>;

/** A link as responses and audit records show it: never its secret or the secret's digest. */
export type SetupLinkView = Omit<PortalSetupLinkRecord, 'tokenHash'>;
export const setupLinkView = ({ tokenHash: _hidden, ...rest }: PortalSetupLinkRecord): SetupLinkView => rest;

/** Why a link does not open the portal; each gets its own plain-language page. */
export type LinkRefusal = 'unknown' | 'used' | 'expired';
export type LinkOutcome =
  { ok: true; link: SetupLinkView; organization: OrganizationRecord } | { ok: false; refusal: LinkRefusal };

const SECRET_PATTERN = /^ghpl_[A-Za-z0-9_-]{43}$/;

export const portalPrincipalFromLink = (
  link: SetupLinkView,
  organization: OrganizationRecord,
): PortalPrincipal => ({
  organizationId: organization.id,
  organizationSlug: organization.slug,
  organizationName: organization.name,
  intents: [link.intent],
  actor: { type: 'setup_link', id: link.id },
});

/**
 * One-time setup links for the customer portal. An operator (or an organization's API key, for
 * its own organization) issues one; its secret is shown once and only its SHA-256 is kept. The
 * first visit that consumes it wins; later visits, and any after expiry, are refused.
 */
export function createSetupLinks(db: Database, now: () => Date) {
  async function inspect(secret: string): Promise<LinkOutcome> {
    if (!SECRET_PATTERN.test(secret)) return { ok: false, refusal: 'unknown' };
    const link = await db.portalSetupLinks.findByTokenHash(digestBearerToken(secret));
    const organization = link && (await db.organizations.find(link.organizationId));
    if (!link || !organization || organization.status !== 'active') return { ok: false, refusal: 'unknown' };
    if (link.usedAt) return { ok: false, refusal: 'used' };
    if (link.expiresAt.getTime() <= now().getTime()) return { ok: false, refusal: 'expired' };
    return { ok: true, link: setupLinkView(link), organization };
  }

  return {
    issue(principal: AdminPrincipal, orgRef: string, input: SetupLinkCreate) {
      return db.transaction(async (repos) => {
        const organization = await visibleOrganization(repos, principal, orgRef);
        const secret = newBearerToken(SECRET_PREFIX);
        const link = await repos.portalSetupLinks.create({
          id: newId('psl'),
          organizationId: organization.id,
          intent: input.intent,
          tokenHash: digestBearerToken(secret),
          createdBy: `${principal.actor.type}:${principal.actor.id}`,
          expiresAt: new Date(now().getTime() + input.expires_in * 1000),
        });
        await recordChange(repos, principal.actor, {
          organizationId: organization.id,
          action: 'portal.link_created',
          targetType: 'portal_setup_link',
          targetId: link.id,
          before: null,
          after: setupLinkView(link),
        });
        return { link: setupLinkView(link), secret, organization };
      });
    },

    /** Whether the link would open the portal now, without using it (the confirmation page). */
    inspect,

    /** Uses the link: exactly one caller gets `ok`, recorded as `portal.link_used`. */
    async consume(secret: string): Promise<LinkOutcome> {
      const seen = await inspect(secret);
      if (!seen.ok) return seen;
      const at = now();
      const won = await db.transaction(async (repos) => {
        if (!(await repos.portalSetupLinks.markUsed(seen.link.id, at))) return false;
        await recordChange(
          repos,
          { type: 'portal', id: seen.link.id },
          {
            organizationId: seen.organization.id,
            action: 'portal.link_used',
            targetType: 'portal_setup_link',
            targetId: seen.link.id,
            before: seen.link,
            after: { ...seen.link, usedAt: at },
          },
        );
        return true;
      });
      if (won) return { ...seen, link: { ...seen.link, usedAt: at } };
      // Lost the race, or the clock passed the expiry in between: say which.
      return { ok: false, refusal: seen.link.expiresAt.getTime() <= at.getTime() ? 'expired' : 'used' };
    },
  };
}
export type SetupLinks = ReturnType<typeof createSetupLinks>;

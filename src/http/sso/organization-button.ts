import { effectiveBranding } from '../../domain/branding/effective-branding.js';
import type { Database } from '../../domain/ports/repositories.js';
import type { InteractionView } from '../../oidc/interactions.js';

export interface OrganizationButton {
  id: string;
  label: string;
  logoUrl?: string;
}

/**
 * The "sign in with your organization" button: shown for the organization the application names
 * (the `organization` parameter, else the organization owning the client) when it has branding
 * and a fallback connection to send the button to. Listing every customer's logo to anyone would
 * publish the customer list, so no other organization is shown.
 */
export function createOrganizationButton(db: Database) {
  return async (view: InteractionView): Promise<OrganizationButton | undefined> => {
    const ref = view.requestedOrganization ?? view.clientOrganizationId;
    if (!ref) return undefined;
    const organization = ref.startsWith('org_')
      ? await db.organizations.find(ref)
      : await db.organizations.findBySlug(ref);
    if (!organization || organization.status !== 'active' || !organization.fallbackConnectionId)
      return undefined;
    // Inherited like the rest of the page's branding: a sub-organization shows its parent's logo.
    const { values } = effectiveBranding(await db.organizations.chain(organization.id));
    const { display_name: displayName, logo_url: logoUrl } = values;
    if (!displayName && !logoUrl) return undefined;
    return { id: organization.id, label: displayName ?? organization.name, ...(logoUrl ? { logoUrl } : {}) };
  };
}

import type { AdminServices } from '../../../domain/organizations/admin-services.js';

/**
 * The portal banners about the organization's IdP certificates: one sentence while a certificate of
 * an enabled connection expires within 30 days, none otherwise. For `portalBanners` of
 * views/portal/layout-portal.eta, on any portal page.
 */
export async function certificateBanners(
  admin: Pick<AdminServices, 'connectionHealth'>,
  organizationId: string,
): Promise<string[]> {
  const banner = await admin.connectionHealth.expiryBanner(organizationId);
  return banner ? [banner] : [];
}

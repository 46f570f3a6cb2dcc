import type { Container } from '../../container.js';
import type { AdminServices } from '../../domain/organizations/admin-services.js';
import type { Database } from '../../domain/ports/repositories.js';
import type { RenderPage } from '../../lib/render-page.js';
import type { PortalServices } from '../../wiring/portal-wiring.js';

/**
 * What every part of the customer portal is given (the shell, and the SSO pages it mounts):
 * built once in app.ts from the container.
 */
export interface PortalDeps {
  /** Gatehouse's public origin: SCIM base URLs, the portal's own OIDC redirect. */
  issuer: string;
  render: RenderPage;
  db: Database;
  /** Every portal write goes through these, as the admin API's do (same validation, same audit). */
  admin: AdminServices;
  portal: PortalServices;
  /** Cookies with the Secure attribute (an https issuer). */
  secureCookies: boolean;
  /** The rest of the composition root, for services a portal page needs beyond these. */
  container: Container;
}

import type { Envelope } from '../../lib/crypto/envelope.js';
import { clientRecordFrom } from '../clients/client-catalog.js';
import { clientDefinitionSchema } from '../clients/client-definition.js';
import type { Repositories } from '../ports/repositories.js';

export const PORTAL_CLIENT_ID = 'gatehouse-portal';
export const PORTAL_CLIENT_OWNER = 'portal';
export const PORTAL_SCOPE = 'openid email organization roles';
export const portalCallbackUrl = (issuer: string) => `${issuer}/portal/callback`;

/**
 * The customer portal signs administrators in through Gatehouse itself, as any application
 * would: a first-party public client (code + PKCE, RFC 7636), present in every deployment and
 * restored at each boot if an operator removed or changed it.
 */
export async function ensurePortalClient(repos: Repositories, envelope: Envelope, issuer: string) {
  const client = clientDefinitionSchema.parse({
    client_id: PORTAL_CLIENT_ID,
    name: 'Gatehouse customer portal',
    redirect_uris: [portalCallbackUrl(issuer)],
    post_logout_redirect_uris: [`${issuer}/portal/signed-out`],
    grant_types: ['authorization_code'],
    scopes: PORTAL_SCOPE.split(' '),
  });
  await repos.clients.upsert(clientRecordFrom(client, envelope, PORTAL_CLIENT_OWNER));
}

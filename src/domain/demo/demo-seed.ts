import type { Envelope } from '../../lib/crypto/envelope.js';
import type { LocalAccounts } from '../accounts/local-accounts.js';
import { clientRecordFrom } from '../clients/client-catalog.js';
import { clientDefinitionSchema } from '../clients/client-definition.js';
import { ConflictError } from '../errors.js';
import type { Repositories } from '../ports/repositories.js';

export const DEMO_CLIENT_ID = 'gatehouse-demo';
export const DEMO_USER_EMAIL = 'demo@gatehouse.test';

export interface DemoCredentials {
  clientId: string;
  email: string;
  password: string;
  url: string;
}

/**
 * The demo relying party's public client and a demo user, so a newcomer can sign in at once.
 * Only ever seeded outside production (production-rules.ts refuses DEMO there).
 */
export async function seedDemo(
  repos: Repositories,
  accounts: LocalAccounts,
  envelope: Envelope,
  issuer: string,
  password: string,
): Promise<DemoCredentials> {
  const client = clientDefinitionSchema.parse({
    client_id: DEMO_CLIENT_ID,
    name: 'Gatehouse demo app',
    redirect_uris: [`${issuer}/demo/callback`],
    post_logout_redirect_uris: [`${issuer}/demo`],
    grant_types: ['authorization_code', 'refresh_token'],
    scopes: ['openid', 'email', 'profile', 'offline_access'],
  });
  // A declarative file that took the demo client over owns it from then on.
  const existing = await repos.clients.find(DEMO_CLIENT_ID);
  if (existing?.managedBy !== 'config')
    await repos.clients.upsert(clientRecordFrom(client, envelope, 'demo'));
  if (!(await repos.users.findByEmail(DEMO_USER_EMAIL))) {
    // Processes sharing a database may start at once: the one that loses the race finds it made.
    await accounts
      .create({ email: DEMO_USER_EMAIL, password, name: 'Demo User', managedBy: 'demo' })
      .catch((error: unknown) => {
        if (!(error instanceof ConflictError)) throw error;
      });
  }
  return { clientId: DEMO_CLIENT_ID, email: DEMO_USER_EMAIL, password, url: `${issuer}/demo` };
}

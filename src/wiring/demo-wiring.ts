import type { Env } from '../config/env.js';
import type { LocalAccounts } from '../domain/accounts/local-accounts.js';
import { seedDemo, DEMO_CLIENT_ID, type DemoCredentials } from '../domain/demo/demo-seed.js';
import type { Repositories } from '../domain/ports/repositories.js';
import { discoverRelyingParty, type RelyingParty } from '../federation/oidc/relying-party.js';
import type { Envelope } from '../lib/crypto/envelope.js';

export const DEMO_PASSWORD = 'gatehouse-demo';

export interface DemoServices {
  credentials: DemoCredentials;
  /** The demo app's relying party, discovered on first use (a failed discovery is tried again). */
  relyingParty: () => Promise<RelyingParty>;
}

/** The demo client and user (DEMO=true), and the relying party /demo signs in with. */
export async function wireDemo(
  env: Pick<Env, 'ISSUER'>,
  deps: { db: Repositories; accounts: LocalAccounts; envelope: Envelope },
): Promise<DemoServices> {
  const credentials = await seedDemo(deps.db, deps.accounts, deps.envelope, env.ISSUER, DEMO_PASSWORD);
  let relyingParty: Promise<RelyingParty> | undefined;
  const discover = () =>
    discoverRelyingParty({
      issuer: env.ISSUER,
      clientId: DEMO_CLIENT_ID,
      redirectUri: `${env.ISSUER}/demo/callback`,
      scope: 'openid email profile offline_access',
    });
  return {
    credentials,
    relyingParty: () =>
      (relyingParty ??= discover().catch((error) => ((relyingParty = undefined), Promise.reject(error)))),
  };
}

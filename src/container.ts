import { resolveTxt } from 'node:dns/promises';
import pino, { type DestinationStream, type Logger } from 'pino';
import { applyConfigFile } from './config/declarative/apply-config-file.js';
import type { Env } from './config/env.js';
import { loadBootSecrets, type BootSecrets } from './config/secrets.js';
import { createLocalAccounts, type LocalAccounts } from './domain/accounts/local-accounts.js';
import { createClientCatalog } from './domain/clients/client-catalog.js';
import { seedDemo, DEMO_CLIENT_ID, type DemoCredentials } from './domain/demo/demo-seed.js';
import { createSigningKeys, type SigningKeys } from './domain/keys/signing-keys.js';
import { createAdminServices, type AdminServices } from './domain/organizations/admin-services.js';
import type { DnsResolver } from './domain/organizations/domain-verification.js';
import {
  createOrganizationAccess,
  type OrganizationAccess,
} from './domain/organizations/organization-access.js';
import {
  createOrganizationSelection,
  type SelectOrganization,
} from './domain/organizations/organization-selection.js';
import type { EphemeralStore } from './domain/ports/ephemeral-store.js';
import type { PayloadStore } from './domain/ports/payload-store.js';
import type { Database } from './domain/ports/repositories.js';
import { openStores, type Stores } from './data/open-stores.js';
import { discoverRelyingParty, type RelyingParty } from './federation/oidc/relying-party.js';
import type { ReadinessCheck } from './http/routes/health.js';
import { createPageRenderer } from './http/views.js';
import { createEnvelope, type Envelope } from './lib/crypto/envelope.js';
import { createArgon2Hasher } from './lib/crypto/password.js';
import { migrationsDir, viewsDir } from './lib/project-paths.js';
import type { RenderPage } from './lib/render-page.js';
import { createFindAccount } from './oidc/account.js';
import { createInteractions, type Interactions } from './oidc/interactions.js';
import { createProviderHost, type ProviderHost } from './oidc/provider-host.js';

export const DEMO_PASSWORD = 'gatehouse-demo';

/** Everything the app needs, wired once. Tests build their own with different pieces. */
export interface Container {
  env: Env;
  logger: Logger;
  cookieKeys: string[];
  viewsDir: string;
  render: RenderPage;
  db: Database;
  ephemeral: EphemeralStore;
  shortLived: PayloadStore;
  envelope: Envelope;
  accounts: LocalAccounts;
  signingKeys: SigningKeys;
  providerHost: ProviderHost;
  interactions: Interactions;
  tenancy: OrganizationAccess;
  selectOrganization: SelectOrganization;
  admin: AdminServices;
  readiness: ReadinessCheck[];
  purgeExpired(): Promise<number>;
  demo?: { credentials: DemoCredentials; relyingParty: () => Promise<RelyingParty> };
  close(): Promise<void>;
}

const systemDns: DnsResolver = { resolveTxt };

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.client_secret',
  '*.refresh_token',
  '*.access_token',
  '*.code',
];

export function createLogger(env: Pick<Env, 'LOG_LEVEL'>, destination?: DestinationStream): Logger {
  const options = { level: env.LOG_LEVEL, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

/** Pieces a caller (tests, embedding) may supply instead of the real ones. */
export interface ContainerOverrides {
  /** DNS for domain verification; node:dns when absent. */
  dns?: DnsResolver;
}

/** The composition root: the only place that picks concrete implementations. */
export async function buildContainer(
  env: Env,
  logger: Logger = createLogger(env),
  overrides: ContainerOverrides = {},
): Promise<Container> {
  const secrets = loadBootSecrets(env);
  if (secrets.generated.length > 0)
    logger.warn({ generated: secrets.generated, dir: env.KEYS_DIR }, 'generated development secrets');

  const stores = await openStores(env, migrationsDir(), logger);
  try {
    return await wire(env, logger, secrets, stores, overrides);
  } catch (error) {
    // A failed boot (bad config file, unreadable keys) must not leave connections open.
    await stores.close();
    throw error;
  }
}

async function wire(
  env: Env,
  logger: Logger,
  secrets: BootSecrets,
  stores: Stores,
  overrides: ContainerOverrides,
): Promise<Container> {
  const envelope = createEnvelope(secrets.keyEncryptionKey);
  const tenancy = createOrganizationAccess(stores.db);
  const hasher = createArgon2Hasher();
  const accounts = createLocalAccounts(stores.db.users, hasher);
  const signingKeys = createSigningKeys(stores.db, envelope);
  await signingKeys.ensure();
  const render = createPageRenderer(viewsDir());

  const providerHost = await createProviderHost(
    {
      issuer: env.ISSUER,
      cookieKeys: secrets.cookieKeys,
      stores: {
        durable: stores.durable,
        shortLived: stores.shortLived,
        clients: createClientCatalog(stores.db.clients, envelope),
      },
      findAccount: createFindAccount(accounts),
      tenancy,
      renderPage: render,
      accessTokenTtl: env.ACCESS_TOKEN_TTL_SECONDS,
    },
    signingKeys,
    env.TRUST_PROXY,
  );

  let demo: Container['demo'];
  if (env.DEMO) {
    const credentials = await seedDemo(stores.db, accounts, envelope, env.ISSUER, DEMO_PASSWORD);
    let relyingParty: Promise<RelyingParty> | undefined;
    const discover = () =>
      discoverRelyingParty({
        issuer: env.ISSUER,
        clientId: DEMO_CLIENT_ID,
        redirectUri: `${env.ISSUER}/demo/callback`,
        scope: 'openid email profile offline_access',
      });
    demo = {
      credentials,
      relyingParty: () =>
        (relyingParty ??= discover().catch((error) => ((relyingParty = undefined), Promise.reject(error)))),
    };
  }

  // After the demo seed, so a file that takes over a demo row wins on every boot.
  if (env.GATEHOUSE_CONFIG) {
    const { summary } = await applyConfigFile(env.GATEHOUSE_CONFIG, { db: stores.db, envelope, hasher });
    logger.info({ file: env.GATEHOUSE_CONFIG, ...summary }, 'applied the declarative config');
  }

  return {
    env,
    logger,
    cookieKeys: secrets.cookieKeys,
    viewsDir: viewsDir(),
    render,
    db: stores.db,
    ephemeral: stores.ephemeral,
    shortLived: stores.shortLived,
    envelope,
    accounts,
    signingKeys,
    providerHost,
    interactions: createInteractions(() => providerHost.current(), tenancy),
    tenancy,
    selectOrganization: createOrganizationSelection(stores.db, tenancy),
    admin: createAdminServices(stores.db, { envelope, hasher, dns: overrides.dns ?? systemDns }),
    readiness: [
      { name: 'database', check: () => stores.db.ping() },
      { name: 'store', check: () => stores.ephemeral.ping() },
    ],
    ...(demo ? { demo } : {}),
    purgeExpired: stores.purgeExpired,
    close: stores.close,
  };
}

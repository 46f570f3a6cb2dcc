import { createHmac } from 'node:crypto';
import { resolveTxt } from 'node:dns/promises';
import type { Logger } from 'pino';
import { applyConfigFile } from './config/declarative/apply-config-file.js';
import type { Env } from './config/env.js';
import { loadBootSecrets, type BootSecrets } from './config/secrets.js';
import { createSignInThrottle, type SignInThrottle } from './domain/accounts/sign-in-throttle.js';
import { deriveAuditKey } from './domain/audit/record-hash.js';
import { scheduledAuditRetention } from './domain/audit/retention.js';
import { createSignInAudit, type SignInAudit } from './domain/audit/sign-in-audit.js';
import { createLocalAccounts, type LocalAccounts } from './domain/accounts/local-accounts.js';
import { createClientCatalog } from './domain/clients/client-catalog.js';
import {
  createImpersonationGrants,
  type ImpersonationGrants,
} from './domain/impersonation/impersonation-grant.js';
import { createSupportSessions, type SupportSessions } from './domain/impersonation/support-session.js';
import { createSigningKeys, type SigningKeys } from './domain/keys/signing-keys.js';
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
import type { Mailer } from './domain/ports/mailer.js';
import type { PayloadStore } from './domain/ports/payload-store.js';
import type { Database } from './domain/ports/repositories.js';
import { createExchangeAudit } from './domain/tokens/exchange-audit.js';
import { openStores, type Stores } from './data/open-stores.js';
import { generateSpCredential } from './federation/saml/index.js';
import type { ReadinessCheck } from './http/routes/health.js';
import { createPageRenderer } from './http/views.js';
import { createEnvelope, type Envelope } from './lib/crypto/envelope.js';
import { createPrometheusMetrics, type ServerMetrics } from './lib/metrics/prometheus-metrics.js';
import { withSignInMetrics } from './lib/metrics/sign-in-metrics.js';
import { createArgon2Hasher } from './lib/crypto/password.js';
import { migrationsDir, viewsDir } from './lib/project-paths.js';
import type { RenderPage } from './lib/render-page.js';
import { createFindAccount } from './oidc/account.js';
import type { Interactions } from './oidc/interactions.js';
import { createProviderHost, type ProviderHost } from './oidc/provider-host.js';
import { createSessionAccountReader, type SessionAccountReader } from './oidc/session-account.js';
import { createSessionServices, type SessionServices } from './oidc/session-services.js';
import type { Sessions } from './domain/ports/sessions.js';
import { createMemorySessionStores } from './data/memory/session-stores.js';
import { openRedisSessionStores } from './data/redis/session-stores.js';
import type { OutboxMessage } from './mail/dev-outbox.js';
import { chooseMailer, wireMfa, type MfaServices } from './wiring/mfa-wiring.js';
import { wireDirectories, type DirectoryServices } from './wiring/directory-wiring.js';
import { wireSso, type SsoServices } from './wiring/sso-wiring.js';
import { createMmdbGeoLookup } from './data/geo/mmdb-geo-lookup.js';
import type { GeoLookup } from './domain/ports/risk.js';
import { wireRisk, type RiskServices } from './wiring/risk-wiring.js';
import { wireWebhooks, type WebhookServices } from './wiring/webhook-wiring.js';
import { wireBranding, type BrandingServices } from './wiring/branding-wiring.js';
import { wireEntitlements, type EntitlementServices } from './wiring/entitlement-wiring.js';
import { wirePortal, type PortalServices } from './wiring/portal-wiring.js';
import { wireAdmin, type AdminSurface } from './wiring/admin-wiring.js';
import { wireDemo, type DemoServices } from './wiring/demo-wiring.js';
import { wireInteractions } from './wiring/interactions-wiring.js';
import { createLogger } from './lib/logger.js';

/** Everything the app needs, wired once. Tests build their own with different pieces. */
export interface Container
  extends SsoServices, WebhookServices, DirectoryServices, EntitlementServices, BrandingServices {
  env: Env;
  logger: Logger;
  cookieKeys: string[];
  viewsDir: string;
  render: RenderPage;
  db: Database;
  ephemeral: EphemeralStore;
  durable: PayloadStore;
  shortLived: PayloadStore;
  envelope: Envelope;
  accounts: LocalAccounts;
  signingKeys: SigningKeys;
  providerHost: ProviderHost;
  interactions: Interactions;
  /** The signed-in user of Gatehouse's own session, for its own pages (the account page). */
  sessionAccount: SessionAccountReader;
  tenancy: OrganizationAccess;
  selectOrganization: SelectOrganization;
  admin: AdminSurface;
  /** Browser sessions: list and end them (domain/sessions); their policy runs in `sessionPolicy`. */
  sessions: Sessions;
  sessionPolicy: SessionServices;
  /** Support impersonations in use: browser tickets redeemed, liveness (domain/impersonation). */
  impersonations: ImpersonationGrants;
  /** Browser sessions as a member (the support banner, its audit record). */
  supportSessions: SupportSessions;
  mailer: Mailer;
  /** The dev outbox's last messages (empty when SMTP_URL or an injected mailer sends them). */
  outbox: readonly OutboxMessage[];
  /** Second factors: TOTP, WebAuthn, email and recovery codes, and what each sign-in owes by policy. */
  mfa: MfaServices;
  /** Backoff on wrong passwords and codes, per account and address (sign-in-throttle.ts). */
  signInThrottle: SignInThrottle;
  /** Sign-ins, refusals and token responses in the audit log (domain/audit/sign-in-audit.ts). */
  signInAudit: SignInAudit;
  /** Counters and histograms of this container (a registry of its own), served at /metrics. */
  metrics: ServerMetrics;
  readiness: ReadinessCheck[];
  purgeExpired(): Promise<number>;
  /** Risk-based sign-in and the organizations' network rules (wiring/risk-wiring.ts). */
  risk: RiskServices;
  demo?: DemoServices;
  /** The customer portal: setup links, portal sessions, its relying party (wiring/portal-wiring.ts). */
  portal: PortalServices;
  close(): Promise<void>;
}

const systemDns: DnsResolver = { resolveTxt };

/** Pieces a caller (tests, embedding) may supply instead of the real ones. */
export interface ContainerOverrides {
  /** DNS for domain verification; node:dns when absent. */
  dns?: DnsResolver;
  /** The clock of TOTP and recovery codes (tests move it); the system clock when absent. */
  now?: () => Date;
  /** Sends email instead of SMTP_URL's relay or the dev outbox. */
  mailer?: Mailer;
  /** Where addresses are (risk-based sign-in, geo-fencing); the offline GeoLite2 database when absent. */
  geo?: GeoLookup;
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

  const stores = await openStores(env, migrationsDir(), logger, {
    auditKey: deriveAuditKey(secrets.keyEncryptionKey),
  });
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
  const tenancy = createOrganizationAccess(stores.db, overrides.now);
  const hasher = createArgon2Hasher();
  const accounts = createLocalAccounts(stores.db.users, hasher);
  const signingKeys = createSigningKeys(stores.db, envelope);
  await signingKeys.ensure();
  const render = createPageRenderer(viewsDir());
  const now = overrides.now ?? (() => new Date());
  const { mailer, outbox } = chooseMailer(env, logger, overrides.mailer);
  const signInThrottle = createSignInThrottle(stores.ephemeral, now);
  const geo = overrides.geo ?? createMmdbGeoLookup();
  const risk = wireRisk({ env, db: stores.db, geo, throttle: signInThrottle, now, logger });
  // Keys of their own, derived from the key-encryption key (which never enters the database).
  const pepper = (purpose: string) => createHmac('sha256', secrets.keyEncryptionKey).update(purpose).digest();

  const impersonations = createImpersonationGrants(stores.db, now);
  const metrics = createPrometheusMetrics();
  const signInAudit = withSignInMetrics(createSignInAudit(stores.db), metrics);
  const auditRetention = scheduledAuditRetention(stores.db, env.AUDIT_RETENTION_DAYS, now, (finding) =>
    logger.error({ finding }, 'audit chain broken: retention keeps its records from the break on'),
  );
  const providerHost = await createProviderHost(
    {
      issuer: env.ISSUER,
      cookieKeys: secrets.cookieKeys,
      stores: {
        durable: stores.durable,
        shortLived: stores.shortLived,
        clients: createClientCatalog(stores.db.clients, envelope, { kept: stores.db.keptConfiguration }),
      },
      findAccount: createFindAccount(accounts),
      tenancy,
      renderPage: render,
      accessTokenTtl: env.ACCESS_TOKEN_TTL_SECONDS,
      now,
      impersonations,
      recordExchange: createExchangeAudit(stores.db.audit, (error) => {
        logger.error({ err: error }, 'token exchange not recorded in the audit log');
      }),
      // Read when a token is issued, long after the session services below are wired.
      sessionImpersonation: async (uid) =>
        (await sessionPolicy.sessions.get(uid))?.impersonation ?? undefined,
      onTokenIssued: (event) => {
        signInAudit.tokenIssued(event).catch((error: unknown) => {
          logger.error({ err: error, clientId: event.clientId }, 'token issue not recorded in the audit log');
        });
      },
    },
    signingKeys,
    env.TRUST_PROXY,
  );

  const demo = env.DEMO ? await wireDemo(env, { db: stores.db, accounts, envelope }) : undefined;

  // After the demo seed, so a file that takes over a demo row wins on every boot.
  if (env.GATEHOUSE_CONFIG) {
    const { summary, entries } = await applyConfigFile(env.GATEHOUSE_CONFIG, {
      db: stores.db,
      envelope,
      hasher,
      spCredential: generateSpCredential,
    });
    logger.info({ file: env.GATEHOUSE_CONFIG, ...summary }, 'applied the declarative config');
    // What the operator still has to do (a directory whose token nobody knows yet); never a secret.
    for (const note of entries.flatMap((entry) => entry.notes ?? []))
      logger.warn({ file: env.GATEHOUSE_CONFIG }, note);
  }

  const { portal } = await wirePortal(env, stores.db, stores.ephemeral, envelope, now);

  // Opened last: nothing after it can fail the boot and leave its connection open.
  const sessionStores = env.REDIS_URL
    ? openRedisSessionStores(env.REDIS_URL, {
        keyPrefix: env.REDIS_KEY_PREFIX,
        onError: (error) => logger.warn({ err: error }, 'redis connection error'),
      })
    : createMemorySessionStores(() => now().getTime());
  const sessionPolicy = createSessionServices({
    registry: sessionStores.registry,
    logouts: sessionStores.logouts,
    stores: { durable: stores.durable, shortLived: stores.shortLived },
    provider: () => providerHost.current(),
    db: stores.db,
    now,
    logger,
    pollMs: env.WEBHOOK_POLL_MS,
  });
  sessionPolicy.logoutDelivery.start();
  const entitlementServices = wireEntitlements(stores.db, stores.ephemeral, sessionPolicy, logger, now);

  return {
    env,
    logger,
    cookieKeys: secrets.cookieKeys,
    viewsDir: viewsDir(),
    render,
    db: stores.db,
    ephemeral: stores.ephemeral,
    durable: stores.durable,
    shortLived: stores.shortLived,
    envelope,
    accounts,
    signingKeys,
    providerHost,
    interactions: wireInteractions({
      provider: () => providerHost.current(),
      tenancy,
      signInAudit,
      risk,
      recordSignIn: entitlementServices.entitlements.recordSignIn,
      admission: sessionPolicy.admission,
    }),
    sessionAccount: createSessionAccountReader(() => providerHost.current()),
    tenancy,
    selectOrganization: createOrganizationSelection(
      stores.db,
      tenancy,
      entitlementServices.entitlements.admitSignIn,
    ),
    impersonations,
    supportSessions: createSupportSessions(stores.db, now),
    admin: wireAdmin({
      env,
      db: stores.db,
      envelope,
      hasher,
      dns: overrides.dns ?? systemDns,
      throttle: signInThrottle,
      sessionPolicy,
      portal,
      risk,
      entitlementServices,
      logger,
      now,
    }),
    ...wireBranding(env, stores.db),
    ...entitlementServices,
    sessions: sessionPolicy.sessions,
    sessionPolicy,
    signInThrottle,
    signInAudit,
    risk,
    metrics,
    ...wireSso(env, stores.db, stores.ephemeral, logger, now),
    ...wireDirectories(stores.db, stores.ephemeral, sessionPolicy, logger),
    ...wireWebhooks(env, stores.db, envelope, logger, metrics),
    mailer,
    outbox,
    mfa: wireMfa({
      env,
      db: stores.db,
      store: stores.ephemeral,
      envelope,
      tenancy,
      mailer,
      now,
      pepper,
    }),
    readiness: [
      { name: 'database', check: () => stores.db.ping() },
      { name: 'store', check: () => stores.ephemeral.ping() },
    ],
    ...(demo ? { demo } : {}),
    portal,
    purgeExpired: async () => (await stores.purgeExpired()) + (await auditRetention()),
    async close() {
      await sessionPolicy.logoutDelivery.stop();
      await sessionStores.close();
      await stores.close();
    },
  };
}

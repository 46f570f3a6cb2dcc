import { createHash, randomBytes } from 'node:crypto';
import { freePort } from './free-port.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type DestinationStream } from 'pino';
import { parseEnv, type Env } from '../../src/config/env.js';
import { buildContainer, type Container, type ContainerOverrides } from '../../src/container.js';
import { createLogger } from '../../src/lib/logger.js';
import { clientRecordFrom } from '../../src/domain/clients/client-catalog.js';
import { clientDefinitionSchema, type ClientDefinition } from '../../src/domain/clients/client-definition.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { createMigratedDatabase } from './scratch-database.js';
import { testDatabaseUrl, testRedisUrl, uniqueRedisPrefix } from './services.js';

export interface TestGatehouse {
  issuer: string;
  env: Env;
  /** Where this instance listens (differs from the issuer when it shares another's). */
  url: string;
  container: Container;
  server: RunningServer;
  /** `organizationId`: the organization that owns the client (its resource server sees only that tenant). */
  addClient(definition: ClientDefinition, organizationId?: string): Promise<void>;
  addUser(email: string, password: string, name?: string): Promise<string>;
  stop(): Promise<void>;
}

/** A real Gatehouse on an ephemeral port, on the real PostgreSQL and Redis of the test run. */
/**
 * A migrated database of its own, for tests that change what every server of the run shares
 * (signing key rotation): the other suites' servers must not see those changes mid-test.
 */
export const ownDatabase = () => createMigratedDatabase('gatehouse_own');

export async function startGatehouse(
  overrides: Record<string, string> = {},
  options: { logTo?: DestinationStream } & ContainerOverrides = {},
): Promise<TestGatehouse> {
  // A caller that needs its own issuer (e.g. `http://localhost:<port>` for WebAuthn, which refuses
  // IP addresses as RP IDs) picks the port too.
  const port = overrides.PORT ? Number(overrides.PORT) : await freePort();
  // The demo client's redirect URIs name its server's issuer: two demo servers on the shared
  // database would take the client over from each other, so each has a database of its own.
  const demoDatabase =
    overrides.DEMO === 'true' && overrides.DATABASE_URL === undefined ? await ownDatabase() : undefined;
  const env: Env = parseEnv({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    ISSUER: `http://127.0.0.1:${port}`,
    DATABASE_URL: demoDatabase?.url ?? testDatabaseUrl(),
    REDIS_URL: testRedisUrl(),
    REDIS_KEY_PREFIX: uniqueRedisPrefix(),
    KEYS_DIR: mkdtempSync(join(tmpdir(), 'gh-keys-')),
    // One key-encryption key per test database: every server of the run shares its signing keys.
    GATEHOUSE_KEK: createHash('sha256').update(testDatabaseUrl()).digest('base64url'),
    COOKIE_KEYS: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'silent',
    DEMO: 'false',
    // Suites share one database: a scheduled refresh would fetch the metadata of other suites' connections.
    SAML_METADATA_REFRESH_HOURS: '0',
    ...overrides,
  });
  const logger = options.logTo
    ? createLogger({ ...env, LOG_LEVEL: 'debug' }, options.logTo)
    : pino({ level: 'silent' });
  const container = await buildContainer(env, logger, {
    ...(options.dns ? { dns: options.dns } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.mailer ? { mailer: options.mailer } : {}),
    ...(options.geo ? { geo: options.geo } : {}),
  });
  const server = await startServer(container, port, '127.0.0.1');
  return {
    issuer: env.ISSUER,
    env,
    url: `http://127.0.0.1:${port}`,
    container,
    server,
    async addClient(definition, organizationId) {
      const client = clientDefinitionSchema.parse(definition);
      await container.db.clients.upsert(
        clientRecordFrom(client, container.envelope, null, organizationId ?? null),
      );
    },
    async addUser(email, password, name) {
      return (await container.accounts.create({ email, password, name: name ?? null })).id;
    },
    async stop() {
      await server.stop(1_000);
      await demoDatabase?.drop();
    },
  };
}

/**
 * A new admin API key, made the way an operator bootstraps the first one (outside the API):
 * environment-wide, or bound to `organization` (id or slug) and its sub-organizations.
 */
export async function adminKey(gatehouse: TestGatehouse, organization?: string): Promise<string> {
  const system = { actor: { type: 'system' as const, id: 'test' }, scope: { kind: 'environment' as const } };
  const { key } = await gatehouse.container.admin.apiKeys.create(system, {
    name: `test key ${organization ?? 'environment'}`,
    ...(organization === undefined ? {} : { organization }),
  });
  return key;
}

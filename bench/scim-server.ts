import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { parseEnv } from '../src/config/env.js';
import { buildContainer, type Container } from '../src/container.js';
import { clientRecordFrom } from '../src/domain/clients/client-catalog.js';
import { clientDefinitionSchema } from '../src/domain/clients/client-definition.js';
import type { AdminPrincipal } from '../src/domain/organizations/admin-principal.js';
import { startServer } from '../src/server.js';
import {
  SCIM_CLIENT_DEFINITION,
  SCIM_DOMAIN,
  SCIM_ORGANIZATION,
  SIGN_IN_EMAILS_ENV,
  SIGN_IN_PASSWORD,
  SQL_PROFILE_ENV,
} from './scim-settings.js';
import { installSqlProfile, type SqlProfile } from './scim-sql-profile.js';

/**
 * Child process of `npm run bench:scim`: a real Gatehouse on PostgreSQL + Redis, started the way
 * gatehouse-server.ts starts the one of `npm run bench` (buildContainer, startServer, environment
 * from the orchestrator), seeded instead with the SCIM tenancy: one organization, its verified
 * domain, a SCIM directory, a first-party client with the organization scope, and password
 * accounts for the addresses the orchestrator will sign in (the import links them, as a
 * directory links people who already had an account). Reports the fixture over IPC, answers
 * requests for its SQL counters and event-loop use, stops on 'stop'.
 */
const SEEDER: AdminPrincipal = { actor: { type: 'system', id: 'bench' }, scope: { kind: 'environment' } };

export interface ScimFixture {
  issuer: string;
  organizationId: string;
  directoryId: string;
  token: string;
  domain: string;
}

/** What the orchestrator asks for between phases; the answer carries the same `id`. */
export interface StatsRequest {
  type: 'stats';
  id: number;
  reset: boolean;
}

export interface StatsAnswer {
  type: 'stats';
  id: number;
  /** Undefined when the SQL counters are off. */
  sql?: SqlProfile;
  /** Share of wall time the event loop was busy since the last reset (0..1). */
  eventLoopUtilization: number;
}

async function seed(container: Container, issuer: string): Promise<ScimFixture> {
  const { admin } = container;
  await container.db.clients.upsert(
    clientRecordFrom(clientDefinitionSchema.parse(SCIM_CLIENT_DEFINITION), container.envelope, null),
  );
  const organization = await admin.organizations.create(SEEDER, SCIM_ORGANIZATION);
  await admin.domains.add(SEEDER, organization.id, { domain: SCIM_DOMAIN, verified: true });
  const { directory, token } = await admin.directories.create(SEEDER, organization.id, {
    key: 'entra',
    type: 'scim',
    group_role_map: {},
  });
  const emails = (process.env[SIGN_IN_EMAILS_ENV] ?? '').split(',').filter(Boolean);
  for (const email of emails) await container.accounts.create({ email, password: SIGN_IN_PASSWORD });
  return { issuer, organizationId: organization.id, directoryId: directory.id, token, domain: SCIM_DOMAIN };
}

async function main(): Promise<void> {
  // Before the container opens its pool, so every connection is counted.
  const sql = process.env[SQL_PROFILE_ENV] === '1' ? installSqlProfile() : undefined;
  const env = parseEnv(process.env);
  const container = await buildContainer(env, pino({ level: env.LOG_LEVEL }));
  const fixture = await seed(container, env.ISSUER);
  const server = await startServer(container, env.PORT, '127.0.0.1');
  let since = performance.eventLoopUtilization();

  process.on('message', (message: unknown) => {
    if (message === 'stop') {
      server
        .stop(1_000)
        .catch((error) => console.error('gatehouse stop failed', error))
        .finally(() => process.exit(0));
      return;
    }
    const request = message as StatsRequest;
    if (request?.type !== 'stats') return;
    const answer: StatsAnswer = {
      type: 'stats',
      id: request.id,
      ...(sql ? { sql: sql.snapshot(request.reset) } : {}),
      eventLoopUtilization: Math.round(performance.eventLoopUtilization(since).utilization * 1000) / 1000,
    };
    if (request.reset) since = performance.eventLoopUtilization();
    process.send?.(answer);
  });
  // The orchestrator died without saying stop: do not outlive it.
  process.once('disconnect', () => process.exit(1));
  process.send?.({ ready: true, fixture });
}

main().catch((error) => {
  console.error('gatehouse scim bench server failed to start', error);
  process.exit(1);
});

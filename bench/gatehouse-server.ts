import pino from 'pino';
import argon2 from 'argon2';
import { parseEnv } from '../src/config/env.js';
import { buildContainer, type Container } from '../src/container.js';
import { clientRecordFrom } from '../src/domain/clients/client-catalog.js';
import { clientDefinitionSchema } from '../src/domain/clients/client-definition.js';
import type { AdminPrincipal } from '../src/domain/organizations/admin-principal.js';
import { startServer } from '../src/server.js';
import {
  benchOrganizations,
  ORG_CLIENT_DEFINITIONS,
  ORG_USER,
  ORGANIZATIONS,
  PERMISSIONS_PER_ROLE,
  type OrganizationSeeding,
  ROLES_PER_MEMBER,
  ROLES_PER_ORGANIZATION,
  SEED_ORGANIZATIONS_ENV,
} from './organizations.js';
import { times } from './scenarios/scenario.js';
import {
  BENCH_USERS,
  benchUser,
  CHEAPEST_ARGON2ID,
  CLIENT_DEFINITIONS,
  unhashedUser,
  USER,
} from './settings.js';
import { seedSso, type SsoSeedingOptions } from './sso-seeding.js';
import { SEED_SSO_ENV } from './sso.js';

/**
 * Child process: a real Gatehouse (PostgreSQL + Redis, from the environment the orchestrator
 * passes), seeded with the bench clients and user, and, when BENCH_SEED_ORGANIZATIONS=1, with
 * the organizations and clients of the `org_token` and `org_exchange` scenarios (organizations.ts);
 * when BENCH_PARTNER_ISSUER or BENCH_SAML_IDP_CERTIFICATE is set, with the SSO tenancy of
 * `federated_login` and `saml_acs` (sso-seeding.ts).
 * Reports its URL (and what the seeding made and took) over IPC; stops on 'stop'.
 */
const SEEDER: AdminPrincipal = { actor: { type: 'system', id: 'bench' }, scope: { kind: 'environment' } };
// Each admin write is one interactive transaction holding a pooled connection (pg's pool has 10,
// and Prisma gives up on a transaction that waits 2 s for one): stay below the pool size.
const SEED_PARALLEL = 8;

async function seedOrganizations(container: Container): Promise<OrganizationSeeding> {
  const started = performance.now();
  const { admin } = container;
  const fixture = benchOrganizations();
  const [user, organizations] = await Promise.all([
    container.accounts.create({ email: ORG_USER.email, password: ORG_USER.password, name: ORG_USER.name }),
    times(fixture.length, SEED_PARALLEL, (index) =>
      admin.organizations.create(SEEDER, {
        slug: fixture[index]!.slug,
        name: fixture[index]!.name,
        // One user signs in to these from every worker at once (a session each): above the default 3.
        security_policies: { concurrent_sessions: 1000 },
      }),
    ),
  ]);
  const organizationsDone = performance.now();
  const roles = fixture.flatMap((org, index) =>
    org.roles.map((role) => ({ org: organizations[index]!, role })),
  );
  await times(roles.length, SEED_PARALLEL, (index) => {
    const { org, role } = roles[index]!;
    return admin.roles.create(SEEDER, org.id, { ...role, admin: false, overridable: false });
  });
  const rolesDone = performance.now();
  await times(fixture.length, SEED_PARALLEL, (index) =>
    admin.memberships.add(SEEDER, organizations[index]!.id, {
      user_id: user.id,
      roles: fixture[index]!.memberRoles,
      status: 'active',
    }),
  );
  const done = performance.now();
  const ms = Math.round(done - started);
  const phases = [
    `organizations and user ${Math.round(organizationsDone - started)} ms`,
    `roles ${Math.round(rolesDone - organizationsDone)} ms`,
    `memberships ${Math.round(done - rolesDone)} ms`,
  ];
  console.error(
    `[bench] gatehouse: seeded ${ORGANIZATIONS} organizations x ${ROLES_PER_ORGANIZATION} roles ` +
      `(${roles.length} roles, ${PERMISSIONS_PER_ROLE} permissions each) and ${ORGANIZATIONS} memberships ` +
      `of ${ROLES_PER_MEMBER} roles in ${ms} ms (${phases.join(', ')}; ${SEED_PARALLEL} admin writes at a time)`,
  );
  return {
    organizations: ORGANIZATIONS,
    rolesPerOrganization: ROLES_PER_ORGANIZATION,
    permissionsPerRole: PERMISSIONS_PER_ROLE,
    rolesPerMember: ROLES_PER_MEMBER,
    ms,
  };
}

/** The IdPs the SSO connections point at, when the orchestrator planned them; undefined for none. */
function ssoFromEnv(): SsoSeedingOptions | undefined {
  const [issuer, clientId, clientSecret] = [
    process.env[SEED_SSO_ENV.issuer],
    process.env[SEED_SSO_ENV.clientId],
    process.env[SEED_SSO_ENV.clientSecret],
  ];
  const samlIdpCertificate = process.env[SEED_SSO_ENV.samlIdpCertificate] || undefined;
  if (issuer && (!clientId || !clientSecret))
    throw new Error(`${SEED_SSO_ENV.issuer} needs the partner's client too`);
  const partner = issuer && clientId && clientSecret ? { issuer, clientId, clientSecret } : undefined;
  return partner || samlIdpCertificate ? { partner, samlIdpCertificate } : undefined;
}

/**
 * The bench users (settings.ts benchUser), sharing one argon2id hash: one hash to compute, not a
 * thousand; and those of `local_flow` (unhashedUser), sharing one hash of the cheapest parameters.
 */
async function seedUsers(container: Container): Promise<void> {
  const first = await container.accounts.create({
    email: USER.email,
    password: USER.password,
    name: USER.name,
  });
  const { passwordHash } = (await container.db.users.findByEmail(first.email))!;
  const cheapHash = await argon2.hash(USER.password, { type: argon2.argon2id, ...CHEAPEST_ARGON2ID });
  const others = [
    ...Array.from({ length: BENCH_USERS - 1 }, (_, index) => ({
      id: `bench-user-${index + 1}`,
      email: benchUser(index + 1).email,
      passwordHash,
    })),
    ...Array.from({ length: BENCH_USERS }, (_, index) => ({
      id: `bench-light-user-${index}`,
      email: unhashedUser(index).email,
      passwordHash: cheapHash,
    })),
  ];
  await times(others.length, SEED_PARALLEL, (index) =>
    container.db.users.create({ ...others[index]!, emailVerified: true, name: USER.name, managedBy: null }),
  );
}

async function main(): Promise<void> {
  const env = parseEnv(process.env);
  const container = await buildContainer(env, pino({ level: env.LOG_LEVEL }));
  const withOrganizations = process.env[SEED_ORGANIZATIONS_ENV] === '1';
  const definitions = [...CLIENT_DEFINITIONS, ...(withOrganizations ? ORG_CLIENT_DEFINITIONS : [])];
  for (const definition of definitions) {
    const client = clientDefinitionSchema.parse(definition);
    await container.db.clients.upsert(clientRecordFrom(client, container.envelope, null));
  }
  await seedUsers(container);
  const seeding = withOrganizations ? await seedOrganizations(container) : undefined;
  const ssoOptions = ssoFromEnv();
  const sso = ssoOptions ? await seedSso(container, SEEDER, ssoOptions) : undefined;
  const server = await startServer(container, env.PORT, '127.0.0.1');

  process.on('message', (message) => {
    if (message !== 'stop') return;
    server
      .stop(1_000)
      .catch((error) => console.error('gatehouse stop failed', error))
      .finally(() => process.exit(0));
  });
  // The orchestrator died without saying stop: do not outlive it.
  process.once('disconnect', () => process.exit(1));
  process.send?.({
    ready: true,
    issuer: env.ISSUER,
    ...(seeding ? { seeding } : {}),
    ...(sso ? { sso } : {}),
  });
}

main().catch((error) => {
  console.error('gatehouse bench server failed to start', error);
  process.exit(1);
});

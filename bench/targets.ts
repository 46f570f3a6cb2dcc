import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../src/data/database.js';
import { migrationsDir } from '../src/lib/project-paths.js';
import { freePort } from '../test/support/free-port.js';
import { startChild, type RunningChild, type RunningTarget } from './child.js';
import { startPartner } from './partner-child.js';
import { generateSamlIdpCredential } from './saml-idp.js';
import { SEED_ORGANIZATIONS_ENV } from './organizations.js';
import { planPartner, SEED_SSO_ENV, type PartnerPlan } from './sso.js';
import { adminUrl, deleteRedisKeys, gatehouseBenchEnv, redisUrl } from './bench-services.js';

export type { RunningTarget } from './child.js';

/**
 * Starts and stops the three servers under test (Gatehouse, the in-memory baseline, the baseline
 * on Gatehouse's storage), each in its own Node process, plus the scratch PostgreSQL database
 * and the Redis key prefixes (one per server that uses Redis); and, for `federated_login`, the
 * partner IdP Gatehouse's SSO connection points at (a fourth process, never a target itself);
 * for `saml_acs`, the SAML IdP's key pair (the load driver signs with it, Gatehouse trusts it).
 */
// A name per run: two runs at once must not drop each other's database.
const SCRATCH_DATABASE = `gatehouse_bench_${randomBytes(4).toString('hex')}`;

async function asAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface Environment {
  gatehouse: RunningTarget;
  baseline: RunningTarget;
  baselineSameStorage: RunningTarget;
  /** In the order they take turns in each cell. */
  all: RunningTarget[];
  /** The upstream IdP of the SSO tenancy, when a selected scenario needs it. */
  partner?: RunningChild<'partner'>;
  close(): Promise<void>;
}

export interface TargetOptions {
  /** `gatehouse`, `baseline`, `baseline_same_storage` or `partner`: that process runs with --cpu-prof. */
  profile: string | undefined;
  /** Seed Gatehouse with the organizations of `org_token` and `org_exchange` (organizations.ts) before it serves. */
  organizations: boolean;
  /** Seed Gatehouse with the SSO tenancy of `federated_login` (sso.ts) and start its partner IdP. */
  sso: boolean;
  /** Seed Gatehouse with the SAML connection of `saml_acs`, trusting a fresh IdP key the bench holds. */
  saml: boolean;
}

const partnerSeedingEnv = (plan: PartnerPlan) => ({
  [SEED_SSO_ENV.issuer]: plan.issuer,
  [SEED_SSO_ENV.clientId]: plan.clientId,
  [SEED_SSO_ENV.clientSecret]: plan.clientSecret,
});

/** The scratch database (created fresh, migrated), the three servers, and the cleanup for all of it. */
export async function startTargets({
  profile,
  organizations,
  sso,
  saml,
}: TargetOptions): Promise<Environment> {
  await asAdmin(`DROP DATABASE IF EXISTS "${SCRATCH_DATABASE}" WITH (FORCE)`);
  await asAdmin(`CREATE DATABASE "${SCRATCH_DATABASE}"`);
  const url = new URL(adminUrl());
  url.pathname = `/${SCRATCH_DATABASE}`;
  const database = await openDatabase({ url: url.toString(), dataDir: tmpdir() });
  await database.migrate(migrationsDir());
  await database.close();

  const keysDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-keys-'));
  const redisPrefix = `gh-bench:${randomUUID()}:`;
  const sameStoragePrefix = `gh-bench:${randomUUID()}:`;
  const ghPort = await freePort();
  // The SSO connection names the partner's issuer, so its port is fixed before Gatehouse seeds;
  // the partner starts after, once the connection id (in its redirect URI) is known.
  const partnerPlan = sso ? planPartner(await freePort()) : undefined;
  const samlIdp = saml ? await generateSamlIdpCredential() : undefined;
  const started: RunningChild[] = [];
  const cleanup = async () => {
    await Promise.allSettled(started.map((target) => target.stop()));
    await deleteRedisKeys(redisPrefix);
    await deleteRedisKeys(sameStoragePrefix);
    await asAdmin(`DROP DATABASE IF EXISTS "${SCRATCH_DATABASE}" WITH (FORCE)`);
    rmSync(keysDir, { recursive: true, force: true });
  };
  const track = <Child extends RunningChild>(child: Child): Child => {
    started.push(child);
    return child;
  };
  try {
    const gatehouse: RunningTarget = track(
      await startChild(
        'gatehouse',
        './gatehouse-server.ts',
        {
          ...gatehouseBenchEnv({ port: ghPort, databaseUrl: url.toString(), redisPrefix, keysDir }),
          [SEED_ORGANIZATIONS_ENV]: organizations ? '1' : '0',
          ...(partnerPlan ? partnerSeedingEnv(partnerPlan) : {}),
          ...(samlIdp ? { [SEED_SSO_ENV.samlIdpCertificate]: samlIdp.certificate } : {}),
        },
        profile === 'gatehouse',
      ),
    );
    const partner = partnerPlan
      ? track(await startPartner(gatehouse, partnerPlan, profile === 'partner'))
      : undefined;
    if (gatehouse.ssoSeeding) {
      gatehouse.sso = {
        ...gatehouse.ssoSeeding,
        ...(partner ? { partner: { issuer: partner.issuer, pid: partner.pid } } : {}),
        ...(samlIdp ? { samlIdp } : {}),
      };
    }
    const baseline = track(
      await startChild(
        'baseline',
        './baseline-provider.ts',
        { PORT: String(await freePort()), BASELINE_STORAGE: 'memory' },
        profile === 'baseline',
      ),
    );
    const baselineSameStorage = track(
      await startChild(
        'baseline_same_storage',
        './baseline-provider.ts',
        {
          PORT: String(await freePort()),
          BASELINE_STORAGE: 'gatehouse',
          DATABASE_URL: url.toString(),
          REDIS_URL: redisUrl(),
          REDIS_KEY_PREFIX: sameStoragePrefix,
        },
        profile === 'baseline_same_storage',
      ),
    );
    return {
      gatehouse,
      baseline,
      baselineSameStorage,
      all: [gatehouse, baseline, baselineSameStorage],
      ...(partner ? { partner } : {}),
      close: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

import { checkFederatedClaims, federatedSignIn, type FederatedExpectation } from '../federated-flow.js';
import { processCpuMs } from '../process-cpu.js';
import { ssoUser, type SsoUser } from '../sso.js';
import { SEED_PARALLEL, times, type Scenario } from './scenario.js';

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** CPU (ms) a process spent between two readings, per login; null where /proc is missing. */
function cpuPerLogin(pid: number | undefined, logins: number) {
  const before = pid === undefined ? undefined : processCpuMs(pid);
  return () => {
    const after = pid === undefined ? undefined : processCpuMs(pid);
    return before === undefined || after === undefined ? null : round((after - before) / logins, 3);
  };
}

/** Where the federated sign-ins go, what their tokens must name, whose CPU to read. */
interface FederatedTarget extends FederatedExpectation {
  issuer: string;
  gatehousePid: number | undefined;
  partnerPid: number;
}

/**
 * One sign-in of every user of the pool, SEED_PARALLEL at a time, timed: the first round creates
 * them (JIT provisioning: user, linked identity, membership with roles), the second updates them,
 * which is what every measured operation does. Every ID token is checked.
 */
async function timedRound(target: FederatedTarget, pool: SsoUser[]) {
  const gatehouseCpu = cpuPerLogin(target.gatehousePid, pool.length);
  const partnerCpu = cpuPerLogin(target.partnerPid, pool.length);
  const latencies: number[] = [];
  const parallel = Math.min(SEED_PARALLEL, pool.length);
  const started = performance.now();
  await times(pool.length, parallel, async (index) => {
    const begin = performance.now();
    checkFederatedClaims(await federatedSignIn(target.issuer, pool[index]!), target, pool[index]!);
    latencies.push(performance.now() - begin);
  });
  const ms = performance.now() - started;
  return {
    logins: pool.length,
    parallel,
    loginsPerSecond: round((pool.length * 1000) / ms),
    meanMs: round(latencies.reduce((sum, value) => sum + value, 0) / latencies.length),
    gatehouseCpuMsPerLogin: gatehouseCpu(),
    partnerCpuMsPerLogin: partnerCpu(),
  };
}

/**
 * Enterprise SSO, Gatehouse only: a complete federated sign-in through the organization's OIDC
 * partner IdP (its own process on the same machine) with a fresh cookie jar, to the code
 * exchange at Gatehouse's /token (federated-flow.ts). Worker i signs in as pool user i mod N,
 * N = the highest concurrency, so each worker has its own user and every measured operation is a
 * returning user (the update path). The pool's first sign-ins (JIT creation) happen in prepare,
 * timed, and a second round of the same users at the same parallelism gives the returning figure
 * to hold them against: both in the report's `prepared`. sso-report.ts compares the cells with the
 * baseline's `full_flow` (a bare oidc-provider code flow without password hashing).
 */
export const federatedLogin: Scenario = {
  name: 'federated_login',
  operation:
    'one complete federated sign-in with a fresh cookie jar: Gatehouse /auth with login_hint, partner IdP /auth + sign-in + resume, Gatehouse callback (code + userinfo at the partner), JIT update, resume, code + PKCE exchange; ID token checked for org_id, idp, roles (9 browser requests, 6 of them to Gatehouse, plus 2 from Gatehouse to the partner)',
  gatehouseOnly: true,
  sso: true,
  async prepare(target, workers) {
    const { sso } = target;
    if (target.name !== 'gatehouse' || !sso?.oidcConnectionId || !sso.partner)
      throw new Error('federated_login runs on Gatehouse with its OIDC connection to the partner');
    const federated: FederatedTarget = {
      issuer: target.issuer,
      organizationId: sso.organizationId,
      connectionId: sso.oidcConnectionId,
      gatehousePid: target.pid,
      partnerPid: sso.partner.pid,
    };
    const pool = Array.from({ length: workers }, (_, index) => ssoUser(index));
    const firstLogin = await timedRound(federated, pool);
    const returningLogin = await timedRound(federated, pool);
    process.stderr.write(
      `[bench] federated_login: ${pool.length} users, first sign-in ${firstLogin.meanMs} ms ` +
        `(${firstLogin.loginsPerSecond}/s), returning ${returningLogin.meanMs} ms (${returningLogin.loginsPerSecond}/s) at ${returningLogin.parallel} in parallel\n`,
    );
    const ratio = (pick: (round: typeof firstLogin) => number | null) => {
      const [first, returning] = [pick(firstLogin), pick(returningLogin)];
      return first !== null && returning ? round(first / returning, 3) : null;
    };
    return {
      operation: async (worker) => {
        const user = pool[worker % pool.length]!;
        checkFederatedClaims(await federatedSignIn(target.issuer, user), federated, user);
      },
      prepared: {
        pool: pool.length,
        connectionId: federated.connectionId,
        organizationId: sso.organizationId,
        firstLogin,
        returningLogin,
        /** First sign-in (JIT creation) over returning (update), same users, same parallelism. */
        firstOverReturning: {
          meanMs: ratio((r) => r.meanMs),
          gatehouseCpuPerLogin: ratio((r) => r.gatehouseCpuMsPerLogin),
        },
      },
    };
  },
};

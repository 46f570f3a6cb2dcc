import { basicAuth, send } from './http-client.js';
import { loginFlow } from './login-flow.js';
import { callJson, isRecord, PATCH_OP } from './scim-http.js';
import { Samples, type LatencySummary } from './scim-latency.js';
import { SCIM_CLIENT, SCIM_CLIENT_SCOPE, SIGN_IN_PASSWORD } from './scim-settings.js';
import { userKeys } from './scim-users.js';

/**
 * Deactivate -> revoke: users deactivated one at a time with PATCH `replace active false`
 * (Entra ID's soft delete). Gatehouse suspends the membership and revokes the organization's
 * grants before it answers, so for users who signed in first (password accounts the import
 * linked, a real grant and refresh token bound to the organization), the time from the PATCH
 * going out to the refresh grant answering invalid_grant is the leaver's window.
 */
const MAX_REFRESH_TRIES = 20;

export interface DeactivationTarget {
  baseUrl: string;
  issuer: string;
  token: string;
  domain: string;
  organizationId: string;
  /** SCIM id per user index (from the import). */
  ids: readonly (string | undefined)[];
}

export interface DeactivationResult {
  deactivated: number;
  /** PATCH latency over every deactivation. */
  patch: LatencySummary;
  patchWithoutGrant: LatencySummary;
  /** Users who held a grant and refresh token: PATCH latency, and PATCH start until invalid_grant. */
  withGrant: {
    users: number;
    signInMs: LatencySummary;
    patch: LatencySummary;
    untilRefreshRejected: LatencySummary;
    /** Refreshes that still worked after the PATCH answered (should be 0: revocation runs first). */
    refreshAcceptedAfterPatch: number;
  };
}

async function refresh(issuer: string, refreshToken: string) {
  const answer = await send(`${issuer}/token`, {
    headers: { authorization: basicAuth(SCIM_CLIENT.id, SCIM_CLIENT.secret) },
    form: { grant_type: 'refresh_token', refresh_token: refreshToken },
  });
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  return { status: answer.status, error: body.error, refreshToken: body.refresh_token };
}

async function deactivate(target: DeactivationTarget, index: number): Promise<void> {
  const id = target.ids[index];
  if (!id) throw new Error(`user ${index} was not imported`);
  const answer = await callJson(`${target.baseUrl}/Users/${id}`, {
    method: 'PATCH',
    token: target.token,
    body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] },
  });
  if (answer.status !== 200 || !isRecord(answer.body) || answer.body.active !== false) {
    throw new Error(`PATCH user ${index}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
  }
}

/** Signs user `index` in for the organization and proves its refresh token works (one rotation). */
async function signIn(target: DeactivationTarget, index: number): Promise<string> {
  const tokens = await loginFlow(target.issuer, {
    user: { email: userKeys(index, target.domain).userName, password: SIGN_IN_PASSWORD },
    client: SCIM_CLIENT,
    scope: SCIM_CLIENT_SCOPE,
    organization: target.organizationId,
  });
  if (!tokens.refresh_token) throw new Error(`user ${index} got no refresh token`);
  const rotated = await refresh(target.issuer, tokens.refresh_token);
  if (rotated.status !== 200 || typeof rotated.refreshToken !== 'string') {
    throw new Error(
      `user ${index}: refresh before the PATCH answered ${rotated.status} ${String(rotated.error)}`,
    );
  }
  return rotated.refreshToken;
}

/** Refreshes until invalid_grant; returns how many refreshes were still accepted first. */
async function refreshUntilRejected(issuer: string, refreshToken: string): Promise<number> {
  let token = refreshToken;
  for (let accepted = 0; accepted < MAX_REFRESH_TRIES; accepted += 1) {
    const answer = await refresh(issuer, token);
    if (answer.status === 400 && answer.error === 'invalid_grant') return accepted;
    if (answer.status !== 200 || typeof answer.refreshToken !== 'string') {
      throw new Error(`refresh after PATCH answered ${answer.status} ${String(answer.error)}`);
    }
    token = answer.refreshToken;
  }
  throw new Error(`refresh still accepted ${MAX_REFRESH_TRIES} times after the PATCH`);
}

export async function measureDeactivation(
  target: DeactivationTarget,
  options: { signedIn: readonly number[]; plain: readonly number[] },
): Promise<DeactivationResult> {
  const signInTimes = new Samples();
  const tokens = new Map<number, string>();
  for (const index of options.signedIn) {
    await signInTimes.time(async () => {
      tokens.set(index, await signIn(target, index));
    });
  }
  // The users with a grant spread among the others, so both kinds see the same machine.
  const order: number[] = [...options.plain];
  options.signedIn.forEach((index, position) => {
    const at = Math.floor(((position + 0.5) * options.plain.length) / options.signedIn.length);
    order.splice(at + position, 0, index);
  });
  const all = new Samples();
  const withoutGrant = new Samples();
  const withGrant = new Samples();
  const untilRejected = new Samples();
  let acceptedAfterPatch = 0;
  for (const index of order) {
    const refreshToken = tokens.get(index);
    const started = performance.now();
    const ms = await (refreshToken === undefined ? withoutGrant : withGrant).time(() =>
      deactivate(target, index),
    );
    if (ms === undefined) continue;
    all.latencies.push(ms);
    if (refreshToken === undefined) continue;
    try {
      acceptedAfterPatch += await refreshUntilRejected(target.issuer, refreshToken);
      // From the PATCH going out, not from its answer.
      untilRejected.latencies.push(performance.now() - started);
    } catch (error) {
      untilRejected.fail(error);
    }
  }
  all.errors = withoutGrant.errors + withGrant.errors;
  all.firstError = withoutGrant.firstError ?? withGrant.firstError;
  return {
    deactivated: all.latencies.length,
    patch: all.summary(),
    patchWithoutGrant: withoutGrant.summary(),
    withGrant: {
      users: options.signedIn.length,
      signInMs: signInTimes.summary(),
      patch: withGrant.summary(),
      untilRefreshRejected: untilRejected.summary(),
      refreshAcceptedAfterPatch: acceptedAfterPatch,
    },
  };
}

import type { Envelope } from '../../lib/crypto/envelope.js';
import { generateSigningKey, SIGNING_ALGS } from '../../lib/jwk.js';
import type { Database, Repositories, SigningKeyRecord, SigningKeyState } from '../ports/repositories.js';
import type { Actor } from '../ports/tenancy.js';

/** Private JWKs in the order oidc-provider wants them: the first key of an alg signs. */
export type PrivateJwk = Record<string, unknown> & { kid: string; alg: string };

export interface SigningKeys {
  /** Creates current and next keys for each algorithm on first start; safe to call from many processes. */
  ensure(): Promise<void>;
  /**
   * next -> current, current -> previous, previous -> retired, and a new next per algorithm;
   * recorded in the audit log as `actor`'s (the system's when absent).
   */
  rotate(actor?: Actor): Promise<void>;
  /** current, then next, then previous keys: all published, only current ones sign. */
  signingSet(): Promise<PrivateJwk[]>;
  list(): Promise<SigningKeyRecord[]>;
}

const PUBLISHED: SigningKeyState[] = ['current', 'next', 'previous'];
const LOCK = 'gatehouse:signing-keys';
const SYSTEM: Actor = { type: 'system', id: 'signing-keys' };

/** Public facts of the published keys, by state: what the audit record of a change shows. */
const publishedKids = (keys: readonly SigningKeyRecord[]) =>
  Object.fromEntries(
    PUBLISHED.map((state) => [
      state,
      keys
        .filter((key) => key.state === state)
        .map((key) => key.kid)
        .sort(),
    ]),
  );

export function createSigningKeys(
  db: Database,
  envelope: Envelope,
  now: () => Date = () => new Date(),
): SigningKeys {
  const addKey = async (repos: Repositories, alg: (typeof SIGNING_ALGS)[number], state: SigningKeyState) => {
    const key = await generateSigningKey(alg);
    await repos.signingKeys.insert({
      kid: key.kid,
      alg,
      state,
      publicJwk: key.publicJwk as Record<string, unknown>,
      privateJwkCt: envelope.seal(JSON.stringify(key.privateJwk), `signing-key:${key.kid}`),
      activatedAt: state === 'current' ? now() : null,
      deactivatedAt: null,
    });
  };

  return {
    async ensure() {
      await db.withLock(LOCK, async (repos) => {
        const existing = await repos.signingKeys.list(['current', 'next']);
        for (const alg of SIGNING_ALGS) {
          for (const state of ['current', 'next'] as const) {
            if (!existing.some((key) => key.alg === alg && key.state === state))
              await addKey(repos, alg, state);
          }
        }
      });
    },
    async rotate(actor = SYSTEM) {
      await db.withLock(LOCK, async (repos) => {
        const keys = await repos.signingKeys.list(PUBLISHED);
        const at = now();
        const move = async (from: SigningKeyState, to: SigningKeyState) => {
          for (const key of keys.filter((candidate) => candidate.state === from)) {
            await repos.signingKeys.setState(key.kid, to, at);
          }
        };
        await move('previous', 'retired');
        await move('current', 'previous');
        await move('next', 'current');
        for (const alg of SIGNING_ALGS) await addKey(repos, alg, 'next');
        await repos.audit.append({
          organizationId: null,
          actor,
          action: 'signing_key.rotate',
          targetType: 'signing_keys',
          targetId: SIGNING_ALGS.join(','),
          before: publishedKids(keys),
          after: publishedKids(await repos.signingKeys.list(PUBLISHED)),
        });
      });
    },
    async signingSet() {
      const keys = await db.signingKeys.list(PUBLISHED);
      const rank = (state: SigningKeyState) => PUBLISHED.indexOf(state);
      return keys
        .sort((a, b) => rank(a.state) - rank(b.state) || b.createdAt.getTime() - a.createdAt.getTime())
        .map((key) => JSON.parse(envelope.open(key.privateJwkCt, `signing-key:${key.kid}`)) as PrivateJwk);
    },
    list: () => db.signingKeys.list(),
  };
}

import type { Context } from 'koa';
import {
  MFA_ACR,
  PHISHING_RESISTANT_ACR,
  provedPossessionOfKey,
  upstreamReached,
  type AssuranceLevel,
} from '../../domain/mfa/sign-in-requirement.js';
import type { MfaFactorKind } from '../../domain/mfa/mfa-policy.js';
import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';
import type { InteractionView, Interactions, SignInMethod } from '../../oidc/interactions.js';
import type { OrganizationResult } from '../../oidc/organization-prompt.js';

/** A first factor that passed, waiting for the second (kept in the store, keyed by interaction). */
export interface FirstFactor {
  userId: string;
  email: string;
  method: SignInMethod;
  /** The organization the sign-in settled; absent when the user picks it next. */
  organization?: OrganizationResult | undefined;
  /**
   * Factor kinds the first factor already was (Magic Auth: `email`): the second factor must be
   * something else, or one mailbox would pass both steps.
   */
  usedFactors?: MfaFactorKind[] | undefined;
  /** The level the application's acr_values asked for, if any. */
  level?: AssuranceLevel | undefined;
  /** Risk-based sign-in (domain/risk) decided `mfa`: a second factor whatever the policy says. */
  riskStepUp?: boolean | undefined;
}

/** A sign-in between its first and second factor. */
export interface Pending extends FirstFactor {
  /** The factor types the organization's policy allows this sign-in (absent in older entries: all). */
  factors?: MfaFactorKind[];
  /**
   * Set while the user sets up a first factor. `factorId`: the TOTP factor the page shows (absent
   * when only a passkey is offered); `amr`: what the confirming ceremony proved, once confirmed.
   */
  enrolment?: { factorId?: string; confirmed: boolean; amr?: string[] };
  /** RFC 8176 values of a WebAuthn assertion that passed; the next page view finishes the sign-in. */
  verified?: string[];
}

const PENDING_SECONDS = 10 * 60;
const key = (uid: string) => `mfa:pending:${uid}`;
const unique = (values: string[]) => [...new Set(values)];

/**
 * `phr` only where the application asked for it and a passkey (or a trusted upstream's hardware
 * key) was shown; otherwise the MFA level, which applications that did not ask for more expect.
 */
function acrOf(first: FirstFactor, secondFactor: string[] | undefined): string {
  if (first.level !== 'phishing_resistant') return MFA_ACR;
  const resistant = secondFactor
    ? provedPossessionOfKey(secondFactor)
    : upstreamReached(first.method.amr, 'phishing_resistant');
  return resistant ? PHISHING_RESISTANT_ACR : MFA_ACR;
}

/**
 * The pending sign-in of the interaction the browser's interaction cookie names: the cookie binds
 * it to this browser, so nothing in the URL alone can reach another's.
 */
export function createPendingSignIns(deps: { interactions: Interactions; store: EphemeralStore }) {
  return {
    save: (uid: string, pending: Pending) =>
      deps.store.put(key(uid), JSON.stringify(pending), PENDING_SECONDS),

    async load(ctx: Context): Promise<{ view: InteractionView; pending?: Pending }> {
      const view = await deps.interactions.load(ctx.req, ctx.res);
      const raw = ctx.params.uid === view.uid ? await deps.store.get(key(view.uid)) : undefined;
      return { view, ...(raw ? { pending: JSON.parse(raw) as Pending } : {}) };
    },

    /**
     * Ends the interaction. `acr` names MFA only when Gatehouse saw a second factor, or when the
     * organization trusts the upstream IdP's own (`upstreamTrusted`): step-up and applications rely on it.
     */
    async finish(
      ctx: Context,
      uid: string,
      first: FirstFactor,
      secondFactor?: string[],
      upstreamTrusted = false,
    ) {
      if (secondFactor) await deps.store.delete(key(uid));
      const amr = secondFactor ? unique([...first.method.amr, ...secondFactor]) : first.method.amr;
      const mfa = secondFactor !== undefined || upstreamTrusted;
      const method = { ...first.method, amr, ...(mfa ? { acr: acrOf(first, secondFactor) } : {}) };
      await deps.interactions.finishLogin(ctx.req, ctx.res, first.userId, method, first.organization);
      ctx.respond = false;
    },
  };
}
export type PendingSignIns = ReturnType<typeof createPendingSignIns>;

/**
 * The organization a sign-in waiting for its second factor settled on, if it did: the MFA pages
 * show that organization's branding (http/middleware/page-brand.ts).
 */
export async function pendingOrganizationId(store: EphemeralStore, uid: string): Promise<string | undefined> {
  const raw = await store.get(key(uid));
  return (raw ? (JSON.parse(raw) as Pending).organization?.id : undefined) ?? undefined;
}

import { monthlyQuotaReached } from '../entitlements/sign-in-admission.js';
import { ConflictError } from '../errors.js';
import type { Database, Repositories } from '../ports/repositories.js';
import { signInContext, type SignInContext } from './sign-in-context.js';
import { createUser, findAccount, recordIdentity, refreshUser } from './sso-account.js';
import { createMembership, refreshMembershipRoles } from './sso-membership.js';
import { readOnlyAttempt } from './read-only-attempt.js';
import { refuse, type SsoRefusal } from './sso-refusal.js';
import type { UpstreamIdentity } from './upstream-identity.js';

export type { SsoRefusal } from './sso-refusal.js';

/**
 * `warnings` are for the operator's log, never for the user: settings to fix (a role rule naming
 * a deleted role, a rule set that no longer compiles, an email change that clashed).
 */
export type SsoSignInOutcome =
  | {
      kind: 'signed_in';
      userId: string;
      organizationId: string;
      created: { user: boolean; membership: boolean };
      warnings: string[];
    }
  | { kind: 'pending_approval'; userId: string; organizationId: string; warnings: string[] }
  | { kind: 'refused'; code: SsoRefusal; reason: string /* plain, safe to show the user */ };

/**
 * Just-in-time provisioning of a user an upstream IdP signed in (OIDC or SAML, already verified):
 * decides who it is in Gatehouse, creates or updates the user, the identity and the membership in
 * the connection's organization, and says whether the sign-in may go on. See sign-in-context.ts
 * (what is checked), sso-account.ts (who it is), sso-membership.ts and provisioned-roles.ts (roles).
 */
export function createSsoSignIn(db: Database, options: { now?: () => Date } = {}) {
  const now = options.now ?? (() => new Date());
  return {
    async signIn(identity: UpstreamIdentity): Promise<SsoSignInOutcome> {
      const context = await signInContext(db, identity, now());
      if ('kind' in context) return context;
      // Each attempt gets its own warnings list: a retried attempt must not repeat the first one's.
      const fresh = () => ({ ...context, warnings: [...context.warnings] });
      // A returning member whose sign-in changes nothing but the identity's last sign-in needs no
      // transaction: that one write is atomic on its own.
      const unchanged = await readOnlyAttempt(db, TOUCH, (repos) => provision(repos, fresh()));
      if (unchanged) return unchanged;
      const attempt = () => db.transaction((repos) => provision(repos, fresh()));
      try {
        return await attempt();
      } catch (error) {
        // Two first sign-ins of one subject at once: both found nobody, and the unique indexes
        // (identity per connection + subject, user email, membership per user + organization)
        // let one commit. The other rolled back whole; run once more and it finds the winner.
        if (!(error instanceof ConflictError && RACE_CODES.has(error.code))) throw error;
        return attempt();
      }
    },
  };
}
export type SsoSignIn = ReturnType<typeof createSsoSignIn>;

const RACE_CODES = new Set(['identity_exists', 'email_taken', 'membership_exists']);
const TOUCH = { repository: 'identities', method: 'touch' } as const;

/** The writes of one sign-in, all in the caller's transaction; refusals come before any write. */
async function provision(repos: Repositories, context: SignInContext): Promise<SsoSignInOutcome> {
  const account = await findAccount(repos, context);
  if (account.kind === 'conflict') return refuse('identity_conflict');
  const existing = account.kind === 'new' ? undefined : account.user;
  if (await monthlyQuotaReached(repos, context.organization.id, existing?.id, context.at))
    return refuse('monthly_active_users_exceeded');
  const membership = existing && (await repos.memberships.find(existing.id, context.organization.id));
  if (membership?.status === 'suspended') return refuse('membership_suspended');
  // Without JIT only users an administrator (or SCIM) already made members may sign in.
  if (!membership && context.organization.provisioning.jit === false) return refuse('jit_disabled');

  const user = existing ? await refreshUser(repos, context, existing) : await createUser(repos, context);
  await recordIdentity(repos, context, user.id, account.kind === 'known' ? account.identity : undefined);
  const current = membership
    ? await refreshMembershipRoles(repos, context, membership)
    : await createMembership(repos, context, user.id);
  const { warnings } = context;
  if (current.status === 'pending') {
    return { kind: 'pending_approval', userId: user.id, organizationId: current.organizationId, warnings };
  }
  const created = { user: !existing, membership: !membership };
  return { kind: 'signed_in', userId: user.id, organizationId: current.organizationId, created, warnings };
}

import { digestBearerToken, newBearerToken } from '../../lib/crypto/bearer-token.js';
import { newId } from '../../lib/ids.js';
import { assertFeature } from '../entitlements/entitlement-checks.js';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError } from '../errors.js';
import type { AdminPrincipal } from '../organizations/admin-principal.js';
import { effectivePolicies } from '../organizations/security-policies.js';
import { findUser, visibleOrganization } from '../organizations/tenancy-scope.js';
import type { ImpersonationRecord } from '../ports/impersonations.js';
import type { Database, Repositories } from '../ports/repositories.js';
import type { OrganizationRecord, PageRequest } from '../ports/tenancy.js';
import { approverFor, assertOperator, operatorName, sameActor } from './impersonation-actors.js';
import type { ImpersonationRequestInput } from './impersonation-input.js';
import { OPEN_STATUSES, settleNow, START_WINDOW_MS } from './impersonation-lifecycle.js';
import { durationSeconds, effectiveImpersonationPolicy } from './impersonation-policy.js';
import { impersonationEntry, impersonationView, type ImpersonationView } from './impersonation-view.js';

/** A browser ticket is for opening the session right away (the operator's next click). */
export const TICKET_TTL_MS = 60_000;
const HANDLE_PREFIX = 'ghimp_';
const TICKET_PREFIX = 'ghimpt_';

/** What a request answers: the handle is shown this once, like an API key. */
export interface RequestedImpersonation {
  impersonation: ImpersonationView;
  handle: string;
}

export interface ImpersonationsAdminDeps {
  now?: () => Date;
  /** Ends the browser sessions opened for an impersonation (the session registry), on revocation. */
  endSessions?: (record: ImpersonationRecord) => Promise<void>;
}

/**
 * Support impersonation as privileged access. A platform operator requests it with a reason, a
 * scope and a duration; the organization's policy says whether one of its admins must approve
 * first; the operator then uses it through token exchange or a browser session until it ends or is
 * revoked. Every step leaves an audit record in the organization's trail.
 */
export function createImpersonationsAdmin(db: Database, deps: ImpersonationsAdminDeps = {}) {
  const now = deps.now ?? (() => new Date());

  /** The request, if the principal sees its organization and it belongs there; settled to the clock. */
  const visible = async (principal: AdminPrincipal, orgRef: string, id: string) => {
    const organization = await visibleOrganization(db, principal, orgRef);
    const found = await db.impersonations.find(id);
    if (!found || found.organizationId !== organization.id) throw new NotFoundError(`impersonation ${id}`);
    return { organization, record: await settleNow(db, found, now()) };
  };

  /** Moves a request on from `from`, with its audit record, or says why it could not. */
  const move = (
    principal: AdminPrincipal,
    record: ImpersonationRecord,
    action: `impersonation.${string}`,
    from: readonly ImpersonationRecord['status'][],
    changes: Parameters<Repositories['impersonations']['transition']>[2],
  ) =>
    db.transaction(async (repos) => {
      const after = await repos.impersonations.transition(record.id, from, changes);
      if (!after) throw notPending(record);
      await repos.audit.append(impersonationEntry(principal.actor, action, record, after));
      return after;
    });

  return {
    request(
      principal: AdminPrincipal,
      orgRef: string,
      input: ImpersonationRequestInput,
    ): Promise<RequestedImpersonation> {
      assertOperator(principal);
      return db.transaction(async (repos) => {
        const organization = await visibleOrganization(repos, principal, orgRef);
        await assertFeature(repos, organization.id, 'impersonation');
        const seconds = await allowedDuration(repos, organization, input.duration);
        const user = await findUser(repos, input.user);
        if (!user) throw new NotFoundError(`user ${input.user}`);
        const membership = await repos.memberships.find(user.id, organization.id);
        if (membership?.status !== 'active') {
          throw new RuleViolationError(
            `${input.user} is not an active member of ${organization.slug}`,
            'not_a_member',
            'user',
          );
        }
        const handle = newBearerToken(HANDLE_PREFIX);
        const at = now();
        const approval = (await policyOf(repos, organization)).approval;
        const record = await repos.impersonations.create({
          id: newId('imp'),
          organizationId: organization.id,
          userId: user.id,
          operator: { ...principal.actor, name: await operatorName(repos, principal.actor) },
          reason: input.reason,
          readOnly: input.scope === 'read_only',
          permissions: input.scope === 'read_only' ? [] : [...new Set(input.scope.permissions)],
          durationSeconds: seconds,
          status: approval === 'none' ? 'approved' : 'requested',
          handleHash: digestBearerToken(handle),
          requestedAt: at,
          startBy: new Date(at.getTime() + START_WINDOW_MS),
        });
        await repos.audit.append(impersonationEntry(principal.actor, 'impersonation.request', null, record));
        return { impersonation: impersonationView(record), handle };
      });
    },

    /**
     * An organization admin's decision: an API key of the organization (or of an ancestor), or the
     * CLI recording the decision of one of its admin members. Never the operator who asked.
     */
    async decide(
      principal: AdminPrincipal,
      orgRef: string,
      id: string,
      verdict: 'approve' | 'deny',
      onBehalfOf?: string,
    ): Promise<ImpersonationView> {
      const { organization, record } = await visible(principal, orgRef, id);
      if (sameActor(principal.actor, record.operator)) {
        throw new ForbiddenError('the operator who requested an impersonation cannot decide it');
      }
      const approver = await approverFor(db, principal, organization, onBehalfOf);
      const at = now();
      const after = await move(principal, record, `impersonation.${verdict}`, ['requested'], {
        status: verdict === 'approve' ? 'approved' : 'denied',
        approver,
        decidedAt: at,
        ...(verdict === 'deny' ? { endedAt: at } : {}),
      });
      return impersonationView(after);
    },

    /** Ends it at once: its tokens introspect inactive, exchanges are refused, its sessions end. */
    async revoke(principal: AdminPrincipal, orgRef: string, id: string): Promise<ImpersonationView> {
      const { record } = await visible(principal, orgRef, id);
      if (record.status === 'revoked') return impersonationView(record);
      const after = await move(principal, record, 'impersonation.revoke', OPEN_STATUSES, {
        status: 'revoked',
        endedAt: now(),
        endedBy: `${principal.actor.type}:${principal.actor.id}`,
        ticketHash: null,
        ticketExpiresAt: null,
      });
      await deps.endSessions?.(after);
      return impersonationView(after);
    },

    /** A single-use ticket that opens a browser session as the user; for the operator only. */
    async ticket(principal: AdminPrincipal, orgRef: string, id: string) {
      const { record } = await visible(principal, orgRef, id);
      if (!sameActor(principal.actor, record.operator)) {
        throw new ForbiddenError('only the operator who requested the impersonation can open it');
      }
      const ticket = newBearerToken(TICKET_PREFIX);
      const expiresAt = new Date(now().getTime() + TICKET_TTL_MS);
      const moved = await db.impersonations.transition(record.id, ['approved', 'active'], {
        ticketHash: digestBearerToken(ticket),
        ticketExpiresAt: expiresAt,
      });
      if (!moved) throw notPending(record, 'approved or active');
      return { ticket, expiresAt };
    },

    async list(principal: AdminPrincipal, orgRef: string, page: PageRequest): Promise<ImpersonationView[]> {
      const organization = await visibleOrganization(db, principal, orgRef);
      const rows = await db.impersonations.list({ organizationIds: [organization.id] }, page);
      const settled = await Promise.all(rows.map((row) => settleNow(db, row, now())));
      return settled.map(impersonationView);
    },

    get: async (principal: AdminPrincipal, orgRef: string, id: string) =>
      impersonationView((await visible(principal, orgRef, id)).record),
  };
}
export type ImpersonationsAdmin = ReturnType<typeof createImpersonationsAdmin>;

const notPending = (record: ImpersonationRecord, wanted = 'awaiting a decision') =>
  new ConflictError(`impersonation ${record.id} is ${record.status}, not ${wanted}`, 'impersonation_state');

async function policyOf(repos: Repositories, organization: OrganizationRecord) {
  const { values } = effectivePolicies(await repos.organizations.chain(organization.id));
  return effectiveImpersonationPolicy(values.impersonation);
}

/** The requested duration in seconds, if the organization allows impersonation that long. */
async function allowedDuration(repos: Repositories, organization: OrganizationRecord, duration: string) {
  const policy = await policyOf(repos, organization);
  if (!policy.allowed) {
    throw new RuleViolationError(
      `${organization.slug} does not allow support impersonation (security_policies.impersonation.allowed)`,
      'impersonation_not_allowed',
      'organization',
    );
  }
  const seconds = durationSeconds(duration)!;
  if (seconds > policy.maxSeconds) {
    throw new RuleViolationError(
      `${organization.slug} allows impersonation for at most ${policy.maxSeconds / 60} minutes`,
      'duration_too_long',
      'duration',
    );
  }
  return seconds;
}

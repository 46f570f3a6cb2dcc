import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { askedLevel, levelMet } from '../domain/mfa/sign-in-requirement.js';
import type { FederationResult } from './interactions.js';
import type { GrantAccessReader } from './organization-claims.js';

/** The organization chosen in this interaction (`null`: the user has none); absent if not yet. */
export interface OrganizationResult {
  id: string | null;
}

export function chosenOrganization(ctx: KoaContextWithOIDC): OrganizationResult | undefined {
  return (ctx.oidc.result as { organization?: OrganizationResult } | undefined)?.organization;
}

export function signedInThrough(ctx: KoaContextWithOIDC): string | null {
  return (ctx.oidc.result as { federation?: FederationResult } | undefined)?.federation?.connectionId ?? null;
}

/**
 * Whether an existing grant may serve this interaction: nothing chosen yet, or the organization
 * it speaks for is the one chosen (`null`: none) and the user signed in the way the grant
 * records (its `idp`). A grant never changes organization or connection.
 */
export async function grantServes(
  bindingOf: (
    grantId: string,
  ) => Promise<{ organizationId: string; connectionId?: string | null } | undefined>,
  grantId: string,
  chosen: OrganizationResult | undefined,
  connectionId: string | null,
): Promise<boolean> {
  if (chosen === undefined) return true;
  const binding = await bindingOf(grantId);
  return (binding?.organizationId ?? null) === chosen.id && (binding?.connectionId ?? null) === connectionId;
}

/**
 * Adds an `organization` prompt between login and consent. It asks for an interaction when the
 * session's grant for this client does not speak for the organization the application asked
 * for, when that grant's organization no longer admits the user, or when there is no grant yet
 * (the sign-in decides the organization, often without showing anything). A grant is never
 * moved to another organization: choosing another one makes a new grant (grant-loader.ts).
 */
export function interactionPolicyWithOrganization(readAccess: GrantAccessReader) {
  const policy = interactionPolicy.base();
  // Step-up: an application asking acr_values=urn:gatehouse:mfa (or phr) of a session that has not
  // reached that level gets the login prompt, where only the second factor is asked (http/mfa).
  policy.get('login')!.checks.add(
    new interactionPolicy.Check(
      'mfa_step_up',
      'a second factor is required',
      async (ctx: KoaContextWithOIDC) => {
        const level = askedLevel(String(ctx.oidc.params?.acr_values ?? '').split(' '));
        return (
          level !== undefined && ctx.oidc.session?.accountId !== undefined && !levelMet(ctx.oidc.acr, level)
        );
      },
    ),
  );
  const check = new interactionPolicy.Check(
    'organization_required',
    'the organization of this sign-in must be chosen',
    async (ctx: KoaContextWithOIDC) => {
      const { oidc } = ctx;
      if (!oidc.session?.accountId || chosenOrganization(ctx) !== undefined) return false;
      const grantId = oidc.session.grantIdFor(oidc.client!.clientId);
      const access = grantId ? await readAccess(ctx, grantId) : undefined;
      const requested = oidc.params?.organization as string | undefined;
      if (requested) {
        const matches = access && (access.organizationId === requested || access.slug === requested);
        return !matches || access.denied !== undefined;
      }
      if (!grantId) return true;
      return access?.denied !== undefined;
    },
  );
  policy.add(new interactionPolicy.Prompt({ name: 'organization', requestable: false }, check), 1);
  return policy;
}

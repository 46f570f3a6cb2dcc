import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OrganizationAccess } from '../domain/organizations/organization-access.js';
import { grantServes, type OrganizationResult } from './organization-prompt.js';
import type { OidcProvider } from './provider-factory.js';

type Req = IncomingMessage;
type Res = ServerResponse;

/** What the interaction pages need to know, free of oidc-provider types. */
export interface InteractionView {
  uid: string;
  prompt: 'login' | 'consent' | string;
  clientId: string;
  clientName: string | null;
  /** First-party clients are consented by the operator; the user is not asked. */
  firstParty: boolean;
  loginHint: string | null;
  missingScopes: string[];
  /** The signed-in user, once the login step is done. */
  accountId: string | null;
  /** The organization the application asked for (`organization` parameter), id or slug. */
  requestedOrganization: string | null;
}

/** The interaction steps the http routes drive; each maps onto one oidc-provider call. */
export interface Interactions {
  load(req: Req, res: Res): Promise<InteractionView>;
  /** `organization` when the sign-in could already decide it (see organization-selection.ts). */
  finishLogin(req: Req, res: Res, accountId: string, organization?: OrganizationResult): Promise<void>;
  finishOrganization(req: Req, res: Res, organization: OrganizationResult): Promise<void>;
  finishConsent(req: Req, res: Res): Promise<void>;
  abort(req: Req, res: Res, description: string): Promise<void>;
}

export function createInteractions(provider: () => OidcProvider, tenancy: OrganizationAccess): Interactions {
  const reusableGrant = async (grantId: string | undefined, organization: OrganizationResult | undefined) => {
    if (!grantId || !(await grantServes((id) => tenancy.forGrant(id), grantId, organization)))
      return undefined;
    return provider().Grant.find(grantId);
  };
  return {
    async load(req, res) {
      const details = await provider().interactionDetails(req, res);
      const client = await provider().Client.find(details.params.client_id as string);
      const missing = (details.prompt.details.missingOIDCScope as string[] | undefined) ?? [];
      return {
        uid: details.uid,
        prompt: details.prompt.name,
        clientId: details.params.client_id as string,
        clientName: client?.clientName ?? null,
        firstParty: client?.metadata().first_party === true,
        loginHint: (details.params.login_hint as string | undefined) ?? null,
        missingScopes: missing,
        accountId: details.session?.accountId ?? null,
        requestedOrganization: (details.params.organization as string | undefined) ?? null,
      };
    },
    async finishLogin(req, res, accountId, organization) {
      await provider().interactionFinished(
        req,
        res,
        { login: { accountId }, ...(organization ? { organization } : {}) },
        { mergeWithLastSubmission: false },
      );
    },
    async finishOrganization(req, res, organization) {
      await provider().interactionFinished(req, res, { organization }, { mergeWithLastSubmission: true });
    },
    async finishConsent(req, res) {
      const details = await provider().interactionDetails(req, res);
      const { prompt, params, session } = details;
      const organization = (details.result as { organization?: OrganizationResult } | undefined)
        ?.organization;
      // The session's grant speaks for one organization; consent for another makes a new grant.
      const existing = await reusableGrant(details.grantId, organization);
      const grant =
        existing ??
        new (provider().Grant)({ accountId: session!.accountId, clientId: params.client_id as string });
      const missingScope = prompt.details.missingOIDCScope as string[] | undefined;
      const missingClaims = prompt.details.missingOIDCClaims as string[] | undefined;
      const missingResource = prompt.details.missingResourceScopes as Record<string, string[]> | undefined;
      if (missingScope) grant.addOIDCScope(missingScope.join(' '));
      if (missingClaims) grant.addOIDCClaims(missingClaims);
      for (const [indicator, scopes] of Object.entries(missingResource ?? {})) {
        grant.addResourceScope(indicator, scopes.join(' '));
      }
      const grantId = await grant.save();
      if (!existing && organization?.id) {
        await tenancy.bindGrant({
          grantId,
          organizationId: organization.id,
          userId: session!.accountId,
          clientId: params.client_id as string,
        });
      }
      await provider().interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
    },
    async abort(req, res, description) {
      await provider().interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: description },
        { mergeWithLastSubmission: false },
      );
    },
  };
}

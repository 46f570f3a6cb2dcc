import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientExtra } from './client-metadata.js';
import type { OrganizationAccess } from '../domain/organizations/organization-access.js';
import type { SessionImpersonation, UpstreamSession } from '../domain/ports/sessions.js';
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
  /** Home realm hints from the application: a connection id and a domain. */
  connectionHint: string | null;
  domainHint: string | null;
  /** The organization owning the application, if one does. */
  clientOrganizationId: string | null;
  /** The `acr_values` the application asked for (step-up). */
  acrValues: string[];
  /** Why oidc-provider asks for this prompt (`mfa_step_up`: only a second factor is missing). */
  promptReasons: string[];
  /** How the session's user signed in last (`amr`), when a session exists. */
  sessionAmr: string[];
}

/** How the user proved who they are in this sign-in. */
export interface SignInMethod {
  /** RFC 8176 values for the ID token's `amr`. */
  amr: string[];
  /** The upstream connection (the `idp` claim); absent for a local sign-in. */
  connectionId?: string | undefined;
  /** The `acr` when the sign-in reached a level worth naming (a second factor). */
  acr?: string;
  /** The IdP's own session when the sign-in came through SAML: what Single Logout names. */
  upstream?: UpstreamSession | undefined;
  /** Set when a support operator signs in as the user; kept on the session's record. */
  impersonation?: SessionImpersonation | undefined;
  /** The risk assessment of this sign-in (domain/risk), named in its audit record. */
  riskAssessmentId?: string | undefined;
}

/** What a finished login leaves on the interaction beside oidc-provider's own `login`. */
export interface FederationResult {
  connectionId: string | null;
}

/** The interaction steps the http routes drive; each maps onto one oidc-provider call. */
export interface Interactions {
  load(req: Req, res: Res): Promise<InteractionView>;
  /** `organization` when the sign-in could already decide it (see organization-selection.ts). */
  finishLogin(
    req: Req,
    res: Res,
    accountId: string,
    method: SignInMethod,
    organization?: OrganizationResult,
  ): Promise<void>;
  finishOrganization(req: Req, res: Res, organization: OrganizationResult): Promise<void>;
  finishConsent(req: Req, res: Res): Promise<void>;
  /**
   * Ends the authorization request with an error for the application: `access_denied` unless
   * another code says more (e.g. `unmet_authentication_requirements`).
   */
  abort(req: Req, res: Res, description: string, error?: string): Promise<void>;
}

export function createInteractions(provider: () => OidcProvider, tenancy: OrganizationAccess): Interactions {
  const reusableGrant = async (
    grantId: string | undefined,
    organization: OrganizationResult | undefined,
    connectionId: string | null,
  ) => {
    if (!grantId || !(await grantServes((id) => tenancy.forGrant(id), grantId, organization, connectionId)))
      return undefined;
    return provider().Grant.find(grantId);
  };
  // One read of the interaction per request: the wrappers (audit, monthly actives, sessions) and
  // the page each ask for it. Dropped when the request finishes the interaction.
  const loaded = new WeakMap<Req, Promise<InteractionView>>();
  const finishing = (req: Req) => loaded.delete(req);
  const load = async (req: Req, res: Res): Promise<InteractionView> => {
    const details = await provider().interactionDetails(req, res);
    const client = await provider().Client.find(details.params.client_id as string);
    const missing = (details.prompt.details.missingOIDCScope as string[] | undefined) ?? [];
    return {
      uid: details.uid,
      prompt: details.prompt.name,
      clientId: details.params.client_id as string,
      clientName: client?.clientName ?? null,
      firstParty: clientExtra(client, 'first_party') === true,
      loginHint: (details.params.login_hint as string | undefined) ?? null,
      missingScopes: missing,
      accountId: details.session?.accountId ?? null,
      requestedOrganization: (details.params.organization as string | undefined) ?? null,
      connectionHint: (details.params.connection as string | undefined) ?? null,
      domainHint: (details.params.domain_hint as string | undefined) ?? null,
      clientOrganizationId: (clientExtra(client, 'organization_id') as string | undefined) ?? null,
      acrValues: String(details.params.acr_values ?? '')
        .split(' ')
        .filter(Boolean),
      promptReasons: details.prompt.reasons,
      sessionAmr: (details.session as { amr?: string[] } | undefined)?.amr ?? [],
    };
  };
  return {
    load(req, res) {
      let view = loaded.get(req);
      if (!view) {
        view = load(req, res);
        loaded.set(req, view);
        view.catch(() => loaded.delete(req));
      }
      return view;
    },
    async finishLogin(req, res, accountId, method, organization) {
      finishing(req);
      const federation: FederationResult = { connectionId: method.connectionId ?? null };
      await provider().interactionFinished(
        req,
        res,
        {
          login: { accountId, amr: method.amr, ...(method.acr ? { acr: method.acr } : {}) },
          federation,
          ...(organization ? { organization } : {}),
        },
        { mergeWithLastSubmission: false },
      );
    },
    async finishOrganization(req, res, organization) {
      finishing(req);
      await provider().interactionFinished(req, res, { organization }, { mergeWithLastSubmission: true });
    },
    async finishConsent(req, res) {
      finishing(req);
      const details = await provider().interactionDetails(req, res);
      const { prompt, params, session } = details;
      const result = details.result as
        { organization?: OrganizationResult; federation?: FederationResult } | undefined;
      const organization = result?.organization;
      const connectionId = result?.federation?.connectionId ?? null;
      // The session's grant speaks for one organization; consent for another makes a new grant.
      const existing = await reusableGrant(details.grantId, organization, connectionId);
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
          connectionId,
        });
      }
      await provider().interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
    },
    async abort(req, res, description, error = 'access_denied') {
      finishing(req);
      await provider().interactionFinished(
        req,
        res,
        { error, error_description: description },
        { mergeWithLastSubmission: false },
      );
    },
  };
}

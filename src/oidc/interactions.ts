import type { IncomingMessage, ServerResponse } from 'node:http';
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
}

/** The interaction steps the http routes drive; each maps onto one oidc-provider call. */
export interface Interactions {
  load(req: Req, res: Res): Promise<InteractionView>;
  finishLogin(req: Req, res: Res, accountId: string): Promise<void>;
  finishConsent(req: Req, res: Res): Promise<void>;
  abort(req: Req, res: Res, description: string): Promise<void>;
}

export function createInteractions(provider: () => OidcProvider): Interactions {
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
      };
    },
    async finishLogin(req, res, accountId) {
      await provider().interactionFinished(
        req,
        res,
        { login: { accountId } },
        { mergeWithLastSubmission: false },
      );
    },
    async finishConsent(req, res) {
      const details = await provider().interactionDetails(req, res);
      const { prompt, params, session, grantId: existing } = details;
      const grant = existing
        ? await provider().Grant.find(existing)
        : new (provider().Grant)({ accountId: session!.accountId, clientId: params.client_id as string });
      if (!grant) throw new Error('grant vanished during consent');
      const missingScope = prompt.details.missingOIDCScope as string[] | undefined;
      const missingClaims = prompt.details.missingOIDCClaims as string[] | undefined;
      const missingResource = prompt.details.missingResourceScopes as Record<string, string[]> | undefined;
      if (missingScope) grant.addOIDCScope(missingScope.join(' '));
      if (missingClaims) grant.addOIDCClaims(missingClaims);
      for (const [indicator, scopes] of Object.entries(missingResource ?? {})) {
        grant.addResourceScope(indicator, scopes.join(' '));
      }
      const grantId = await grant.save();
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

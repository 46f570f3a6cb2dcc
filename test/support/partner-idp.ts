import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';
import type { AdminApi } from './admin-api.js';
import { freePort } from './free-port.js';

/**
 * A partner's OpenID Provider (the role Entra ID or Okta play): a second, bare oidc-provider on
 * its own port. Its sign-in page is one form taking the account id; the accounts and their
 * claims are the test's. Consent is implied. Cookie names differ from Gatehouse's because
 * browsers share cookies between ports of one host.
 */
export interface PartnerIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Claims per account id, changeable between sign-ins (IdP-side attribute changes). */
  accounts: Map<string, Record<string, unknown>>;
  /** The `amr` the next sign-ins report. */
  amr: string[];
  /** How many sign-ins the partner completed. */
  signIns: number;
  stop(): Promise<void>;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function loginForm(res: ServerResponse, uid: string, loginHint: string) {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(
    `<!doctype html><title>Partner sign-in</title><form method="post" action="/interaction/${uid}/login">` +
      `<input name="login" value="${loginHint.replace(/"/g, '')}"><button>Sign in</button></form>`,
  );
}

async function configuration(
  redirectUris: string[],
  clientId: string,
  clientSecret: string,
  idp: PartnerIdp,
  jwksUri: string | undefined,
): Promise<Configuration> {
  const key = await generateKeyPair('RS256', { extractable: true });
  // With jwksUri, Gatehouse authenticates with private_key_jwt, signed by a key that URI publishes.
  const authentication = jwksUri
    ? { token_endpoint_auth_method: 'private_key_jwt' as const, jwks_uri: jwksUri }
    : { client_secret: clientSecret };
  return {
    clients: [
      {
        client_id: clientId,
        ...authentication,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: {
      keys: [{ ...(await exportJWK(key.privateKey)), kid: 'partner', alg: 'RS256', use: 'sig' }] as never,
    },
    cookies: {
      keys: [randomBytes(32).toString('base64url')],
      names: { session: '_partner_session', interaction: '_partner_interaction', resume: '_partner_resume' },
    } as never,
    claims: {
      openid: ['sub', 'amr'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'dept'],
    },
    // The partner puts every claim of the account in the ID token, as Entra does for its own.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    findAccount: async (_ctx, sub) => {
      const claims = idp.accounts.get(sub);
      return claims ? { accountId: sub, claims: async () => ({ ...claims, sub }) } : undefined;
    },
  };
}

/** Where the partner will listen and the client it will know Gatehouse as, before it starts. */
export interface PartnerPlan {
  port: number;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** The connection has to exist (its id is in the redirect URI) before the partner can start. */
export async function planPartnerIdp(): Promise<PartnerPlan> {
  const port = await freePort();
  return {
    port,
    issuer: `http://127.0.0.1:${port}`,
    clientId: `gatehouse-${randomBytes(4).toString('hex')}`,
    clientSecret: randomBytes(24).toString('base64url'),
  };
}

/** Starts the partner IdP as planned, registering Gatehouse's callback(s) for its client. */
export async function startPartnerIdp(
  plan: PartnerPlan,
  redirectUris: string[],
  options: { jwksUri?: string } = {},
): Promise<PartnerIdp> {
  const listenPort = plan.port;
  const issuer = plan.issuer;
  const idp: PartnerIdp = {
    issuer,
    clientId: plan.clientId,
    clientSecret: plan.clientSecret,
    accounts: new Map(),
    amr: ['pwd'],
    signIns: 0,
    stop: async () => undefined,
  };
  const provider = new Provider(
    issuer,
    await configuration(redirectUris, idp.clientId, idp.clientSecret, idp, options.jwksUri),
  );
  const callback = provider.callback();
  const server: Server = createServer((req, res) => {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(req.url?.split('?')[0] ?? '');
    const handle = async () => {
      if (!match) return callback(req, res);
      const details = await provider.interactionDetails(req, res);
      if (!match[2]) return loginForm(res, details.uid, String(details.params.login_hint ?? ''));
      const accountId = (await readForm(req)).get('login') ?? '';
      if (!idp.accounts.has(accountId)) {
        return provider.interactionFinished(req, res, {
          error: 'access_denied',
          error_description: 'unknown account',
        });
      }
      idp.signIns += 1;
      return provider.interactionFinished(
        req,
        res,
        { login: { accountId, amr: idp.amr } },
        { mergeWithLastSubmission: false },
      );
    };
    handle().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
  idp.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return idp;
}

/**
 * A new partner IdP connected to an organization: the OIDC connection made through the admin API
 * (`settings` adds to or replaces its members; an undefined member is left out), then the
 * partner started with that connection's callback as its client's redirect URI. With `jwksUri`
 * the partner expects private_key_jwt and the connection sends no client secret.
 */
export async function connectPartnerIdp(
  api: AdminApi,
  issuer: string,
  organizationId: string,
  settings: Record<string, unknown> = {},
  options: { jwksUri?: string } = {},
): Promise<{ partner: PartnerIdp; connectionId: string }> {
  const plan = await planPartnerIdp();
  const secret = options.jwksUri
    ? { token_endpoint_auth_method: 'private_key_jwt' }
    : { client_secret: plan.clientSecret };
  const connection = await api.expect(201, `/organizations/${organizationId}/connections`, {
    method: 'POST',
    json: {
      key: 'partner',
      type: 'oidc',
      issuer: plan.issuer,
      client_id: plan.clientId,
      ...secret,
      ...settings,
    },
  });
  const connectionId = connection.id as string;
  const partner = await startPartnerIdp(plan, [`${issuer}/sso/oidc/${connectionId}/callback`], options);
  return { partner, connectionId };
}

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import samlp from 'samlp';
import { fixtureKey, IDP_ENTITY_ID } from '../federation/saml/support/saml-context.js';
import { readForm } from './html-form.js';

/**
 * A partner's SAML IdP (the role Okta or ADFS play) played by samlp, a real IdP library: it
 * answers the AuthnRequest Gatehouse redirects the browser with, or sends an unsolicited
 * response, signed with the committed test IdP key, for any user the test names.
 */
export interface SamlUser {
  nameId: string;
  email: string;
  /** Extra attributes, by their SAML names. */
  attributes?: Record<string, string | string[]>;
  /** The IdP session the assertion names (AuthnStatement SessionIndex), for Single Logout. */
  sessionIndex?: string;
}

export const SAML_EMAIL = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
export const SAML_IDP_ENTITY_ID = IDP_ENTITY_ID;
export const samlIdpCertificate = () => fixtureKey('idp').certificate;

function options(acsUrl: string, spEntityId: string, user: SamlUser) {
  const idp = fixtureKey('idp');
  return {
    issuer: IDP_ENTITY_ID,
    cert: idp.certificate,
    key: idp.privateKey,
    audience: spEntityId,
    recipient: acsUrl,
    destination: acsUrl,
    signatureAlgorithm: 'rsa-sha256',
    digestAlgorithm: 'sha256',
    getPostURL: (_a: unknown, _r: unknown, _q: unknown, callback: (e: null, url: string) => void) =>
      callback(null, acsUrl),
    getUserFromRequest: () => user,
    ...(user.sessionIndex ? { sessionIndex: user.sessionIndex } : {}),
    profileMapper: () => ({
      getClaims: () => ({ [SAML_EMAIL]: user.email, ...user.attributes }),
      getNameIdentifier: () => ({ nameIdentifier: user.nameId }),
    }),
  };
}

/** The IdP's answer to the AuthnRequest in `redirectUrl`: the fields of the form it posts to the ACS. */
export function answerAuthnRequest(
  redirectUrl: string,
  acsUrl: string,
  spEntityId: string,
  user: SamlUser,
): Promise<Record<string, string>> {
  const query = Object.fromEntries(new URL(redirectUrl).searchParams);
  return new Promise((resolve, reject) => {
    const res = {
      set: () => res,
      send: (body: unknown) =>
        typeof body === 'string'
          ? resolve(readForm(body, acsUrl, acsUrl).fields)
          : reject(new Error(`samlp answered ${String(body)}`)),
    };
    samlp.auth(options(acsUrl, spEntityId, user))({ method: 'GET', query, body: {} }, res, (error) =>
      reject(error instanceof Error ? error : new Error(String(error))),
    );
  });
}

/** An unsolicited (IdP-initiated) response, base64 as the ACS form carries it. */
export function unsolicitedResponse(acsUrl: string, spEntityId: string, user: SamlUser): Promise<string> {
  return new Promise((resolve, reject) =>
    samlp.getSamlResponse(options(acsUrl, spEntityId, user), user as never, (error, response) =>
      error || !response
        ? reject(error ?? new Error('no response'))
        : resolve(Buffer.from(response).toString('base64')),
    ),
  );
}

/** An SP session at the IdP, as samlp's session participants hold it (samlp/lib/sessionParticipants). */
export interface SessionParticipant {
  /** The SP's entity ID. */
  serviceProviderId: string;
  nameId: string;
  nameIdFormat?: string;
  sessionIndex: string;
  /** The SP's SingleLogoutService. */
  serviceProviderLogoutURL: string;
  /** The SP's signing certificate: samlp verifies the SP's logout messages with it. */
  cert: string;
  binding?: string;
}

/** What samlp made of a LogoutResponse an SP sent it (it verified the signature first). */
export interface ReceivedLogoutResponse {
  status?: string;
  issuer?: string;
}

export interface SamlIdpServer {
  /** e.g. http://127.0.0.1:PORT */
  url: string;
  ssoUrl: string;
  /** samlp's logout endpoint: SP-initiated requests, SP responses, and GET alone starts IdP-initiated logout. */
  logoutUrl: string;
  /** samlp's IdP metadata, naming its SSO and SingleLogoutService endpoints. */
  metadata(): Promise<string>;
  /** An SP the user signed in to, for samlp to log out. */
  addParticipant(participant: SessionParticipant): void;
  participants(): SessionParticipant[];
  /** LogoutResponses samlp accepted, in order. */
  logoutResponses: ReceivedLogoutResponse[];
  /** Errors samlp reported (a bad signature, an unknown session participant...). */
  errors: string[];
  close(): Promise<void>;
}

export const BINDING = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;

type SamlpMiddleware = (req: unknown, res: unknown, next: (error?: unknown) => void) => void;
type Participants = {
  _participants: SessionParticipant[];
};
const require = createRequire(import.meta.url);
const SessionParticipants = require('samlp/lib/sessionParticipants') as new (
  sessions: SessionParticipant[],
) => Participants;
const samlpLogout = (samlp as unknown as { logout(options: Record<string, unknown>): SamlpMiddleware })
  .logout;

/**
 * The partner IdP as an HTTP server with samlp's Single Logout (samlp/lib/logout.js): it logs the
 * user out of every session participant with signed LogoutRequests and answers an SP's own
 * LogoutRequest with a signed LogoutResponse, in `options.binding` (HTTP-Redirect by default).
 */
export async function startSamlIdp(
  options: {
    binding?: keyof typeof BINDING;
    /** samlp then answers an SP's LogoutRequest with PartialLogout (it could not end its own session). */
    failOwnLogout?: boolean;
  } = {},
): Promise<SamlIdpServer> {
  const idp = fixtureKey('idp');
  const participants = new SessionParticipants([]);
  const states = new Map<string, unknown>();
  const logoutResponses: ReceivedLogoutResponse[] = [];
  const errors: string[] = [];
  const middleware = samlpLogout({
    issuer: IDP_ENTITY_ID,
    cert: idp.certificate,
    key: idp.privateKey,
    deflate: true,
    protocolBinding: BINDING[options.binding ?? 'redirect'],
    clearIdPSession: (done: (error?: Error) => void) =>
      done(options.failOwnLogout ? new Error('the IdP session could not be ended') : undefined),
    sessionParticipants: participants,
    // samlp keeps a logout's progress in this store (flowstate's shape), keyed by RelayState.
    store: {
      save: (_req: unknown, state: unknown, done: (e: null, handle: string) => void) => {
        const handle = randomUUID();
        states.set(handle, state);
        done(null, handle);
      },
      load: (_req: unknown, handle: string, ...rest: unknown[]) => {
        const done = rest.pop() as (e: null, state: unknown) => void;
        const { destroy } = (rest[0] ?? {}) as { destroy?: boolean };
        const state = states.get(handle);
        if (destroy) states.delete(handle);
        done(null, state);
      },
      update: (_req: unknown, handle: string, state: unknown, done: (e: null) => void) => {
        states.set(handle, state);
        done(null);
      },
    },
  });
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const target = new URL(req.url ?? '/', url);
    if (target.pathname !== '/logout') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    const request: Record<string, unknown> = {
      method: req.method,
      query: Object.fromEntries(target.searchParams),
      body,
      headers: req.headers,
    };
    const record = () => {
      const parsed = request.parsedSAMLResponse as ReceivedLogoutResponse | undefined;
      if (parsed) logoutResponses.push({ status: parsed.status, issuer: parsed.issuer });
    };
    const response = {
      set: (name: string, value: string) => (res.setHeader(name, value), response),
      send: (content: unknown) => {
        record();
        if (typeof content === 'number') res.writeHead(content).end();
        else res.writeHead(200, { 'content-type': 'text/html' }).end(String(content));
      },
      redirect: (location: string) => {
        record();
        res.writeHead(302, { location }).end();
      },
    };
    middleware(request, response, (error) => {
      errors.push(error instanceof Error ? error.message : String(error));
      res.writeHead(500).end();
    });
  }

  return {
    url,
    ssoUrl: `${url}/sso`,
    logoutUrl: `${url}/logout`,
    metadata: () =>
      new Promise((resolve) => {
        const res = { set: () => res, send: (body: string) => resolve(body) };
        samlp.metadata({
          issuer: IDP_ENTITY_ID,
          cert: idp.certificate,
          redirectEndpointPath: '/sso',
          postEndpointPath: '/sso',
          logoutEndpointPaths: { redirect: '/logout', post: '/logout' },
        })(
          {
            originalUrl: '/FederationMetadata/2007-06/FederationMetadata.xml',
            headers: { host: new URL(url).host },
            protocol: 'http',
          },
          res,
          () => undefined,
        );
      }),
    addParticipant: (participant) => participants._participants.push(participant),
    participants: () => [...participants._participants],
    logoutResponses,
    errors,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

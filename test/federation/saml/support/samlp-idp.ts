import { createPublicKey } from 'node:crypto';
import samlp from 'samlp';
import { readForm } from '../../../support/html-form.js';
import { fixtureKey, IDP_ENTITY_ID } from './saml-context.js';

/** A user as samlp's default profile mapper (Passport.js profiles) expects it. */
export const ADA = {
  id: 'ada-0001',
  displayName: 'Ada Lovelace',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ value: 'ada@example.test' }],
};

const EMAIL_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
export { EMAIL_CLAIM };

export interface SamlpOptions {
  acsUrl: string;
  spEntityId: string;
  /** The SP certificate: samlp then requires and verifies the AuthnRequest's redirect signature. */
  verifyRequestWith?: string;
  /** Encrypt the assertion for the SP certificate. */
  encryptFor?: string;
  signResponse?: boolean;
  authnContextClassRef?: string;
}

function idpOptions(options: SamlpOptions): Record<string, unknown> {
  const idp = fixtureKey('idp');
  return {
    issuer: IDP_ENTITY_ID,
    cert: idp.certificate,
    key: idp.privateKey,
    audience: options.spEntityId,
    recipient: options.acsUrl,
    destination: options.acsUrl,
    getPostURL: (
      _audience: unknown,
      _request: unknown,
      _req: unknown,
      callback: (e: null, url: string) => void,
    ) => callback(null, options.acsUrl),
    getUserFromRequest: () => ADA,
    signResponse: options.signResponse ?? false,
    ...(options.verifyRequestWith ? { signingCert: options.verifyRequestWith } : {}),
    ...(options.authnContextClassRef ? { authnContextClassRef: options.authnContextClassRef } : {}),
    ...(options.encryptFor
      ? {
          encryptionCert: options.encryptFor,
          encryptionPublicKey: createPublicKey(options.encryptFor).export({ type: 'spki', format: 'pem' }),
        }
      : {}),
  };
}

/**
 * samlp (a real SAML IdP) answering an AuthnRequest URL the SP produced: the redirect's query is
 * handed to samlp's auth middleware, which parses (and, with `verifyRequestWith`, verifies) the
 * request and renders the auto-submit form a browser would post back to the ACS.
 */
export function answerAuthnRequest(url: string, options: SamlpOptions): Promise<Record<string, string>> {
  const query = Object.fromEntries(new URL(url).searchParams);
  return new Promise((resolve, reject) => {
    const res = {
      set: () => res,
      send: (body: unknown) =>
        typeof body === 'string'
          ? resolve(readForm(body, options.acsUrl, options.acsUrl).fields)
          : reject(new Error(`samlp answered ${String(body)}`)),
    };
    samlp.auth(idpOptions(options))({ method: 'GET', query, body: {} }, res, (error) =>
      reject(error instanceof Error ? error : new Error(String(error))),
    );
  });
}

/** An unsolicited (IdP-initiated) response from samlp, base64 as the form carries it. */
export function unsolicitedResponse(options: SamlpOptions): Promise<string> {
  return new Promise((resolve, reject) =>
    samlp.getSamlResponse(idpOptions(options), ADA, (error, response) =>
      error || !response
        ? reject(error ?? new Error('no response'))
        : resolve(Buffer.from(response).toString('base64')),
    ),
  );
}

/** samlp's IdP metadata document for the given key, SSO endpoint and entity ID. */
export function samlpMetadata(ssoUrl: string, certificate = fixtureKey('idp').certificate): Promise<string> {
  const url = new URL(ssoUrl);
  return new Promise((resolve) => {
    const res = { set: () => res, send: (body: string) => resolve(body) };
    samlp.metadata({
      issuer: IDP_ENTITY_ID,
      cert: certificate,
      redirectEndpointPath: url.pathname,
      postEndpointPath: url.pathname,
    })(
      {
        originalUrl: '/FederationMetadata/2007-06/FederationMetadata.xml',
        headers: { host: url.host, 'x-forwarded-proto': url.protocol.slice(0, -1) },
        protocol: url.protocol.slice(0, -1),
      },
      res,
      () => undefined,
    );
  });
}

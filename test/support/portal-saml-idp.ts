import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateRawSync } from 'node:zlib';
import samlp from 'samlp';
import { fixtureKey, IDP_ENTITY_ID } from '../federation/saml/support/saml-context.js';
import { answerAuthnRequest, type SamlUser } from './saml-partner.js';

/**
 * A partner's SAML IdP over HTTP, as an administrator sets one up: it publishes its metadata at
 * /metadata, and its sign-in page at /sso answers any SP's AuthnRequest (HTTP-Redirect binding)
 * for `user` with a signed response, auto-posted to that SP's ACS (its entity ID + `/acs`, as
 * Gatehouse names them). samlp signs with the committed test IdP key.
 */
export interface PortalSamlIdp {
  url: string;
  metadataUrl: string;
  /** Who the next sign-in is. */
  user: SamlUser;
  /** AuthnRequests answered. */
  signIns: number;
  close(): Promise<void>;
}

const issuerOf = (samlRequest: string) => {
  const xml = inflateRawSync(Buffer.from(samlRequest, 'base64')).toString('utf8');
  return /<(?:saml2?:)?Issuer[^>]*>([^<]+)</.exec(xml)?.[1] ?? '';
};

function metadata(url: string): Promise<string> {
  return new Promise((resolve) => {
    const res = { set: () => res, send: (body: string) => resolve(body) };
    samlp.metadata({
      issuer: IDP_ENTITY_ID,
      cert: fixtureKey('idp').certificate,
      redirectEndpointPath: '/sso',
    })(
      { originalUrl: '/metadata', headers: { host: new URL(url).host }, protocol: 'http' },
      res,
      () => undefined,
    );
  });
}

export async function startPortalSamlIdp(user: SamlUser): Promise<PortalSamlIdp> {
  const idp: PortalSamlIdp = { url: '', metadataUrl: '', user, signIns: 0, close: async () => undefined };
  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', idp.url);
    const answer = async () => {
      if (target.pathname === '/metadata') {
        res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(await metadata(idp.url));
        return;
      }
      if (target.pathname !== '/sso') return void res.writeHead(404).end();
      const entityId = issuerOf(target.searchParams.get('SAMLRequest') ?? '');
      const fields = await answerAuthnRequest(target.href, `${entityId}/acs`, entityId, idp.user);
      idp.signIns += 1;
      const inputs = Object.entries(fields)
        .map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`)
        .join('');
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          `<!doctype html><title>Partner IdP</title><form method="post" action="${entityId}/acs">${inputs}</form>` +
            '<script>document.forms[0].submit()</script>',
        );
    };
    answer().catch((error: Error) => res.writeHead(500).end(error.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  idp.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  idp.metadataUrl = `${idp.url}/metadata`;
  idp.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return idp;
}

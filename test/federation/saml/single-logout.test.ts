import { createVerify, X509Certificate } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import type { ReceivedLogout } from '../../../src/federation/saml/single-logout-receive.js';
import { deleteRedisKeys } from '../../support/redis-cleanup.js';
import { testRedisUrl, uniqueRedisPrefix } from '../../support/services.js';
import { expectRejection } from './support/expect-rejection.js';
import {
  IDP_SLO_URL,
  idpLogoutRequest,
  idpLogoutResponse,
  postForm,
  redirectQuery,
  sentXml,
  SUCCESS,
} from './support/idp-logout.js';
import { openRedis } from '../../../src/data/redis/index.js';
import { samlSettingsSchema } from '../../../src/domain/organizations/connection-input.js';
import { parseIdpMetadata } from '../../../src/federation/saml/index.js';
import { CONNECTION_ID, fixtureKey, IDP_ENTITY_ID, samlConnection, testSp } from './support/saml-context.js';

const P = 'urn:oasis:names:tc:SAML:2.0:protocol';
const A = 'urn:oasis:names:tc:SAML:2.0:assertion';
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const REQUESTER = 'urn:oasis:names:tc:SAML:2.0:status:Requester';
const RESPONDER = 'urn:oasis:names:tc:SAML:2.0:status:Responder';
const DENIED = 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied';
const SUBJECT = {
  nameId: 'okta|ada',
  nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  sessionIndex: 'idx-1',
};

const derOf = (pem: string) => new X509Certificate(pem).raw.toString('base64');
const child = (element: Element, ns: string, name: string) => element.getElementsByTagNameNS(ns, name)[0];

/** An SP on a fake clock with a connection whose IdP has a SingleLogoutService. */
function setup(settings: Record<string, unknown> = {}) {
  const t = testSp();
  const connection = samlConnection({ idp_slo_url: IDP_SLO_URL, ...settings });
  const sloUrl = t.sp.sloUrl(CONNECTION_ID);
  const get = (rawQuery: string) => t.sp.receiveLogout(connection, { method: 'GET', rawQuery });
  const post = (form: Record<string, string>) => t.sp.receiveLogout(connection, { method: 'POST', form });
  return { ...t, connection, sloUrl, get, post };
}

/** A LogoutRequest of ours and the InResponseTo that answers it. */
async function sent(t: ReturnType<typeof setup>, state = 'state-1') {
  const message = await t.sp.startLogout(t.connection, SUBJECT, state);
  return { message, id: sentXml(message).document.getAttribute('ID')! };
}

function refused(received: ReceivedLogout) {
  if (received.kind !== 'refused_request')
    throw new Error(`expected a refused request, got ${received.kind}`);
  return received;
}

describe('SAML Single Logout: SP metadata', () => {
  it('publishes a SingleLogoutService per browser binding and the signing key, when the IdP has one', () => {
    const t = setup();
    const doc = new DOMParser().parseFromString(t.sp.metadata(t.connection), 'text/xml');
    const services = Array.from(doc.getElementsByTagNameNS(MD, 'SingleLogoutService'));
    expect(services.map((s) => [s.getAttribute('Binding'), s.getAttribute('Location')])).toEqual([
      ['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', t.sloUrl],
      ['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', t.sloUrl],
    ]);
    const descriptor = doc.getElementsByTagNameNS(MD, 'SPSSODescriptor')[0]!;
    expect(descriptor.getAttribute('AuthnRequestsSigned')).toBe('false');
    const keys = Array.from(doc.getElementsByTagNameNS(MD, 'KeyDescriptor'));
    expect(keys.map((key) => key.getAttribute('use')).sort()).toEqual(['encryption', 'signing']);
    // Metadata §2.4.2: SingleLogoutService comes before AssertionConsumerService.
    const order = Array.from(descriptor.childNodes)
      .filter((node) => node.nodeType === 1)
      .map((node) => (node as Element).localName);
    expect(order.lastIndexOf('SingleLogoutService')).toBeLessThan(order.indexOf('AssertionConsumerService'));
  });

  it('publishes none when Single Logout is switched off or the IdP has no endpoint', () => {
    for (const connection of [
      samlConnection({ idp_slo_url: IDP_SLO_URL, single_logout: false }),
      samlConnection(),
    ]) {
      const { sp } = testSp();
      expect(sp.singleLogout(connection)).toBe(false);
      expect(sp.metadata(connection)).not.toContain('SingleLogoutService');
    }
  });

  it('takes the endpoints from IdP metadata, and idp_slo_url over them', async () => {
    const metadata = {
      entityId: IDP_ENTITY_ID,
      ssoRedirectUrl: 'https://idp.example.test/sso',
      certificates: [fixtureKey('idp').certificate],
      fetchedAt: new Date().toISOString(),
      singleLogoutServices: [
        { binding: 'post', location: 'https://idp.example.test/slo-post' },
        {
          binding: 'redirect',
          location: 'https://idp.example.test/slo-in',
          responseLocation: 'https://idp.example.test/slo-done',
        },
      ],
    };
    const t = testSp();
    const destination = async (connection: ReturnType<typeof samlConnection>) =>
      sentXml(await t.sp.startLogout(connection, SUBJECT, 's')).document.getAttribute('Destination');
    expect(await destination(samlConnection({}, metadata))).toBe('https://idp.example.test/slo-in');
    expect(await destination(samlConnection({ slo_binding: 'post' }, metadata))).toBe(
      'https://idp.example.test/slo-post',
    );
    expect(await destination(samlConnection({ idp_slo_url: IDP_SLO_URL }, metadata))).toBe(IDP_SLO_URL);
    expect(t.sp.singleLogout(samlConnection({ single_logout: false }, metadata))).toBe(false);

    // Answers go to the ResponseLocation (Metadata §2.2.2).
    const connection = samlConnection({}, metadata);
    const query = redirectQuery(
      idpLogoutRequest({ destination: t.sp.sloUrl(CONNECTION_ID), issueInstant: t.now() }),
    );
    const received = await t.sp.receiveLogout(connection, { method: 'GET', rawQuery: query });
    if (received.kind !== 'request') throw new Error(`expected a request, got ${received.kind}`);
    const response = received.respond({ code: SUCCESS });
    expect(sentXml(response).document.getAttribute('Destination')).toBe('https://idp.example.test/slo-done');
  });

  it('reads SingleLogoutService from IdP metadata, leaving out other bindings and non-https URLs', () => {
    const der = fixtureKey('idp').certificate.replace(/-----[A-Z ]+-----|\s+/g, '');
    const service = (binding: string, location: string, response = '') =>
      `<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:${binding}" Location="${location}"${response}/>`;
    const xml =
      `<EntityDescriptor xmlns="${MD}" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${IDP_ENTITY_ID}">` +
      `<IDPSSODescriptor protocolSupportEnumeration="${P}">` +
      `<KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${der}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>` +
      service('SOAP', 'https://idp.example.test/soap') +
      service('HTTP-Redirect', 'http://idp.example.test/plain') +
      service(
        'HTTP-Redirect',
        'https://idp.example.test/slo',
        ' ResponseLocation="https://idp.example.test/done"',
      ) +
      service('HTTP-POST', 'https://idp.example.test/slo-post') +
      `<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/sso"/>` +
      `</IDPSSODescriptor></EntityDescriptor>`;
    expect(parseIdpMetadata(xml).singleLogoutServices).toEqual([
      {
        binding: 'redirect',
        location: 'https://idp.example.test/slo',
        responseLocation: 'https://idp.example.test/done',
      },
      { binding: 'post', location: 'https://idp.example.test/slo-post' },
    ]);
  });
});

describe('SAML Single Logout: SP-initiated LogoutRequest', () => {
  it('goes by HTTP-Redirect, signed over the query with the SP key (Bindings §3.4.4.1)', async () => {
    const t = setup();
    const { message, id } = await sent(t);
    expect(message.binding).toBe('redirect');
    if (message.binding !== 'redirect') return;
    expect(message.url.startsWith(`${IDP_SLO_URL}?SAMLRequest=`)).toBe(true);
    const query = new URL(message.url).search.slice(1);
    const signed = query
      .split('&')
      .filter((pair) => /^(SAMLRequest|RelayState|SigAlg)=/.test(pair))
      .join('&');
    const signature = decodeURIComponent(query.match(/Signature=([^&]+)/)![1]!);
    expect(new URL(message.url).searchParams.get('SigAlg')).toBe(
      'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    );
    expect(
      createVerify('sha256').update(signed).verify(t.connection.spCertificate, signature, 'base64'),
    ).toBe(true);

    const request = sentXml(message).document;
    expect([request.namespaceURI, request.localName]).toEqual([P, 'LogoutRequest']);
    expect(id).toMatch(/^_[0-9a-f]{40}$/);
    expect(request.getAttribute('Destination')).toBe(IDP_SLO_URL);
    expect(Date.parse(request.getAttribute('NotOnOrAfter')!)).toBeGreaterThan(t.now().getTime());
    expect(child(request, A, 'Issuer')!.textContent).toBe(t.sp.spEntityId(CONNECTION_ID));
    const nameId = child(request, A, 'NameID')!;
    expect([nameId.textContent, nameId.getAttribute('Format')]).toEqual([
      SUBJECT.nameId,
      SUBJECT.nameIdFormat,
    ]);
    expect(child(request, P, 'SessionIndex')!.textContent).toBe('idx-1');
  });

  it('goes by HTTP-POST with an enveloped signature when the connection says so', async () => {
    const t = setup({ slo_binding: 'post' });
    const { message } = await sent(t);
    expect(message).toMatchObject({ binding: 'post', url: IDP_SLO_URL });
    if (message.binding !== 'post') return;
    const { xml, document } = sentXml(message);
    const signature = document.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0]!;
    expect(signature.parentNode).toBe(document);
    const verifier = new SignedXml({ publicCert: t.connection.spCertificate });
    verifier.loadSignature(signature);
    expect(verifier.checkSignature(xml)).toBe(true);
    expect(xml).toContain('rsa-sha256');
  });

  it('is refused for a connection without Single Logout', async () => {
    const { sp } = testSp();
    await expectRejection(sp.startLogout(samlConnection(), SUBJECT, 's'), 'idp_unavailable');
  });
});

describe('SAML Single Logout: the IdP’s LogoutResponse', () => {
  const answer = (t: ReturnType<typeof setup>, inResponseTo: string, overrides = {}) =>
    idpLogoutResponse({ destination: t.sloUrl, inResponseTo, issueInstant: t.now(), ...overrides });

  it('is accepted by HTTP-Redirect and HTTP-POST, once, giving back the state sent', async () => {
    const t = setup();
    const first = await sent(t, 'continue-here');
    expect(await t.get(redirectQuery(answer(t, first.id)))).toEqual({
      kind: 'response',
      state: 'continue-here',
      status: { code: SUCCESS, detail: undefined },
      success: true,
    });
    await expectRejection(t.get(redirectQuery(answer(t, first.id))), 'replayed_request');
    const second = await sent(t, 'by-post');
    expect(await t.post(postForm(answer(t, second.id)))).toMatchObject({ state: 'by-post', success: true });
  });

  it('reports an error status as a failure, after verifying it', async () => {
    const t = setup();
    const { id } = await sent(t);
    const received = await t.get(redirectQuery(answer(t, id, { status: RESPONDER })));
    expect(received).toMatchObject({ kind: 'response', success: false, status: { code: RESPONDER } });
  });

  it.each([
    [
      'unsigned (Redirect)',
      (t: ReturnType<typeof setup>, id: string) => t.get(redirectQuery(answer(t, id), { key: null })),
      'signature_missing',
    ],
    [
      'unsigned (POST)',
      (t: ReturnType<typeof setup>, id: string) => t.post(postForm(answer(t, id), { key: null })),
      'signature_missing',
    ],
    [
      'signed by another key (Redirect)',
      (t: ReturnType<typeof setup>, id: string) =>
        t.get(redirectQuery(answer(t, id), { key: fixtureKey('attacker') })),
      'signature_invalid',
    ],
    [
      'signed by another key (POST)',
      (t: ReturnType<typeof setup>, id: string) =>
        t.post(postForm(answer(t, id), { key: fixtureKey('attacker') })),
      'signature_invalid',
    ],
    [
      'SHA-1 (Redirect)',
      (t: ReturnType<typeof setup>, id: string) => t.get(redirectQuery(answer(t, id), { sha1: true })),
      'sha1_refused',
    ],
    [
      'SHA-1 (POST)',
      (t: ReturnType<typeof setup>, id: string) => t.post(postForm(answer(t, id), { sha1: true })),
      'sha1_refused',
    ],
    [
      'for another Destination',
      (t: ReturnType<typeof setup>, id: string) =>
        t.get(redirectQuery(answer(t, id, { destination: 'https://other.example.test/slo' }))),
      'destination_mismatch',
    ],
    [
      'without Destination',
      (t: ReturnType<typeof setup>, id: string) => t.get(redirectQuery(answer(t, id, { destination: null }))),
      'destination_mismatch',
    ],
    [
      'from another Issuer',
      (t: ReturnType<typeof setup>, id: string) =>
        t.get(redirectQuery(answer(t, id, { issuer: 'https://evil.example.test' }))),
      'issuer_mismatch',
    ],
    [
      'to an unknown InResponseTo',
      (t: ReturnType<typeof setup>) => t.get(redirectQuery(answer(t, '_never-sent'))),
      'unknown_request',
    ],
    [
      'to no request',
      (t: ReturnType<typeof setup>) => t.get(redirectQuery(answer(t, '', { inResponseTo: null }))),
      'unknown_request',
    ],
    [
      'issued long ago',
      (t: ReturnType<typeof setup>, id: string) =>
        t.get(redirectQuery(answer(t, id, { issueInstant: new Date(t.now().getTime() - 3_600_000) }))),
      'expired',
    ],
    [
      'changed after signing',
      (t: ReturnType<typeof setup>, id: string) => {
        const signed = redirectQuery(answer(t, id, { status: RESPONDER }));
        const other = redirectQuery(answer(t, id)).match(/SAMLResponse=[^&]+/)![0];
        return t.get(signed.replace(/SAMLResponse=[^&]+/, other));
      },
      'signature_invalid',
    ],
  ])('is refused when %s', async (_name, receive, reason) => {
    const t = setup();
    const { id } = await sent(t);
    await expectRejection(receive(t, id), reason as never);
  });

  it('is refused for another connection’s request, and the request stays answerable', async () => {
    const t = setup();
    const { id } = await sent(t);
    const other = samlConnection({ idp_slo_url: IDP_SLO_URL });
    const elsewhere = { ...other, id: 'con_other' };
    const query = redirectQuery(
      idpLogoutResponse({ destination: t.sp.sloUrl('con_other'), inResponseTo: id, issueInstant: t.now() }),
    );
    await expectRejection(
      t.sp.receiveLogout(elsewhere, { method: 'GET', rawQuery: query }),
      'unknown_request',
    );
    expect(await t.get(redirectQuery(answer(t, id)))).toMatchObject({ success: true });
  });

  it('accepts SHA-1 where the connection allows it', async () => {
    const t = setup({ allow_sha1: true });
    const { id } = await sent(t);
    expect(await t.get(redirectQuery(answer(t, id), { sha1: true }))).toMatchObject({ success: true });
  });
});

describe('SAML Single Logout: the IdP’s LogoutRequest', () => {
  const request = (t: ReturnType<typeof setup>, overrides = {}) =>
    idpLogoutRequest({ destination: t.sloUrl, issueInstant: t.now(), nameId: 'okta|ada', ...overrides });

  it('is verified and answered with a signed LogoutResponse in the same binding, RelayState echoed', async () => {
    const t = setup();
    const received = await t.get(
      redirectQuery(request(t, { sessionIndexes: ['idx-1', 'idx-2'] }), { relayState: 'rs-9' }),
    );
    if (received.kind !== 'request') throw new Error(`expected a request, got ${received.kind}`);
    expect(received).toMatchObject({ nameId: 'okta|ada', sessionIndexes: ['idx-1', 'idx-2'] });
    const response = received.respond({ code: SUCCESS });
    if (response.binding !== 'redirect') throw new Error('expected HTTP-Redirect');
    const url = new URL(response.url);
    expect(`${url.origin}${url.pathname}`).toBe(IDP_SLO_URL);
    expect(url.searchParams.get('RelayState')).toBe('rs-9');
    const query = url.search.slice(1);
    const signed = query
      .split('&')
      .filter((pair) => /^(SAMLResponse|RelayState|SigAlg)=/.test(pair))
      .join('&');
    const signature = decodeURIComponent(query.match(/Signature=([^&]+)/)![1]!);
    expect(
      createVerify('sha256').update(signed).verify(t.connection.spCertificate, signature, 'base64'),
    ).toBe(true);
    const xml = sentXml(response).document;
    expect(xml.localName).toBe('LogoutResponse');
    expect(xml.getAttribute('InResponseTo')).toBe('_req-1');
    expect(xml.getAttribute('Destination')).toBe(IDP_SLO_URL);
    expect(child(xml, P, 'StatusCode')!.getAttribute('Value')).toBe(SUCCESS);
    expect(child(xml, A, 'Issuer')!.textContent).toBe(t.sp.spEntityId(CONNECTION_ID));
  });

  it('by HTTP-POST is answered by HTTP-POST with an enveloped signature, when the IdP offers POST', async () => {
    const t = setup({ slo_binding: 'post' });
    const received = await t.post(postForm(request(t)));
    if (received.kind !== 'request') throw new Error(`expected a request, got ${received.kind}`);
    const response = received.respond({
      code: REQUESTER,
      detail: 'urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal',
    });
    expect(response).toMatchObject({ binding: 'post', url: IDP_SLO_URL });
    const { xml, document } = sentXml(response);
    const verifier = new SignedXml({ publicCert: t.connection.spCertificate });
    verifier.loadSignature(
      document.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0]!,
    );
    expect(verifier.checkSignature(xml)).toBe(true);
    const codes = Array.from(document.getElementsByTagNameNS(P, 'StatusCode')).map((c) =>
      c.getAttribute('Value'),
    );
    expect(codes).toEqual([REQUESTER, 'urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal']);
    expect(derOf(t.connection.spCertificate)).toBe(
      document
        .getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'X509Certificate')[0]!
        .textContent!.replace(/\s+/g, ''),
    );
  });

  it('is acted on once: a replayed ID is refused (RequestDenied)', async () => {
    const t = setup();
    expect((await t.get(redirectQuery(request(t)))).kind).toBe('request');
    const again = refused(await t.get(redirectQuery(request(t))));
    expect(again.rejection.reason).toBe('replayed_request');
    expect(again.status).toEqual({ code: REQUESTER, detail: DENIED });
  });

  it.each([
    [
      'unsigned',
      (t: ReturnType<typeof setup>) => t.get(redirectQuery(request(t), { key: null })),
      'signature_missing',
      DENIED,
    ],
    [
      'unsigned (POST)',
      (t: ReturnType<typeof setup>) => t.post(postForm(request(t), { key: null })),
      'signature_missing',
      DENIED,
    ],
    [
      'signed by another key',
      (t: ReturnType<typeof setup>) => t.post(postForm(request(t), { key: fixtureKey('attacker') })),
      'signature_invalid',
      DENIED,
    ],
    [
      'signed with SHA-1',
      (t: ReturnType<typeof setup>) => t.get(redirectQuery(request(t), { sha1: true })),
      'sha1_refused',
      DENIED,
    ],
    [
      'past its NotOnOrAfter',
      (t: ReturnType<typeof setup>) =>
        t.get(
          redirectQuery(
            request(t, {
              issueInstant: new Date(t.now().getTime() - 400_000),
              notOnOrAfter: new Date(t.now().getTime() - 300_000),
            }),
          ),
        ),
      'expired',
      DENIED,
    ],
    [
      'issued in the future',
      (t: ReturnType<typeof setup>) =>
        t.get(redirectQuery(request(t, { issueInstant: new Date(t.now().getTime() + 600_000) }))),
      'not_yet_valid',
      DENIED,
    ],
    [
      'for another Destination',
      (t: ReturnType<typeof setup>) =>
        t.get(redirectQuery(request(t, { destination: 'https://other.example.test/slo' }))),
      'destination_mismatch',
      undefined,
    ],
    [
      'from another Issuer',
      (t: ReturnType<typeof setup>) =>
        t.get(redirectQuery(request(t, { issuer: 'https://evil.example.test' }))),
      'issuer_mismatch',
      undefined,
    ],
  ])('is refused when %s, and can still be answered', async (_name, receive, reason, detail) => {
    const t = setup();
    const outcome = refused(await receive(t));
    expect(outcome.rejection.reason).toBe(reason);
    expect(outcome.status).toEqual({ code: REQUESTER, ...(detail ? { detail } : {}) });
    const response = sentXml(outcome.respond(outcome.status)).document;
    expect(child(response, P, 'StatusCode')!.getAttribute('Value')).toBe(REQUESTER);
  });

  it('refuses a POSTed request changed after signing, and one wrapped in another element', async () => {
    const t = setup();
    const form = postForm(request(t));
    const xml = Buffer.from(form.SAMLRequest!, 'base64').toString('utf8');
    const changed = xml.replace('okta|ada', 'okta|ceo');
    const tampered = refused(await t.post({ SAMLRequest: Buffer.from(changed).toString('base64') }));
    expect(tampered.rejection.reason).toBe('signature_invalid');
    const signature = xml.match(/<ds:Signature[\s\S]*<\/ds:Signature>/)![0];
    const forged = request(t, { id: '_forged', nameId: 'okta|ceo' }).replace(
      '</saml:Issuer>',
      `</saml:Issuer>${signature}`,
    );
    const wrapped = refused(await t.post({ SAMLRequest: Buffer.from(forged).toString('base64') }));
    expect(['wrapped_signature', 'signature_invalid']).toContain(wrapped.rejection.reason);
  });

  it('answers VersionMismatch to another SAML version', async () => {
    const t = setup();
    const outcome = refused(await t.get(redirectQuery(request(t, { version: '1.1' }))));
    expect(outcome.status).toEqual({ code: 'urn:oasis:names:tc:SAML:2.0:status:VersionMismatch' });
  });

  it('answers RequestUnsupported when the connection switched Single Logout off', async () => {
    const t = setup({ single_logout: false });
    const outcome = refused(await t.get(redirectQuery(request(t))));
    expect(outcome.status).toEqual({
      code: RESPONDER,
      detail: 'urn:oasis:names:tc:SAML:2.0:status:RequestUnsupported',
    });
  });

  it.each([
    ['no message', ''],
    ['both a request and a response', 'SAMLRequest=AAAA&SAMLResponse=AAAA'],
    ['not base64', 'SAMLRequest=%%%'],
    ['not DEFLATE', `SAMLRequest=${encodeURIComponent(Buffer.from('<x/>').toString('base64'))}`],
    ['a repeated parameter', 'SAMLRequest=AAAA&SAMLRequest=AAAA'],
  ])('throws `malformed` for %s (nothing to answer)', async (_name, rawQuery) => {
    const t = setup();
    await expectRejection(t.get(rawQuery), 'malformed');
  });

  it('throws when the IdP has no SingleLogoutService to answer at', async () => {
    const t = testSp();
    const connection = samlConnection();
    const query = redirectQuery(
      idpLogoutRequest({ destination: t.sp.sloUrl(CONNECTION_ID), issueInstant: t.now() }),
    );
    await expectRejection(
      t.sp.receiveLogout(connection, { method: 'GET', rawQuery: query }),
      'idp_unavailable',
    );
  });

  it('refuses a DTD', async () => {
    const t = setup();
    const xml = `<!DOCTYPE x [<!ENTITY a "b">]>${request(t)}`;
    await expectRejection(t.get(redirectQuery(xml)), 'malformed');
  });
});

describe('SAML Single Logout: connection settings', () => {
  const manual = {
    idp_entity_id: IDP_ENTITY_ID,
    idp_sso_url: 'https://idp.example.test/sso',
    idp_certificates: [fixtureKey('idp').certificate],
  };
  const issues = (settings: Record<string, unknown>) => {
    const parsed = samlSettingsSchema.safeParse({ ...manual, ...settings });
    return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
  };

  it('takes idp_slo_url, slo_binding and single_logout', () => {
    expect(issues({ idp_slo_url: IDP_SLO_URL, slo_binding: 'post', single_logout: true })).toEqual([]);
    expect(issues({ single_logout: false })).toEqual([]);
  });

  it('refuses single_logout: true with nowhere to send logout messages, a plain-http URL, another binding', () => {
    expect(issues({ single_logout: true })).toEqual(['idp_slo_url']);
    expect(issues({ idp_slo_url: 'http://idp.example.test/slo' })).toEqual(['idp_slo_url']);
    expect(issues({ idp_slo_url: IDP_SLO_URL, slo_binding: 'soap' })).toEqual(['slo_binding']);
  });
});

describe('SAML Single Logout: message IDs in Redis, shared by instances', () => {
  it('accepts the answer to a request one instance sent at another instance, once', async () => {
    const prefix = uniqueRedisPrefix();
    const redis = openRedis(testRedisUrl(), { keyPrefix: prefix });
    try {
      const store = redis.ephemeralStore();
      const [one, two] = [testSp({ store }), testSp({ store })];
      const connection = samlConnection({ idp_slo_url: IDP_SLO_URL });
      const message = await one.sp.startLogout(connection, SUBJECT, 'from-one');
      const id = sentXml(message).document.getAttribute('ID')!;
      const rawQuery = redirectQuery(
        idpLogoutResponse({
          destination: two.sp.sloUrl(CONNECTION_ID),
          inResponseTo: id,
          issueInstant: two.now(),
        }),
      );
      expect(await two.sp.receiveLogout(connection, { method: 'GET', rawQuery })).toMatchObject({
        state: 'from-one',
        success: true,
      });
      await expectRejection(
        one.sp.receiveLogout(connection, { method: 'GET', rawQuery }),
        'replayed_request',
      );

      const request = redirectQuery(
        idpLogoutRequest({
          destination: one.sp.sloUrl(CONNECTION_ID),
          issueInstant: one.now(),
          id: '_shared',
        }),
      );
      expect((await one.sp.receiveLogout(connection, { method: 'GET', rawQuery: request })).kind).toBe(
        'request',
      );
      const again = refused(await two.sp.receiveLogout(connection, { method: 'GET', rawQuery: request }));
      expect(again.rejection.reason).toBe('replayed_request');
    } finally {
      await redis.close();
      await deleteRedisKeys(testRedisUrl(), prefix);
    }
  });
});

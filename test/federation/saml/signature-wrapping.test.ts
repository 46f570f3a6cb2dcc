import { describe, expect, it } from '@jest/globals';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { encode } from './support/response-builder.js';
import { expectRejection } from './support/expect-rejection.js';
import { respond } from './support/respond.js';
import { samlConnection, testSp } from './support/saml-context.js';

const P = 'urn:oasis:names:tc:SAML:2.0:protocol';
const A = 'urn:oasis:names:tc:SAML:2.0:assertion';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const idpInitiated = { allow_idp_initiated: true, idp_initiated_client: 'portal' };

type Mutation = (doc: Document, parts: Parts) => void;
interface Parts {
  response: Element;
  assertion: Element;
  signature: Element;
}

/** Rewrites a validly signed response the way an attacker holding one would. */
function wrap(xml: string, signed: 'Response' | 'Assertion', mutate: Mutation): string {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const response = doc.documentElement;
  const assertion = doc.getElementsByTagNameNS(A, 'Assertion')[0]!;
  const owner = signed === 'Response' ? response : assertion;
  const signature = [...Array.from(owner.childNodes)].find(
    (node): node is Element =>
      (node as Element).localName === 'Signature' && (node as Element).namespaceURI === DS,
  )!;
  mutate(doc, { response, assertion, signature });
  return new XMLSerializer().serializeToString(doc);
}

/** The forged identity: the same assertion, naming another user, under a fresh ID. */
function evil(element: Element, id: string): Element {
  const copy = element.cloneNode(true) as Element;
  copy.setAttribute('ID', id);
  const nameId = copy.getElementsByTagNameNS(A, 'NameID')[0];
  if (nameId) nameId.textContent = 'admin@example.test';
  return copy;
}

const withoutSignature = (element: Element): Element => {
  const copy = element.cloneNode(true) as Element;
  for (const child of Array.from(copy.childNodes)) {
    if ((child as Element).localName === 'Signature') copy.removeChild(child);
  }
  return copy;
};

/**
 * XSW1–XSW8 as catalogued in "On Breaking SAML: Be Whoever You Want to Be" (Somorovsky et al.,
 * USENIX Security 2012) and used by SAML Raider. Each starts from a response the real IdP key
 * signed and moves the signed element where a naive verifier still finds it.
 */
const ATTACKS: [string, 'Response' | 'Assertion', Mutation][] = [
  // XSW1: a forged Response around the signature, the signed original inside the Signature.
  [
    'XSW1',
    'Response',
    (doc, { response, signature }) => {
      const forged = evil(response, '_forged-response');
      const original = withoutSignature(response);
      const copiedSignature = signature.cloneNode(true) as Element;
      copiedSignature.appendChild(original);
      for (const child of Array.from(forged.childNodes)) {
        if ((child as Element).localName === 'Signature') forged.removeChild(child);
      }
      forged.appendChild(copiedSignature);
      doc.replaceChild(forged, response);
    },
  ],
  // XSW2: as XSW1, the original as a sibling before the (detached) signature.
  [
    'XSW2',
    'Response',
    (doc, { response, signature }) => {
      const forged = evil(response, '_forged-response');
      for (const child of Array.from(forged.childNodes)) {
        if ((child as Element).localName === 'Signature') forged.removeChild(child);
      }
      forged.appendChild(withoutSignature(response));
      forged.appendChild(signature.cloneNode(true));
      doc.replaceChild(forged, response);
    },
  ],
  // XSW3: a forged assertion before the signed one.
  [
    'XSW3',
    'Assertion',
    (_doc, { response, assertion }) =>
      void response.insertBefore(withoutSignature(evil(assertion, '_forged')), assertion),
  ],
  // XSW4: the signed assertion inside the forged one.
  [
    'XSW4',
    'Assertion',
    (_doc, { response, assertion }) => {
      const forged = withoutSignature(evil(assertion, '_forged'));
      response.replaceChild(forged, assertion);
      forged.appendChild(assertion);
    },
  ],
  // XSW5: the signed assertion's content changed in place, an unsigned copy of the original appended.
  [
    'XSW5',
    'Assertion',
    (_doc, { response, assertion }) => {
      const original = withoutSignature(assertion);
      assertion.getElementsByTagNameNS(A, 'NameID')[0]!.textContent = 'admin@example.test';
      response.appendChild(original);
    },
  ],
  // XSW6: as XSW5, the original copy inside the signature.
  [
    'XSW6',
    'Assertion',
    (_doc, { assertion, signature }) => {
      const original = withoutSignature(assertion);
      assertion.getElementsByTagNameNS(A, 'NameID')[0]!.textContent = 'admin@example.test';
      signature.appendChild(original);
    },
  ],
  // XSW7: the signed assertion tucked into Extensions, a forged one in its place.
  [
    'XSW7',
    'Assertion',
    (doc, { response, assertion }) => {
      const extensions = doc.createElementNS(P, 'samlp:Extensions');
      response.insertBefore(extensions, assertion);
      response.replaceChild(withoutSignature(evil(assertion, '_forged')), assertion);
      extensions.appendChild(assertion);
    },
  ],
  // XSW8: the forged assertion keeps the signature; the original sits in a ds:Object inside it.
  [
    'XSW8',
    'Assertion',
    (doc, { assertion, signature }) => {
      const object = doc.createElementNS(DS, 'ds:Object');
      object.appendChild(withoutSignature(assertion));
      signature.appendChild(object);
      assertion.getElementsByTagNameNS(A, 'NameID')[0]!.textContent = 'admin@example.test';
    },
  ],
];

describe('XML signature wrapping (XSW1–XSW8)', () => {
  it.each(ATTACKS)('rejects %s', async (_name, signed, mutate) => {
    const t = testSp();
    const connection = samlConnection({ ...idpInitiated, signature_required_on: 'either' });
    const { xml } = await respond(t.shape(), { sign: signed === 'Response' ? 'response' : 'assertion' });
    // The untouched response is accepted: the refusal below is the wrapping's doing.
    await expect(t.sp.acceptResponse(connection, { SAMLResponse: encode(xml) })).resolves.toBeDefined();
    const wrapped = wrap(xml, signed, mutate);
    expect(wrapped).toContain('admin@example.test');
    await expectRejection(
      t.sp.acceptResponse(connection, { SAMLResponse: encode(wrapped) }),
      'wrapped_signature',
    );
  });

  it('rejects a signature that references an element other than its parent', async () => {
    const t = testSp();
    const connection = samlConnection(idpInitiated);
    const shape = t.shape();
    const { xml } = await respond(shape);
    const moved = wrap(xml, 'Assertion', (_doc, { response, signature }) => {
      signature.parentNode!.removeChild(signature);
      response.insertBefore(signature, response.getElementsByTagNameNS(P, 'Status')[0]!);
    });
    await expectRejection(
      t.sp.acceptResponse(connection, { SAMLResponse: encode(moved) }),
      'wrapped_signature',
    );
  });
});

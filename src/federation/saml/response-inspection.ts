import type { SamlSettings } from '../../domain/organizations/connection-input.js';
import { assertSignatureAlgorithms } from './algorithm-policy.js';
import { decryptForInspection } from './encrypted-assertion.js';
import { assertNoWrapping } from './response-structure.js';
import { assertSuccess } from './response-status.js';
import { reject } from './saml-rejection.js';
import { assertNoCommentsInValues } from './value-comments.js';
import { attribute, childElements, NS, onlyChild, parseXml, textOf } from './xml-document.js';

/** A Response as sent, before any signature is verified: read only to refuse, never to trust. */
export interface InspectedResponse {
  id: string;
  destination: string | undefined;
  issuer: { value: string; format: string | undefined } | undefined;
  inResponseTo: string | undefined;
  responseSigned: boolean;
  assertionId: string;
  assertionSigned: boolean;
  encrypted: boolean;
}

export const MAX_RESPONSE_BYTES = 512 * 1024;

/**
 * Everything Gatehouse checks on the document as received, in the order that gives the most
 * useful reason: shape, status, wrapping, encryption policy, algorithms, which signatures are
 * present, comments in identity values. Signatures themselves are node-saml's job, next.
 * Unreadable XML throws XmlDocumentError (the caller's `malformed`).
 */
export async function inspectResponse(
  xml: string,
  settings: SamlSettings,
  spPrivateKey: string,
): Promise<InspectedResponse> {
  const root = parseXml(xml, MAX_RESPONSE_BYTES).documentElement;
  if (root.namespaceURI !== NS.protocol || root.localName !== 'Response') {
    reject('malformed', 'the message is not a SAML Response');
  }
  if (attribute(root, 'Version') !== '2.0' || !attribute(root, 'ID')) {
    reject('malformed', 'the Response has no ID or is not SAML 2.0');
  }
  assertSuccess(root);
  const plain = childElements(root, NS.assertion, 'Assertion')[0];
  const encrypted = childElements(root, NS.assertion, 'EncryptedAssertion')[0];
  assertNoWrapping(root, plain ? [root, plain] : [root]);
  if (!plain && !encrypted) reject('malformed', 'the Response carries no assertion');
  if (plain && settings.want_encrypted_assertions) {
    reject('encrypted_assertion_required', 'the connection accepts encrypted assertions only');
  }
  const assertion = plain ?? (await decryptForInspection(encrypted!, spPrivateKey, MAX_RESPONSE_BYTES));
  if (!plain) assertNoWrapping(assertion, [assertion]);
  assertSignatureAlgorithms([root, assertion], settings.allow_sha1);
  const responseSigned = childElements(root, NS.dsig, 'Signature').length === 1;
  const assertionSigned = childElements(assertion, NS.dsig, 'Signature').length === 1;
  assertRequiredSignatures(settings.signature_required_on, responseSigned, assertionSigned);
  assertNoCommentsInValues([root, assertion]);
  const issuer = onlyChild(root, NS.assertion, 'Issuer');
  return {
    id: attribute(root, 'ID')!,
    destination: attribute(root, 'Destination'),
    issuer: issuer && { value: textOf(issuer), format: attribute(issuer, 'Format') },
    inResponseTo: attribute(root, 'InResponseTo'),
    responseSigned,
    assertionId: attribute(assertion, 'ID') ?? reject('malformed', 'the assertion has no ID'),
    assertionSigned,
    encrypted: !plain,
  };
}

/** SAML Profiles §4.1.4.5: each assertion protected by its own signature or the response's. */
function assertRequiredSignatures(
  required: SamlSettings['signature_required_on'],
  responseSigned: boolean,
  assertionSigned: boolean,
): void {
  const satisfied = {
    assertion: assertionSigned,
    response: responseSigned,
    either: assertionSigned || responseSigned,
    both: assertionSigned && responseSigned,
  }[required];
  if (!satisfied) reject('signature_missing', `the connection requires ${REQUIRED[required]}`);
}

const REQUIRED = {
  assertion: 'a signed assertion',
  response: 'a signed response',
  either: 'a signed response or assertion',
  both: 'a signed response and a signed assertion',
} as const;

import { reject } from './saml-rejection.js';
import { attribute, childElements, descendantElements, NS } from './xml-document.js';

const ID_ATTRIBUTES = ['ID', 'Id', 'id'];

/**
 * XML signature wrapping (XSW1–XSW8, Somorovsky et al., "On Breaking SAML", 2012) hides the
 * signed element somewhere the verifier looks and puts a forged one where the application looks.
 * A SAML Web Browser SSO response has one shape only (SAML Profiles §4.1.4.2: one Response, with
 * the assertion as its child; SAML Core §5.4.1: each signature enveloped in the element it
 * signs, referencing its ID), so anything else is refused before any signature is checked:
 * - exactly one element named Response (the root) and one Assertion or EncryptedAssertion, whatever
 *   their namespace, the assertion a child of the root;
 * - no ID value used twice (a reference must have one target);
 * - each ds:Signature a child of the Response or the Assertion, one per element, with exactly one
 *   Reference whose URI is `#` + its parent's ID, and no ds:Object (where wrapped copies hide).
 * `signedParents` are the elements a signature may sit in (the root and the assertion).
 */
export function assertNoWrapping(root: Element, signedParents: readonly Element[]): void {
  const elements = [root, ...descendantElements(root)];
  const named = (...names: string[]) => elements.filter((element) => names.includes(element.localName ?? ''));
  if (named('Response').some((element) => element !== root)) {
    reject('wrapped_signature', 'a second Response element is inside the response');
  }
  // Inside a Response: one assertion, its child. Inside a (decrypted) Assertion: none at all.
  const assertions = named('Assertion', 'EncryptedAssertion').filter((element) => element !== root);
  const allowed = root.localName === 'Response' ? 1 : 0;
  if (assertions.length > allowed) reject('wrapped_signature', 'more than one assertion in the message');
  if (assertions.some((assertion) => assertion.parentNode !== root)) {
    reject('wrapped_signature', 'the assertion is not a child of the Response');
  }
  assertUniqueIds(elements);
  for (const signature of elements.filter((e) => e.namespaceURI === NS.dsig && e.localName === 'Signature')) {
    assertEnveloped(signature, signedParents);
  }
}

function assertUniqueIds(elements: readonly Element[]): void {
  const seen = new Set<string>();
  for (const element of elements) {
    for (const name of ID_ATTRIBUTES) {
      const id = attribute(element, name);
      if (id === undefined) continue;
      if (seen.has(id)) reject('wrapped_signature', 'an ID is used by more than one element');
      seen.add(id);
    }
  }
}

function assertEnveloped(signature: Element, signedParents: readonly Element[]): void {
  const parent = signature.parentNode as Element | null;
  if (!parent || !signedParents.includes(parent)) {
    reject('wrapped_signature', 'a signature is not inside the Response or the Assertion it signs');
  }
  const owner = parent as Element;
  if (childElements(owner, NS.dsig, 'Signature').length !== 1) {
    reject('wrapped_signature', `${owner.localName} carries more than one signature`);
  }
  const signedInfo = childElements(signature, NS.dsig, 'SignedInfo');
  const references = signedInfo.flatMap((info) => childElements(info, NS.dsig, 'Reference'));
  const id = attribute(owner, 'ID');
  if (signedInfo.length !== 1 || references.length !== 1 || !id) {
    reject('wrapped_signature', 'a signature must have exactly one reference');
  }
  if (attribute(references[0]!, 'URI') !== `#${id}`) {
    reject('wrapped_signature', `a signature in ${owner.localName} references another element`);
  }
  if (descendantElements(signature).some((e) => e.namespaceURI === NS.dsig && e.localName === 'Object')) {
    reject('wrapped_signature', 'a signature carries a ds:Object');
  }
}

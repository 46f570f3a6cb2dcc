import { reject } from './saml-rejection.js';
import { attribute, childElements, descendantElements, NS } from './xml-document.js';

// SHA-1 collisions are practical (SHAttered 2017, chosen-prefix 2020): a signature over a SHA-1
// digest no longer proves what was signed. xml-crypto (under node-saml) still accepts both.
const SHA1_SIGNATURE_METHODS = new Set([
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  'http://www.w3.org/2000/09/xmldsig#dsa-sha1',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1',
]);
const SHA1_DIGEST_METHODS = new Set(['http://www.w3.org/2000/09/xmldsig#sha1']);
// A MAC proves nothing about the IdP: whoever verifies could have made it.
const HMAC_PREFIX = /#hmac-/;

/**
 * Refuses SHA-1 signature methods and digests in every signature of the message (and of the
 * decrypted assertion) unless the connection allows them, and HMAC signatures always. Runs on
 * the algorithms the signature names, before node-saml verifies it with whatever those are.
 */
export function assertSignatureAlgorithms(roots: readonly Element[], allowSha1: boolean): void {
  for (const signature of roots.flatMap(signaturesIn)) {
    const signedInfo = childElements(signature, NS.dsig, 'SignedInfo')[0];
    if (!signedInfo) reject('malformed', 'a signature has no SignedInfo');
    const method = childElements(signedInfo!, NS.dsig, 'SignatureMethod')[0];
    const algorithm = (method && attribute(method, 'Algorithm')) ?? '';
    if (HMAC_PREFIX.test(algorithm)) reject('signature_invalid', 'HMAC signatures are not accepted');
    const digests = descendantElements(signedInfo!)
      .filter((element) => element.namespaceURI === NS.dsig && element.localName === 'DigestMethod')
      .map((element) => attribute(element, 'Algorithm') ?? '');
    if (allowSha1) continue;
    if (SHA1_SIGNATURE_METHODS.has(algorithm)) {
      reject('sha1_refused', 'the signature uses SHA-1 and the connection does not allow it');
    }
    if (digests.some((digest) => SHA1_DIGEST_METHODS.has(digest))) {
      reject('sha1_refused', 'the signature digests with SHA-1 and the connection does not allow it');
    }
  }
}

const signaturesIn = (root: Element) =>
  [root, ...descendantElements(root)].filter(
    (element) => element.namespaceURI === NS.dsig && element.localName === 'Signature',
  );

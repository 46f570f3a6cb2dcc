import { reject } from './saml-rejection.js';
import { descendantElements, descendantNodes, NS } from './xml-document.js';

const COMMENT_NODE = 8;
const PROCESSING_INSTRUCTION_NODE = 7;

// The values a login decision reads; a comment inside one is how the truncation attack works.
const IDENTITY_VALUES = new Set(['NameID', 'AttributeValue', 'Issuer', 'Audience']);

/**
 * The comment truncation attack (CVE-2017-11427 and siblings, Duo Labs 2018): canonicalization
 * drops comments, so `<NameID>admin@corp.example<!---->.evil.example</NameID>` carries a valid
 * signature over `admin@corp.example.evil.example`, and a library that reads only the first text
 * node sees `admin@corp.example`. Gatehouse reads the canonical bytes node-saml verified (no
 * comments there), and still refuses any comment or processing instruction inside an identity
 * value: an IdP never sends one, an attacker does.
 */
export function assertNoCommentsInValues(roots: readonly Element[]): void {
  for (const root of roots) {
    for (const element of [root, ...descendantElements(root)]) {
      if (element.namespaceURI !== NS.assertion || !IDENTITY_VALUES.has(element.localName ?? '')) continue;
      const hidden = descendantNodes(element).some(
        (node) => node.nodeType === COMMENT_NODE || node.nodeType === PROCESSING_INSTRUCTION_NODE,
      );
      if (hidden) reject('comment_in_value', `a comment is inside ${element.localName}`);
    }
  }
}

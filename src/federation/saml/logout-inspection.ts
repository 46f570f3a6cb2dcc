import { reject } from './saml-rejection.js';
import { MAX_LOGOUT_BYTES } from './logout-decoding.js';
import { assertNoCommentsInValues } from './value-comments.js';
import {
  attribute,
  childElements,
  descendantNodes,
  NS,
  onlyChild,
  parseXml,
  textOf,
} from './xml-document.js';

/** The fields of a LogoutRequest or LogoutResponse (SAML Core §3.7.1, §3.7.2) as sent. */
export interface InspectedLogoutMessage {
  root: Element;
  kind: 'LogoutRequest' | 'LogoutResponse';
  id: string;
  version: string | undefined;
  issueInstant: string | undefined;
  destination: string | undefined;
  issuer: { value: string; format: string | undefined } | undefined;
  /** LogoutRequest. */
  notOnOrAfter: string | undefined;
  nameId: { value: string; format: string | undefined } | undefined;
  sessionIndexes: string[];
  /** LogoutResponse. */
  inResponseTo: string | undefined;
  status: { code: string; detail: string | undefined } | undefined;
}

const COMMENT_NODE = 8;
const PROCESSING_INSTRUCTION_NODE = 7;

/**
 * Reads a logout message. Refused here: anything but a LogoutRequest or LogoutResponse of the
 * SAML 2.0 protocol namespace, a message without an ID, a NameID given only in encrypted or
 * abstract form, and a comment inside an identity value (the truncation attack, value-comments).
 * Unreadable XML throws XmlDocumentError (the caller's `malformed`).
 */
export function inspectLogoutMessage(xml: string): InspectedLogoutMessage {
  const root = parseXml(xml, MAX_LOGOUT_BYTES).documentElement;
  const kind = root.localName;
  if (root.namespaceURI !== NS.protocol || (kind !== 'LogoutRequest' && kind !== 'LogoutResponse')) {
    reject('malformed', 'the message is neither a LogoutRequest nor a LogoutResponse');
  }
  const id = attribute(root, 'ID');
  if (!id || id.length > 256) reject('malformed', `the ${kind} has no ID`);
  assertNoCommentsInValues([root]);
  const issuer = onlyChild(root, NS.assertion, 'Issuer');
  const request = kind === 'LogoutRequest';
  return {
    root,
    kind,
    id,
    version: attribute(root, 'Version'),
    issueInstant: attribute(root, 'IssueInstant'),
    destination: attribute(root, 'Destination'),
    issuer: issuer && { value: textOf(issuer).trim(), format: attribute(issuer, 'Format') },
    notOnOrAfter: attribute(root, 'NotOnOrAfter'),
    nameId: request ? nameIdOf(root) : undefined,
    sessionIndexes: childElements(root, NS.protocol, 'SessionIndex').map(plainValue),
    inResponseTo: attribute(root, 'InResponseTo'),
    status: request ? undefined : statusOf(root),
  };
}

/** SAML Core §3.7.1: the principal is a BaseID, NameID or EncryptedID; Gatehouse links NameIDs. */
function nameIdOf(root: Element): { value: string; format: string | undefined } {
  const nameId = onlyChild(root, NS.assertion, 'NameID');
  if (!nameId) {
    const other = childElements(root, NS.assertion).some(
      (e) => e.localName === 'EncryptedID' || e.localName === 'BaseID',
    );
    reject('malformed', other ? 'only a plain NameID is supported' : 'the LogoutRequest names no principal');
  }
  const value = textOf(nameId!);
  if (!value) reject('malformed', 'the NameID is empty');
  return { value, format: attribute(nameId!, 'Format') };
}

function plainValue(element: Element): string {
  const hidden = descendantNodes(element).some(
    (node) => node.nodeType === COMMENT_NODE || node.nodeType === PROCESSING_INSTRUCTION_NODE,
  );
  if (hidden) reject('comment_in_value', `a comment is inside ${element.localName}`);
  return textOf(element).trim();
}

/** SAML Core §3.2.2.2: the top-level StatusCode, and the second-level one when present. */
function statusOf(root: Element): { code: string; detail: string | undefined } {
  const status = onlyChild(root, NS.protocol, 'Status');
  const code = status && onlyChild(status, NS.protocol, 'StatusCode');
  const value = code && attribute(code, 'Value');
  if (!value) reject('malformed', 'the LogoutResponse has no StatusCode');
  const second = childElements(code!, NS.protocol, 'StatusCode')[0];
  return { code: value, detail: second && attribute(second, 'Value') };
}

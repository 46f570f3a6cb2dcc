import { DOMParser } from '@xmldom/xmldom';

/** The namespaces SAML 2.0 messages and metadata use (SAML Core §1.2, Metadata §1.1). */
export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
} as const;

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

/** The XML could not be read safely; the caller turns it into its own error. */
export class XmlDocumentError extends Error {
  override name = 'XmlDocumentError';
}

/**
 * Parses untrusted XML. A DTD is refused outright: SAML never needs one (SAML Core §1.3 schemas
 * declare no entities), and internal entities are how billion-laughs and XXE payloads arrive.
 * Every parser error is fatal: a half-read document is not a document.
 */
export function parseXml(xml: string, maxBytes: number): Document {
  if (Buffer.byteLength(xml, 'utf8') > maxBytes) throw new XmlDocumentError(`larger than ${maxBytes} bytes`);
  if (xml.includes('<!DOCTYPE') || xml.includes('<!ENTITY')) {
    throw new XmlDocumentError('a DTD or entity declaration is not allowed');
  }
  const fail = (message: string) => {
    throw new XmlDocumentError(`not well-formed XML: ${message.split('\n')[0]}`);
  };
  const document = new DOMParser({
    errorHandler: { warning: () => undefined, error: fail, fatalError: fail },
  }).parseFromString(xml, 'text/xml');
  if (!document?.documentElement) throw new XmlDocumentError('no root element');
  return document;
}

/** Element children of `parent`, optionally only those with this namespace and local name. */
export function childElements(parent: Node, ns?: string, localName?: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType !== ELEMENT_NODE) continue;
    const element = node as Element;
    if (ns !== undefined && element.namespaceURI !== ns) continue;
    if (localName !== undefined && element.localName !== localName) continue;
    found.push(element);
  }
  return found;
}

/** The one child with this name, undefined when absent; more than one is an XmlDocumentError. */
export function onlyChild(parent: Node, ns: string, localName: string): Element | undefined {
  const [first, second] = childElements(parent, ns, localName);
  if (second) throw new XmlDocumentError(`more than one ${localName} in ${parent.nodeName}`);
  return first;
}

/** Every element below `root` (itself excluded), in document order. */
export function descendantElements(root: Node): Element[] {
  const found: Element[] = [];
  const visit = (node: Node) => {
    for (const child of childElements(node)) {
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

/** Every node below `root`, of any type. */
export function descendantNodes(root: Node): Node[] {
  const found: Node[] = [];
  const visit = (node: Node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

/** An attribute's value, undefined when absent (DOM getAttribute answers '' for both). */
export function attribute(element: Element, name: string): string | undefined {
  return element.hasAttribute(name) ? (element.getAttribute(name) ?? undefined) : undefined;
}

/** The character data directly inside `element` (text and CDATA), as one string. */
export function textOf(element: Element): string {
  let text = '';
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE) text += node.nodeValue ?? '';
  }
  return text;
}

export const isElement = (node: Node): node is Element => node.nodeType === ELEMENT_NODE;

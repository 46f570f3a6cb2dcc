import { XMLSerializer } from '@xmldom/xmldom';
import xmlenc from 'xml-encryption';
import { reject, SamlRejection } from './saml-rejection.js';
import { NS, parseXml, XmlDocumentError } from './xml-document.js';

const decrypt = (xml: string, key: string) =>
  new Promise<string>((resolve, fail) =>
    xmlenc.decrypt(
      xml,
      // XML Encryption 1.1 §5.4.1: RSA PKCS#1 v1.5 key transport is a padding oracle; 3DES is
      // withdrawn (NIST SP 800-131A). node-saml would decrypt both; Gatehouse refuses them.
      { key, disallowDecryptionWithInsecureAlgorithm: true, warnInsecureAlgorithm: false },
      (error, result) => (error ? fail(error) : resolve(result)),
    ),
  );

/**
 * Decrypts an EncryptedAssertion (SAML Core §2.3.4) with the connection's SP key so Gatehouse can
 * inspect what node-saml will verify: the algorithms of the signature inside, its placement, and
 * the identity values. node-saml decrypts again on its own; nothing here is trusted as content.
 */
export async function decryptForInspection(
  encrypted: Element,
  spPrivateKey: string,
  maxBytes: number,
): Promise<Element> {
  let xml: string;
  try {
    xml = await decrypt(new XMLSerializer().serializeToString(encrypted), spPrivateKey);
  } catch (error) {
    const message = (error as Error).message ?? '';
    if (/not secure/.test(message))
      reject('insecure_encryption', 'the assertion is encrypted with RSA 1.5 or 3DES');
    throw new SamlRejection(
      'decryption_failed',
      "the assertion cannot be decrypted with this connection's key",
    );
  }
  try {
    const assertion = parseXml(xml, maxBytes).documentElement;
    if (assertion.namespaceURI !== NS.assertion || assertion.localName !== 'Assertion') {
      reject('malformed', 'the EncryptedAssertion does not contain an Assertion');
    }
    return assertion;
  } catch (error) {
    if (error instanceof XmlDocumentError) reject('malformed', `the decrypted assertion: ${error.message}`);
    throw error;
  }
}

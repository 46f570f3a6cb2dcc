import { SignedXml } from 'xml-crypto';
import xmlenc from 'xml-encryption';
import { createPublicKey } from 'node:crypto';

export interface SigningKey {
  certificate: string;
  privateKey: string;
}

const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const RSA_SHA1 = 'http://www.w3.org/2000/09/xmldsig#rsa-sha1';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const SHA1 = 'http://www.w3.org/2000/09/xmldsig#sha1';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';

export interface SignOptions {
  /** rsa-sha1 as the signature method. */
  sha1Signature?: boolean;
  /** sha1 as the reference digest. */
  sha1Digest?: boolean;
}

/** Signs the element `localName` (Assertion or Response) with an enveloped signature after its Issuer, as IdPs do. */
export function signElement(
  xml: string,
  localName: 'Assertion' | 'Response',
  key: SigningKey,
  options: SignOptions = {},
): string {
  const sig = new SignedXml({
    privateKey: key.privateKey,
    publicCert: key.certificate,
    signatureAlgorithm: options.sha1Signature ? RSA_SHA1 : RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
  });
  const element = `//*[local-name(.)='${localName}']`;
  sig.addReference({
    xpath: element,
    transforms: [ENVELOPED, EXC_C14N],
    digestAlgorithm: options.sha1Digest ? SHA1 : SHA256,
  });
  // SAML Core §5.4.2: the signature follows the Issuer; without one, it comes first.
  const hasIssuer = new RegExp(`<\\w+:${localName}\\b[^>]*><\\w+:Issuer`).test(xml);
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: hasIssuer
      ? { reference: `${element}/*[local-name(.)='Issuer']`, action: 'after' }
      : { reference: element, action: 'prepend' },
  });
  return sig.getSignedXml();
}

export interface EncryptOptions {
  keyEncryptionAlgorithm?:
    'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p' | 'http://www.w3.org/2001/04/xmlenc#rsa-1_5';
}

/** An EncryptedAssertion for the SP certificate (AES-256-GCM, RSA-OAEP key transport by default). */
export function encryptAssertion(
  assertion: string,
  spCertificate: string,
  options: EncryptOptions = {},
): Promise<string> {
  return new Promise((resolve, reject) =>
    xmlenc.encrypt(
      assertion,
      {
        rsa_pub: createPublicKey(spCertificate).export({ type: 'spki', format: 'pem' }) as string,
        pem: spCertificate,
        encryptionAlgorithm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
        keyEncryptionAlgorithm:
          options.keyEncryptionAlgorithm ?? 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
        disallowEncryptionWithInsecureAlgorithm: false,
        warnInsecureAlgorithm: false,
      },
      (error, encrypted) =>
        error
          ? reject(error)
          : resolve(
              `<saml:EncryptedAssertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${encrypted}</saml:EncryptedAssertion>`,
            ),
    ),
  );
}

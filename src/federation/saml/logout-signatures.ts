import { verify, X509Certificate } from 'node:crypto';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { assertSignatureAlgorithms } from './algorithm-policy.js';
import { toPem } from './certificates.js';
import type { DecodedLogoutMessage } from './logout-decoding.js';
import { assertNoWrapping } from './response-structure.js';
import { reject, SamlRejection } from './saml-rejection.js';
import { childElements, NS } from './xml-document.js';

export interface LogoutSignatureCheck {
  certificates: string[];
  allowSha1: boolean;
  spEntityId: string;
  sloUrl: string;
}

// Bindings §3.4.4.1 names the algorithm by its XML Signature URI. HMAC is absent on purpose (a
// MAC proves nothing about the IdP); SHA-1 only where the connection allows it.
const QUERY_ALGORITHMS: Record<string, { hash: string; sha1?: true; ecdsa?: true }> = {
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': { hash: 'sha1', sha1: true },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': { hash: 'sha256' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': { hash: 'sha384' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': { hash: 'sha512' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1': { hash: 'sha1', sha1: true, ecdsa: true },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256': { hash: 'sha256', ecdsa: true },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384': { hash: 'sha384', ecdsa: true },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512': { hash: 'sha512', ecdsa: true },
};

/**
 * SAML Profiles §4.4.4.1/§4.4.4.2: over the front channel a logout message is authenticated by
 * its signature, so an unsigned one is refused. HTTP-Redirect: the query signature (Bindings
 * §3.4.4.1), checked here on the octets as received. HTTP-POST: one enveloped signature on the
 * root, referencing it (anything else is wrapping), with no SHA-1 unless allowed, verified by
 * node-saml (xml-crypto, the configured certificates only).
 */
export async function verifyLogoutSignature(
  message: DecodedLogoutMessage,
  root: Element,
  check: LogoutSignatureCheck,
): Promise<void> {
  if (message.binding === 'redirect') {
    verifyQuerySignature(message, check);
    return;
  }
  if (childElements(root, NS.dsig, 'Signature').length !== 1) {
    reject('signature_missing', `the ${root.localName} is not signed`);
  }
  assertNoWrapping(root, [root]);
  assertSignatureAlgorithms([root], check.allowSha1);
  await verifyEnvelopedSignature(message, check);
}

function verifyQuerySignature(message: DecodedLogoutMessage, check: LogoutSignatureCheck): void {
  const signed = message.querySignature;
  if (!signed) reject('signature_missing', 'the query carries no SigAlg and Signature');
  const algorithm = QUERY_ALGORITHMS[signed.sigAlg];
  if (!algorithm) reject('signature_invalid', 'the query signature algorithm is not accepted');
  if (algorithm.sha1 && !check.allowSha1) {
    reject('sha1_refused', 'the query signature uses SHA-1 and the connection does not allow it');
  }
  const signature = Buffer.from(signed.signature, 'base64');
  const data = Buffer.from(signed.signedOctets, 'utf8');
  const valid = check.certificates.some((certificate) => {
    try {
      const key = new X509Certificate(toPem(certificate)).publicKey;
      // XML Signature 1.1 §6.4.3: an ECDSA signature value is r || s, not DER.
      const dsaEncoding = algorithm.ecdsa ? 'ieee-p1363' : 'der';
      return verify(algorithm.hash, data, { key, dsaEncoding }, signature);
    } catch {
      return false;
    }
  });
  if (!valid) reject('signature_invalid', 'the query signature does not verify with the IdP certificates');
}

async function verifyEnvelopedSignature(
  message: DecodedLogoutMessage,
  check: LogoutSignatureCheck,
): Promise<void> {
  const saml = new SAML({
    callbackUrl: check.sloUrl,
    issuer: check.spEntityId,
    idpCert: check.certificates,
    wantAuthnResponseSigned: true,
    // Time, issuer and InResponseTo are Gatehouse's checks, with its clock and store.
    acceptedClockSkewMs: -1,
    validateInResponseTo: ValidateInResponseTo.never,
  });
  try {
    if (message.parameter === 'SAMLRequest') {
      await saml.validatePostRequestAsync({ SAMLRequest: message.encoded });
    } else {
      const { loggedOut } = await saml.validatePostResponseAsync({ SAMLResponse: message.encoded });
      if (!loggedOut) reject('malformed', 'the message is not a LogoutResponse');
    }
  } catch (error) {
    if (error instanceof SamlRejection) throw error;
    const detail = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);
    throw new SamlRejection(
      /signature/i.test(detail) ? 'signature_invalid' : 'malformed',
      `signature verification failed: ${detail}`,
    );
  }
}

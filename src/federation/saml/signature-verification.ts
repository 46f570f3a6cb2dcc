import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import type { SamlSettings } from '../../domain/organizations/connection-input.js';
import { reject, SamlRejection, type SamlRejectionReason } from './saml-rejection.js';

export interface SignatureCheck {
  /** The SAMLResponse form value, base64 as posted. */
  encoded: string;
  spEntityId: string;
  acsUrl: string;
  certificates: string[];
  spPrivateKey: string;
  required: SamlSettings['signature_required_on'];
}

/**
 * node-saml's part: verify the XML signatures with the IdP's certificates (xml-crypto, external
 * KeyInfo ignored), decrypt an EncryptedAssertion, and hand back the assertion exactly as signed
 * (the canonical bytes of the signed reference, or the assertion inside the signed response).
 * Every semantic check node-saml could also do is switched off here (clock skew -1, audience
 * false, InResponseTo never) and done by Gatehouse on this returned XML, with Gatehouse's clock,
 * store and reasons.
 */
export async function verifiedAssertionXml(check: SignatureCheck): Promise<string> {
  const saml = new SAML({
    callbackUrl: check.acsUrl,
    issuer: check.spEntityId,
    idpCert: check.certificates,
    decryptionPvk: check.spPrivateKey,
    wantAuthnResponseSigned: check.required === 'response' || check.required === 'both',
    wantAssertionsSigned: check.required === 'assertion' || check.required === 'both',
    acceptedClockSkewMs: -1,
    audience: false,
    validateInResponseTo: ValidateInResponseTo.never,
  });
  let xml: string | undefined;
  try {
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: check.encoded });
    xml = profile?.getAssertionXml?.();
  } catch (error) {
    throw new SamlRejection(reasonFor(error), `signature verification failed: ${messageOf(error)}`);
  }
  return xml ?? reject('malformed', 'node-saml returned no assertion');
}

/** node-saml throws plain Errors; its messages are the only way to tell them apart. */
function reasonFor(error: unknown): SamlRejectionReason {
  const message = messageOf(error);
  if (/decrypt|EncryptedAssertion content/i.test(message)) return 'decryption_failed';
  if (/refer to more than one|Referenced node|multiple assertions|Too many signatures/i.test(message)) {
    return 'wrapped_signature';
  }
  if (/Error parsing|not a valid|Missing SAML assertion|Cannot obtain|multiple conditions/i.test(message)) {
    return 'malformed';
  }
  return 'signature_invalid';
}

const messageOf = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);

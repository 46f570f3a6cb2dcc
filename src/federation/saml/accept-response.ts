/**
 * Validation of an HTTP-POST SAMLResponse: SAML 2.0 Profiles §4.1.4.3 (processing rules) and
 * §4.1.4.5 (POST-specific), Bindings §3.5.5.2 (Destination). Who checks what, from the source of
 * node-saml 5.1 (saml.js validatePostResponseAsync, xml.js getVerifiedXml):
 *
 * node-saml does, and Gatehouse relies on it for:
 * - verifying XML signatures with the configured IdP certificates only (xml-crypto; a
 *   certificate in KeyInfo is ignored), with at most one Reference, whose URI must be the
 *   parent's ID, that ID unique in the document, and at most two Transforms;
 * - requiring the response or assertion signature its options ask for (wantAuthnResponseSigned,
 *   wantAssertionsSigned), and at most one assertion under the Response;
 * - decrypting an EncryptedAssertion with the SP key;
 * - handing back the assertion as signed (the canonical bytes of the signed reference, or the
 *   assertion inside the verified response), which is all Gatehouse reads values from.
 *
 * node-saml could, but Gatehouse switches it off and does it itself (its own clock, store and
 * reasons): timestamps (acceptedClockSkewMs -1), audience (false), InResponseTo (never; its
 * cache is per process).
 *
 * node-saml does not, so Gatehouse does:
 * - XSW1–XSW8: refuse any second Response/Assertion, duplicate ID, signature outside the element
 *   it signs or carrying ds:Object, before verification; then the verified assertion's ID must be
 *   the inspected one (response-structure, this file);
 * - SHA-1 signature methods and digests refused unless allow_sha1; HMAC always (algorithm-policy);
 * - RSA 1.5 and 3DES decryption refused (encrypted-assertion);
 * - a comment or processing instruction in NameID, AttributeValue, Issuer, Audience (value-comments);
 * - Status other than Success, even with an assertion attached (response-status);
 * - Destination = ACS URL, required on a signed response; Response Issuer = IdP (this file);
 * - assertion Issuer = IdP entity ID; bearer Recipient = ACS URL; NotBefore/NotOnOrAfter of the
 *   bearer data, Conditions and SessionNotOnOrAfter with bounded skew; every AudienceRestriction
 *   names the SP; an AuthnStatement; no Condition it does not understand (assertion-checks);
 * - InResponseTo = a request this SP sent for this connection, single use, in the shared store;
 *   unsolicited responses only when allow_idp_initiated; RelayState as sent (replay-guard, here);
 * - assertion IDs kept until their NotOnOrAfter, so a captured POST is accepted once (replay-guard);
 * - no DTD, and a size bound, on everything parsed (xml-document).
 */
import type { SamlSettings } from '../../domain/organizations/connection-input.js';
import type { UpstreamIdentity } from '../../domain/provisioning/upstream-identity.js';
import { checkAssertion } from './assertion-checks.js';
import { readTrustedAssertion } from './assertion-reader.js';
import { toUpstreamIdentity } from './identity-mapping.js';
import { resolveIdp, type IdpSource } from './idp-source.js';
import type { ReplayGuard } from './replay-guard.js';
import { inspectResponse, MAX_RESPONSE_BYTES, type InspectedResponse } from './response-inspection.js';
import { reject, SamlRejection } from './saml-rejection.js';
import { verifiedAssertionXml } from './signature-verification.js';
import { XmlDocumentError } from './xml-document.js';

export interface AcceptContext {
  spEntityId: string;
  acsUrl: string;
  now: Date;
  skewMs: number;
  guard: ReplayGuard;
}

export interface AcceptableConnection {
  id: string;
  settings: SamlSettings;
  upstreamMetadata: Record<string, unknown> | null;
  spPrivateKey: string;
}

export interface AcceptedResponse {
  identity: UpstreamIdentity;
  inResponseTo: string | null;
  relayState: string | undefined;
  /** Whether a current certificate verified (not one kept from before a metadata change). */
  verifiedWith: 'current' | 'previous';
}

// Bindings §3.4.3 caps RelayState at 80 bytes for requests Gatehouse sends; an unsolicited one
// is the IdP's, so it gets more room, but not unbounded.
const MAX_RELAY_STATE = 1024;
const ENTITY_FORMAT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity';

export async function acceptSamlResponse(
  context: AcceptContext,
  connection: AcceptableConnection,
  form: { SAMLResponse?: unknown; RelayState?: unknown },
): Promise<AcceptedResponse> {
  const { encoded, xml } = decodeForm(form.SAMLResponse);
  const postedRelayState = relayStateOf(form.RelayState);
  const idp = resolveIdp(connection.settings, connection.upstreamMetadata);
  const { settings } = connection;
  try {
    const inspected = await inspectResponse(xml, settings, connection.spPrivateKey);
    const verified = await verifyWithRollover(encoded, idp, context, connection);
    const assertion = readTrustedAssertion(verified.xml);
    // Only the signed element is trusted, and it must be the element that was inspected.
    if (assertion.id !== inspected.assertionId) {
      reject('wrapped_signature', 'the verified assertion is not the one in the response');
    }
    checkEnvelope(inspected, idp, context);
    const checked = checkAssertion(assertion, { ...context, idpEntityId: idp.entityId });
    const requestId = correlate(inspected, checked.inResponseTo);
    if (requestId === undefined && !settings.allow_idp_initiated) {
      reject('idp_initiated_refused', 'the connection does not accept IdP-initiated sign-in');
    }
    const ttl = Math.max(1, Math.ceil((checked.replayUntil.getTime() - context.now.getTime()) / 1000));
    await context.guard.rememberAssertion(connection.id, assertion.id, ttl);
    let relayState = postedRelayState;
    if (requestId !== undefined) {
      const request = await context.guard.consumeRequest(connection.id, requestId);
      if (request.relayState !== (postedRelayState ?? '')) {
        reject('relay_state_mismatch', 'RelayState differs from the one sent with the request');
      }
      relayState = request.relayState;
    }
    return {
      identity: toUpstreamIdentity(connection.id, settings, assertion),
      inResponseTo: requestId ?? null,
      relayState,
      verifiedWith: verified.verifiedWith,
    };
  } catch (error) {
    if (error instanceof XmlDocumentError) throw new SamlRejection('malformed', error.message);
    throw error;
  }
}

function decodeForm(value: unknown): { encoded: string; xml: string } {
  if (typeof value !== 'string' || value.length === 0) reject('malformed', 'no SAMLResponse');
  const encoded = value.replace(/\s+/g, '');
  if (encoded.length > (MAX_RESPONSE_BYTES * 4) / 3 + 4 || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    reject('malformed', 'the SAMLResponse is not base64 of a bounded size');
  }
  return { encoded, xml: Buffer.from(encoded, 'base64').toString('utf8') };
}

function relayStateOf(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > MAX_RELAY_STATE) reject('malformed', 'bad RelayState');
  return value;
}

/** Certificates of the current metadata first; the previous ones only if those fail. */
async function verifyWithRollover(
  encoded: string,
  idp: IdpSource,
  context: AcceptContext,
  connection: AcceptableConnection,
): Promise<{ xml: string; verifiedWith: 'current' | 'previous' }> {
  const check = (certificates: string[]) =>
    verifiedAssertionXml({
      encoded,
      certificates,
      spEntityId: context.spEntityId,
      acsUrl: context.acsUrl,
      spPrivateKey: connection.spPrivateKey,
      required: connection.settings.signature_required_on,
    });
  try {
    return { xml: await check(idp.certificates), verifiedWith: 'current' };
  } catch (error) {
    const retry = error instanceof SamlRejection && error.reason === 'signature_invalid';
    if (!retry || idp.previousCertificates.length === 0) throw error;
    return { xml: await check(idp.previousCertificates), verifiedWith: 'previous' };
  }
}

/**
 * The Response element's own claims. Unsigned they prove nothing, so they are only ever grounds
 * to refuse: Destination (Bindings §3.5.5.2, required when the response is signed) and Issuer
 * (Profiles §4.1.4.2, required when the response is signed or the assertion encrypted).
 */
function checkEnvelope(inspected: InspectedResponse, idp: IdpSource, context: AcceptContext): void {
  const { destination, issuer, responseSigned, encrypted } = inspected;
  if (destination === undefined) {
    if (responseSigned) reject('destination_mismatch', 'a signed Response must name its Destination');
  } else if (destination !== context.acsUrl) {
    reject('destination_mismatch', 'the Response Destination is not this ACS URL');
  }
  if (issuer === undefined) {
    if (responseSigned || encrypted) reject('issuer_mismatch', 'the Response names no Issuer');
  } else if (issuer.value !== idp.entityId || (issuer.format ?? ENTITY_FORMAT) !== ENTITY_FORMAT) {
    reject('issuer_mismatch', 'the Response Issuer is not the IdP of this connection');
  }
}

/** Profiles §4.1.4.3: the bearer's InResponseTo names the request; the Response may not disagree. */
function correlate(inspected: InspectedResponse, fromAssertion: string | undefined): string | undefined {
  if (inspected.inResponseTo !== undefined && inspected.inResponseTo !== fromAssertion) {
    reject('in_response_to_mismatch', 'the Response and the assertion answer different requests');
  }
  return fromAssertion;
}

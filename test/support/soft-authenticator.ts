import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type { AuthenticationResponse, RegistrationResponse } from '../../src/domain/mfa/webauthn-factors.js';

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

// WebAuthn L2 §6.1 authenticator data flags.
const UP = 0x01;
const UV = 0x04;
const BE = 0x08;
const BS = 0x10;
const AT = 0x40;

/**
 * A software authenticator (ES256, `none` attestation) that answers the JSON options the way a
 * browser would: enough of WebAuthn L2 §6.1 and §8.7 for the server's real verification to run.
 */
export function softAuthenticator(origin: string, rpId = new URL(origin).hostname) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const id = randomBytes(16);
  const state = { counter: 0, backedUp: false };
  // RFC 9053 §7.1.1 / RFC 8152 §13.1.1: an EC2 P-256 key for ES256.
  const coseKey = new Map<number, number | Uint8Array>([
    [1, 2],
    [3, -7],
    [-1, 1],
    [-2, Buffer.from(jwk.x!, 'base64url')],
    [-3, Buffer.from(jwk.y!, 'base64url')],
  ]);
  const authenticatorData = (attested: boolean) => {
    const flags = UP | UV | BE | (state.backedUp ? BS : 0) | (attested ? AT : 0);
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(state.counter);
    const parts: Uint8Array[] = [sha256(rpId), Buffer.from([flags]), counter];
    if (attested) {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(id.length);
      parts.push(Buffer.alloc(16), length, id, isoCBOR.encode(coseKey));
    }
    return Buffer.concat(parts);
  };
  const clientData = (type: string, challenge: string, from = origin) =>
    Buffer.from(JSON.stringify({ type, challenge, origin: from, crossOrigin: false }));

  return {
    credentialId: b64url(id),
    state,
    register(options: { challenge: string }): RegistrationResponse {
      const attestationObject = isoCBOR.encode(
        new Map<string, string | Uint8Array | Map<string, string>>([
          ['fmt', 'none'],
          ['attStmt', new Map<string, string>()],
          ['authData', authenticatorData(true)],
        ]),
      );
      return {
        id: b64url(id),
        rawId: b64url(id),
        type: 'public-key',
        authenticatorAttachment: 'cross-platform',
        clientExtensionResults: {},
        response: {
          clientDataJSON: b64url(clientData('webauthn.create', options.challenge)),
          attestationObject: b64url(attestationObject),
          transports: ['usb', 'nfc'],
        },
      };
    },
    /** An assertion; the counter moves by `step` first (0: an authenticator that does not count). */
    authenticate(options: { challenge: string }, step = 1, from = origin): AuthenticationResponse {
      state.counter += step;
      const data = authenticatorData(false);
      const client = clientData('webauthn.get', options.challenge, from);
      // §6.3.3: the signature covers authenticatorData || SHA-256(clientDataJSON); ES256 in DER.
      const signature = sign('sha256', Buffer.concat([data, sha256(client)]), privateKey);
      return {
        id: b64url(id),
        rawId: b64url(id),
        type: 'public-key',
        clientExtensionResults: {},
        response: {
          clientDataJSON: b64url(client),
          authenticatorData: b64url(data),
          signature: b64url(signature),
        },
      };
    },
  };
}

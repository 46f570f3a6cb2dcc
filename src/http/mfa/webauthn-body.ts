import { z } from 'zod';
import type { AuthenticationResponse, RegistrationResponse } from '../../domain/mfa/webauthn-factors.js';

const base64url = z.string().regex(/^[A-Za-z0-9_-]*$/, 'base64url');

/**
 * WebAuthn L2 §5.1's PublicKeyCredential as JSON (the shape of its `toJSON()`, which
 * views/assets/webauthn.js builds by hand). Extra fields a browser adds are dropped, not refused;
 * extension outputs are dropped too: we ask for no extensions.
 */
const credential = {
  id: base64url.max(1366),
  rawId: base64url.max(1366),
  type: z.literal('public-key'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z
    .object({})
    .optional()
    .transform(() => ({})),
};

export const registrationBody = z.object({
  ...credential,
  response: z.object({
    clientDataJSON: base64url,
    attestationObject: base64url,
    transports: z.array(z.string().max(32)).max(16).optional(),
  }),
}) satisfies z.ZodType<RegistrationResponse>;

export const authenticationBody = z.object({
  ...credential,
  response: z.object({
    clientDataJSON: base64url,
    authenticatorData: base64url,
    signature: base64url,
    userHandle: base64url.optional(),
  }),
}) satisfies z.ZodType<AuthenticationResponse>;

import { randomBytes } from 'node:crypto';

/** A signing secret: `whsec_` + 256 random bits, shown once when the endpoint is made. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** The associated data that binds a sealed signing secret to its endpoint row (lib/crypto/envelope). */
export const webhookSecretContext = (endpointId: string) => `webhook-secret:${endpointId}`;

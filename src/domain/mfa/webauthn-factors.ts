import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { ConflictError } from '../errors.js';
import { newId } from '../../lib/ids.js';
import type { EphemeralStore } from '../ports/ephemeral-store.js';
import type { MfaFactorRecord } from '../ports/mfa.js';
import type { Database } from '../ports/repositories.js';

export type RegistrationResponse = RegistrationResponseJSON;
export type AuthenticationResponse = AuthenticationResponseJSON;
export type CreationOptions = PublicKeyCredentialCreationOptionsJSON;
export type RequestOptions = PublicKeyCredentialRequestOptionsJSON;

export interface WebAuthnFactorsDeps {
  store: EphemeralStore;
  /** WebAuthn L2 §5.1.2: the issuer's host name; credentials are scoped to it. */
  rpId: string;
  rpName: string;
  /** The issuer's origin: the only page origin a ceremony may come from (§7.1 step 9, §7.2 step 13). */
  origin: string;
  now: () => Date;
}

/** What a ceremony proved: `backedUp` is the authenticator data's BS flag (WebAuthn L2 §6.1). */
export type Ceremony =
  | { ok: true; factorId: string; backedUp: boolean }
  | { ok: false; reason: 'expired' | 'unknown_credential' | 'invalid' | 'counter_regressed' | 'exists' };

/** The challenge lives as long as the browser's ceremony may (the `timeout` we send). */
const CHALLENGE_SECONDS = 5 * 60;
const challengeKey = (ceremony: 'register' | 'authenticate', userId: string) =>
  `mfa:webauthn:${ceremony}:${userId}`;
export const isConfirmedKey = (factor: MfaFactorRecord) =>
  factor.type === 'webauthn' && factor.confirmedAt !== null && factor.credentialId !== null;
const descriptor = (factor: MfaFactorRecord) => ({
  id: factor.credentialId!,
  transports: factor.transports,
});

/**
 * WebAuthn (Level 2) credentials as second factors: passkeys and security keys. Challenges are
 * single use and per user in the shared store, so any instance may verify what another issued.
 */
export function createWebAuthnFactors(db: Database, deps: WebAuthnFactorsDeps) {
  const keysOf = async (userId: string) => (await db.mfaFactors.listFor(userId)).filter(isConfirmedKey);
  const expected = { expectedOrigin: deps.origin, expectedRPID: deps.rpId };

  return {
    async registrationOptions(user: { id: string; email: string }): Promise<CreationOptions> {
      const options = await generateRegistrationOptions({
        rpName: deps.rpName,
        rpID: deps.rpId,
        // §14.6.1: the user handle must not be personal data; our opaque id is not.
        userID: new TextEncoder().encode(user.id),
        userName: user.email,
        userDisplayName: user.email,
        timeout: CHALLENGE_SECONDS * 1000,
        // §5.4.3: no attestation; we trust possession, not the make of the authenticator.
        attestationType: 'none',
        // §5.4.3 excludeCredentials: one authenticator is one factor, not two.
        excludeCredentials: (await keysOf(user.id)).map(descriptor),
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      });
      await deps.store.put(challengeKey('register', user.id), options.challenge, CHALLENGE_SECONDS);
      return options;
    },

    /** §7.1: checks the new credential against the challenge issued to this user, then stores it confirmed. */
    async verifyRegistration(
      userId: string,
      response: RegistrationResponse,
      label?: string,
    ): Promise<Ceremony> {
      const challenge = await deps.store.take(challengeKey('register', userId));
      if (challenge === undefined) return { ok: false, reason: 'expired' };
      const result = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        ...expected,
        requireUserVerification: false,
      }).catch(() => undefined);
      if (!result?.verified) return { ok: false, reason: 'invalid' };
      const { credential, credentialBackedUp } = result.registrationInfo;
      const factorId = newId('mfa');
      const now = deps.now();
      try {
        await db.mfaFactors.create({
          id: factorId,
          userId,
          type: 'webauthn',
          label: label ?? null,
          credentialId: credential.id,
          publicKey: Buffer.from(credential.publicKey).toString('base64url'),
          signCount: credential.counter,
          transports: credential.transports ?? [],
          backedUp: credentialBackedUp,
          confirmedAt: now,
        });
      } catch (error) {
        // §7.1 step 22: a credential id registered already (to anyone) is refused.
        if (error instanceof ConflictError) return { ok: false, reason: 'exists' };
        throw error;
      }
      return { ok: true, factorId, backedUp: credentialBackedUp };
    },

    async authenticationOptions(userId: string): Promise<RequestOptions> {
      const options = await generateAuthenticationOptions({
        rpID: deps.rpId,
        timeout: CHALLENGE_SECONDS * 1000,
        allowCredentials: (await keysOf(userId)).map(descriptor),
        userVerification: 'preferred',
      });
      await deps.store.put(challengeKey('authenticate', userId), options.challenge, CHALLENGE_SECONDS);
      return options;
    },

    /** §7.2: the assertion must answer this user's challenge with one of this user's credentials. */
    async verifyAuthentication(userId: string, response: AuthenticationResponse): Promise<Ceremony> {
      const challenge = await deps.store.take(challengeKey('authenticate', userId));
      if (challenge === undefined) return { ok: false, reason: 'expired' };
      const factor = (await keysOf(userId)).find((key) => key.credentialId === response.id);
      if (!factor) return { ok: false, reason: 'unknown_credential' };
      const result = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        ...expected,
        // Counter 0 here: the library would throw on a regression; we check it below, after the
        // signature, so only a genuine assertion can report a cloned authenticator.
        credential: {
          id: factor.credentialId!,
          publicKey: Buffer.from(factor.publicKey ?? '', 'base64url'),
          counter: 0,
        },
        requireUserVerification: false,
      }).catch(() => undefined);
      if (!result?.verified) return { ok: false, reason: 'invalid' };
      const { newCounter, credentialBackedUp } = result.authenticationInfo;
      // §6.1.1 / §7.2 step 21: a counter that did not grow (unless both are 0: authenticators
      // such as synced passkeys do not count) means two authenticators hold the same key.
      if ((newCounter > 0 || factor.signCount > 0) && newCounter <= factor.signCount) {
        return { ok: false, reason: 'counter_regressed' };
      }
      await db.mfaFactors.update(factor.id, {
        signCount: newCounter,
        backedUp: credentialBackedUp,
        lastUsedAt: deps.now(),
      });
      return { ok: true, factorId: factor.id, backedUp: credentialBackedUp };
    },
  };
}
export type WebAuthnFactors = ReturnType<typeof createWebAuthnFactors>;

import type { Logger } from 'pino';
import type { Env } from '../config/env.js';
import { createEmailCodes } from '../domain/mfa/email-codes.js';
import { createFactorNotices } from '../domain/mfa/factor-notices.js';
import { createMfaPolicy, mfaRequirement } from '../domain/mfa/mfa-policy.js';
import { createRecoveryCodes } from '../domain/mfa/recovery-codes.js';
import { createFactorSelfService } from '../domain/mfa/self-service.js';
import { createSignInMfaRequirement } from '../domain/mfa/sign-in-requirement.js';
import { createTotpFactors } from '../domain/mfa/totp-factors.js';
import { createWebAuthnFactors } from '../domain/mfa/webauthn-factors.js';
import type { OrganizationAccess } from '../domain/organizations/organization-access.js';
import type { EphemeralStore } from '../domain/ports/ephemeral-store.js';
import type { Mailer } from '../domain/ports/mailer.js';
import type { Database } from '../domain/ports/repositories.js';
import type { Envelope } from '../lib/crypto/envelope.js';
import { createDevOutbox } from '../mail/dev-outbox.js';
import { enrolledFactors } from '../domain/mfa/enrolled-factors.js';
import { createSmtpMailer } from '../mail/smtp-mailer.js';

/** SMTP when configured; otherwise the dev outbox (log plus an in-memory list). */
export function chooseMailer(env: Env, logger: Logger, injected: Mailer | undefined) {
  if (injected) return { mailer: injected, outbox: [] };
  if (env.SMTP_URL)
    return { mailer: createSmtpMailer({ url: env.SMTP_URL, from: env.MAIL_FROM }), outbox: [] };
  const dev = createDevOutbox({ logger, logBodies: env.NODE_ENV === 'development' });
  return { mailer: dev.mailer, outbox: dev.messages };
}

export interface MfaWiringDeps {
  env: Env;
  db: Database;
  store: EphemeralStore;
  envelope: Envelope;
  tenancy: OrganizationAccess;
  mailer: Mailer;
  now: () => Date;
  /** A key of its own for a purpose, derived from the key-encryption key (never in the database). */
  pepper(purpose: string): Buffer;
}

/** Part of the composition root: second factors, and what each sign-in owes by policy. */
export function wireMfa({ env, db, store, envelope, tenancy, mailer, now, pepper }: MfaWiringDeps) {
  const policy = createMfaPolicy(db);
  const recoveryCodes = createRecoveryCodes(db, { now, pepper: pepper('gatehouse recovery codes') });
  const requirement = createSignInMfaRequirement(tenancy, (id) => policy.forOrganization(id), mfaRequirement);
  const emailCodes = (purposeKey: string, purpose?: 'first_factor') =>
    createEmailCodes({
      store,
      mailer,
      users: db.users,
      pepper: pepper(purposeKey),
      ...(purpose ? { purpose } : {}),
    });
  return {
    totp: createTotpFactors(db, { envelope, store, now, issuerName: 'Gatehouse' }),
    // WebAuthn L2 §5.1.2 / §13.4.9: credentials belong to the issuer's host, ceremonies to its origin.
    webauthn: createWebAuthnFactors(db, {
      store,
      rpId: new URL(env.ISSUER).hostname,
      rpName: 'Gatehouse',
      origin: new URL(env.ISSUER).origin,
      now,
    }),
    /** Whether the user has a confirmed TOTP app and a confirmed security key (one read). */
    enrolled: enrolledFactors(db),
    recoveryCodes,
    emailCodes: emailCodes('gatehouse email codes'),
    /** Magic Auth: emailed codes as the first factor, apart from the second factor's (keys, pepper). */
    signInCodes: emailCodes('gatehouse sign-in codes', 'first_factor'),
    notices: createFactorNotices({ mailer, users: db.users }),
    requirement,
    /** The user's own account page: list and remove factors, new recovery codes. */
    selfService: createFactorSelfService(db, { requirement, recoveryCodes }),
  };
}
export type MfaServices = ReturnType<typeof wireMfa>;

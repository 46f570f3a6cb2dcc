import type { Mailer } from '../ports/mailer.js';
import type { UserRecord } from '../ports/repositories.js';

export type FactorNotice =
  'totp_added' | 'webauthn_added' | 'totp_removed' | 'webauthn_removed' | 'locked' | 'sign_in_locked';

const CONTACT = 'If this was not you, contact your administrator.';
const NOTICES: Record<FactorNotice, { subject: string; text: string }> = {
  totp_added: {
    subject: 'An authenticator app was added to your account',
    text: `An authenticator app was set up for two-step verification on your account, and a new set of recovery codes was made. ${CONTACT}`,
  },
  webauthn_added: {
    subject: 'A passkey was added to your account',
    text: `A passkey or security key was set up for two-step verification on your account, and a new set of recovery codes was made. ${CONTACT}`,
  },
  totp_removed: {
    subject: 'An authenticator app was removed from your account',
    text: `An authenticator app was removed from two-step verification on your account. Its codes no longer sign you in. ${CONTACT}`,
  },
  webauthn_removed: {
    subject: 'A passkey was removed from your account',
    text: `A passkey or security key was removed from two-step verification on your account. It no longer signs you in. ${CONTACT}`,
  },
  locked: {
    subject: 'Two-step verification is locked on your account',
    text: `Too many wrong codes were tried for your account, so two-step verification is locked for 15 minutes. Someone may know your password: change it. ${CONTACT}`,
  },
  sign_in_locked: {
    subject: 'Sign-in is paused on your account',
    text: `Too many wrong passwords or sign-in codes were tried for your account, so signing in is paused for 15 minutes. ${CONTACT}`,
  },
};

/**
 * Tells the account owner about changes to their second factors and about lockouts, so an
 * attacker holding the password cannot add a factor or hammer codes unnoticed. The messages
 * name what happened, never a code or secret.
 */
export function createFactorNotices(deps: {
  mailer: Mailer;
  users: { findById(id: string): Promise<UserRecord | undefined> };
}) {
  return {
    async notify(userId: string, notice: FactorNotice): Promise<void> {
      const user = await deps.users.findById(userId);
      if (!user) return;
      await deps.mailer.send({ to: user.email, ...NOTICES[notice] });
    },
  };
}
export type FactorNotices = ReturnType<typeof createFactorNotices>;

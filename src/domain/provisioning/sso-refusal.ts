/** Why an SSO sign-in is turned away. The HTTP layer shows `reason` to the user and logs the code. */
export type SsoRefusal =
  | 'connection_unavailable'
  | 'organization_suspended'
  | 'email_missing'
  | 'email_domain_not_verified'
  | 'jit_disabled'
  | 'membership_suspended'
  | 'identity_conflict';

export interface Refused {
  kind: 'refused';
  code: SsoRefusal;
  /** Plain words for the person signing in: never ids, domains of other tenants or internals. */
  reason: string;
}

const REASONS: Record<SsoRefusal, string> = {
  connection_unavailable: 'This sign-in method is not available. Ask your administrator.',
  organization_suspended: 'Your organization’s access is suspended.',
  email_missing: 'Your identity provider did not send a usable email address.',
  email_domain_not_verified:
    'Your email address is not in a domain your organization has verified for single sign-on.',
  jit_disabled: 'Your account has not been set up for this organization yet. Ask your administrator.',
  membership_suspended: 'Your access to this organization is suspended.',
  identity_conflict:
    'This email address already belongs to another account at your identity provider. Ask your administrator.',
};

export const refuse = (code: SsoRefusal, reason: string = REASONS[code]): Refused => ({
  kind: 'refused',
  code,
  reason,
});

/** Why an SSO sign-in is turned away. The HTTP layer shows `reason` to the user and logs the code. */
export type SsoRefusal =
  | 'connection_unavailable'
  | 'organization_suspended'
  | 'organization_frozen'
  | 'organization_access_ended'
  | 'feature_not_in_plan'
  | 'monthly_active_users_exceeded'
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
  organization_frozen: 'Your organization is temporarily frozen by the operator. Ask your administrator.',
  organization_access_ended:
    'Your organization’s access to this service has ended. Ask your administrator to renew it.',
  feature_not_in_plan: 'Single sign-on is not part of your organization’s plan. Ask your administrator.',
  monthly_active_users_exceeded:
    'Your organization has reached its plan’s limit of monthly active users this month. Ask your administrator.',
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

/**
 * Users who signed in to an organization in a calendar month (UTC, `YYYY-MM`): what a plan's
 * monthly-active-user quota counts (domain/entitlements).
 */
export interface MonthlyActiveUserRepository {
  /** Records the user as active there that month; true when this was the month's first sign-in. */
  record(organizationId: string, month: string, userId: string): Promise<boolean>;
  /** Whether the user signed in that month to any of these organizations. */
  has(organizationIds: readonly string[], month: string, userId: string): Promise<boolean>;
  /** Distinct users who signed in that month to any of these organizations. */
  count(organizationIds: readonly string[], month: string): Promise<number>;
}

import type { FindAccount } from 'oidc-provider';
import type { LocalAccounts } from '../domain/accounts/local-accounts.js';

/** Claims released per scope; the claims map in provider-config.ts decides which scope unlocks which. */
export function createFindAccount(accounts: LocalAccounts): FindAccount {
  return async (_ctx, sub) => {
    const user = await accounts.findById(sub);
    if (!user) return undefined;
    return {
      accountId: user.id,
      async claims() {
        return {
          sub: user.id,
          email: user.email,
          email_verified: user.emailVerified,
          ...(user.name ? { name: user.name } : {}),
        };
      },
    };
  };
}

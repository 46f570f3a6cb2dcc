import { ACCOUNT_BACKOFF, ADDRESS_BACKOFF } from '../accounts/sign-in-throttle.js';
import type { RiskSignal } from '../ports/risk.js';
import type { RiskInputs } from './risk-inputs.js';

export const MAX_VELOCITY_POINTS = 30;
const PER_ACCOUNT_FAILURE = 5;
const PER_ADDRESS_FAILURE = 1;

/**
 * Recent failed attempts on the account or from the address (the backoff's own counts). The
 * failures the backoff forgives (people mistype) add nothing; each one past them adds a little,
 * up to a ceiling, so a guessed password does not walk straight in after a burst of wrong ones.
 */
export function failedVelocity(failures: RiskInputs['failures']): RiskSignal | undefined {
  const account = Math.max(0, failures.account - Math.min(2, ACCOUNT_BACKOFF.freeFailures));
  const address = Math.max(0, failures.address - ADDRESS_BACKOFF.freeFailures / 3);
  const points = Math.min(
    MAX_VELOCITY_POINTS,
    Math.round(account * PER_ACCOUNT_FAILURE + address * PER_ADDRESS_FAILURE),
  );
  if (points <= 0) return undefined;
  return {
    name: 'failed_velocity',
    points,
    detail: `${failures.account} recent failed attempts on the account, ${failures.address} from the address`,
  };
}

import type { RiskSignal } from '../ports/risk.js';
import { succeededBefore, type RiskInputs } from './risk-inputs.js';

export const NEW_DEVICE_POINTS = 25;

/**
 * A browser this user never finished a sign-in from (its device cookie is new, or missing). The
 * first sign-in a user ever makes sets the baseline: with nothing to compare, nothing is new.
 */
export function newDevice(
  inputs: Pick<RiskInputs, 'deviceHash' | 'deviceCookieIssued' | 'history'>,
): RiskSignal | undefined {
  const known = succeededBefore(inputs.history);
  if (known.length === 0) return undefined;
  if (inputs.deviceHash && known.some((record) => record.deviceHash === inputs.deviceHash)) return undefined;
  const detail =
    inputs.deviceHash && !inputs.deviceCookieIssued
      ? 'no earlier successful sign-in of this user came from this browser'
      : 'the browser brought no device cookie';
  return { name: 'new_device', points: NEW_DEVICE_POINTS, detail };
}

import type { RiskSignal } from '../ports/risk.js';
import { failedVelocity } from './failed-velocity.js';
import { outsideAllowedCountries } from './geo-fence.js';
import { impossibleTravel } from './impossible-travel.js';
import { knownBadIp } from './known-bad-ip.js';
import { newDevice } from './new-device.js';
import { newNetwork } from './new-network.js';
import { outsideAllowlist } from './outside-allowlist.js';
import type { RiskInputs } from './risk-inputs.js';

/** Every signal that fires for one sign-in, in a fixed order (the explanation reads top down). */
export function riskSignals(inputs: RiskInputs): RiskSignal[] {
  return [
    knownBadIp(inputs.ip, inputs.knownBadNetworks),
    outsideAllowlist(inputs.ip, inputs.network),
    outsideAllowedCountries(inputs.location, inputs.network),
    impossibleTravel(inputs),
    newDevice(inputs),
    newNetwork(inputs),
    failedVelocity(inputs.failures),
  ].filter((signal): signal is RiskSignal => signal !== undefined);
}

import type { DesiredOrganization } from '../../domain/config/desired-state.js';
import { entitlementsOf } from '../../domain/entitlements/effective-entitlements.js';

type Path = readonly (string | number)[];
type Report = (path: Path, message: string) => void;

const hasPlan = (organization: DesiredOrganization) => Object.keys(organization.plan).length > 0;

/** Every organization of a contract: the top-level one and all below it. */
const contractOf = (root: DesiredOrganization): DesiredOrganization[] => [
  root,
  ...root.children.flatMap(contractOf),
];

/**
 * What the plan says about the rest of the file, checked where an admin API call would be refused:
 * a plan only on a top-level organization; connections only when the contract's plan includes
 * SSO and within its connection quota; SCIM directories only when it includes SCIM.
 */
export function planProblems(
  organization: DesiredOrganization,
  path: Path,
  root: DesiredOrganization | undefined,
  report: Report,
): void {
  if (root && hasPlan(organization)) {
    report(
      [...path, 'plan'],
      'a plan belongs on the top-level organization: sub-organizations share their root organization’s plan',
    );
  }
  const contract = root ?? organization;
  const { tier, features, quotas } = entitlementsOf(contract.plan);
  if (tier === null) return;
  if (!features.sso && organization.connections.length > 0)
    report([...path, 'connections'], `the ${tier} plan of ${contract.slug} does not include sso`);
  if (!features.scim && organization.directories.length > 0)
    report([...path, 'directories'], `the ${tier} plan of ${contract.slug} does not include scim`);
  if (!root && features.sso && quotas.connections !== null) {
    const used = contractOf(organization).reduce((sum, org) => sum + org.connections.length, 0);
    if (used > quotas.connections)
      report(
        [...path, 'plan'],
        `the plan allows ${quotas.connections} connections and the organization and its sub-organizations list ${used}`,
      );
  }
}

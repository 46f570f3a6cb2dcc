import type { DesiredOrganization } from '../../domain/config/desired-state.js';
import { compileRoleRules, RoleRulesError } from '../../domain/provisioning/role-rules.js';
import { isVerifiedFor } from '../../domain/realm-discovery/routing-rules.js';

type Path = readonly (string | number)[];
type Report = (path: Path, message: string) => void;

/**
 * Routing and provisioning rules checked against the rest of their organization in the file: rules
 * name its own connections and domains, role rules parse and give roles it offers. Each problem is
 * reported at its own rule, so one pass over the file finds them all.
 */
export function ssoProblems(
  organization: DesiredOrganization,
  path: Path,
  offered: ReadonlySet<string>,
  report: Report,
): void {
  const keys = organization.connections.map((connection) => connection.key);
  const unknown = (key: string) =>
    `connection ${key} is not a connection of this organization` +
    (keys.length > 0 ? ` (it has ${keys.join(', ')})` : ' (it has none)');
  const declared = { verifiedDomains: organization.domains.map((claim) => claim.domain) };
  organization.routing.rules.forEach((rule, index) => {
    const at = [...path, 'routing', 'rules', index];
    if (!isVerifiedFor(rule.domain, declared)) {
      report(
        [...at, 'domain'],
        `${rule.domain} is not one of this organization's domains (list it, or a wildcard covering it, under domains)`,
      );
    }
    if (!keys.includes(rule.connection)) report([...at, 'connection'], unknown(rule.connection));
  });
  const fallback = organization.routing.fallbackConnection;
  if (fallback !== null && !keys.includes(fallback)) {
    report([...path, 'routing', 'fallback_connection'], unknown(fallback));
  }

  const rules = organization.provisioning.role_rules ?? [];
  try {
    compileRoleRules(rules);
  } catch (error) {
    if (!(error instanceof RoleRulesError)) throw error;
    for (const problem of error.problems) {
      report([...path, 'provisioning', 'role_rules', problem.index, problem.field], problem.message);
    }
  }
  rules.forEach((rule, index) => {
    if (offered.has(rule.assign_role)) return;
    report(
      [...path, 'provisioning', 'role_rules', index, 'assign_role'],
      `role ${rule.assign_role} is not defined by this organization or inherited from a parent organization`,
    );
  });
}

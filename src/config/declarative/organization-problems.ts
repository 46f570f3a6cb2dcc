import { isMap, isScalar, type Document, type LineCounter, type YAMLMap } from 'yaml';
import type { DesiredOrganization } from '../../domain/config/desired-state.js';
import { effectiveRoles } from '../../domain/organizations/role-inheritance.js';
import { directoryChecks } from './directory-problems.js';
import { POLICY_KEYS } from '../../domain/organizations/security-policies.js';
import { LATER_ORGANIZATION_KEYS, laterOrganizationKeyMessage } from './organization-schema.js';
import { planProblems } from './plan-problems.js';
import { ssoProblems } from './sso-problems.js';
import { formatPath, positionOf, type SourcePosition } from './yaml-position.js';

type Path = readonly (string | number)[];

export interface LocatedProblem extends SourcePosition {
  message: string;
}

/**
 * Keys of a later release inside any organization (`impersonation`, `plan`). Read from the
 * YAML before `${ENV_VAR}` expansion: a secret reference inside a refused block is not demanded.
 */
export function laterOrganizationKeyProblems(doc: Document, lines: LineCounter): LocatedProblem[] {
  const organizations = isMap(doc.contents) ? doc.contents.get('organizations', true) : undefined;
  const problems: LocatedProblem[] = [];
  const visit = (map: unknown, path: Path) => {
    if (!isMap(map)) return;
    for (const pair of (map as YAMLMap).items) {
      if (!isScalar(pair.key) || !isMap(pair.value)) continue;
      const at: Path = [...path, String(pair.key.value)];
      for (const item of pair.value.items) {
        const key = isScalar(item.key) ? String(item.key.value) : undefined;
        if (key && LATER_ORGANIZATION_KEYS.includes(key)) {
          problems.push({
            ...positionOf(doc, lines, [...at, key]),
            message: laterOrganizationKeyMessage(key),
          });
        }
      }
      visit(pair.value.get('sub_organizations', true), [...at, 'sub_organizations']);
    }
  };
  visit(organizations, ['organizations']);
  return problems;
}

interface Placed {
  organization: DesiredOrganization;
  path: Path;
  /** Nearest first, without the organization itself. */
  ancestors: Placed[];
}

/**
 * What the schema cannot see: rules across organizations of the file. Slugs are unique across the
 * whole tree (they are global), a name is claimed once, connection ids are unique per organization,
 * default roles exist, sub-organizations neither override a role nor set a policy their ancestors
 * keep for themselves, routing and role rules name what their organization has (sso-problems),
 * and directories map groups to offered roles (directory-problems).
 */
export function organizationProblems(
  organizations: readonly DesiredOrganization[],
  locate: (path: Path) => SourcePosition,
): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  const report = (path: Path, message: string) =>
    problems.push({ ...locate(path), message: `${formatPath(path)}: ${message}` });
  const slugs = new Map<string, number>();
  const domains = new Map<string, { line: number; slug: string }>();
  const checkDirectories = directoryChecks(locate);
  const visit = (list: readonly DesiredOrganization[], parentPath: Path, ancestors: Placed[]) => {
    for (const organization of list) {
      const path = [...parentPath, organization.slug];
      const placed = { organization, path, ancestors };
      const first = slugs.get(organization.slug);
      if (first === undefined) slugs.set(organization.slug, locate(path).line);
      else report(path, `organization ${organization.slug} is already defined on line ${first}`);
      organization.domains.forEach(({ domain }, index) => {
        const at = [...path, 'domains', index];
        const claimed = domains.get(domain);
        if (claimed === undefined) domains.set(domain, { line: locate(at).line, slug: organization.slug });
        else report(at, `${domain} is already claimed by ${claimed.slug} on line ${claimed.line}`);
      });
      const connections = new Map<string, number>();
      organization.connections.forEach(({ key }, index) => {
        const at = [...path, 'connections', index, 'id'];
        const first = connections.get(key);
        if (first === undefined) connections.set(key, locate(at).line);
        else report(at, `connection ${key} is already defined on line ${first}`);
      });
      const offered = checkRoles(placed, locate, report);
      checkPolicies(placed, locate, report);
      ssoProblems(organization, path, offered, report);
      checkDirectories(organization, path, offered, report);
      planProblems(organization, path, ancestors[ancestors.length - 1]?.organization, report);
      visit(organization.children, [...path, 'sub_organizations'], [placed, ...ancestors]);
    }
  };
  visit(organizations, ['organizations'], []);
  return problems;
}

type Report = (path: Path, message: string) => void;

/** Reports role problems; returns the names the organization offers (its own and inherited). */
function checkRoles(
  { organization, path, ancestors }: Placed,
  locate: (path: Path) => SourcePosition,
  report: Report,
): ReadonlySet<string> {
  const asRows = (placed: Pick<Placed, 'organization'>) =>
    placed.organization.roles.map((role) => ({ ...role, organizationId: placed.organization.slug }));
  const ancestorSlugs = ancestors.map((ancestor) => ancestor.organization.slug);
  const inherited = effectiveRoles(ancestorSlugs, ancestors.flatMap(asRows));
  const seen = new Map<string, number>();
  organization.roles.forEach((role, index) => {
    const at = [...path, 'roles', index, 'name'];
    const first = seen.get(role.name);
    if (first !== undefined) report(at, `role ${role.name} is already defined on line ${first}`);
    seen.set(role.name, first ?? locate(at).line);
    const locked = inherited.get(role.name)?.role;
    if (locked && !locked.overridable) {
      const owner = ancestors.find((ancestor) => ancestor.organization.slug === locked.organizationId);
      report(
        at,
        `role ${role.name} is inherited from ${locked.organizationId}` +
          `${owner ? ` (line ${locate(owner.path).line})` : ''}, which does not allow overriding it ` +
          '(mark it overridable: true there, or choose another name)',
      );
    }
  });
  const { defaultRole } = organization;
  const offered = effectiveRoles(
    [organization.slug, ...ancestorSlugs],
    [...asRows({ organization }), ...ancestors.flatMap(asRows)],
  );
  if (defaultRole !== null && !offered.has(defaultRole)) {
    report(
      [...path, 'default_role'],
      `role ${defaultRole} is not defined by this organization or inherited from a parent organization`,
    );
  }
  return new Set(offered.keys());
}

function checkPolicies(
  { organization, path, ancestors }: Placed,
  locate: (path: Path) => SourcePosition,
  report: Report,
) {
  const policies = organization.securityPolicies;
  for (const key of POLICY_KEYS) {
    if (policies[key] === undefined) continue;
    const locker = ancestors.find((ancestor) => ancestor.organization.securityPolicies.locked?.includes(key));
    if (locker) {
      report(
        [...path, 'security_policies', key],
        `${key} is locked by ${locker.organization.slug} (line ${locate(locker.path).line}); ` +
          'sub-organizations may not override it',
      );
    }
  }
}

import { assertRoleRulesValid } from '../organizations/provisioning-admin.js';
import type { ReceivedAttributes } from '../ports/connection-health.js';
import type { Database } from '../ports/repositories.js';
import type { RoleRuleSetting } from '../ports/tenancy.js';
import { assertedEmail } from '../provisioning/asserted-email.js';
import { mapAttributes, type AttributeValue } from '../provisioning/attribute-mapping.js';
import { provisionedRoles } from '../provisioning/provisioned-roles.js';
import { RoleRulesError, type RoleRuleProblem } from '../provisioning/role-rules.js';

/** What a sign-in with these attributes would make of the user, computed without writing anything. */
export interface MappingPreview {
  email: string | undefined;
  /** Why the sign-in would be refused for its email (missing, unverified domain); undefined when fine. */
  emailProblem: string | undefined;
  name: string | undefined;
  /** Profile fields other than email and name. */
  profile: Record<string, string>;
  /** Custom attributes: what role rules read besides the profile. */
  custom: Record<string, AttributeValue>;
  defaultRoles: string[];
  ruleRoles: string[];
  /** Rules that do not compile or name roles the organization does not offer (nothing is saved then). */
  ruleProblems: RoleRuleProblem[];
  warnings: string[];
}

/**
 * Applies an attribute map and role rules (saved or still being edited) to attributes a sign-in
 * or test received, through the very functions a sign-in uses (provisioning's mapping, email
 * check and role rules), so the preview cannot drift from what a sign-in would do.
 */
export async function previewMapping(
  db: Database,
  organizationId: string,
  received: ReceivedAttributes,
  attributeMap: Record<string, string>,
  roleRules: readonly RoleRuleSetting[],
): Promise<MappingPreview> {
  const { profile, custom } = mapAttributes(received.claims, attributeMap);
  const checked = await assertedEmail(db, organizationId, {
    mapped: profile.email,
    protocol: received.email,
    verified: undefined,
  });
  const email = 'kind' in checked ? (profile.email ?? received.email) : checked.email;
  const { email: _mapped, name, ...rest } = profile;
  const ruleProblems = await ruleProblemsOf(db, organizationId, roleRules);
  const chain = await db.organizations.chain(organizationId);
  const [organization, ...ancestors] = chain;
  const warnings: string[] = [];
  const roles =
    organization && ruleProblems.length === 0
      ? await provisionedRoles(
          db,
          [
            { ...organization, provisioning: { ...organization.provisioning, role_rules: [...roleRules] } },
            ...ancestors,
          ],
          { ...custom, ...profile, ...(email ? { email } : {}) },
          warnings,
        )
      : { defaultRoles: organization?.defaultRole ? [organization.defaultRole] : [], ruleRoles: [] };
  return {
    email,
    emailProblem: 'kind' in checked ? checked.reason : undefined,
    name: name ?? ([rest.given_name, rest.family_name].filter(Boolean).join(' ') || undefined),
    profile: rest,
    custom,
    ...roles,
    ruleProblems,
    warnings,
  };
}

async function ruleProblemsOf(
  db: Database,
  organizationId: string,
  rules: readonly RoleRuleSetting[],
): Promise<RoleRuleProblem[]> {
  try {
    await assertRoleRulesValid(db, organizationId, rules);
    return [];
  } catch (error) {
    if (error instanceof RoleRulesError) return error.problems;
    throw error;
  }
}

import { looksLikeEmail, normalizeEmail } from '../../lib/email.js';
import { newId } from '../../lib/ids.js';
import { organizationForEmail } from '../organizations/organization-access.js';
import { recordChange } from '../organizations/tenancy-scope.js';
import type { Repositories, UserRecord } from '../ports/repositories.js';
import type { Actor, OrganizationRecord } from '../ports/tenancy.js';
import { isJsonObject, scimErrors, type JsonObject, type UserInput } from '../scim/model/index.js';

/** The address a SCIM user signs in with: its primary email, else an email-shaped userName (Okta). */
export function emailOf(input: UserInput): string | undefined {
  if (input.primaryEmail) return input.primaryEmail;
  return looksLikeEmail(input.userName) ? normalizeEmail(input.userName) : undefined;
}

/** Name and OIDC profile claims from the SCIM name (RFC 7643 §4.1.1). */
export function profileOf(resource: JsonObject): { name: string | null; profile: Record<string, string> } {
  const name = isJsonObject(resource.name) ? resource.name : {};
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
  const given = text(name.givenName);
  const family = text(name.familyName);
  const full =
    text(name.formatted) ??
    text(resource.displayName) ??
    ([given, family].filter(Boolean).join(' ') || undefined);
  return {
    name: full ?? null,
    profile: {
      ...(given ? { given_name: given } : {}),
      ...(family ? { family_name: family } : {}),
      ...(text(resource.locale) ? { locale: text(resource.locale)! } : {}),
    },
  };
}

/** A user as the audit log shows it: read by administrators of many tenants, so never a password hash. */
export const userAuditView = ({ passwordHash, ...rest }: UserRecord) => ({
  ...rest,
  hasPassword: passwordHash !== null,
});

/**
 * The Gatehouse user a SCIM user stands for, by the rule SSO sign-ins follow (asserted-email.ts):
 * a directory speaks for the addresses under domains its organization holds the most specific
 * verified claim on, and for no others. There, the person with that address is linked (one user
 * whether they arrive by SCIM or by a first SSO sign-in), or created.
 */
export async function directoryPerson(
  repos: Repositories,
  actor: Actor,
  organization: OrganizationRecord,
  input: UserInput,
): Promise<UserRecord> {
  const email = emailOf(input);
  if (!email) {
    throw scimErrors.invalidValue('A user needs an email address: in emails, or as a userName that is one.');
  }
  const owner = await organizationForEmail(repos, email);
  if (owner?.id !== organization.id) {
    throw scimErrors.invalidValue(
      `The organization has not verified the domain of ${email}: verify it before provisioning its users.`,
    );
  }
  const { name, profile } = profileOf(input.resource);
  const existing = await repos.users.findByEmail(email);
  if (existing) return refreshPerson(repos, actor, organization, existing, { email, name, profile });
  const user = await repos.users.create({
    id: newId('usr'),
    email,
    emailVerified: true,
    name,
    profile,
    passwordHash: null,
    managedBy: null,
  });
  await recordChange(repos, actor, {
    organizationId: organization.id,
    action: 'user.create',
    targetType: 'user',
    targetId: user.id,
    before: null,
    after: userAuditView(user),
  });
  return user;
}

/**
 * A linked user after the directory changed them: name and profile as the directory last said
 * (fields it did not send stay), and a new address where the organization verified its domain
 * and nobody else has it (otherwise the old one stays: the link, not the address, says who it is).
 */
export async function updatedPerson(
  repos: Repositories,
  actor: Actor,
  organization: OrganizationRecord,
  userId: string,
  input: UserInput,
): Promise<UserRecord> {
  const user = await repos.users.findById(userId);
  // Directory users are deleted with their user (ON DELETE CASCADE): a dangling one is a broken database.
  if (!user) throw new Error(`directory user names missing user ${userId}`);
  const wanted = emailOf(input);
  const movable =
    wanted !== undefined &&
    wanted !== user.email &&
    (await organizationForEmail(repos, wanted))?.id === organization.id &&
    !(await repos.users.findByEmail(wanted));
  return refreshPerson(repos, actor, organization, user, {
    email: movable ? wanted : user.email,
    ...profileOf(input.resource),
  });
}

async function refreshPerson(
  repos: Repositories,
  actor: Actor,
  organization: OrganizationRecord,
  user: UserRecord,
  asserted: { email: string; name: string | null; profile: Record<string, string> },
): Promise<UserRecord> {
  const { email } = asserted;
  const name = asserted.name ?? user.name;
  const profile = { ...user.profile, ...asserted.profile };
  const same =
    email === user.email &&
    name === user.name &&
    Object.keys(profile).length === Object.keys(user.profile).length &&
    Object.entries(profile).every(([key, value]) => user.profile[key] === value);
  if (same) return user;
  const after = await repos.users.update(user.id, {
    name,
    profile,
    ...(email === user.email ? {} : { email, emailVerified: true }),
  });
  await recordChange(repos, actor, {
    organizationId: organization.id,
    action: 'user.update',
    targetType: 'user',
    targetId: user.id,
    before: userAuditView(user),
    after: userAuditView(after),
  });
  return after;
}

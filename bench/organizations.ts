import { TOKEN_EXCHANGE_GRANT } from '../src/domain/tokens/token-exchange-policy.js';
import { API, API_SCOPE, REDIRECT_URI, SECRET } from './settings.js';

/**
 * The tenancy the `org_token` and `org_exchange` scenarios measure, on Gatehouse only (the baselines have no
 * organizations): one user who belongs to ORGANIZATIONS organizations, each defining
 * ROLES_PER_ORGANIZATION roles of PERMISSIONS_PER_ROLE permissions, of which the user holds
 * ROLES_PER_MEMBER. Deterministic, so the seeding (gatehouse-server.ts) and the check of the
 * claims (scenarios/organization-claims.ts) compute the same thing.
 */
export const ORGANIZATIONS = 50;
export const ROLES_PER_ORGANIZATION = 20;
export const PERMISSIONS_PER_ROLE = 5;
export const ROLES_PER_MEMBER = 3;

export const ORG_USER = {
  email: 'bench-orgs@example.com',
  password: 'correct horse battery staple',
  name: 'Bench Member Of Many',
};
export const ORG_CLIENT = 'org-web-app';
export const ORG_SCOPE = 'openid organization roles offline_access';

/** A first-party web client allowed the organization claims (org_token); seeded on Gatehouse only. */
export const ORG_CLIENT_DEFINITION = {
  client_id: ORG_CLIENT,
  client_secret: SECRET,
  redirect_uris: [REDIRECT_URI],
  scopes: ['openid', 'organization', 'roles', 'offline_access'],
};

export const ORG_EXCHANGE_CLIENT = 'org-api-app';
export const ORG_EXCHANGE_SCOPE = `openid organization roles ${API_SCOPE}`;

/**
 * A second first-party client for org_exchange, so that org_token's client stays as it was (a
 * client with exactly one resource gets JWT access tokens at sign-in by default): it signs in
 * for the bench API (the one client_credentials asks for, with the same scope) and exchanges
 * those access tokens (RFC 8693). No refresh token: the scenario never refreshes.
 */
export const ORG_EXCHANGE_CLIENT_DEFINITION = {
  client_id: ORG_EXCHANGE_CLIENT,
  client_secret: SECRET,
  redirect_uris: [REDIRECT_URI],
  grant_types: ['authorization_code', TOKEN_EXCHANGE_GRANT],
  scopes: ['openid', 'organization', 'roles', API_SCOPE],
  resources: [API],
};

/** The clients the organization scenarios use, seeded with the organizations. */
export const ORG_CLIENT_DEFINITIONS = [ORG_CLIENT_DEFINITION, ORG_EXCHANGE_CLIENT_DEFINITION];

/** Set on the Gatehouse child when a selected scenario needs the organizations seeded. */
export const SEED_ORGANIZATIONS_ENV = 'BENCH_SEED_ORGANIZATIONS';

/** What the Gatehouse child reports about the seeding (in the report's meta). */
export interface OrganizationSeeding {
  organizations: number;
  rolesPerOrganization: number;
  permissionsPerRole: number;
  rolesPerMember: number;
  ms: number;
}

export interface BenchRole {
  name: string;
  permissions: string[];
}

export interface BenchOrganization {
  slug: string;
  name: string;
  roles: BenchRole[];
  /** The roles ORG_USER holds here. */
  memberRoles: string[];
  /** What the token should carry for ORG_USER here, sorted. */
  memberPermissions: string[];
}

const pad = (value: number) => String(value).padStart(2, '0');

function roles(org: number): BenchRole[] {
  return Array.from({ length: ROLES_PER_ORGANIZATION }, (_, role) => ({
    name: `role-${pad(role)}`,
    // Distinct per organization and role, so a claim from the wrong organization cannot pass.
    permissions: Array.from(
      { length: PERMISSIONS_PER_ROLE },
      (_, permission) => `o${pad(org)}r${pad(role)}:action-${permission}`,
    ),
  }));
}

export function benchOrganization(index: number): BenchOrganization {
  const all = roles(index);
  // Spread over the role list and different per organization: (index + k * 7) mod 20.
  const held = Array.from(
    { length: ROLES_PER_MEMBER },
    (_, k) => all[(index + k * 7) % ROLES_PER_ORGANIZATION]!,
  );
  return {
    slug: `bench-org-${pad(index)}`,
    name: `Bench Organization ${pad(index)}`,
    roles: all,
    memberRoles: held.map((role) => role.name),
    memberPermissions: [...new Set(held.flatMap((role) => role.permissions))].sort(),
  };
}

export const benchOrganizations = (): BenchOrganization[] =>
  Array.from({ length: ORGANIZATIONS }, (_, index) => benchOrganization(index));

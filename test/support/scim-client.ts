import { randomUUID } from 'node:crypto';
import type { TestGatehouse } from './gatehouse.js';
import { OPERATOR, createOrganization } from './tenancy.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

export type ScimBody = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ScimAnswer {
  status: number;
  body: ScimBody;
  headers: Headers;
}

/** A SCIM client of one directory, as an IdP's provisioning agent talks to it. */
export interface ScimClient {
  baseUrl: string;
  token: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ScimAnswer>;
}

export function scimClient(gh: TestGatehouse, directoryId: string, token: string): ScimClient {
  const baseUrl = `${gh.issuer}/scim/v2/${directoryId}`;
  return {
    baseUrl,
    token,
    async call(method, path, body, headers = {}) {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text ? (JSON.parse(text) as ScimBody) : {},
        headers: response.headers,
      };
    },
  };
}

/**
 * An organization with a verified domain of its own, roles, and a SCIM directory: what a
 * customer sets up before pointing Entra ID or Okta at Gatehouse.
 */
export async function scimDirectory(
  gh: TestGatehouse,
  options: {
    name?: string;
    roles?: Array<{ name: string; permissions: string[] }>;
    groupRoleMap?: Record<string, string>;
  } = {},
) {
  const organization = await createOrganization(gh, options.name ?? 'Directory Co', {
    roles: options.roles ?? [],
  });
  const domain = `${randomUUID().slice(0, 8)}.scim.test`;
  await gh.container.admin.domains.add(OPERATOR, organization.id, { domain, verified: true });
  const { directory, token } = await gh.container.admin.directories.create(OPERATOR, organization.id, {
    key: 'scim',
    type: 'scim',
    group_role_map: options.groupRoleMap ?? {},
  });
  return { organization, domain, directory, token, scim: scimClient(gh, directory.id, token) };
}

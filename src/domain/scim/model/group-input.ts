import { isJsonObject } from './json.js';
import type { JsonObject } from './json.js';
import { normaliseResource } from './resource-input.js';
import { GROUP_RESOURCE } from './resource-schemas.js';
import { scimErrors } from './scim-error.js';

export interface GroupInput {
  /** The resource to store, in canonical attribute case; never `id` or `meta`. */
  resource: JsonObject;
  displayName: string;
  /** Entra ID and Okta look groups up by `displayName eq ...`, which is caseExact false. */
  displayNameNormalised: string;
  externalId: string | null;
  /** The `value` of each member, in order, each once: what a store links. */
  memberIds: string[];
}

/**
 * Normalises a Group POST or PUT body; both carry the whole member list (RFC 7644 §3.5.1), so
 * there is no mode. Each member must name its `value`: RFC 7643 §4.2 lets the service provider
 * require it, and a member without one cannot be linked to anything.
 */
export function parseGroupInput(body: unknown): GroupInput {
  const resource = normaliseResource(body, GROUP_RESOURCE);
  const members = Array.isArray(resource.members) ? resource.members : [];
  const memberIds = new Set<string>();
  const unique = members.filter((member, index) => {
    const value = isJsonObject(member) ? member.value : undefined;
    if (typeof value !== 'string')
      throw scimErrors.invalidValue(`Attribute members[${index}].value is required.`);
    // RFC 7643 §2.4: a service provider MAY drop duplicate values; a member is listed once.
    if (memberIds.has(value)) return false;
    memberIds.add(value);
    return true;
  });
  const displayName = String(resource.displayName);
  return {
    resource: unique.length === members.length ? resource : { ...resource, members: unique },
    displayName,
    displayNameNormalised: displayName.normalize('NFC').trim().toLowerCase(),
    externalId: typeof resource.externalId === 'string' ? resource.externalId : null,
    memberIds: [...memberIds],
  };
}

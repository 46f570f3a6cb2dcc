import { normalizeEmail } from '../../../lib/email.js';
import { isJsonObject } from './json.js';
import type { JsonObject, JsonValue } from './json.js';
import { normaliseResource } from './resource-input.js';
import { USER_RESOURCE } from './resource-schemas.js';

/** POST creates; PUT replaces (RFC 7644 §3.5.1). */
export type InputMode = 'create' | 'replace';

export interface UserInput {
  /** The resource to store, in canonical attribute case; never `id`, `meta`, `groups` or `password`. */
  resource: JsonObject;
  userName: string;
  /** RFC 7643 §4.1.1: userName is caseExact false and unique, so uniqueness is checked on this. */
  userNameNormalised: string;
  /** The primary email, else the first work email, else the first one; lower case, NFC. */
  primaryEmail: string | null;
  externalId: string | null;
  /**
   * On create, true unless the body says otherwise. On replace, `undefined` when the body is
   * silent: RFC 7643 §4.1.1 leaves the meaning of `active` to the service provider, and a PUT that
   * leaves it out must not quietly re-enable a user a client deactivated.
   */
  active: boolean | undefined;
}

/**
 * Normalises a User POST (`create`) or PUT (`replace`) body. Tolerates what IdPs really send:
 * any attribute-name case, Entra ID's "True"/"False" strings, Okta's `id`, `meta`, `groups` and
 * `password` (ignored), OneLogin's nulls, unknown attributes and extensions (ignored). Strict on
 * `schemas`, a non-blank `userName`, types and sizes.
 */
export function parseUserInput(body: unknown, mode: 'create'): UserInput & { active: boolean };
export function parseUserInput(body: unknown, mode: InputMode): UserInput;
export function parseUserInput(body: unknown, mode: InputMode): UserInput {
  const normalised = normaliseResource(body, USER_RESOURCE);
  const resource =
    mode === 'create' && normalised.active === undefined ? { ...normalised, active: true } : normalised;
  const userName = String(resource.userName);
  return {
    resource,
    userName,
    userNameNormalised: userName.normalize('NFC').trim().toLowerCase(),
    primaryEmail: primaryEmail(resource.emails),
    externalId: typeof resource.externalId === 'string' ? resource.externalId : null,
    active: typeof resource.active === 'boolean' ? resource.active : undefined,
  };
}

function primaryEmail(emails: JsonValue | undefined): string | null {
  const values = (Array.isArray(emails) ? emails : []).filter(
    (email): email is JsonObject & { value: string } =>
      isJsonObject(email) && typeof email.value === 'string',
  );
  const chosen =
    values.find((email) => email.primary === true) ??
    values.find((email) => email.type === 'work') ??
    values[0];
  return chosen ? normalizeEmail(chosen.value) : null;
}

/**
 * A connection's attribute map turns what an upstream IdP asserted (OIDC claims, SAML attributes)
 * into Gatehouse attributes. The map goes from upstream name to Gatehouse name, e.g.
 * `{ "http://schemas.microsoft.com/ws/2008/06/identity/claims/role": "maritime_role" }`.
 *
 * - Profile fields are the OIDC Core §5.1 standard claims Gatehouse keeps on the user:
 *   PROFILE_FIELDS below. A profile field holds one string: of a multi-valued SAML attribute, the
 *   first value.
 * - Every other Gatehouse name the map produces is a custom attribute. Custom attributes keep
 *   every value (a list stays a list), so rules can say `groups contains 'Underwriters'`.
 * - An upstream claim whose name is itself a profile field (`email`, `given_name`, ...) is taken
 *   as that field unless the map fills the field from somewhere else, so an OIDC IdP needs no map.
 *   Other unmapped claims are dropped: rules see only what an administrator chose to map.
 * - When several upstream names map to one Gatehouse name, the first present one in map order
 *   wins (e.g. `mail`, then `upn`, as `email`).
 * - Only strings, finite numbers and booleans (or lists of them) are kept; nested objects and
 *   nulls are dropped, as the condition language cannot read them anyway.
 */
export const PROFILE_FIELDS = [
  'email',
  'name',
  'given_name',
  'family_name',
  'locale',
  'picture',
  'phone_number',
] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

type Scalar = string | number | boolean;
export type AttributeValue = Scalar | Scalar[];

export interface MappedAttributes {
  profile: Partial<Record<ProfileField, string>>;
  custom: Record<string, AttributeValue>;
}

const isProfileField = (name: string): name is ProfileField =>
  (PROFILE_FIELDS as readonly string[]).includes(name);

export function mapAttributes(
  claims: Readonly<Record<string, unknown>>,
  attributeMap: Readonly<Record<string, string>>,
): MappedAttributes {
  const values = new Map<string, AttributeValue>();
  for (const [upstream, target] of Object.entries(attributeMap)) {
    const value = Object.hasOwn(claims, upstream) ? keepable(claims[upstream]) : undefined;
    if (value !== undefined && !values.has(target)) values.set(target, value);
  }
  for (const field of PROFILE_FIELDS) {
    const value = Object.hasOwn(claims, field) ? keepable(claims[field]) : undefined;
    if (value !== undefined && !values.has(field)) values.set(field, value);
  }
  const profile: MappedAttributes['profile'] = {};
  const custom = new Map<string, AttributeValue>();
  for (const [name, value] of values) {
    if (!isProfileField(name)) custom.set(name, value);
    else {
      const text = firstText(value);
      if (text !== undefined) profile[name] = text;
    }
  }
  // fromEntries defines own properties, so even a target named `__proto__` stays plain data.
  return { profile, custom: Object.fromEntries(custom) };
}

function keepable(value: unknown): AttributeValue | undefined {
  if (isScalar(value)) return value;
  if (!Array.isArray(value)) return undefined;
  const items = (value as unknown[]).filter(isScalar);
  return items.length > 0 ? items : undefined;
}

function isScalar(value: unknown): value is Scalar {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function firstText(value: AttributeValue): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  const text = first === undefined ? '' : String(first).trim();
  return text === '' ? undefined : text;
}

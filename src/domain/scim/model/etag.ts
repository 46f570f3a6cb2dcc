/** RFC 9110 §8.8.3: an entity tag, `W/"opaque"` (weak) or `"opaque"` (strong). */
export interface EntityTag {
  readonly weak: boolean;
  readonly opaque: string;
}

// RFC 9110 §8.8.3: etagc = %x21 / %x23-7E / obs-text; no DQUOTE, no control characters, no space.
const OPAQUE = /^[\x21\x23-\x7e\x80-\xff]*$/u;
const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"/u;

/**
 * RFC 7644 §3.14: the weak ETag of a resource version, e.g. `W/"7"`. Weak because the tag stands
 * for the resource's state, not for the bytes of one representation (attribute projection
 * changes those).
 */
export function etagForVersion(version: string | number): string {
  const opaque = String(version);
  if (opaque === '' || !OPAQUE.test(opaque)) throw new Error(`a version cannot be an entity tag: ${opaque}`);
  return `W/"${opaque}"`;
}

/**
 * `*`, the list of entity tags, or `undefined` when the header is not a valid RFC 9110 §13.1.1
 * field value (an unquoted tag, a stray character).
 */
export function parseEntityTags(header: string): '*' | EntityTag[] | undefined {
  const trimmed = header.trim();
  if (trimmed === '*') return '*';
  const tags: EntityTag[] = [];
  let rest = trimmed;
  while (rest.length > 0) {
    const match = ENTITY_TAG.exec(rest);
    if (!match) return undefined;
    tags.push({ weak: match[1] !== undefined, opaque: match[2] ?? '' });
    rest = rest.slice(match[0].length).trimStart();
    if (rest.startsWith(',')) rest = rest.slice(1).trimStart();
    else if (rest.length > 0) return undefined;
  }
  return tags.length > 0 ? tags : undefined;
}

/**
 * Whether a write may go ahead under `If-Match` (RFC 9110 §13.1.1). No header: yes. `*`: yes, the
 * resource exists. A malformed header: no, so a garbled precondition never turns into an
 * unconditional write.
 *
 * Comparison is by opaque tag, ignoring `W/` (RFC 9110 §8.8.3.2 weak comparison), although
 * RFC 9110 asks for strong comparison here: SCIM servers only mint weak tags and RFC 7644 §3.14
 * shows clients echoing them in If-Match, so strong comparison would fail every request. The tag
 * is the resource version, which changes on every change of state, so nothing is lost.
 */
export function ifMatchSatisfied(header: string | undefined, etag: string): boolean {
  if (header === undefined) return true;
  const tags = parseEntityTags(header);
  if (tags === '*') return true;
  return tags !== undefined && tags.some((tag) => tag.opaque === opaqueOf(etag));
}

/**
 * Whether a request proceeds under `If-None-Match` (RFC 9110 §13.1.2, weak comparison as it
 * prescribes): false means the client's copy is current (304 for GET). `*` matches any existing
 * resource. A malformed header is ignored, since the worst outcome is sending a full body.
 */
export function ifNoneMatchSatisfied(header: string | undefined, etag: string): boolean {
  if (header === undefined) return true;
  const tags = parseEntityTags(header);
  if (tags === '*') return false;
  return tags === undefined || !tags.some((tag) => tag.opaque === opaqueOf(etag));
}

function opaqueOf(etag: string): string {
  const tags = parseEntityTags(etag);
  const tag = Array.isArray(tags) && tags.length === 1 ? tags[0] : undefined;
  if (!tag) throw new Error(`not a single entity tag: ${etag}`);
  return tag.opaque;
}

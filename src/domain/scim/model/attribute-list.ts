/**
 * The value of `attributes` or `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9): attribute paths
 * separated by commas. A plain split is enough: paths never contain commas. A repeated query
 * parameter gives several strings, which are joined.
 */
export function parseAttributeList(value: string | readonly string[] | undefined): string[] {
  const parts = typeof value === 'string' ? [value] : [...(value ?? [])];
  return parts
    .flatMap((part) => part.split(','))
    .map((path) => path.trim())
    .filter((path) => path !== '');
}

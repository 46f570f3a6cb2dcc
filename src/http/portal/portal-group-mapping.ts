/** Blank rows the mapping form offers for new groups (no script adds rows). */
const BLANK_ROWS = 3;
/** More rows than any form of ours sends; a forged form cannot make us loop long. */
const MAX_ROWS = 500;

/** The editor's rows: each mapped group, then a few blank ones. */
export function mappingRows(
  map: Record<string, string>,
): Array<{ index: number; group: string; role: string }> {
  const rows = Object.entries(map)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, role]) => ({ group, role }));
  for (let i = 0; i < BLANK_ROWS; i += 1) rows.push({ group: '', role: '' });
  return rows.map((row, index) => ({ index, ...row }));
}

/**
 * The posted map: `group_<i>` -> `role_<i>` for every row whose group name is filled in. A row
 * with a group and no role is kept with an empty role, so validation refuses it visibly instead
 * of dropping what the administrator typed.
 */
export function mappingFromForm(body: unknown): Record<string, string> {
  const fields = (body ?? {}) as Record<string, unknown>;
  const map: Record<string, string> = {};
  for (let i = 0; i < MAX_ROWS; i += 1) {
    const group = fields[`group_${i}`];
    if (group === undefined) break;
    const role = fields[`role_${i}`];
    if (typeof group !== 'string' || group.trim() === '') continue;
    map[group.trim()] = typeof role === 'string' ? role : '';
  }
  return map;
}

import type { DesiredOrganization } from '../../domain/config/desired-state.js';
import type { SourcePosition } from './yaml-position.js';

type Path = readonly (string | number)[];
type Report = (path: Path, message: string) => void;

/**
 * Directory rules across the file: ids are unique in their organization, a group is mapped once
 * (SCIM displayNames compare case-insensitively), mapped roles are offered by the organization,
 * and no two directories share a token (a token names the one directory it opens). Problems name
 * lines, never a token.
 */
export function directoryChecks(locate: (path: Path) => SourcePosition) {
  const tokens = new Map<string, { line: number; name: string }>();
  return (organization: DesiredOrganization, path: Path, offered: ReadonlySet<string>, report: Report) => {
    const keys = new Map<string, number>();
    organization.directories.forEach((directory, index) => {
      const at = [...path, 'directories', index];
      const first = keys.get(directory.key);
      if (first === undefined) keys.set(directory.key, locate([...at, 'id']).line);
      else report([...at, 'id'], `directory ${directory.key} is already defined on line ${first}`);

      const groups = new Map<string, number>();
      for (const [group, role] of Object.entries(directory.groupRoleMap)) {
        const groupAt = [...at, 'group_role_map', group];
        const mapped = groups.get(group.toLowerCase());
        if (mapped !== undefined) {
          report(groupAt, `group ${group} is already mapped on line ${mapped} (group names ignore case)`);
        }
        groups.set(group.toLowerCase(), mapped ?? locate(groupAt).line);
        if (!offered.has(role)) {
          report(
            groupAt,
            `role ${role} is not defined by this organization or inherited from a parent organization`,
          );
        }
      }

      if (directory.token === undefined) return;
      const name = `${organization.slug}/${directory.key}`;
      const holder = tokens.get(directory.token);
      if (holder === undefined) tokens.set(directory.token, { line: locate([...at, 'token']).line, name });
      else {
        report(
          [...at, 'token'],
          `the same token already opens directory ${holder.name} (line ${holder.line}); each directory needs its own`,
        );
      }
    });
  };
}

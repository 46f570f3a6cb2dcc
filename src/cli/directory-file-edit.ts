import type { Document } from 'yaml';
import { issueDirectoryToken } from '../domain/directories/directories-admin.js';
import type { EditOutcome } from './config-file-edit.js';
import { envVariableName } from './env-file.js';
import { CliError, EXIT_CONFLICT } from './errors.js';
import { findOrganization } from './sso-file-edit.js';
import { appendItem, blockSequence, itemsOf } from './yaml-edit.js';

export interface DirectoryDraft {
  organization: string;
  key: string;
  groupRoleMap: Record<string, string>;
}

export interface DirectoryFileResult {
  tokenVariable: string;
  /** The bearer token the IdP sends; shown to the operator once, kept in the .env file for apply. */
  token: string;
}

/**
 * Adds a SCIM directory whose token is a `${VARIABLE}` the .env file sets: apply stores only its
 * digest, and the IdP is given the token now, so the operator needs no second step to learn it.
 */
export function addDirectoryToDocument(
  doc: Document,
  draft: DirectoryDraft,
): EditOutcome<DirectoryFileResult> {
  const organization = findOrganization(doc, draft.organization);
  const taken = itemsOf(organization.node, 'directories').some(
    (directory) =>
      typeof directory === 'object' && directory !== null && 'id' in directory && directory.id === draft.key,
  );
  if (taken) {
    throw new CliError(
      `${organization.path} already has a directory ${draft.key}: choose another name with --id`,
      EXIT_CONFLICT,
    );
  }
  const tokenVariable = envVariableName(draft.organization, draft.key, 'SCIM_TOKEN');
  const { token } = issueDirectoryToken();
  const mapped = Object.keys(draft.groupRoleMap).length > 0 ? { group_role_map: draft.groupRoleMap } : {};
  appendItem(
    doc,
    blockSequence(doc, organization.node, 'directories'),
    { id: draft.key, type: 'scim', ...mapped, token: `\${${tokenVariable}}` },
    {
      comment:
        ` SCIM 2.0 directory. Its base URL, once applied: <issuer>/scim/v2/<directory id>\n` +
        ` (\`gatehouse directories list --organization ${draft.organization}\` gives the id).`,
    },
  );
  return {
    env: [
      {
        name: tokenVariable,
        value: token,
        comment: `SCIM bearer token of directory ${draft.key} of ${draft.organization}`,
      },
    ],
    result: { tokenVariable, token },
  };
}

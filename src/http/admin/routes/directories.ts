import { z } from 'zod';
import { directoryCreateSchema, directoryUpdateSchema } from '../../../domain/directories/directory-input.js';
import type { AdminServices } from '../../../domain/organizations/admin-services.js';
import { defineRoute, type AdminRoute } from '../route.js';
import { organizationParam, organizationParams, ref } from './params.js';
import { DirectoryJson, directoryJson, DirectoryWithTokenJson } from './representations/directory.js';
import { created, found, listOf, noContent, ok, problems, removed, segment } from './responses.js';

const tags = ['directories'];
const params = z.strictObject({ ...organizationParam, directory: ref('Directory key, e.g. `entra-scim`.') });
const NewDirectory = directoryCreateSchema.meta({ id: 'NewDirectory' });
const DirectoryChanges = directoryUpdateSchema.meta({ id: 'DirectoryChanges' });

/** An organization's SCIM directories: their bearer tokens are shown once, at creation and rotation. */
export function directoryRoutes({ directories }: AdminServices): AdminRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization/directories',
      summary: "List the organization's SCIM directories",
      tags,
      params: organizationParams,
      responses: found(listOf(DirectoryJson), 'Directories.'),
      handler: async ({ principal, params }) =>
        ok({ data: (await directories.list(principal, params.organization)).map(directoryJson) }),
    }),
    defineRoute({
      method: 'POST',
      path: '/organizations/:organization/directories',
      summary: 'Add a SCIM directory; the answer carries its bearer token, once',
      tags,
      params: organizationParams,
      body: NewDirectory,
      responses: {
        201: { description: 'Created.', schema: DirectoryWithTokenJson },
        ...problems.notFound,
        ...problems.conflict,
        ...problems.rule,
      },
      handler: async ({ principal, params, body }) => {
        const { directory, token } = await directories.create(principal, params.organization, body);
        return created(`/organizations/${directory.organizationId}/directories/${segment(directory.key)}`, {
          ...directoryJson(directory),
          token,
        });
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization/directories/:directory',
      summary: 'Get a SCIM directory',
      tags,
      params,
      responses: found(DirectoryJson, 'The directory.'),
      handler: async ({ principal, params }) =>
        ok(directoryJson(await directories.get(principal, params.organization, params.directory))),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/organizations/:organization/directories/:directory',
      summary: "Change a directory's group-to-role map",
      tags,
      params,
      body: DirectoryChanges,
      responses: { ...found(DirectoryJson, 'The changed directory.'), ...problems.rule },
      handler: async ({ principal, params, body }) =>
        ok(directoryJson(await directories.update(principal, params.organization, params.directory, body))),
    }),
    defineRoute({
      method: 'POST',
      path: '/organizations/:organization/directories/:directory/rotate-token',
      summary: 'Issue a new bearer token; the old one stops working at once',
      tags,
      params,
      responses: found(DirectoryWithTokenJson, 'The directory and its new token.'),
      handler: async ({ principal, params }) => {
        const { directory, token } = await directories.rotateToken(
          principal,
          params.organization,
          params.directory,
        );
        return ok({ ...directoryJson(directory), token });
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/organizations/:organization/directories/:directory',
      summary: 'Remove a directory and what it pushed (the users and their memberships stay)',
      tags,
      params,
      responses: removed('Removed.'),
      handler: async ({ principal, params }) => {
        await directories.delete(principal, params.organization, params.directory);
        return noContent();
      },
    }),
  ];
}

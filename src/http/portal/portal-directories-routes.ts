import Router from '@koa/router';
import type { Context } from 'koa';
import type { DirectoriesAdmin, DirectoryView } from '../../domain/directories/directories-admin.js';
import { directoryCreateSchema, directoryUpdateSchema } from '../../domain/directories/directory-input.js';
import { DomainError, NotFoundError } from '../../domain/errors.js';
import { adminPrincipalOf } from '../../domain/portal/portal-principal.js';
import type { RenderPage } from '../../lib/render-page.js';
import { SCIM_PREFIX } from '../scim/scim-prefix.js';
import { portalPrincipal, requirePortal } from './portal-access.js';
import { formField, portalForm } from './portal-csrf.js';
import type { PortalFlash } from './portal-flash.js';
import { mappingFromForm, mappingRows } from './portal-group-mapping.js';
import { sendPortalPage } from './portal-page.js';

export interface PortalDirectoriesDeps {
  issuer: string;
  render: RenderPage;
  directories: Pick<DirectoriesAdmin, 'list' | 'get' | 'create' | 'rotateToken' | 'update'>;
  /** Role names the organization offers (its own and inherited), for the mapping editor. */
  roleNames(organizationId: string): Promise<string[]>;
  flash: PortalFlash;
}

interface Notice {
  ok: boolean;
  text: string;
}

const when = (date: Date | null) =>
  date ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : null;

/**
 * SCIM directories of the portal's organization: create one, read its base URL, see its bearer
 * token exactly once (on the page a create or rotate redirects to; a reload shows only the hint),
 * rotate it, and map directory groups to roles. Writes go through the admin directory service.
 */
export function portalDirectoryRoutes(deps: PortalDirectoriesDeps): Router {
  const router = new Router({ prefix: '/portal/directories' });
  const gate = requirePortal('dsync');
  const baseUrl = (directory: DirectoryView) => `${deps.issuer}${SCIM_PREFIX}/${directory.id}/`;
  const toDirectory = async (ctx: Context, key: string, notice: Notice, token?: string) => {
    await deps.flash.set(ctx, `directory:${key}`, { notice, token });
    ctx.status = 303;
    ctx.redirect(`/portal/directories/${encodeURIComponent(key)}`);
  };
  const failed = (ctx: Context, error: unknown): string => {
    if (error instanceof NotFoundError) ctx.throw(404, 'This page does not exist.');
    if (!(error instanceof DomainError)) throw error;
    return error.message;
  };

  router.get('/', gate, async (ctx) => {
    const principal = portalPrincipal(ctx);
    const directories = await deps.directories.list(adminPrincipalOf(principal), principal.organizationId);
    sendPortalPage(ctx, deps.render, 'directories', {
      title: 'Directory sync',
      current: 'dsync',
      directories: directories.map((directory) => ({
        key: directory.key,
        baseUrl: baseUrl(directory),
        tokenHint: directory.tokenHint,
      })),
      notice: await deps.flash.take<Notice>(ctx, 'directories'),
    });
  });

  router.post('/', gate, portalForm(), async (ctx) => {
    const principal = portalPrincipal(ctx);
    const parsed = directoryCreateSchema.safeParse({ key: (formField(ctx, 'key') ?? '').trim() });
    if (!parsed.success) {
      await deps.flash.set(ctx, 'directories', {
        ok: false,
        text: 'A directory name uses lower-case letters, digits, _ and - (1 to 63, starting with a letter or digit).',
      });
      ctx.status = 303;
      return ctx.redirect('/portal/directories');
    }
    try {
      const { directory, token } = await deps.directories.create(
        adminPrincipalOf(principal),
        principal.organizationId,
        parsed.data,
      );
      await toDirectory(
        ctx,
        directory.key,
        { ok: true, text: `Directory ${directory.key} was created.` },
        token,
      );
    } catch (error) {
      await deps.flash.set(ctx, 'directories', { ok: false, text: failed(ctx, error) });
      ctx.status = 303;
      ctx.redirect('/portal/directories');
    }
  });

  router.get('/:key', gate, async (ctx) => {
    const principal = portalPrincipal(ctx);
    const key = ctx.params.key ?? '';
    const directory = await deps.directories
      .get(adminPrincipalOf(principal), principal.organizationId, key)
      .catch((error: unknown) => ctx.throw(400, failed(ctx, error)));
    const flash = await deps.flash.take<{ notice?: Notice; token?: string }>(ctx, `directory:${key}`);
    sendPortalPage(ctx, deps.render, 'directories-detail', {
      title: `Directory ${directory.key}`,
      current: 'dsync',
      directory: {
        key: directory.key,
        baseUrl: baseUrl(directory),
        tokenHint: directory.tokenHint,
        tokenRotatedAt: when(directory.tokenRotatedAt),
      },
      token: flash?.token,
      notice: flash?.notice,
      rows: mappingRows(directory.groupRoleMap),
      roles: await deps.roleNames(principal.organizationId),
    });
  });

  router.post('/:key/rotate', gate, portalForm(), async (ctx) => {
    const principal = portalPrincipal(ctx);
    const key = ctx.params.key ?? '';
    try {
      const { token } = await deps.directories.rotateToken(
        adminPrincipalOf(principal),
        principal.organizationId,
        key,
      );
      const text =
        'A new token was issued. The old token stopped working just now: update your identity provider.';
      await toDirectory(ctx, key, { ok: true, text }, token);
    } catch (error) {
      await toDirectory(ctx, key, { ok: false, text: failed(ctx, error) });
    }
  });

  router.post('/:key/mapping', gate, portalForm(), async (ctx) => {
    const principal = portalPrincipal(ctx);
    const key = ctx.params.key ?? '';
    const input = directoryUpdateSchema.safeParse({ group_role_map: mappingFromForm(ctx.request.body) });
    if (!input.success)
      return toDirectory(ctx, key, {
        ok: false,
        text: 'Each group name needs a role (and names up to 256 characters).',
      });
    try {
      await deps.directories.update(adminPrincipalOf(principal), principal.organizationId, key, input.data);
      await toDirectory(ctx, key, { ok: true, text: 'The group-to-role mapping was saved.' });
    } catch (error) {
      await toDirectory(ctx, key, { ok: false, text: failed(ctx, error) });
    }
  });

  return router;
}

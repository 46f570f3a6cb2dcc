import Router from '@koa/router';
import type { Context } from 'koa';
import { DomainError } from '../../../domain/errors.js';
import { adminPrincipalOf } from '../../../domain/portal/portal-principal.js';
import type { ConnectionRecord } from '../../../domain/ports/connections.js';
import type { RoleRuleSetting } from '../../../domain/ports/tenancy.js';
import { RoleRulesError } from '../../../domain/provisioning/role-rules.js';
import { portalPrincipal, requirePortal } from '../portal-access.js';
import { formField, portalForm } from '../portal-csrf.js';
import { mappingFromRows, mappingRowsFromForm, PortalFormError, type MappingRows } from './sso-forms.js';
import { portalConnection } from './sso-connection-page.js';
import { claimRows, previewData } from './sso-page-data.js';
import { redirectWith, sendSsoPage, type SsoPages } from './sso-pages.js';

/** Blank rows under the filled ones, for new entries without a script. */
const BLANK_ROWS = 3;

type Mapping = ReturnType<typeof mappingFromRows>;

const rowsOf = (map: Record<string, string>, rules: readonly RoleRuleSetting[]): MappingRows => ({
  map: Object.entries(map).map(([from, to]) => ({ from, to })),
  rules: rules.map((rule) => ({ condition: rule.condition, role: rule.assign_role })),
});

const withBlanks = (rows: MappingRows) => ({
  map: [...rows.map, ...Array.from({ length: BLANK_ROWS }, () => ({ from: '', to: '' }))],
  rules: [...rows.rules, ...Array.from({ length: BLANK_ROWS }, () => ({ condition: '', role: '' }))],
});

async function sendEditor(
  pages: SsoPages,
  ctx: Context,
  connection: ConnectionRecord,
  rows: MappingRows,
  extra: { preview?: unknown; error?: string },
) {
  const received = (await pages.db.connectionHealth.find(connection.id))?.lastAttributes;
  await sendSsoPage(
    pages,
    ctx,
    'sso-mapping',
    {
      title: `Mapping for ${connection.key}`,
      connection: { id: connection.id, key: connection.key },
      rows: withBlanks(rows),
      claims: received ? claimRows(received) : [],
      preview: extra.preview ?? null,
      error: extra.error ?? null,
    },
    extra.error ? 400 : 200,
  );
}

/** Saves, or says in the editor why not (each bad rule by its number). */
async function save(
  pages: SsoPages,
  ctx: Context,
  connection: ConnectionRecord,
  rows: MappingRows,
  mapping: Mapping,
) {
  const principal = portalPrincipal(ctx);
  try {
    await pages.setup.saveMapping(
      adminPrincipalOf(principal),
      principal.organizationId,
      connection.id,
      mapping.attributeMap,
      mapping.roleRules,
    );
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const message =
      error instanceof RoleRulesError
        ? error.problems.map((problem) => `rule ${problem.index + 1}: ${problem.message}`).join('; ')
        : error.message;
    await sendEditor(pages, ctx, connection, rows, { error: `Not saved: ${message}` });
    return;
  }
  await redirectWith(pages, ctx, `/portal/sso/connections/${connection.id}/mapping`, {
    ok: true,
    text: 'The mapping was saved. It applies from the next sign-in.',
  });
}

async function preview(
  pages: SsoPages,
  ctx: Context,
  connection: ConnectionRecord,
  rows: MappingRows,
  mapping: Mapping,
) {
  const result = await pages.setup.preview(
    portalPrincipal(ctx).organizationId,
    connection.id,
    mapping.attributeMap,
    mapping.roleRules,
  );
  await sendEditor(pages, ctx, connection, rows, {
    preview: result ? previewData(result) : null,
    ...(result ? {} : { error: 'Nothing to preview yet: run “Test connection” first.' }),
  });
}

/**
 * The attribute map of a connection and the organization's role rules, edited side by side. The
 * preview applies the edited (unsaved) values to the attributes the last test or sign-in received;
 * saving goes through the admin services (validated, audited).
 */
export function ssoMappingRoutes(pages: SsoPages): Router {
  const router = new Router({ prefix: '/portal/sso/connections' });
  const gate = requirePortal('sso');

  router.get('/:id/mapping', gate, async (ctx) => {
    const principal = portalPrincipal(ctx);
    const connection = await portalConnection(pages, ctx);
    const policy = await pages.admin.provisioning.get(adminPrincipalOf(principal), principal.organizationId);
    await sendEditor(pages, ctx, connection, rowsOf(connection.attributeMap, policy.role_rules), {});
  });

  router.post('/:id/mapping', gate, portalForm('256kb'), async (ctx) => {
    const connection = await portalConnection(pages, ctx);
    const rows = mappingRowsFromForm(ctx);
    let mapping: Mapping;
    try {
      mapping = mappingFromRows(rows);
    } catch (error) {
      if (!(error instanceof PortalFormError)) throw error;
      await sendEditor(pages, ctx, connection, rows, { error: error.message });
      return;
    }
    const act = formField(ctx, 'action') === 'save' ? save : preview;
    await act(pages, ctx, connection, rows, mapping);
  });

  return router;
}

import type { Context } from 'koa';
import { z } from 'zod';
import {
  connectionCreateSchema,
  connectionUpdateSchema,
  type ConnectionCreate,
  type ConnectionUpdate,
} from '../../../domain/organizations/connection-input.js';
import { roleRuleSchema, MAX_ROLE_RULES } from '../../../domain/organizations/provisioning-input.js';
import type { RoleRuleSetting } from '../../../domain/ports/tenancy.js';
import type { ProviderGuide } from '../../../domain/sso-setup/provider-guides.js';
import { formField } from '../portal-csrf.js';

/** Form input that does not make a valid connection or mapping: the message names the field. */
export class PortalFormError extends Error {}

const field = (ctx: Context, name: string) => {
  const value = formField(ctx, name)?.trim();
  return value ? value : undefined;
};

const firstIssue = (error: z.ZodError) => {
  const issue = error.issues[0];
  const path = issue?.path.join('.');
  return `${path ? `${path}: ` : ''}${issue?.message ?? 'invalid'}`;
};

// OIDC Discovery §4: the issuer is the discovery URL without its well-known suffix; people paste either.
const issuerOf = (value: string | undefined) =>
  value?.replace(/\/\.well-known\/openid-configuration\/?$/, '');

/** The IdP-side settings a form carries, by protocol (blank fields left out). */
function idpSettings(ctx: Context, protocol: 'oidc' | 'saml'): Record<string, string | undefined> {
  if (protocol === 'oidc') {
    return {
      issuer: issuerOf(field(ctx, 'issuer')),
      client_id: field(ctx, 'client_id'),
      client_secret: field(ctx, 'client_secret'),
    };
  }
  return {
    idp_metadata_url: field(ctx, 'idp_metadata_url'),
    idp_metadata_xml: field(ctx, 'idp_metadata_xml'),
  };
}

const defined = (values: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));

/** A new connection from the guide's form: the guide's preset and attribute map, disabled until tested. */
export function connectionFromForm(ctx: Context, guide: ProviderGuide): ConnectionCreate {
  const parsed = connectionCreateSchema.safeParse({
    key: field(ctx, 'key'),
    type: guide.protocol,
    preset: guide.preset,
    enabled: false,
    attribute_map: guide.attributeMap,
    ...defined(idpSettings(ctx, guide.protocol)),
  });
  if (!parsed.success) throw new PortalFormError(firstIssue(parsed.error));
  return parsed.data;
}

/**
 * Changed IdP settings: a filled field replaces the value; for SAML, giving a metadata URL drops
 * pasted XML and the other way round (one source of truth); a blank secret keeps the stored one.
 */
export function settingsChangesFromForm(ctx: Context, protocol: 'oidc' | 'saml'): ConnectionUpdate {
  const given = defined(idpSettings(ctx, protocol));
  const changes: Record<string, unknown> = { ...given };
  if (protocol === 'saml') {
    if (given.idp_metadata_url && !given.idp_metadata_xml) changes.idp_metadata_xml = null;
    if (given.idp_metadata_xml && !given.idp_metadata_url) changes.idp_metadata_url = null;
  }
  if (Object.keys(changes).length === 0)
    throw new PortalFormError('nothing to change: fill in the fields to replace');
  const parsed = connectionUpdateSchema.safeParse(changes);
  if (!parsed.success) throw new PortalFormError(firstIssue(parsed.error));
  return parsed.data as ConnectionUpdate;
}

/** The mapping editor's rows, as typed (kept on the page even when invalid). */
export interface MappingRows {
  map: Array<{ from: string; to: string }>;
  rules: Array<{ condition: string; role: string }>;
}

const MAX_ROWS = 110;

/** Rows `map_from_<n>`/`map_to_<n>` and `rule_condition_<n>`/`rule_role_<n>`; empty rows are dropped. */
export function mappingRowsFromForm(ctx: Context): MappingRows {
  const rows = <T>(read: (index: number) => T | undefined) =>
    Array.from({ length: MAX_ROWS }, (_, index) => read(index)).filter((row): row is T => row !== undefined);
  return {
    map: rows((index) => {
      const from = field(ctx, `map_from_${index}`) ?? '';
      const to = field(ctx, `map_to_${index}`) ?? '';
      return from || to ? { from, to } : undefined;
    }),
    rules: rows((index) => {
      const condition = field(ctx, `rule_condition_${index}`) ?? '';
      const role = field(ctx, `rule_role_${index}`) ?? '';
      return condition || role ? { condition, role } : undefined;
    }),
  };
}

/** The rows as an attribute map and role rules, validated as the admin API validates them. */
export function mappingFromRows(rows: MappingRows): {
  attributeMap: Record<string, string>;
  roleRules: RoleRuleSetting[];
} {
  const duplicate = rows.map.find(
    (row, index) => rows.map.findIndex((other) => other.from === row.from) !== index,
  );
  if (duplicate) throw new PortalFormError(`attribute ${duplicate.from} is mapped twice`);
  const map = connectionUpdateSchema.shape.attribute_map.safeParse(
    Object.fromEntries(rows.map.map((row) => [row.from, row.to])),
  );
  if (!map.success) throw new PortalFormError(`attribute map: ${firstIssue(map.error)}`);
  const rules = z
    .array(roleRuleSchema)
    .max(MAX_ROLE_RULES)
    .safeParse(rows.rules.map((rule) => ({ condition: rule.condition, assign_role: rule.role })));
  if (!rules.success) throw new PortalFormError(`role rules: ${firstIssue(rules.error)}`);
  return { attributeMap: map.data ?? {}, roleRules: rules.data };
}

import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE } from './problem.js';
import { type AdminRoute, pathParamNames } from './route.js';

type Json = Record<string, unknown>;
type JsonSchema = Json & { properties?: Record<string, Json>; required?: string[] };

export interface OpenApiOptions {
  title: string;
  version: string;
  description?: string;
  /** Where the paths are mounted, e.g. `/admin/v1`. */
  serverUrl: string;
}

const COMPONENT_SCHEMAS = '#/components/schemas/';
const ref = (name: string) => ({ $ref: `#/components/responses/${name}` });
const problemContent = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `${COMPONENT_SCHEMAS}Problem` } } };

// Loose: RFC 9457 §3.2 lets problem types add members, and clients ignore the ones they do not know.
const Problem = z.looseObject({
  type: z.string().meta({ description: '`https://gatehouse.dev/problems/<code>`; the code is stable.' }),
  title: z.string(),
  status: z.int().min(400).max(599),
  detail: z.string(),
  instance: z.string().optional().meta({ description: 'The request id; quote it when asking for help.' }),
  errors: z
    .array(z.object({ path: z.string(), message: z.string(), column: z.int().min(1).optional() }))
    .optional()
    .meta({ description: 'Each offending input: 400 for the shape, 422 for rule lists checked whole.' }),
  field: z.string().optional().meta({ description: 'The input that breaks a rule (422).' }),
});

/** Builds an OpenAPI 3.1 document (whose schema dialect is JSON Schema 2020-12, zod's default). */
export function openApiDocument(routes: readonly AdminRoute[], options: OpenApiOptions): Json {
  const schemas: Record<string, Json> = {};
  // Schemas named with `.meta({ id })` come back in `$defs`; they are shared as components instead.
  const convert = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
    const generated = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
    const {
      $schema: _dialect,
      $defs,
      ...rest
    } = JSON.parse(JSON.stringify(generated), (key, value) =>
      key === '$ref' && typeof value === 'string' ? value.replace('#/$defs/', COMPONENT_SCHEMAS) : value,
    ) as JsonSchema & { $defs?: Record<string, Json> };
    Object.assign(schemas, $defs);
    return rest;
  };
  schemas.Problem = convert(Problem, 'output');
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route, convert);
  }
  return {
    openapi: '3.1.1',
    info: { title: options.title, version: options.version, description: options.description },
    servers: [{ url: options.serverUrl }],
    security: [{ apiKey: [] }],
    tags: [...new Set(routes.flatMap((route) => route.tags))].sort().map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'API key (gh_...)' },
      },
      schemas,
      responses: {
        Problem: { description: 'RFC 9457 problem details.', content: problemContent },
        Unauthorized: {
          description: 'Missing, unknown, expired or revoked API key.',
          headers: { 'WWW-Authenticate': { schema: { type: 'string' } } },
          content: problemContent,
        },
        ReadOnlyKey: {
          description: 'A read-only API key (`read_only_key`): it may read, and change nothing.',
          content: problemContent,
        },
      },
    },
  };
}

type Convert = (schema: z.ZodType, io: 'input' | 'output') => JsonSchema;

function operation(route: AdminRoute, convert: Convert): Json {
  const responses: Record<string, Json> = { '401': ref('Unauthorized') };
  // Any route that changes something refuses a read-only key; a route's own 403 says more.
  if (route.permission === 'write') responses['403'] = ref('ReadOnlyKey');
  for (const [status, { description, schema }] of Object.entries(route.responses)) {
    if (Number(status) >= 400) responses[status] = { description, content: problemContent };
    else if (schema) responses[status] = { description, content: json(convert(schema, 'output')) };
    else responses[status] = { description };
  }
  responses.default = ref('Problem');
  return {
    operationId: operationId(route),
    summary: route.summary,
    tags: route.tags,
    'x-permission': route.permission,
    parameters: [...pathParameters(route, convert), ...parameters('query', route.query, convert)],
    ...(route.body && {
      // A body whose every field has a default may be left out (POST .../verify).
      requestBody: {
        required: !route.body.safeParse({}).success,
        content: json(convert(route.body, 'input')),
      },
    }),
    responses,
  };
}

const json = (schema: Json) => ({ 'application/json': { schema } });

function pathParameters(route: AdminRoute, convert: Convert): Json[] {
  if (route.params) return parameters('path', route.params, convert);
  return pathParamNames(route.path).map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
}

function parameters(where: 'path' | 'query', schema: z.ZodObject | undefined, convert: Convert): Json[] {
  if (!schema) return [];
  const { properties = {}, required = [] } = convert(schema, 'input');
  return Object.entries(properties).map(([name, { description, ...property }]) => ({
    name,
    in: where,
    required: where === 'path' || required.includes(name),
    ...(description !== undefined && { description }),
    schema: property,
  }));
}

/** `GET /organizations/:organization/roles` -> `getOrganizationsByOrganizationRoles`. */
function operationId(route: AdminRoute): string {
  const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
  const words = route.path
    .split('/')
    .filter(Boolean)
    .map((segment) => (segment.startsWith(':') ? `By${capital(segment.slice(1))}` : capital(segment)));
  return route.method.toLowerCase() + words.join('').replace(/[^A-Za-z0-9]/g, '');
}

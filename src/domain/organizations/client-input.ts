import { z } from 'zod';
import { clientDefinitionSchema } from '../clients/client-definition.js';

/**
 * A client as admins send it over the API: the declarative definition without `client_secret`
 * (the server makes the secret and shows it once), plus the owning organization.
 */
const {
  client_secret: _secret,
  client_id: clientIdSchema,
  token_endpoint_auth_method: authMethodSchema,
  ...settings
} = clientDefinitionSchema.shape;

// RFC 7591 §2: without token_endpoint_auth_method a client is confidential (client_secret_basic).
const authMethod = authMethodSchema.unwrap().default('client_secret_basic');

/** A 64-character stand-in, so that the definition's rules see the secret the server will make. */
const SECRET_PLACEHOLDER = 'x'.repeat(64);

export const clientReplaceSchema = z
  .object({
    ...settings,
    token_endpoint_auth_method: authMethod,
    /** Id or slug of the owning organization; omitted: environment-wide (environment admins only). */
    organization: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((input, ctx) => addDefinitionIssues({ ...input, client_id: 'placeholder' }, ctx));
export type ClientReplace = z.output<typeof clientReplaceSchema>;

export const clientCreateSchema = z
  .object({ client_id: clientIdSchema, ...clientReplaceSchema.shape })
  .strict()
  .superRefine(addDefinitionIssues);
export type ClientCreate = z.output<typeof clientCreateSchema>;

/** Whether the client authenticates with a secret the server must make. */
export const needsSecret = (input: { token_endpoint_auth_method?: string | undefined }) =>
  input.token_endpoint_auth_method === 'client_secret_basic';

// The same cross-field rules as the declarative file (redirect URIs for the code flow, no
// client_credentials for public clients, keys for private_key_jwt), reported at the same paths.
function addDefinitionIssues(input: ClientReplace & { client_id: string }, ctx: z.RefinementCtx): void {
  const { organization: _organization, ...definition } = input;
  const client_secret = needsSecret(input) ? SECRET_PLACEHOLDER : undefined;
  const result = clientDefinitionSchema.safeParse({ ...definition, client_secret });
  for (const issue of result.error?.issues ?? []) {
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  }
}

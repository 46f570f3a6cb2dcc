import { z } from 'zod';
import { clientReplaceSchema } from '../../../../domain/organizations/client-input.js';
import type { ClientWithSecret } from '../../../../domain/organizations/clients-admin.js';
import type { ClientView } from '../../../../domain/organizations/client-view.js';
import { iso, timestamp } from './timestamps.js';

const { organization: _organization, name: _name, ...settings } = clientReplaceSchema.shape;

export const ClientJson = z
  .object({
    client_id: z.string(),
    name: z.string().nullable(),
    organization_id: z.string().nullable().meta({ description: 'null: an environment-wide client.' }),
    ...settings,
    managed_by: z.string().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Client' });

export const ClientWithSecretJson = ClientJson.extend({
  client_secret: z.string().optional().meta({
    description: 'Present when the server made a secret: shown in this answer only, never again.',
  }),
}).meta({ id: 'ClientWithSecret' });

export const clientJson = (client: ClientView) => ({
  client_id: client.id,
  name: client.name,
  organization_id: client.organizationId,
  ...client.settings,
  managed_by: client.managedBy,
  created_at: iso(client.createdAt),
  updated_at: iso(client.updatedAt),
});

export const clientWithSecretJson = ({ client, secret }: ClientWithSecret) => ({
  ...clientJson(client),
  ...(secret === undefined ? {} : { client_secret: secret }),
});

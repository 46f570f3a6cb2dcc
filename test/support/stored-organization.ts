import { randomUUID } from 'node:crypto';
import type { Repositories } from '../../src/domain/ports/repositories.js';
import type { NewOrganization } from '../../src/domain/ports/tenancy.js';

/**
 * A stored root organization with a unique id and slug and plain settings (active, no policies,
 * no default role), for tests of rows that belong to one; `fields` sets any of them.
 */
export function createStoredOrganization(
  db: Pick<Repositories, 'organizations'>,
  fields: Partial<NewOrganization> = {},
) {
  const unique = randomUUID();
  return db.organizations.create({
    id: `org_${unique}`,
    slug: `org-${unique}`,
    name: 'Acme',
    parentId: null,
    status: 'active',
    metadata: {},
    domainPolicy: {},
    securityPolicies: {},
    defaultRole: null,
    managedBy: null,
    ...fields,
  });
}

import type { Repositories } from '../ports/repositories.js';

export interface EntryApplication {
  id: string;
  name: string;
  /** OIDC Core §4: where the application starts a sign-in itself (https). */
  initiateLoginUri: string;
}

/**
 * The applications a custom domain's landing page offers: those owned by the organization or
 * one of its ancestors that declare an initiate_login_uri (OIDC Core §4, login initiated by a
 * third party). Environment-wide applications are not listed: the page would show one customer
 * every application of the deployment.
 */
export function createEntryApplications(db: Pick<Repositories, 'organizations' | 'clients'>) {
  const list = async (organizationId: string): Promise<EntryApplication[]> => {
    const chain = await db.organizations.chain(organizationId);
    if (chain.length === 0) return [];
    const clients = await db.clients.list({ organizationIds: chain.map((organization) => organization.id) });
    return clients.flatMap((client) => {
      const uri = client.metadata.initiate_login_uri;
      if (typeof uri !== 'string' || !uri.startsWith('https://')) return [];
      const name = typeof client.metadata.client_name === 'string' ? client.metadata.client_name : null;
      return [{ id: client.id, name: client.name ?? name ?? client.id, initiateLoginUri: uri }];
    });
  };
  return {
    list,
    async landing(organizationId: string) {
      const organization = await db.organizations.find(organizationId);
      const applications = await list(organizationId);
      return { name: organization?.name ?? '', applications };
    },
    async entry(organizationId: string, clientId: string): Promise<string | undefined> {
      return (await list(organizationId)).find((application) => application.id === clientId)
        ?.initiateLoginUri;
    },
  };
}

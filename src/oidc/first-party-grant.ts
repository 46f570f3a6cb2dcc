import type { KoaContextWithOIDC } from 'oidc-provider';
import { clientExtra } from './client-metadata.js';

/**
 * First-party clients get their grant without a consent page (the operator consented on the
 * user's behalf by registering them); third-party clients fall through to the consent prompt.
 */
export async function firstPartyGrant(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(oidc.client!.clientId);
  if (grantId) return oidc.provider.Grant.find(grantId);
  return newFirstPartyGrant(ctx);
}

/** A saved grant of the requested scopes and resources, or undefined for third-party clients. */
export async function newFirstPartyGrant(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  const { client } = oidc;
  if (!client || clientExtra(client, 'first_party') !== true || !oidc.session?.accountId) return undefined;
  const grant = new oidc.provider.Grant({
    clientId: client.clientId,
    accountId: oidc.session.accountId,
  });
  grant.addOIDCScope((oidc.params?.scope as string | undefined) ?? 'openid');
  const resources = oidc.params?.resource;
  for (const resource of Array.isArray(resources) ? resources : resources ? [resources as string] : []) {
    const server = oidc.resourceServers?.[resource];
    if (server?.scope) grant.addResourceScope(resource, server.scope);
  }
  await grant.save();
  return grant;
}

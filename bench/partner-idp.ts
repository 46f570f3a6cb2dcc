import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Provider from 'oidc-provider';
import { partnerConfiguration } from './partner-config.js';
import { accountOfEmail, PARTNER_ENV } from './sso.js';

/**
 * Child process: the upstream partner IdP of `federated_login`, a bare oidc-provider on its
 * in-memory adapter (partner-config.ts). Its sign-in step finishes at once: the interaction page
 * signs in the account named by the login_hint Gatehouse forwards, with no form and no password
 * check (like the baseline, which checks none either), so the partner's share of a federated
 * login is as small as oidc-provider makes it: /auth, the interaction, the resume, then the token
 * and userinfo calls from Gatehouse. A hint outside the accounts ends in access_denied.
 */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

async function signIn(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const user = accountOfEmail(String(details.params.login_hint ?? ''));
  const result = user
    ? { login: { accountId: user.accountId, amr: ['pwd'] } }
    : { error: 'access_denied', error_description: 'unknown account' };
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

async function main(): Promise<void> {
  const port = Number(required('PORT'));
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(
    issuer,
    await partnerConfiguration({
      clientId: required(PARTNER_ENV.clientId),
      clientSecret: required(PARTNER_ENV.clientSecret),
      redirectUri: required(PARTNER_ENV.redirectUri),
    }),
  );
  const callback = provider.callback();
  const server = createServer((req, res) => {
    const interaction = req.method === 'GET' && /^\/interaction\/[\w-]+$/.test(req.url?.split('?')[0] ?? '');
    const handled = interaction ? signIn(provider, req, res) : Promise.resolve(callback(req, res));
    handled.catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  process.on('message', (message) => {
    if (message !== 'stop') return;
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
  // The orchestrator died without saying stop: do not outlive it.
  process.once('disconnect', () => process.exit(1));
  process.send?.({ ready: true, issuer });
}

main().catch((error) => {
  console.error('partner IdP failed to start', error);
  process.exit(1);
});

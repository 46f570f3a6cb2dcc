import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { ACCOUNT_ID, configuration } from './baseline-config.js';
import { openBaselineStorage } from './baseline-storage.js';

/**
 * Child process: a bare oidc-provider (baseline-config.ts) with none of Gatehouse's Koa app,
 * rate limits or password check. BASELINE_STORAGE picks its adapter: `memory` (default,
 * oidc-provider's in-memory LRU) or `gatehouse` (Gatehouse's own PostgreSQL + Redis adapter, see
 * baseline-storage.ts). Its sign-in pages are three tiny forms; the login step accepts any
 * password and finishes the interaction for one static account.
 */
const form = (action: string, fields: Record<string, string>, input: string) =>
  `<!doctype html><form method="post" action="${action}">${Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`)
    .join('')}<input name="${input}"><button>Continue</button></form>`;

function html(res: ServerResponse, body: string): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** The three sign-in steps, each loading the interaction like Gatehouse's pages do. */
async function interaction(provider: Provider, req: IncomingMessage, res: ServerResponse, step: string) {
  const details = await provider.interactionDetails(req, res);
  const base = `/interaction/${details.uid}`;
  if (req.method === 'GET' && step === '') return html(res, form(`${base}/identify`, {}, 'email'));
  const body = await readForm(req);
  if (req.method === 'POST' && step === '/identify') {
    return html(res, form(`${base}/login`, { email: body.get('email') ?? '' }, 'password'));
  }
  if (req.method === 'POST' && step === '/login') {
    return provider.interactionFinished(
      req,
      res,
      { login: { accountId: ACCOUNT_ID } },
      { mergeWithLastSubmission: false },
    );
  }
  res.writeHead(404).end();
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT);
  const issuer = `http://127.0.0.1:${port}`;
  const storage = await openBaselineStorage();
  const provider = new Provider(issuer, await configuration(storage.adapter));
  const callback = provider.callback();
  const server = createServer((req, res) => {
    const match = /^\/interaction\/([\w-]+)(\/\w+)?$/.exec(req.url?.split('?')[0] ?? '');
    const handled = match
      ? interaction(provider, req, res, match[2] ?? '')
      : Promise.resolve(callback(req, res));
    handled.catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  process.on('message', (message) => {
    if (message !== 'stop') return;
    server.closeAllConnections();
    server.close(() => {
      storage
        .close()
        .catch((error) => console.error('baseline storage close failed', error))
        .finally(() => process.exit(0));
    });
  });
  // The orchestrator died without saying stop: do not outlive it.
  process.once('disconnect', () => process.exit(1));
  process.send?.({ ready: true, issuer: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

main().catch((error) => {
  console.error('baseline provider failed to start', error);
  process.exit(1);
});

import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the receiver got, whatever it answered. */
export interface Receipt {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The parsed body. */
  event: {
    id: string;
    organization_id: string;
    sequence: number;
    type: string;
    data: Record<string, unknown>;
  };
  /** What it answered; null while held or when the sender went away first. */
  status: number | null;
}

/** A status to answer with, or `hold` to keep the request waiting until the sender gives up. */
export type Answer = number | 'hold';

/**
 * A real HTTP webhook receiver on 127.0.0.1. Each path answers as `answers` says (default 204),
 * given the receipt and how many requests that path had before it.
 */
export async function startWebhookReceiver() {
  const receipts: Receipt[] = [];
  const answers = new Map<string, (receipt: Receipt, earlier: number) => Answer>();
  const held = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '/';
      const receipt: Receipt = {
        path,
        headers: request.headers,
        body,
        event: JSON.parse(body),
        status: null,
      };
      const earlier = receipts.filter((other) => other.path === path).length;
      receipts.push(receipt);
      const answer = answers.get(path)?.(receipt, earlier) ?? 204;
      if (answer === 'hold') {
        held.add(response);
        response.on('close', () => held.delete(response));
        return;
      }
      receipt.status = answer;
      response.statusCode = answer;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    receipts,
    /** Receipts of one path, in arrival order. */
    at: (path: string) => receipts.filter((receipt) => receipt.path === path),
    answer(path: string, decide: (receipt: Receipt, earlier: number) => Answer) {
      answers.set(path, decide);
    },
    /** Whether a held request is still open (the sender has not hung up). */
    holding: () => held.size > 0,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

/**
 * What a receiver must check (README: verifying signatures), written out independently of
 * Gatehouse's own code: HMAC-SHA256 of "<t>.<body>" under the secret, and a recent timestamp.
 */
export function signedBy(secret: string, receipt: Receipt, nowSeconds = Date.now() / 1000): boolean {
  const header = String(receipt.headers['gatehouse-signature'] ?? '');
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const [, t, v1] = match as unknown as [string, string, string];
  if (Math.abs(nowSeconds - Number(t)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${receipt.body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

/** Polls `check` until it holds (or fails after `timeoutMs`). */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
  what = 'condition',
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

import type { IncomingMessage } from 'node:http';

export type JsonBody = { value: unknown } | { status: 400 | 413; message: string };

/**
 * Reads and parses a JSON body, cutting it off at `maxBytes` whatever Content-Length said
 * (a chunked body declares none).
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<JsonBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return { status: 413, message: `the request body exceeds ${maxBytes} bytes` };
    chunks.push(chunk as Buffer);
  }
  try {
    return { value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { status: 400, message: 'the request body is not valid JSON' };
  }
}

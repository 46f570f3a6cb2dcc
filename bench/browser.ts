import { createHash, randomBytes } from 'node:crypto';
import { send, type HttpResponse } from './http-client.js';

/**
 * A cookie jar with manual redirects and form submission: the bench goes through the same pages
 * and forms a person would, like test/support/form-browser.ts, but on the bench's HTTP client.
 */
export interface Page {
  url: string;
  status: number;
  body: string;
  location: string | undefined;
}

export class Browser {
  readonly #cookies = new Map<string, string>();

  async get(url: string): Promise<Page> {
    return this.#request(url, {});
  }

  async #request(url: string, form: Record<string, string> | undefined): Promise<Page> {
    const headers: Record<string, string> = {};
    if (this.#cookies.size > 0)
      headers.cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await send(url, form ? { headers, form } : { headers });
    this.#store(response);
    const location = response.headers.location;
    return {
      url,
      status: response.status,
      body: response.body,
      location: typeof location === 'string' ? location : undefined,
    };
  }

  #store(response: HttpResponse): void {
    const lines = response.headers['set-cookie'] ?? [];
    for (const line of Array.isArray(lines) ? lines : [lines]) {
      const pair = line.split(';')[0]!;
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  /** Follows redirects until a page answers or the next location satisfies `stopAt`. */
  async follow(start: Page, stopAt: (location: string) => boolean): Promise<Page> {
    let page = start;
    for (let hops = 0; hops < 10; hops += 1) {
      if (page.status < 300 || page.status >= 400 || !page.location) return page;
      const next = new URL(page.location, page.url).href;
      if (stopAt(next)) return { ...page, url: next };
      page = await this.get(next);
    }
    throw new Error('too many redirects');
  }

  /** Submits the form whose action contains `actionPart`, with its hidden fields plus `fields`. */
  async submit(page: Page, actionPart: string, fields: Record<string, string> = {}): Promise<Page> {
    const forms = [...page.body.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
    const form = forms.find(([, action]) => action!.includes(actionPart));
    if (!form)
      throw new Error(`no form with action containing ${actionPart} on ${page.url} (${page.status})`);
    const hidden = [...form[2]!.matchAll(/<input[^>]*type="hidden"[^>]*>/g)].map(([input]) => [
      /name="([^"]+)"/.exec(input)?.[1] ?? '',
      decodeEntities(/value="([^"]*)"/.exec(input)?.[1] ?? ''),
    ]);
    return this.#request(new URL(decodeEntities(form[1]!), page.url).href, {
      ...Object.fromEntries(hidden),
      ...fields,
    });
  }
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#x2F;/g, '/')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** RFC 7636 S256 pair. */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

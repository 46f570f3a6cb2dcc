import { createHash, randomBytes } from 'node:crypto';
import { CookieJar, readForm } from '../test/support/html-form.js';
import { send } from './http-client.js';

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
  readonly #jar = new CookieJar();

  async get(url: string): Promise<Page> {
    return this.#request(url, undefined);
  }

  async #request(url: string, form: Record<string, string> | undefined): Promise<Page> {
    const headers: Record<string, string> = {};
    const cookie = this.#jar.header();
    if (cookie) headers.cookie = cookie;
    const response = await send(url, form ? { headers, form } : { headers });
    const setCookie = response.headers['set-cookie'] ?? [];
    this.#jar.store(Array.isArray(setCookie) ? setCookie : [setCookie]);
    const location = response.headers.location;
    return {
      url,
      status: response.status,
      body: response.body,
      location: typeof location === 'string' ? location : undefined,
    };
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
    const form = readForm(page.body, page.url, actionPart, fields);
    return this.#request(form.action, form.fields);
  }
}

/** RFC 7636 S256 pair. */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

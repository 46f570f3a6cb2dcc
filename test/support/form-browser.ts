import { CookieJar, readForm } from './html-form.js';

/**
 * A minimal browser for end-to-end tests over plain HTTP: a cookie jar, manual redirects and
 * form submission, so tests go through the same pages and forms a person would.
 */
export interface Page {
  url: string;
  status: number;
  body: string;
  headers: Headers;
}

export class FormBrowser {
  readonly #jar = new CookieJar();

  /** `route` may send a request elsewhere (another instance behind the same issuer). */
  constructor(private readonly route: (url: string) => string = (url) => url) {}

  async get(url: string): Promise<Page> {
    return this.request(url, { method: 'GET' });
  }

  /** Fetches one URL (no redirect following) and stores the cookies it sets. */
  async request(url: string, init: RequestInit): Promise<Page> {
    const headers = new Headers(init.headers);
    const cookie = this.#jar.header();
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(this.route(url), { ...init, headers, redirect: 'manual' });
    this.#jar.store(response.headers.getSetCookie());
    return { url, status: response.status, body: await response.text(), headers: response.headers };
  }

  /** Follows redirects until a page answers, or until `stopAt` matches the next location. */
  async follow(start: Page, stopAt?: (location: string) => boolean): Promise<Page> {
    let page = start;
    for (let hops = 0; hops < 10; hops += 1) {
      const location = page.headers.get('location');
      if (page.status < 300 || page.status >= 400 || !location) return page;
      const next = new URL(location, page.url).href;
      if (stopAt?.(next)) return { ...page, url: next };
      page = await this.get(next);
    }
    throw new Error('too many redirects');
  }

  /** Submits the page's form whose action contains `actionPart`, with its hidden fields plus `fields`. */
  async submit(page: Page, actionPart: string, fields: Record<string, string> = {}): Promise<Page> {
    const form = readForm(page.body, page.url, actionPart, fields);
    return this.request(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form.fields),
    });
  }
}

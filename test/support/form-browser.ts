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
  readonly cookies = new Map<string, string>();

  /** `route` may send a request elsewhere (another instance behind the same issuer). */
  constructor(private readonly route: (url: string) => string = (url) => url) {}

  async get(url: string): Promise<Page> {
    return this.request(url, { method: 'GET' });
  }

  /** Fetches one URL (no redirect following) and stores the cookies it sets. */
  async request(url: string, init: RequestInit): Promise<Page> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    const response = await fetch(this.route(url), { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
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
    const forms = [...page.body.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
    const form = forms.find(([, action]) => action!.includes(actionPart));
    if (!form) throw new Error(`no form with action containing ${actionPart} on ${page.url}:\n${page.body}`);
    const hidden = [...form[2]!.matchAll(/<input[^>]*type="hidden"[^>]*>/g)].map(([input]) => [
      /name="([^"]+)"/.exec(input)?.[1] ?? '',
      decodeEntities(/value="([^"]*)"/.exec(input)?.[1] ?? ''),
    ]);
    const body = new URLSearchParams([...hidden, ...Object.entries(fields)]);
    const action = new URL(decodeEntities(form[1]!), page.url).href;
    const response = await this.request(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    return response;
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

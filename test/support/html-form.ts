/**
 * The two things any scripted browser needs, whatever HTTP client it rides on: a cookie jar, and
 * reading a form (action + hidden fields) from a page. Used by the tests' FormBrowser and the
 * bench's browser.
 */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  /** Takes the Set-Cookie lines of a response (a cleared or expired cookie is dropped). */
  store(setCookieLines: readonly string[]): void {
    for (const line of setCookieLines) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  /** The Cookie request header, or undefined when the jar is empty. */
  header(): string | undefined {
    if (this.#cookies.size === 0) return undefined;
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** The form on `body` whose action contains `actionPart`: its absolute action and its fields. */
export function readForm(
  body: string,
  pageUrl: string,
  actionPart: string,
  fields: Record<string, string> = {},
): { action: string; fields: Record<string, string> } {
  const forms = [...body.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
  const form = forms.find(([, action]) => action!.includes(actionPart));
  if (!form)
    throw new Error(`no form with action containing ${actionPart} on ${pageUrl}:\n${body.slice(0, 500)}`);
  const hidden = [...form[2]!.matchAll(/<input[^>]*type="hidden"[^>]*>/g)].map(([input]) => [
    /name="([^"]+)"/.exec(input)?.[1] ?? '',
    decodeEntities(/value="([^"]*)"/.exec(input)?.[1] ?? ''),
  ]);
  return {
    action: new URL(decodeEntities(form[1]!), pageUrl).href,
    fields: { ...Object.fromEntries(hidden), ...fields },
  };
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

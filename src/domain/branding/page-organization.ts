/**
 * What a sign-in page knows about the organization it serves, each signal an organization id or
 * slug. They are read in this order, the first one present wins:
 * 1. the custom domain the browser came through (custom-domain-entry: the host names one brand);
 * 2. the `organization` authorization parameter the application sent;
 * 3. the routing result once the email resolved to an organization (its verified domain);
 * 4. the organization the sign-in chose (organization selection, the picker);
 * 5. the organization owning the application (as the organization button already does).
 * Without any, the pages look as Gatehouse's own.
 */
export interface PageSignals {
  customDomain?: string | null | undefined;
  requested?: string | null | undefined;
  routed?: string | null | undefined;
  chosen?: string | null | undefined;
  client?: string | null | undefined;
}

const ORDER = ['customDomain', 'requested', 'routed', 'chosen', 'client'] as const;

export function pageOrganization(signals: PageSignals): string | undefined {
  for (const signal of ORDER) {
    const value = signals[signal];
    if (value) return value;
  }
  return undefined;
}

import {
  CliError,
  EXIT_CONFLICT,
  EXIT_FAILURE,
  EXIT_FORBIDDEN,
  EXIT_INVALID_INPUT,
  EXIT_NOT_FOUND,
} from './errors.js';

/**
 * The admin API of a running Gatehouse, for commands that change it over HTTP (`--apply`) rather
 * than in the database: what they change is then audited under the API key, as any client's is.
 */
export interface AdminClient {
  /** Where Gatehouse answers, without a trailing slash. */
  baseUrl: string;
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** A GET answered 404 is undefined rather than an error. */
  find<T>(path: string): Promise<T | undefined>;
}

/** An RFC 9457 answer, as a command error carrying its status and problem code. */
export class AdminApiError extends CliError {
  override name = 'AdminApiError';
  constructor(
    message: string,
    exitCode: number,
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(message, exitCode);
  }
}

interface Problem {
  type?: string;
  title?: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

const EXIT_BY_STATUS: Readonly<Record<number, number>> = {
  400: EXIT_INVALID_INPUT,
  401: EXIT_FORBIDDEN,
  403: EXIT_FORBIDDEN,
  404: EXIT_NOT_FOUND,
  409: EXIT_CONFLICT,
  422: EXIT_INVALID_INPUT,
};

async function problemError(response: Response, method: string, path: string): Promise<AdminApiError> {
  const problem = (await response.json().catch(() => ({}))) as Problem;
  const fields = (problem.errors ?? []).map((error) => `\n  ${error.path}: ${error.message}`).join('');
  const hint =
    response.status === 401
      ? ' (set GATEHOUSE_ADMIN_KEY to a key from `gatehouse api-keys create --name cli`)'
      : '';
  const code = problem.type?.split('/').pop();
  return new AdminApiError(
    `${method} ${path}: ${response.status} ${problem.detail ?? problem.title ?? response.statusText}${hint}${fields}`,
    EXIT_BY_STATUS[response.status] ?? EXIT_FAILURE,
    response.status,
    code,
  );
}

/** The admin URL given (or the ISSUER), checked; `/admin/v1` is added by the client. */
export function adminBaseUrl(given: string): string {
  const url = given.replace(/\/+$/, '').replace(/\/admin\/v1$/, '');
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new CliError(`--admin-url: ${given} is not an http(s) URL`, EXIT_INVALID_INPUT);
  }
  return url;
}

export function adminClient(baseUrl: string, apiKey: string | undefined): AdminClient {
  if (!apiKey) {
    throw new CliError(
      '--apply calls the admin API: set GATEHOUSE_ADMIN_KEY to an environment admin API key ' +
        '(`gatehouse api-keys create --name cli` prints one), or leave out --apply to edit the file instead',
      EXIT_INVALID_INPUT,
    );
  }
  const call = async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${apiKey}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      return await fetch(`${baseUrl}/admin/v1${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      const reason =
        error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : '';
      throw new CliError(
        `cannot reach the admin API at ${baseUrl} (${reason}): check --admin-url and that Gatehouse is running`,
        EXIT_FAILURE,
      );
    }
  };
  const read = async <T>(response: Response, method: string, path: string): Promise<T> => {
    if (!response.ok) throw await problemError(response, method, path);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    baseUrl,
    request: async (method, path, body) => read(await call(method, path, body), method, path),
    async find(path) {
      const response = await call('GET', path);
      return response.status === 404 ? undefined : read(response, 'GET', path);
    },
  };
}

/**
 * The public issuer, from discovery: what IdPs must be given (redirect URIs, SCIM URLs) may differ
 * from the address the admin API was reached at (a private address behind a proxy).
 */
export async function publicIssuer(client: AdminClient): Promise<string> {
  try {
    const response = await fetch(`${client.baseUrl}/.well-known/openid-configuration`);
    const issuer = response.ok ? ((await response.json()) as { issuer?: unknown }).issuer : undefined;
    return typeof issuer === 'string' ? issuer.replace(/\/$/, '') : client.baseUrl;
  } catch {
    return client.baseUrl;
  }
}

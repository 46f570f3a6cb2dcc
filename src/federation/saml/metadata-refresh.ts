import { isUpstreamUrl, type SamlSettings } from '../../domain/organizations/connection-input.js';
import { IdpMetadataError, MAX_METADATA_BYTES, parseIdpMetadata } from './idp-metadata.js';
import { nextIdpMetadata } from './metadata-rollover.js';
import { toColumn } from './stored-metadata.js';

export interface MetadataRefreshOptions {
  /** Per fetch (default 10 s). */
  timeoutMs?: number;
  /** Largest body read (default 1 MB). */
  maxBytes?: number;
  now?: () => Date;
  fetch?: typeof fetch;
}

/** The connection fields a refresh reads. */
export interface RefreshableConnection {
  id: string;
  settings: Pick<SamlSettings, 'idp_metadata_url'>;
  upstreamMetadata: Record<string, unknown> | null;
}

/**
 * Fetches a connection's idp_metadata_url and returns its next upstreamMetadata (certificate
 * rollover applied, see nextIdpMetadata). Throws IdpMetadataError when the URL is not https (or
 * loopback http), redirects, times out, is too large, or is not usable IdP metadata; the caller
 * keeps the stored value then.
 */
export function createIdpMetadataRefresh(options: MetadataRefreshOptions = {}) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxBytes ?? MAX_METADATA_BYTES;
  const now = options.now ?? (() => new Date());
  const fetchImpl = options.fetch ?? fetch;

  return async function refreshIdpMetadata(
    connection: RefreshableConnection,
  ): Promise<Record<string, unknown>> {
    const url = connection.settings.idp_metadata_url;
    if (!url || !isUpstreamUrl(url)) {
      throw new IdpMetadataError(`connection ${connection.id} has no https idp_metadata_url`);
    }
    const xml = await fetchMetadata(fetchImpl, url, timeoutMs, maxBytes);
    return toColumn(nextIdpMetadata(connection.upstreamMetadata, parseIdpMetadata(xml), now()));
  };
}
export type IdpMetadataRefresh = ReturnType<typeof createIdpMetadataRefresh>;

async function fetchMetadata(
  fetchImpl: typeof fetch,
  url: string,
  timeoutMs: number,
  maxBytes: number,
): Promise<string> {
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    // No redirects: a 3xx could lead from https to plain http or to an internal host.
    response = await fetchImpl(url, {
      redirect: 'error',
      signal,
      headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' },
    });
  } catch (error) {
    throw new IdpMetadataError(`IdP metadata fetch failed: ${(error as Error).message}`);
  }
  if (!response.ok) throw new IdpMetadataError(`IdP metadata fetch answered HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new IdpMetadataError(`IdP metadata is larger than ${maxBytes} bytes`);
  return readBounded(response, maxBytes, signal);
}

/** Reads the body, stopping (and cancelling the download) as soon as it passes `maxBytes`. */
async function readBounded(response: Response, maxBytes: number, signal: AbortSignal): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw new IdpMetadataError(`IdP metadata is larger than ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof IdpMetadataError) throw error;
    throw new IdpMetadataError(
      `IdP metadata fetch failed: ${signal.aborted ? 'timed out' : (error as Error).message}`,
    );
  }
  return Buffer.concat(chunks).toString('utf8');
}

import type { Context, Next } from 'koa';
import type { DirectoryRecord } from '../../domain/ports/directories.js';
import { ScimError } from '../../domain/scim/model/index.js';
import { digestBearerToken } from '../../lib/crypto/bearer-token.js';

/**
 * RFC 7644 §2 with RFC 6750 bearer tokens: the directory's own token, and only on its own base
 * URL. Another directory's token (another tenant's) gets the same 401 as a wrong one, so a token
 * says nothing about directories it does not open.
 */
export function scimAuthentication(findByTokenHash: (hash: string) => Promise<DirectoryRecord | undefined>) {
  return async (ctx: Context, next: Next) => {
    const match = /^Bearer\s+([\x21-\x7e]+)\s*$/i.exec(ctx.get('authorization'));
    const directory = match ? await findByTokenHash(digestBearerToken(match[1]!)) : undefined;
    if (!directory || directory.id !== ctx.params.directory) {
      ctx.set('WWW-Authenticate', match ? 'Bearer error="invalid_token"' : 'Bearer');
      throw new ScimError(401, 'A valid bearer token for this directory is required.');
    }
    ctx.state.directory = directory;
    await next();
  };
}

export const directoryOf = (ctx: Context): DirectoryRecord => ctx.state.directory as DirectoryRecord;

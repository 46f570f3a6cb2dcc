import pg from 'pg';

/**
 * Prisma keeps DateTime in `timestamp(3)` columns (without time zone) as UTC wall time. The
 * drivers read such a column in the process's local zone, so outside Prisma every read of one
 * goes through these parsers: the same instant Prisma reads, whatever TZ the process runs in.
 */
const TIMESTAMP_OID = 1114;

/** A `timestamp` column's text (or its JSON rendering) as the UTC instant Prisma reads. */
export const utcInstant = (text: string): Date => new Date(`${text.replace(' ', 'T')}Z`);

/**
 * The SQL that writes parameter `param` (an ISO 8601 instant) into such a column: its UTC wall
 * time, whatever the session's time zone.
 */
export const utcWallTime = (param: string) => `${param}::timestamptz AT TIME ZONE 'UTC'`;

/** For node-postgres: `query({ ..., types: UTC_TIMESTAMPS })`. */
export const UTC_TIMESTAMPS = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_OID && format !== 'binary'
      ? utcInstant
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** For PGlite: `query(text, params, { parsers: UTC_TIMESTAMP_PARSERS })`. */
export const UTC_TIMESTAMP_PARSERS = { [TIMESTAMP_OID]: utcInstant };

import { z } from 'zod';

/**
 * The `upstreamMetadata` column of a SAML connection: what the IdP last published, as the
 * metadata refresh wrote it. Read back through this schema, never trusted as any JSON.
 */
export const storedIdpMetadataSchema = z.object({
  entityId: z.string().min(1),
  ssoRedirectUrl: z.string().min(1),
  /** The certificates the metadata lists now (PEM). */
  certificates: z.array(z.string()).min(1),
  /**
   * Certificates an earlier fetch listed and this one no longer does: still accepted until a
   * response verifies with one of `certificates`, so a rollover the IdP announces by publishing
   * new metadata before it switches keys (or after) loses no sign-in.
   */
  previousCertificates: z.array(z.string()).default([]),
  fetchedAt: z.string(),
  validUntil: z.string().optional(),
  /** The IdP's SingleLogoutService endpoints (HTTP-Redirect, HTTP-POST). */
  singleLogoutServices: z
    .array(
      z.object({
        binding: z.enum(['redirect', 'post']),
        location: z.string().min(1),
        responseLocation: z.string().min(1).optional(),
      }),
    )
    .default([]),
});
export type StoredIdpMetadata = z.output<typeof storedIdpMetadataSchema>;

/** The stored value, or undefined when the column is empty or not in this shape. */
export function readStoredMetadata(value: Record<string, unknown> | null): StoredIdpMetadata | undefined {
  if (value === null) return undefined;
  const parsed = storedIdpMetadataSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The JSON the column stores (undefined members dropped, as the database would). */
export function toColumn(metadata: StoredIdpMetadata): Record<string, unknown> {
  return JSON.parse(JSON.stringify(metadata)) as Record<string, unknown>;
}

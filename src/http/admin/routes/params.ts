import { z } from 'zod';

/** A path or query parameter naming one object, e.g. `ref('Organization id or slug.')`. */
export const ref = (description: string) => z.string().min(1).max(254).meta({ description });

export const organizationParam = { organization: ref('Organization id (`org_...`) or slug.') };

/** The params of `/organizations/:organization/<collection>` and of the organization itself. */
export const organizationParams = z.strictObject(organizationParam);

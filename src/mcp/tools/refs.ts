import { z } from 'zod';

/** An argument naming one object, as the admin API's paths do. */
export const ref = (description: string) => z.string().min(1).max(254).describe(description);

export const organizationRef = ref('Organization id (`org_...`) or slug.');
export const userRef = ref('User id (`usr_...`) or email.');

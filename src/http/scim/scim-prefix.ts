/** Where every directory's SCIM base URL lives: `/scim/v2/<directory id>`. */
export const SCIM_PREFIX = '/scim/v2';

/** Whether two lists of distinct names hold the same names, in any order (role lists). */
export const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((item) => b.includes(item));

/** Left-aligned columns separated by two spaces, header first: readable and easy to grep. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

const UNITS: readonly [number, string][] = [
  [24 * 60 * 60 * 1000, 'd'],
  [60 * 60 * 1000, 'h'],
  [60 * 1000, 'm'],
  [1000, 's'],
];

/** Age in the largest whole unit: "3d", "5h", "12m", "40s". */
export function formatAge(ms: number): string {
  const positive = Math.max(0, ms);
  for (const [size, unit] of UNITS) {
    if (positive >= size) return `${Math.floor(positive / size)}${unit}`;
  }
  return '0s';
}

/** ISO timestamp to the second: milliseconds only add noise for an operator. */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

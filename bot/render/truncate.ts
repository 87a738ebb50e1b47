/**
 * Shortens text to at most `max` characters (code points, so a character outside the BMP is never cut in
 * half), ending with "…" when anything was cut.
 */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  if (max <= 0) return '';
  return `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/** Size of a value as the JSON that goes over the wire, in UTF-8 bytes. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

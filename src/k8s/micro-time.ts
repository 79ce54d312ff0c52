/**
 * A metav1.MicroTime for the client's typed models. The API server parses MicroTime with exactly six
 * fractional digits, but the client serialises a Date with three (and rejects nothing), so the value is
 * passed as a preformatted string, which the client's serialiser sends unchanged.
 */
export function microTime(epochMs: number): Date {
  const iso = new Date(epochMs).toISOString(); // 2026-01-01T00:00:00.123Z
  return `${iso.slice(0, -1)}000Z` as unknown as Date;
}

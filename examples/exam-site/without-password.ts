/** The URL without its password, for the start banner; `fallback` when it does not parse. */
export function withoutPassword(url: string, fallback: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return fallback;
  }
}

/**
 * The control channel's WebSocket URL for a `server` attribute such as `/proctor` or
 * `https://exams.example/proctor`, resolved against the page's address.
 */
export function controlUrl(server: string, base: string = globalThis.location?.href ?? 'http://localhost/'): string {
  const url = new URL(server.replace(/\/+$/, '') + '/ws', base);
  url.protocol = url.protocol === 'https:' || url.protocol === 'wss:' ? 'wss:' : 'ws:';
  return url.toString();
}

import * as v from 'valibot';
import { ProctorError } from '../errors.js';

/**
 * The URL of one of the kit's REST routes for a `server` such as `/proctor` or
 * `https://exams.example/proctor`, resolved against the page's address.
 */
export function routeUrl(server: string, path: string): string {
  return new URL(server.replace(/\/+$/, '') + path, globalThis.location?.href ?? 'http://localhost/').toString();
}

/** The path of a session's route: `/sessions/<id><rest>`. */
export function sessionPath(sessionId: string, rest = ''): string {
  return `/sessions/${encodeURIComponent(sessionId)}${rest}`;
}

/** Sends a request with the token; a refusal becomes a {@link ProctorError} carrying the server's message. */
export async function request(
  server: string,
  token: string,
  path: string,
  init: Omit<RequestInit, 'headers'> & { headers?: Record<string, string> } = {},
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(routeUrl(server, path), { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } });
  } catch (error) {
    throw new ProctorError('connection-refused', 'The server could not be reached. Check the connection, then try again.', { cause: error });
  }
  if (response.ok) return response;
  const body = (await response.json().catch(() => undefined)) as { error?: { message?: unknown } } | undefined;
  const message = typeof body?.error?.message === 'string' ? body.error.message : `The server answered ${response.status}.`;
  const status = response.status;
  throw new ProctorError(status === 401 ? 'unauthorized' : status === 400 || status === 413 || status === 415 ? 'bad-input' : 'command-refused', message);
}

/** Sends a JSON body with the token. */
export function postJson(server: string, token: string, path: string, body: unknown): Promise<Response> {
  return request(server, token, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** The answer's `key`, checked against `schema`. */
export async function json<S extends v.GenericSchema>(response: Response, key: string, schema: S): Promise<v.InferOutput<S>> {
  const body = (await response.json()) as Record<string, unknown>;
  const parsed = v.safeParse(schema, body[key]);
  if (!parsed.success) throw new ProctorError('command-refused', `The server's answer has no valid ${key}.`);
  return parsed.output;
}

import * as v from 'valibot';

/** The outcome of validating untrusted input against a schema. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Validates `input`, with a one-line message naming the first offending field. */
export function parse<S extends v.GenericSchema>(schema: S, input: unknown): Parsed<v.InferOutput<S>> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  return { ok: false, message: path ? `${path}: ${issue.message}` : issue.message };
}

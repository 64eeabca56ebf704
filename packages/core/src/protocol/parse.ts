import * as v from 'valibot';

/** The outcome of validating untrusted input against a schema. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Validates `input`, with a one-line message naming the first offending field. Never throws. */
export function parse<S extends v.GenericSchema>(schema: S, input: unknown): Parsed<v.InferOutput<S>> {
  let result: v.SafeParseResult<S>;
  try {
    result = v.safeParse(schema, input);
  } catch {
    // A value no JSON can make (a prototype whose `constructor.name` is no string) breaks the
    // validator's own description of it: it is refused all the same.
    return { ok: false, message: 'is not a value this protocol accepts' };
  }
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  return { ok: false, message: path ? `${path}: ${issue.message}` : issue.message };
}

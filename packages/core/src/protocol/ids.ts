import * as v from 'valibot';

/**
 * Ids that come from the host (exam, candidate, supervisor). No `/`, because a Chime attendee's
 * ExternalUserId is `<candidateId>/<feed>`.
 */
export const HostIdSchema = v.pipe(
  v.string(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(128, 'must be at most 128 characters'),
  v.regex(/^[\w.@:+-]+$/, 'may contain only letters, digits and . _ @ : + -'),
);

/** A display name as the host gives it. */
export const NameSchema = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200));

/** Ids the server generates (sessions, connections) and the client generates (peer connections). */
export const GeneratedIdSchema = v.pipe(v.string(), v.regex(/^[\w-]{6,64}$/, 'is not a valid id'));

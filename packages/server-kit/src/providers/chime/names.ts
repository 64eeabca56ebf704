import { createHash } from 'node:crypto';
import type { Feed } from '@proctorkit/core/protocol';

/** Chime's limit on ExternalUserId, ExternalMeetingId and ClientRequestToken. */
const MAX_ID = 64;

function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, length);
}

/**
 * `<hostId>/<suffix>`, shortened to Chime's 64 characters when the host's id is long: the id is
 * cut and a digest of it added after `#`, which a host id never contains, so two ids never meet.
 */
function externalUserId(hostId: string, suffix: string): string {
  const full = `${hostId}/${suffix}`;
  if (full.length <= MAX_ID) return full;
  const hash = digest(hostId, 16);
  return `${hostId.slice(0, MAX_ID - suffix.length - hash.length - 2)}#${hash}/${suffix}`;
}

/** The attendee of one feed of a candidate: `<candidateId>/<feed>`, as supervisors bind tiles. */
export function feedUserId(candidateId: string, feed: Feed): string {
  return externalUserId(candidateId, feed);
}

/** A supervisor's receive-only attendee: `<supervisorId>/supervisor` (never a feed's name). */
export function viewerUserId(supervisorId: string): string {
  return externalUserId(supervisorId, 'supervisor');
}

/**
 * The ClientRequestToken of a session's meeting: the same for every retry, so Chime creates one
 * meeting however often the request is sent, and another when the meeting is recreated.
 */
export function meetingRequestToken(sessionId: string, generation: number): string {
  const token = `${sessionId}_${generation}`;
  return /^[-_a-zA-Z0-9]{2,64}$/.test(token) ? token : `${digest(sessionId, 43)}_${generation}`;
}

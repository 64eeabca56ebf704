import type { SessionEvent } from './events.js';
import type { ReviewRecords, Signer } from './review.js';

/** Reads the review records out of a session's events (any order; the result is in `seq` order). */
export function reviewRecords(events: readonly SessionEvent[]): ReviewRecords {
  const records: ReviewRecords = { notes: [], screenshots: [], flags: [], dismissals: [], verdicts: [] };
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    const data = event.data as Record<string, never>;
    const by = data.by as Signer;
    const { seq } = event;
    if (event.type === 'note.added') records.notes.push({ noteId: data.noteId, seq, at: data.at, writtenAt: event.at, text: data.text, by });
    else if (event.type === 'screenshot.taken') {
      const { screenshotId, feed, at, width, height, contentType, bytes } = data;
      records.screenshots.push({ screenshotId, feed, at, width, height, contentType, bytes, seq, by });
    } else if (event.type === 'flag.created') {
      const { flagId, from, to, feeds, severity, reason, text, signalSeq } = data;
      records.flags.push({ flagId, from, to, feeds, severity, reason, ...(text ? { text } : {}), ...(signalSeq ? { signalSeq } : {}), seq, createdAt: event.at, by });
    } else if (event.type === 'signal.dismissed') {
      records.dismissals.push({ signalSeq: data.signalSeq, seq, at: event.at, ...(data.comment ? { comment: data.comment } : {}), by });
    } else if (event.type === 'verdict.signed') {
      const { verdictId, verdict, reason, comment, revises, previous, signature } = data;
      records.verdicts.push({
        verdictId, seq, verdict, signedAt: event.at, by, signature,
        ...(reason ? { reason } : {}), ...(comment ? { comment } : {}), ...(revises ? { revises } : {}), ...(previous ? { previous } : {}),
      });
    }
  }
  return records;
}


import { FLAG_REASON_LABELS, reviewRecords, type Feed, type FlagReason, type SessionEvent } from '@proctorkit/core';

/** What a person concluded about an integrity signal, as its line says it. */
export interface Judgement {
  /** `Confirmed as incident (high, Phone or other device) by Ana` or `Dismissed by Ana: “…”`. */
  text: string;
  confirmed: boolean;
}

/**
 * Each judged signal's judgement, by the signal's `seq`, read from the session's own log. With
 * `when`, each also says when it was made (`by Ana, 14:02:10`), as `when` writes the time.
 */
export function judgements(events: readonly SessionEvent[], when?: (at: number) => string): Map<number, Judgement> {
  const { flags, dismissals } = reviewRecords(events);
  const judged = new Map<number, Judgement>();
  const by = (name: string, at: number) => `by ${name}${when ? `, ${when(at)}` : ''}`;
  for (const d of dismissals) {
    judged.set(d.signalSeq, { text: `Dismissed ${by(d.by.name, d.at)}${d.comment ? `: “${d.comment}”` : ''}`, confirmed: false });
  }
  for (const f of flags) {
    if (f.signalSeq) judged.set(f.signalSeq, { text: `Confirmed as incident (${f.severity}, ${FLAG_REASON_LABELS[f.reason]}) ${by(f.by.name, f.createdAt)}`, confirmed: true });
  }
  return judged;
}

/** A flag to start from when a person confirms a signal: its time, its feed and a likely reason. */
export interface SignalFlagDraft {
  from: number;
  to: number;
  feeds: Feed[];
  reason: FlagReason;
  signalSeq: number;
}

/** How long around a signal without a duration its flag covers, ms, each side. */
const AROUND_MS = 30_000;

/**
 * The flag a signal most likely makes. A signal that measured a duration (back after 12 s away)
 * covers that time; any other the half minute either side. The person changes what does not fit.
 */
export function signalFlagDraft(event: SessionEvent): SignalFlagDraft {
  const code = event.type.slice('signal.'.length);
  const at = event.occurredAt ?? event.at;
  const duration = Number(event.data.durationMs);
  const webcam = code.startsWith('webcam-');
  const reason: FlagReason =
    code === 'webcam-covered'
      ? 'camera-covered'
      : webcam || code === 'screen-share-stopped'
        ? 'technical-problem'
        : code === 'copy' || code === 'paste'
          ? 'unauthorised-material'
          : 'screen-content';
  return {
    from: duration > 0 ? at - duration : at - AROUND_MS,
    to: duration > 0 ? at : at + AROUND_MS,
    feeds: [webcam ? 'webcam' : 'screen'],
    reason,
    signalSeq: event.seq,
  };
}

import { END_WORDS, FEED_WORDS, FLAG_REASON_LABELS, RUN_END_WORDS, SIGNAL_WORDS, formatDuration, type FlagReason, type SessionEvent, type SignalCode } from '@proctorkit/core';

export { formatDuration };

/**
 * What kind of line an event makes: an integrity `signal` (highlighted: it informs, it accuses no
 * one), a supervisor's or the host's `command`, a `problem` with the connection or a feed, a host
 * `log` line, a person's `review` record (note, screenshot, flag, dismissed signal, verdict), or
 * plain `info`.
 */
export type EventTone = 'signal' | 'command' | 'problem' | 'log' | 'review' | 'info';

/** One event as a supervisor reads it. */
export interface EventLine {
  text: string;
  tone: EventTone;
}

const FEED_NAME: Record<string, string> = { webcam: 'Webcam', screen: 'Screen sharing', phone: 'Phone camera' };

function feedName(feed: unknown): string {
  return FEED_WORDS[String(feed)] ?? 'Feed';
}

const VERDICT_TEXT: Record<string, string> = { accepted: 'accepted', rejected: 'not accepted', inconclusive: 'inconclusive' };

/** Words for the records people write about a session (by their signer); `undefined` for any other event. */
function describeReview({ type, data, at }: SessionEvent): string | undefined {
  const by = `by ${(data.by as { name?: string } | undefined)?.name}`;
  const text = data.text ? `: ${quote(data.text)}` : '';
  if (type === 'note.added') {
    // A note about another moment (a replay's playhead) says which.
    return `Note ${by}${Math.abs(Number(data.at) - at) > 60_000 ? ` about ${formatTime(Number(data.at))}` : ''}${text}`;
  }
  if (type === 'screenshot.taken') return `Screenshot of the ${feedName(data.feed).toLowerCase()} ${by}`;
  if (type === 'flag.created') {
    const reason = FLAG_REASON_LABELS[data.reason as FlagReason];
    return `Flag (${String(data.severity)}): ${reason}, ${formatTime(Number(data.from))}–${formatTime(Number(data.to))}, ${by}${text}`;
  }
  if (type === 'signal.dismissed') return `Signal dismissed ${by}${data.comment ? `: ${quote(data.comment)}` : ''}`;
  if (type === 'verdict.signed') return `Verdict: ${VERDICT_TEXT[String(data.verdict)]} ${by}${data.reason ? `. Reason: ${quote(data.reason)}` : ''}`;
  return undefined;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** A moment as `10:42:03` in the page's time zone. */
export function formatTime(at: number): string {
  return timeFormat.format(at);
}

/** A host's data, compactly: `question 3, correct true`. */
function compactData(data: Record<string, unknown>): string {
  const text = Object.entries(data)
    .map(([key, value]) => `${key} ${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`)
    .join(', ');
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

function quote(text: unknown): string {
  const value = String(text ?? '');
  return `“${value.length > 160 ? `${value.slice(0, 159)}…` : value}”`;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * An event of a session's log in plain words: "Page visible again (hidden for 12 s)", "Screen sharing
 * stopped", "Dr. Reyes paused the exam", or a host log line as its name and data.
 */
export function describeEvent(event: SessionEvent): EventLine {
  const { type, data } = event;
  // The host's backend acts as one anonymous actor (`by: 'host'`): name it for what it is.
  const who = event.source === 'host' ? 'The exam site' : event.source === 'server' && event.by === 'retention' ? 'The retention period' : event.by;
  // Before the signals: `signal.dismissed` is a person's judgement of one.
  const review = describeReview(event);
  if (review) return { text: review, tone: 'review' };
  if (type.startsWith('signal.')) {
    const code = type.slice('signal.'.length);
    let text = SIGNAL_WORDS[code as SignalCode] ?? `Signal: ${code}`;
    const duration = num(data.durationMs);
    const count = num(data.count);
    if (duration !== undefined) text += ` (${code === 'page-visible' ? 'hidden' : 'away'} for ${formatDuration(duration)})`;
    if (count !== undefined && count > 1) text += ` (${count} times)`;
    return { text, tone: 'signal' };
  }
  if (type.startsWith('log.')) {
    const details = compactData(data);
    return { text: details ? `${type.slice(4)} · ${details}` : type.slice(4), tone: 'log' };
  }
  switch (type) {
    case 'session.joined':
      return { text: 'Opened the exam page', tone: 'info' };
    case 'session.left':
      return { text: 'Left the exam page (closed or disconnected)', tone: 'problem' };
    case 'session.started': {
      const duration = num(data.durationMs);
      return { text: duration ? `Started the exam (${formatDuration(duration)})` : 'Started the exam', tone: 'info' };
    }
    case 'session.paused':
      return { text: who ? `${who} paused the exam` : 'The exam was paused', tone: 'command' };
    case 'session.resumed': {
      const paused = num(data.pausedForMs);
      const after = paused === undefined ? '' : ` after ${formatDuration(paused)}`;
      return { text: who ? `${who} resumed the exam${after}` : `The exam resumed${after}`, tone: 'command' };
    }
    case 'session.extended': {
      const minutes = num(data.minutes) ?? 0;
      return { text: who ? `${who} added ${minutes} min` : `${minutes} min added`, tone: 'command' };
    }
    case 'session.ended': {
      const reason = String(data.reason ?? '');
      if (reason === 'terminated') {
        const why = data.message ? `: ${quote(data.message)}` : '';
        return { text: `${who ? `${who} ended the exam` : END_WORDS.terminated}${why}`, tone: 'command' };
      }
      return { text: END_WORDS[reason] ?? 'The exam ended', tone: 'info' };
    }
    case 'feed.live':
      return { text: `${FEED_NAME[String(data.feed)] ?? String(data.feed)} live`, tone: 'info' };
    case 'feed.lost':
      return { text: `${FEED_NAME[String(data.feed)] ?? String(data.feed)} lost`, tone: 'problem' };
    case 'message.sent':
      return { text: `${who ?? 'Supervisor'}: ${quote(data.text)}`, tone: 'command' };
    case 'message.acked':
      return { text: 'Saw the message ✓', tone: 'info' };
    case 'phone.paired':
      return { text: data.replaced === true ? 'Phone replaced: another phone was paired' : 'Phone paired', tone: 'info' };
    case 'phone.room-scan-requested':
      return { text: who ? `Room scan requested by ${who}` : 'Room scan requested', tone: 'command' };
    case 'identity.photo':
      return { text: `Sent a photo of ${data.kind === 'document' ? 'their ID document' : 'their face'} for the identity check`, tone: 'info' };
    case 'identity.submitted':
      return { text: 'Submitted the identity photos for review', tone: 'info' };
    case 'identity.approved':
      return { text: who ? `${who} confirmed the identity` : 'Identity confirmed', tone: 'command' };
    case 'identity.rejected': {
      const why = data.reason ? `: ${quote(data.reason)}` : '';
      return { text: `${who ? `${who} did not confirm the identity` : 'Identity not confirmed'}${why}`, tone: 'command' };
    }
    case 'identity.deleted': {
      const count = Array.isArray(data.photoIds) ? data.photoIds.length : 0;
      const photos = count === 1 ? '1 identity photo' : `${count || 'the'} identity photos`;
      if (who === 'The retention period') return { text: `Deleted ${photos}: the retention period is over`, tone: 'info' };
      return { text: who ? `${who} deleted ${photos}` : `Deleted ${photos}`, tone: 'info' };
    }
    case 'recording.started':
      return { text: `${feedName(data.feed)} recording started`, tone: 'info' };
    case 'recording.ended':
      return { text: `${feedName(data.feed)} recording stopped${RUN_END_WORDS[String(data.reason)] ?? ''}`, tone: 'info' };
    case 'recording.complete':
      return { text: `${feedName(data.feed)} recording saved (${formatDuration(Number(data.durationMs) || 0)})`, tone: 'info' };
    case 'recording.incomplete':
      return { text: `${feedName(data.feed)} recording is incomplete: parts of it never arrived or could not be read`, tone: 'problem' };
    case 'recording.deleted':
      if (who === 'The retention period') return { text: 'Recordings deleted: the retention period is over', tone: 'info' };
      return { text: who ? `${who} deleted the recordings` : 'Recordings deleted', tone: 'info' };
    default: {
      const details = compactData(data);
      return { text: details ? `${type} · ${details}` : type, tone: 'info' };
    }
  }
}

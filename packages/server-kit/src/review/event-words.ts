import { END_WORDS, FEED_WORDS, FLAG_REASON_LABELS, RUN_END_WORDS, SIGNAL_WORDS, formatDuration, type FlagReason, type SessionEvent, type SignalCode } from '@proctorkit/core/protocol';

/**
 * A session's log events in plain words for the printable report, with the word tables the
 * supervisors' event feed uses (`@proctorkit/core/protocol`'s event words). The report words some
 * events at more length than the feed (who confirmed which signal, revised verdicts, the device check).
 */

/** How a device check's result reads. */
export const CHECK_WORDS: Record<string, string> = { pass: 'passed', warn: 'passed with a warning', fail: 'failed', skipped: 'skipped' };

/** How a verdict reads. */
export const VERDICT_WORDS: Record<string, string> = { accepted: 'Accepted', rejected: 'Not accepted', inconclusive: 'Inconclusive' };

function feed(value: unknown): string {
  return FEED_WORDS[String(value)] ?? 'Feed';
}

function quote(text: unknown): string {
  return `“${String(text ?? '')}”`;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function count(value: unknown, one: string, many: string): string {
  const n = Array.isArray(value) ? value.length : 0;
  return n === 1 ? `1 ${one}` : `${n || 'the'} ${many}`;
}

/** A name with an event's data, compactly: `answer.graded · question 3, correct true`. */
function withDetails(name: string, data: Record<string, unknown>): string {
  const details = Object.entries(data).map(([key, value]) => `${key} ${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`).join(', ');
  return details ? `${name} · ${details.length > 200 ? `${details.slice(0, 199)}…` : details}` : name;
}

/** Who an event names: its review signer, the supervisor behind it, the exam site or the retention period. */
export function actorOf(event: SessionEvent): string | undefined {
  const by = event.data.by as { name?: unknown } | undefined;
  if (typeof by?.name === 'string') return by.name;
  if (event.source === 'host') return 'The exam site';
  if (event.source === 'server' && event.by === 'retention') return 'The retention period';
  return event.by;
}

/** An event in plain words; times inside it (a flag's range) as `clock` renders them. */
export function eventWords(event: SessionEvent, clock: (at: number) => string): string {
  const { type, data } = event;
  const who = actorOf(event);
  if (type.startsWith('signal.') && type !== 'signal.dismissed') {
    const code = type.slice('signal.'.length);
    let text = SIGNAL_WORDS[code as SignalCode] ?? `Signal: ${code}`;
    const duration = num(data.durationMs);
    const times = num(data.count);
    if (duration !== undefined) text += ` (${code === 'page-visible' ? 'hidden' : 'away'} for ${formatDuration(duration)})`;
    if (times !== undefined && times > 1) text += ` (${times} times)`;
    return text;
  }
  if (type === 'log.device-check.completed') {
    const verdict = String(data.verdict ?? '');
    return `Device check ${CHECK_WORDS[verdict] ?? verdict}`;
  }
  if (type.startsWith('log.')) {
    return withDetails(type.slice(4), data);
  }
  switch (type) {
    case 'note.added':
      return `Note by ${who}${Math.abs(Number(data.at) - event.at) > 60_000 ? ` about ${clock(Number(data.at))}` : ''}: ${quote(data.text)}`;
    case 'screenshot.taken':
      return `Screenshot of the ${feed(data.feed).toLowerCase()} by ${who}`;
    case 'screenshot.deleted':
      return `${who ?? 'Someone'} deleted ${count(data.screenshotIds, 'screenshot', 'screenshots')}`;
    case 'flag.created': {
      const reason = FLAG_REASON_LABELS[data.reason as FlagReason] ?? String(data.reason);
      return `Flag (${String(data.severity)}): ${reason}, ${clock(Number(data.from))}–${clock(Number(data.to))}, by ${who}${data.signalSeq ? `, confirming signal #${String(data.signalSeq)}` : ''}${data.text ? `: ${quote(data.text)}` : ''}`;
    }
    case 'signal.dismissed':
      return `Signal #${String(data.signalSeq)} dismissed by ${who}${data.comment ? `: ${quote(data.comment)}` : ''}`;
    case 'verdict.signed':
      return `Verdict${data.revises ? ' revised' : ''}: ${VERDICT_WORDS[String(data.verdict)]?.toLowerCase() ?? String(data.verdict)} by ${who}${data.reason ? `. Reason: ${quote(data.reason)}` : ''}`;
    case 'session.joined':
      return 'Opened the exam page';
    case 'session.left':
      return 'Left the exam page (closed or disconnected)';
    case 'session.started':
      return num(data.durationMs) ? `Started the exam (${formatDuration(num(data.durationMs)!)})` : 'Started the exam';
    case 'session.paused':
      return who ? `${who} paused the exam` : 'The exam was paused';
    case 'session.resumed': {
      const after = num(data.pausedForMs) === undefined ? '' : ` after ${formatDuration(num(data.pausedForMs)!)}`;
      return who ? `${who} resumed the exam${after}` : `The exam resumed${after}`;
    }
    case 'session.extended':
      return who ? `${who} added ${num(data.minutes) ?? 0} min` : `${num(data.minutes) ?? 0} min added`;
    case 'session.ended':
      if (data.reason === 'terminated') return `${who ? `${who} ended the exam` : END_WORDS.terminated}${data.message ? `: ${quote(data.message)}` : ''}`;
      return END_WORDS[String(data.reason)] ?? 'The exam ended';
    case 'feed.live':
      return `${feed(data.feed)} live`;
    case 'feed.lost':
      return `${feed(data.feed)} lost`;
    case 'message.sent':
      return `${who ?? 'Supervisor'}: ${quote(data.text)}`;
    case 'message.acked':
      return 'Saw the message';
    case 'phone.paired':
      return data.replaced === true ? 'Phone replaced: another phone was paired' : 'Phone paired';
    case 'phone.room-scan-requested':
      return who ? `Room scan requested by ${who}` : 'Room scan requested';
    case 'identity.photo':
      return `Sent a photo of ${data.kind === 'document' ? 'their ID document' : 'their face'} for the identity check`;
    case 'identity.submitted':
      return 'Submitted the identity photos for review';
    case 'identity.approved':
      return who ? `${who} confirmed the identity` : 'Identity confirmed';
    case 'identity.rejected':
      return `${who ? `${who} did not confirm the identity` : 'Identity not confirmed'}${data.reason ? `: ${quote(data.reason)}` : ''}`;
    case 'identity.deleted':
      return `${who ?? 'Someone'} deleted ${count(data.photoIds, 'identity photo', 'identity photos')}`;
    case 'recording.started':
      return `${feed(data.feed)} recording started`;
    case 'recording.ended':
      return `${feed(data.feed)} recording stopped${RUN_END_WORDS[String(data.reason)] ?? ''}`;
    case 'recording.complete':
      return `${feed(data.feed)} recording saved (${formatDuration(Number(data.durationMs) || 0)})`;
    case 'recording.incomplete':
      return `${feed(data.feed)} recording is incomplete: parts of it never arrived or could not be read`;
    case 'recording.deleted':
      return who ? `${who} deleted the recordings` : 'Recordings deleted';
    default:
      return withDetails(type, data);
  }
}

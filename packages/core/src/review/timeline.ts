import { FEEDS, type Feed } from '../protocol/feeds.js';
import type { SessionEvent } from '../protocol/events.js';
import type { GapReason, RecordingManifest, RecordingState } from '../protocol/recording.js';
import { FLAG_SEVERITIES, type FlagSeverity } from '../protocol/review.js';

/**
 * One session's replay timeline in server time (ms since epoch), made from its recording manifest
 * and its log: where each feed's runs lie, what was not recorded and why, and the markers a
 * reviewer jumps to. Pure: the same manifest and log give the same timeline.
 */

/** A run of a feed on the timeline: the file that plays from `from` to `to`. */
export interface TimelineRun {
  feed: Feed;
  runId: string;
  from: number;
  /** Where the file ends (its duration once finished; the run's end or `now` before). */
  to: number;
  /** The file to play (signed), or `null` while it is not finished. */
  url: string | null;
  state: RecordingState;
  mimeType: string;
}

/**
 * Why a feed shows nothing for a while: a gap reason of the manifest, `not-started` before the
 * feed's first run, `not-uploaded` for a run whose file is not there (yet), `offline` when the log
 * shows the page away.
 */
export type TimelineGapReason = GapReason | 'not-started' | 'not-uploaded' | 'offline';

/** A stretch of a feed without a picture, with the words a reviewer reads. */
export interface TimelineGap {
  feed: Feed;
  from: number;
  to: number;
  reason: TimelineGapReason;
  /** What happened, e.g. "Screen share stopped". */
  label: string;
  /** The label with its times from the exam's start: "Screen share stopped 02:31–03:05". */
  words: string;
}

/** What a marker stands for. */
export type MarkerKind = 'signal' | 'command' | 'log' | 'note' | 'screenshot' | 'flag' | 'verdict';
export const MARKER_KINDS: readonly MarkerKind[] = ['flag', 'signal', 'note', 'screenshot', 'command', 'log', 'verdict'];

/** How much a marker asks for attention: a flag's own severity, a signal's by its code, `info` for the rest. */
export type MarkerSeverity = 'info' | FlagSeverity;
export const MARKER_SEVERITIES: readonly MarkerSeverity[] = ['info', ...FLAG_SEVERITIES];

/** A point (or, for a flag, a range) of the log on the timeline. */
export interface TimelineMarker {
  kind: MarkerKind;
  severity: MarkerSeverity;
  /** Where the marker sits (a flag's start), within the timeline. */
  at: number;
  /** A flag's end. */
  to?: number;
  /** The feeds it is about (a flag's, a screenshot's). */
  feeds?: Feed[];
  /** An integrity signal a person judged no incident. */
  dismissed?: boolean;
  /** The log entry behind it. */
  event: SessionEvent;
}

/** Signals that may hide something from the recording, and those that only inform. */
const SIGNAL_SEVERITY: Record<string, MarkerSeverity> = {
  'screen-share-stopped': 'medium',
  'webcam-stopped': 'medium',
  'webcam-covered': 'medium',
  'webcam-no-frames': 'medium',
  'second-display': 'medium',
  'page-visible': 'info',
  'window-focus': 'info',
};

const COMMAND_TYPES = new Set([
  'session.paused',
  'session.resumed',
  'session.extended',
  'message.sent',
  'phone.room-scan-requested',
  'identity.approved',
  'identity.rejected',
]);

/** Log entries that are written after the fact (records about the session, the kit's later work): they do not stretch the timeline. */
const AFTERWARDS = /^(?:note\.|screenshot\.|flag\.|signal\.dismissed$|verdict\.|recording\.(?:complete|incomplete|deleted)$|identity\.deleted$)/;

/** A gap shorter than this is a recorder's restart, not something a reviewer needs to read. */
const MIN_GAP_MS = 1000;

const FEED_WORD: Record<Feed, string> = { webcam: 'Webcam', screen: 'Screen', phone: 'Phone camera' };

export interface TimelineOptions {
  /** The time now (server time), for a live session's running runs and end. Default `Date.now()`. */
  now?: number;
}

/** `02:31` from the exam's start, `1:02:31` past an hour, `−00:45` before it. */
export function formatOffset(ms: number): string {
  const sign = ms < 0 ? '−' : '';
  const total = Math.floor(Math.abs(ms) / 1000);
  const ss = String(total % 60).padStart(2, '0');
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${sign}${String(minutes).padStart(2, '0')}:${ss}`;
  return `${sign}${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}:${ss}`;
}

/** When an event happened: as the page saw it when it was logged after a reconnect. */
function when(event: SessionEvent): number {
  return event.occurredAt ?? event.at;
}

/** A session's timeline; build one with {@link buildTimeline}. */
export class SessionTimeline {
  /** The first moment there is anything to show. */
  readonly start: number;
  /** The last moment: the exam's end, the last run's end, or now for a live session. */
  readonly end: number;
  /** Where `00:00` is: the exam's start, or `start` when the exam never started. */
  readonly origin: number;
  /** Whether the session has not ended: more will be recorded. */
  readonly live: boolean;
  /** The feeds that have recordings, in the order the kit names feeds. */
  readonly feeds: Feed[];
  /** Each recorded feed's runs, in time order. */
  readonly runs: ReadonlyMap<Feed, readonly TimelineRun[]>;
  /** Every feed's gaps, in time order. */
  readonly gaps: readonly TimelineGap[];
  /** Markers in time order. */
  readonly markers: readonly TimelineMarker[];
  /** The flags' markers, by start. */
  readonly flags: readonly TimelineMarker[];

  constructor(parts: Omit<SessionTimeline, 'runAt' | 'gapAt' | 'nextRun' | 'offset' | 'words' | 'duration' | 'clamp' | 'nextFlag' | 'previousFlag'>) {
    this.start = parts.start;
    this.end = parts.end;
    this.origin = parts.origin;
    this.live = parts.live;
    this.feeds = parts.feeds;
    this.runs = parts.runs;
    this.gaps = parts.gaps;
    this.markers = parts.markers;
    this.flags = parts.flags;
  }

  /** From `start` to `end`, in ms. */
  get duration(): number {
    return this.end - this.start;
  }

  /** `t` within `start`…`end`. */
  clamp(t: number): number {
    return Math.min(this.end, Math.max(this.start, t));
  }

  /** `t` as the player shows it, from the exam's start: `12:34`. */
  offset(t: number): string {
    return formatOffset(t - this.origin);
  }

  /**
   * The finished run of `feed` that covers `t`, and how far into its file `t` is. Where runs
   * overlap (a recorder restarted before the last one's file ended), the later run wins.
   */
  runAt(feed: Feed, t: number): { run: TimelineRun; offsetMs: number } | undefined {
    const runs = this.runs.get(feed) ?? [];
    for (let i = runs.length - 1; i >= 0; i--) {
      const run = runs[i]!;
      if (run.url && t >= run.from && t < run.to) return { run, offsetMs: t - run.from };
    }
    return undefined;
  }

  /** The gap of `feed` at `t`, if `t` is in one. */
  gapAt(feed: Feed, t: number): TimelineGap | undefined {
    return this.gaps.find((gap) => gap.feed === feed && t >= gap.from && t < gap.to);
  }

  /** The first playable run of `feed` starting after `t`: what a feed in a gap shows next. */
  nextRun(feed: Feed, t: number): TimelineRun | undefined {
    return (this.runs.get(feed) ?? []).find((run) => run.url && run.from > t);
  }

  /** The first flag starting after `t` (by more than half a second, so pressing again moves on). */
  nextFlag(t: number): TimelineMarker | undefined {
    return this.flags.find((flag) => flag.at > t + 500);
  }

  /** The last flag starting before `t` (by more than half a second). */
  previousFlag(t: number): TimelineMarker | undefined {
    return this.flags.findLast((flag) => flag.at < t - 500);
  }
}

/** Makes one session's timeline from its recording manifest and its whole log. */
export function buildTimeline(manifest: RecordingManifest, events: readonly SessionEvent[], options: TimelineOptions = {}): SessionTimeline {
  const now = options.now ?? Date.now();
  const sorted = [...events].sort((a, b) => when(a) - when(b) || a.seq - b.seq);
  const started = sorted.find((event) => event.type === 'session.started');
  const ended = sorted.find((event) => event.type === 'session.ended');
  const live = !ended;

  const runs = new Map<Feed, TimelineRun[]>();
  for (const { feed, runs: feedRuns } of manifest.recordings) {
    if (feedRuns.length === 0) continue;
    const list = feedRuns
      .map((run): TimelineRun => {
        const to = run.durationMs !== null ? run.startedAt + run.durationMs : (run.endedAt ?? Math.max(run.startedAt, now));
        return { feed, runId: run.runId, from: run.startedAt, to, url: run.url, state: run.state, mimeType: run.mimeType };
      })
      .sort((a, b) => a.from - b.from);
    runs.set(feed, [...(runs.get(feed) ?? []), ...list].sort((a, b) => a.from - b.from));
  }
  const feeds = FEEDS.filter((feed) => runs.has(feed));
  const allRuns = [...runs.values()].flat();

  const firstRun = allRuns.length ? Math.min(...allRuns.map((run) => run.from)) : undefined;
  const startCandidates = [started ? when(started) : undefined, firstRun].filter((t): t is number => t !== undefined);
  const first = sorted.find((event) => !AFTERWARDS.test(event.type));
  const start = startCandidates.length ? Math.min(...startCandidates) : first ? when(first) : now;

  const during = sorted.filter((event) => !AFTERWARDS.test(event.type));
  const endCandidates = [
    start,
    ...allRuns.map((run) => run.to),
    ...(ended ? [when(ended)] : during.length ? [when(during.at(-1)!)] : []),
    ...(live ? [now] : []),
  ];
  // A run's file may end a little after the exam's end (the last slice); never before the start.
  const end = Math.max(...endCandidates);
  const origin = started ? when(started) : start;
  const words = (from: number, to: number, label: string) => `${label} ${formatOffset(from - origin)}–${formatOffset(to - origin)}`;

  const gaps = feeds.flatMap((feed) => feedGaps(feed, runs.get(feed)!, manifest, sorted, start, end, live)).map((gap) => ({ ...gap, words: words(gap.from, gap.to, gap.label) }));
  gaps.sort((a, b) => a.from - b.from || FEEDS.indexOf(a.feed) - FEEDS.indexOf(b.feed));

  const dismissed = new Set(sorted.filter((event) => event.type === 'signal.dismissed').map((event) => Number(event.data.signalSeq)));
  const markers = sorted
    .map((event) => markerOf(event, dismissed))
    .filter((marker): marker is TimelineMarker => marker !== undefined)
    .map((marker) => ({ ...marker, at: Math.min(end, Math.max(start, marker.at)), ...(marker.to !== undefined ? { to: Math.min(end, Math.max(start, marker.to)) } : {}) }))
    .sort((a, b) => a.at - b.at || a.event.seq - b.event.seq);
  const flags = markers.filter((marker) => marker.kind === 'flag');

  return new SessionTimeline({ start, end, origin, live, feeds, runs, gaps, markers, flags });
}

type RawGap = Omit<TimelineGap, 'words'>;

/** A feed's stretches without a picture: before its first run, between runs, unfinished runs, after its last run. */
function feedGaps(feed: Feed, runs: readonly TimelineRun[], manifest: RecordingManifest, log: readonly SessionEvent[], start: number, end: number, live: boolean): RawGap[] {
  const gaps: RawGap[] = [];
  const add = (from: number, to: number, reason: TimelineGapReason) => {
    if (to - from < MIN_GAP_MS) return;
    gaps.push({ feed, from, to, reason, label: '' });
  };
  const playable = runs.filter((run) => run.url);
  const unplayable = runs.filter((run) => !run.url);

  // Uncovered stretches between start and end, each told by the manifest's gap, or the run states.
  let cursor = start;
  const covered = [...playable].sort((a, b) => a.from - b.from);
  const holes: [number, number][] = [];
  for (const run of covered) {
    if (run.from > cursor) holes.push([cursor, run.from]);
    cursor = Math.max(cursor, run.to);
  }
  if (end > cursor) holes.push([cursor, end]);

  for (const [from, to] of holes) {
    if (to - from < MIN_GAP_MS) continue;
    // Pieces of the hole that an unfinished run covers: its file is not there (yet).
    let at = from;
    const inside = unplayable.filter((run) => run.to > from && run.from < to).sort((a, b) => a.from - b.from);
    for (const run of inside) {
      const runFrom = Math.max(run.from, at);
      if (runFrom > at) add(at, runFrom, holeReason(feed, at, runFrom, manifest, playable, start));
      const runTo = Math.min(run.to, to);
      if (runTo > runFrom) add(runFrom, runTo, 'not-uploaded');
      at = Math.max(at, runTo);
    }
    if (to > at) add(at, to, holeReason(feed, at, to, manifest, playable, start));
  }
  // While a session is live the newest stretch is simply not uploaded yet.
  if (live && gaps.length && gaps.at(-1)!.to === end && gaps.at(-1)!.reason === 'unknown') gaps.at(-1)!.reason = 'not-uploaded';
  return gaps.map((gap) => ({ ...gap, label: gapLabel(feed, gap.reason, gap.from, gap.to, log) }));
}

/** Why a stretch without any run is empty: the manifest's gap that overlaps it, before the first run, or unknown. */
function holeReason(feed: Feed, from: number, to: number, manifest: RecordingManifest, playable: readonly TimelineRun[], start: number): TimelineGapReason {
  const listed = manifest.gaps.find((gap) => gap.feed === feed && gap.from < to && gap.to > from);
  if (listed) return listed.reason;
  const firstPlayable = playable[0];
  if (from === start && (!firstPlayable || to <= firstPlayable.from)) return 'not-started';
  return 'unknown';
}

/** The words of a gap, with what the log says about it when the manifest does not know. */
function gapLabel(feed: Feed, reason: TimelineGapReason, from: number, to: number, log: readonly SessionEvent[]): string {
  const during = (type: string) => log.some((event) => event.type === type && when(event) >= from - 5000 && when(event) < to);
  let told = reason;
  if (told === 'unknown' || told === 'page-closed' || told === 'disconnected') {
    if (feed === 'screen' && told === 'unknown' && during('signal.screen-share-stopped')) told = 'share-stopped';
    else if (feed === 'webcam' && told === 'unknown' && during('signal.webcam-stopped')) told = 'camera-lost';
    else if (during('session.left')) told = told === 'page-closed' ? 'page-closed' : 'offline';
  }
  switch (told) {
    case 'share-stopped':
      return 'Screen share stopped';
    case 'camera-lost':
      return `${feed === 'phone' ? 'Phone camera' : 'Camera'} stopped`;
    case 'page-closed':
      return feed === 'phone' ? 'Phone page closed' : 'Page closed';
    case 'disconnected':
    case 'offline':
      return 'Offline';
    case 'not-started':
      return `${FEED_WORD[feed]} not recording yet`;
    case 'not-uploaded':
      return 'Not uploaded yet';
    default:
      if (during('session.paused')) return 'Exam paused';
      return 'Not recorded';
  }
}

function markerOf(event: SessionEvent, dismissed: ReadonlySet<number>): TimelineMarker | undefined {
  const { type, data } = event;
  const at = when(event);
  if (type === 'signal.dismissed') return undefined;
  if (type.startsWith('signal.')) {
    const severity = SIGNAL_SEVERITY[type.slice('signal.'.length)] ?? 'low';
    return { kind: 'signal', severity, at, event, ...(dismissed.has(event.seq) ? { dismissed: true } : {}) };
  }
  if (type.startsWith('log.')) return { kind: 'log', severity: 'info', at, event };
  if (COMMAND_TYPES.has(type) || (type === 'session.ended' && data.reason === 'terminated')) return { kind: 'command', severity: 'info', at, event };
  const dataAt = typeof data.at === 'number' ? data.at : at;
  switch (type) {
    case 'note.added':
      return { kind: 'note', severity: 'info', at: dataAt, event };
    case 'screenshot.taken':
      return { kind: 'screenshot', severity: 'info', at: dataAt, event, feeds: [data.feed as Feed] };
    case 'flag.created': {
      const severity = (FLAG_SEVERITIES as readonly string[]).includes(String(data.severity)) ? (data.severity as FlagSeverity) : 'medium';
      const from = typeof data.from === 'number' ? data.from : at;
      const to = typeof data.to === 'number' ? data.to : from;
      return { kind: 'flag', severity, at: from, to, event, feeds: Array.isArray(data.feeds) ? (data.feeds as Feed[]) : [] };
    }
    case 'verdict.signed':
      return { kind: 'verdict', severity: 'info', at, event };
    default:
      return undefined;
  }
}

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  FEEDS,
  PLAYBACK_RATES,
  ProctorError,
  ReviewClient,
  SyncedPlayback,
  buildTimeline,
  reviewRecords,
  type Feed,
  type FlagInput,
  type PlaybackState,
  type RecordingManifest,
  type ReviewRecords,
  type SessionEvent,
  type SessionSummary,
  type SessionTimeline,
  type Verdict,
  type VerdictInput,
} from '@proctorkit/core';
import { ReviewLines } from '../event-feed/review-lines/review-lines.js';
import { fire, type RecordedDetail } from '../shared/events.js';
import { keyAction, type KeyAction } from './review-keys.js';

/** What the player needs of its element. */
export interface ReviewHost extends ReactiveControllerHost, HTMLElement {
  server: string;
  token: string;
  session: string;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** How often a live session's log and recordings are fetched again, ms. */
export const LIVE_REFRESH_MS = 15_000;
/** A signed link is renewed this long before it expires, ms. */
const LINK_MARGIN_MS = 60_000;
/** A failing file fetches a fresh manifest at most this often, ms. */
const ERROR_REFRESH_MS = 5_000;

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A form under the transport: a note or a flag at the playhead. */
export type Annotation = 'note' | 'flag';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A line of the event list: the entry, and the session time it is about. */
export interface EventLine {
  event: SessionEvent;
  at: number;
}

/** The session time an entry is about: a note's or screenshot's moment, a flag's start, else when it happened. */
function lineTime(event: SessionEvent): number {
  const { data } = event;
  if ((event.type === 'note.added' || event.type === 'screenshot.taken') && typeof data.at === 'number') return data.at;
  if (event.type === 'flag.created' && typeof data.from === 'number') return data.from;
  return event.occurredAt ?? event.at;
}

/** When the earliest signed link of the manifest expires (`?expires=<ms>`), if any says. */
function linksExpireAt(manifest: RecordingManifest): number | undefined {
  const times = manifest.recordings
    .flatMap((feed) => feed.runs)
    .map((run) => (run.url ? Number(new URL(run.url, 'http://x').searchParams.get('expires')) : NaN))
    .filter((t) => Number.isFinite(t) && t > 0);
  return times.length ? Math.min(...times) : undefined;
}

/**
 * The review player's state and behaviour, for `<proctor-review>`: loads a session's summary,
 * log and recordings through the kit's review routes, drives the feeds with a
 * {@link SyncedPlayback}, refreshes a live session and expired links, and records notes, flags and
 * verdicts. Renders nothing itself.
 */
export class ReviewPlayer implements ReactiveController {
  summary?: SessionSummary;
  events: SessionEvent[] = [];
  /** The log as the event list shows it: each entry at the time it is about, in time order. */
  lines: EventLine[] = [];
  records: ReviewRecords = reviewRecords([]);
  timeline?: SessionTimeline;
  playback?: SyncedPlayback;
  /** An error that keeps the session from loading at all. */
  loadError?: string;
  /** The feed shown large, or all side by side. */
  large?: Feed;
  /** The open form, and the playhead it was opened at. */
  annotation?: Annotation;
  annotationAt = 0;
  annotationError?: string;
  verdictError?: string;
  /** The verdict chosen in the form (the reason field shows for `rejected`). */
  verdictChoice: Verdict = 'accepted';
  reportError?: string;
  busy = false;
  /** For screen readers: the latest thing done. */
  announcement = '';
  /** One video per feed, kept across renders (a re-created element would reload its file). */
  readonly videos: Record<Feed, HTMLVideoElement>;
  /**
   * Under each integrity signal of the event list, its judgement or "Confirm as incident" and
   * "Dismiss" with their dialogs: the event feed's, so both say the same.
   */
  readonly signals: ReviewLines;
  /** Counts judgements stored here: their lines change before the log brings them back. */
  judgedHere = 0;

  private client?: ReviewClient;
  private loadedFor = '';
  private stopState?: () => void;
  private timer?: ReturnType<typeof setTimeout>;
  private lastErrorRefresh = 0;
  private refreshing?: Promise<void>;
  private followed?: HTMLElement;

  constructor(private readonly host: ReviewHost) {
    host.addController(this);
    this.videos = Object.fromEntries(
      FEEDS.map((feed) => {
        const video = document.createElement('video');
        video.setAttribute('part', 'video');
        video.dataset.feed = feed;
        // Only the webcam's file may have sound.
        video.muted = feed !== 'webcam';
        return [feed, video];
      }),
    ) as Record<Feed, HTMLVideoElement>;
    // The review lines' host is the element, seen through this player.
    const player = this;
    this.signals = new ReviewLines({
      addController: (controller) => host.addController(controller),
      removeController: (controller) => host.removeController(controller),
      requestUpdate: () => host.requestUpdate(),
      get updateComplete() {
        return host.updateComplete;
      },
      get renderRoot() {
        return host.renderRoot;
      },
      get events() {
        return player.events;
      },
      get review() {
        return player.client;
      },
      get sessionId() {
        return host.session;
      },
      judge: true,
      judgedWhen: (at) => dateTime.format(at),
    });
  }

  /** The playback state now (time, playing, rate, each feed's status). */
  get state(): PlaybackState | undefined {
    return this.playback?.state.value;
  }

  get time(): number {
    return this.playback?.time ?? this.timeline?.start ?? 0;
  }

  /** Keeps the event list's line at the playhead in view as the playhead moves. */
  hostUpdated(): void {
    const current = this.host.renderRoot.querySelector<HTMLElement>('[part="event"][aria-current="true"]');
    const list = current?.closest<HTMLElement>('[part="events"]');
    if (!current || !list || current === this.followed) return;
    this.followed = current;
    // The list is the line's offset parent (it is positioned).
    const top = current.offsetTop;
    if (top < list.scrollTop || top + current.offsetHeight > list.scrollTop + list.clientHeight) list.scrollTop = top - list.clientHeight / 3;
  }

  hostConnected(): void {
    document.addEventListener('keydown', this.onKey);
    this.configure();
  }

  hostDisconnected(): void {
    document.removeEventListener('keydown', this.onKey);
    this.stop();
    this.loadedFor = '';
  }

  /** Loads the session named by the element's properties, once they are all set (again when they change). */
  configure(): void {
    const { server, session } = this.host;
    const key = `${server}\n${session}`;
    if (!server || !session || !this.host.token || key === this.loadedFor || !this.host.isConnected) return;
    this.stop();
    this.loadedFor = key;
    this.client = new ReviewClient(server, () => this.host.token);
    this.summary = undefined;
    this.events = [];
    this.timeline = undefined;
    this.loadError = undefined;
    this.host.requestUpdate();
    void this.load(key);
  }

  private async load(key: string): Promise<void> {
    try {
      const client = this.client!;
      const [summary, events, manifest] = await Promise.all([client.session(this.host.session), client.events(this.host.session), client.recordings(this.host.session)]);
      if (key !== this.loadedFor) return;
      this.summary = summary;
      this.setEvents(events);
      this.apply(manifest);
    } catch (error) {
      if (key !== this.loadedFor) return;
      this.loadError = message(error);
      this.host.requestUpdate();
    }
  }

  /** Fetches what is new: the summary, the log after the last entry, and the manifest (fresh links, new runs). */
  refresh(): Promise<void> {
    this.refreshing ??= this.fetchNew().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async fetchNew(): Promise<void> {
    const client = this.client;
    if (!client || !this.timeline) return this.configure();
    const key = this.loadedFor;
    try {
      const after = this.events.at(-1)?.seq ?? 0;
      const [summary, events, manifest] = await Promise.all([client.session(this.host.session), client.events(this.host.session, after), client.recordings(this.host.session)]);
      if (key !== this.loadedFor) return;
      this.summary = summary;
      if (events.length) this.setEvents([...this.events, ...events.filter((event) => event.seq > after)]);
      this.apply(manifest);
    } catch (error) {
      this.announce(`Could not refresh: ${message(error)}`);
      this.schedule(this.timeline.live ? LIVE_REFRESH_MS : undefined);
    }
  }

  private setEvents(events: SessionEvent[]): void {
    this.events = events;
    this.records = reviewRecords(events);
    this.lines = events.map((event) => ({ event, at: lineTime(event) })).sort((a, b) => a.at - b.at || a.event.seq - b.event.seq);
  }

  /** Builds the timeline from the manifest and the log, and hands it to the playback (made anew when the feeds change). */
  private apply(manifest: RecordingManifest): void {
    const timeline = buildTimeline(manifest, this.events);
    const previous = this.timeline;
    this.timeline = timeline;
    const sameFeeds = previous && previous.feeds.join() === timeline.feeds.join();
    if (this.playback && sameFeeds) {
      this.playback.setTimeline(timeline);
    } else {
      const at = this.playback?.time ?? firstRecorded(timeline);
      const rate = this.playback?.state.value.rate;
      const playing = this.playback?.state.value.playing;
      this.stopPlayback();
      const videos = Object.fromEntries(timeline.feeds.map((feed) => [feed, this.videos[feed]]));
      this.playback = new SyncedPlayback({
        timeline,
        videos,
        ...(at !== undefined ? { startAt: at } : {}),
        onError: () => this.linkFailed(),
      });
      if (rate) this.playback.setRate(rate);
      if (playing) this.playback.play();
      this.stopState = this.playback.state.subscribe(() => this.host.requestUpdate());
      if (this.large && !timeline.feeds.includes(this.large)) this.large = undefined;
    }
    const expires = linksExpireAt(manifest);
    const untilExpiry = expires === undefined ? undefined : Math.max(5_000, expires - Date.now() - LINK_MARGIN_MS);
    this.schedule(timeline.live ? Math.min(LIVE_REFRESH_MS, untilExpiry ?? Infinity) : untilExpiry);
    this.host.requestUpdate();
  }

  /** A file failed (most likely its signed link expired: the kit answers 403): fetch fresh links. */
  private linkFailed(): void {
    const now = performance.now();
    if (now - this.lastErrorRefresh < ERROR_REFRESH_MS) {
      this.schedule(ERROR_REFRESH_MS);
      return;
    }
    this.lastErrorRefresh = now;
    void this.refresh();
  }

  private schedule(inMs: number | undefined): void {
    clearTimeout(this.timer);
    if (inMs !== undefined && Number.isFinite(inMs)) this.timer = setTimeout(() => void this.refresh(), inMs);
  }

  private stopPlayback(): void {
    this.stopState?.();
    this.stopState = undefined;
    this.playback?.close();
    this.playback = undefined;
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.stopPlayback();
  }

  // ---- transport -------------------------------------------------------------------------

  toggle(): void {
    if (!this.playback) return;
    if (this.playback.state.value.playing) this.playback.pause();
    else this.playback.play();
  }

  seek(t: number): Promise<void> {
    return this.playback?.seek(t) ?? Promise.resolve();
  }

  step(seconds: number): void {
    void this.seek(this.time + seconds * 1000);
  }

  setRate(rate: number): void {
    this.playback?.setRate(rate);
    this.host.requestUpdate();
  }

  /** One speed slower or faster among {@link PLAYBACK_RATES}. */
  speed(direction: -1 | 1): void {
    const rate = this.state?.rate ?? 1;
    const index = PLAYBACK_RATES.findIndex((r) => r >= rate);
    const next = PLAYBACK_RATES[Math.min(PLAYBACK_RATES.length - 1, Math.max(0, (index === -1 ? PLAYBACK_RATES.length - 1 : index) + direction))]!;
    this.setRate(next);
    this.announce(`Speed ${next}×`);
  }

  /** Jumps to the previous or next flag. */
  jumpFlag(direction: -1 | 1): void {
    const flag = direction > 0 ? this.timeline?.nextFlag(this.time) : this.timeline?.previousFlag(this.time);
    if (!flag) {
      this.announce(direction > 0 ? 'No flag after this point.' : 'No flag before this point.');
      return;
    }
    void this.seek(flag.at);
  }

  /** Shows `feed` large, or every feed side by side again. */
  showLarge(feed: Feed | undefined): void {
    this.large = feed === this.large ? undefined : feed;
    this.host.requestUpdate();
  }

  // ---- keyboard --------------------------------------------------------------------------

  /** Keys pressed in the player, or anywhere on a page where nothing has focus and this is its first player. */
  private readonly onKey = (event: KeyboardEvent): void => {
    const inside = event.composedPath().includes(this.host);
    const unfocused = !document.activeElement || document.activeElement === document.body;
    if (!inside && !(unfocused && document.querySelector(this.host.localName) === this.host)) return;
    const action = keyAction(event);
    if (!action || !this.timeline) return;
    event.preventDefault();
    this.run(action);
  };

  private run(action: KeyAction): void {
    switch (action.type) {
      case 'toggle':
        return this.toggle();
      case 'step':
        return this.step(action.seconds);
      case 'flag':
        return this.jumpFlag(action.direction);
      case 'speed':
        return this.speed(action.direction);
      case 'large':
        return this.showLarge(action.index === 0 ? undefined : this.timeline!.feeds[action.index - 1] ?? this.large);
      case 'add-note':
        return this.annotate('note');
      case 'add-flag':
        return this.annotate('flag');
      case 'help':
        this.host.renderRoot.querySelector<HTMLDialogElement>('dialog.help')?.showModal();
        return;
    }
  }

  // ---- notes, flags, verdicts, report ------------------------------------------------------

  /** Opens the note or flag form at the playhead (pausing, so the playhead stays where it was meant). */
  annotate(kind: Annotation): void {
    this.playback?.pause();
    this.annotation = kind;
    this.annotationAt = Math.round(this.time);
    this.annotationError = undefined;
    this.host.requestUpdate();
    void this.host.updateComplete.then(() => this.host.renderRoot.querySelector<HTMLElement>('.annotation [data-autofocus]')?.focus());
  }

  closeAnnotation(): void {
    this.annotation = undefined;
    this.annotationError = undefined;
    this.host.requestUpdate();
  }

  /** Shows why a form cannot be sent. */
  refuse(text: string): void {
    this.annotationError = text;
    this.host.requestUpdate();
  }

  addNote(text: string): Promise<void> {
    const at = this.annotationAt;
    return this.write(
      (client, session) => client.addNote(session, at, text),
      ({ seq }, sessionId) => {
        fire(this.host, 'proctor-recorded', { sessionId, record: 'note', seq });
        this.closeAnnotation();
        this.announce(`Note added at ${this.timeline!.offset(at)}.`);
      },
      (error) => this.refuse(error),
    );
  }

  addFlag(flag: FlagInput): Promise<void> {
    return this.write(
      (client, session) => client.addFlag(session, flag),
      ({ seq }, sessionId) => {
        fire(this.host, 'proctor-recorded', { sessionId, record: 'flag', seq });
        this.closeAnnotation();
        this.announce(`Flag added from ${this.timeline!.offset(flag.from)} to ${this.timeline!.offset(flag.to)}.`);
      },
      (error) => this.refuse(error),
    );
  }

  signVerdict(verdict: VerdictInput): Promise<void> {
    this.verdictError = undefined;
    return this.write(
      (client, session) => client.signVerdict(session, verdict),
      (entry, session) => {
        this.announce('Verdict signed.');
        this.host.dispatchEvent(new CustomEvent('proctor-verdict', { detail: { sessionId: session, verdict: entry }, bubbles: true, composed: true }));
      },
      (error) => {
        this.verdictError = error;
      },
    );
  }

  chooseVerdict(verdict: Verdict): void {
    this.verdictChoice = verdict;
    this.host.requestUpdate();
  }

  /** Opens the printable report in a new tab (opened at once, so the click's permission to open one holds). */
  async openReport(): Promise<void> {
    if (!this.client) return;
    this.reportError = undefined;
    const tab = window.open('', '_blank');
    try {
      const report = await this.client.report(this.host.session);
      if (tab) {
        tab.opener = null;
        tab.location.href = new URL(report.htmlUrl, location.href).href;
      } else {
        window.open(report.htmlUrl, '_blank', 'noopener');
      }
    } catch (error) {
      tab?.close();
      this.reportError = `The report could not be opened: ${message(error)}`;
      this.host.requestUpdate();
    }
  }

  /** Sends a record to the kit; once stored, fetches the log so its marker and line appear. */
  private async write<T>(send: (client: ReviewClient, session: string) => Promise<T>, done: (written: T, session: string) => void, failed: (message: string) => void): Promise<void> {
    if (!this.client || this.busy) return;
    this.busy = true;
    this.host.requestUpdate();
    const session = this.host.session;
    try {
      const written = await send(this.client, session);
      await this.refresh();
      done(written, session);
    } catch (error) {
      failed(error instanceof ProctorError || error instanceof Error ? error.message : String(error));
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }

  /**
   * A signal's dialog stored its judgement: fetches the log so the flag's marker and the line's
   * judgement appear, and gives focus to the signal's line (its buttons are gone) if nothing else took it.
   */
  readonly judged = ({ detail }: CustomEvent<RecordedDetail>): void => {
    this.judgedHere += 1;
    this.host.requestUpdate();
    void this.refresh().then(async () => {
      const { flags, dismissals } = this.records;
      const flag = detail.record === 'flag' ? flags.find((f) => f.seq === detail.seq) : undefined;
      const signalSeq = flag?.signalSeq ?? dismissals.find((d) => d.seq === detail.seq)?.signalSeq;
      const offset = (t: number) => this.timeline?.offset(t) ?? '';
      this.announce(flag ? `Signal confirmed as incident: flag from ${offset(flag.from)} to ${offset(flag.to)}.` : 'Signal dismissed.');
      await this.host.updateComplete;
      const lost = !document.activeElement || document.activeElement === document.body;
      if (lost && signalSeq) this.host.renderRoot.querySelector<HTMLElement>(`[part="event"][data-seq="${signalSeq}"]`)?.focus();
    });
  };

  announce(text: string): void {
    // A live region speaks only changes: the same words twice need a difference.
    this.announcement = text === this.announcement ? `${text}\u00a0` : text;
    this.host.requestUpdate();
  }
}

/** Feeds whose first files start this close together open the replay where all of them show. */
const OPEN_TOGETHER_MS = 60_000;

/**
 * Where a replay opens: where every feed's first file shows when they start within a minute of
 * each other (pages start their recorders a moment apart), else where the first one does — rather
 * than at the exam's start, before any recorder ran.
 */
function firstRecorded(timeline: SessionTimeline): number | undefined {
  const starts = [...timeline.runs.values()].map((runs) => runs.find((run) => run.url !== null)?.from).filter((from) => from !== undefined);
  if (!starts.length) return undefined;
  const first = Math.min(...starts);
  const all = Math.max(...starts);
  return all - first <= OPEN_TOGETHER_MS ? all : first;
}

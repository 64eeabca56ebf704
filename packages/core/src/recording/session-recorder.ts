import type { Feed, RunEndReason } from '../protocol/index.js';
import { createLogger } from '../util/logger.js';
import { Store, type Readable } from '../util/store.js';
import { ChunkOutbox, type OutboxRun } from './chunk-outbox.js';
import { DEFAULT_RECORDER_SETTINGS, recorderMimeType, type RecorderSettings } from './recorder-settings.js';
import { RecordingUploader } from './recording-uploader.js';

const log = createLogger('recorder');

/** What the candidate's page shows of its recording. */
export interface RecordingStatus {
  /** The feeds being recorded now. */
  recording: Feed[];
  /** Chunks recorded but not yet stored by the kit, and about how much recording time they hold (the longest feed's). */
  pendingChunks: number;
  pendingMs: number;
  /** `pendingMs` of each feed that has chunks waiting. */
  pendingMsByFeed: Partial<Record<Feed, number>>;
  /** Set while the kit cannot be reached (retrying) or refused a part: what the candidate should know. */
  problem?: string;
}

/** Options of {@link SessionRecorder}. */
export interface SessionRecorderOptions {
  /** Where the kit's router is mounted. */
  server: string;
  /** The page's current token (renewed ones included). */
  token: () => string;
  /** Server time as the page estimates it. */
  now: () => number;
  /** Changes to the recorder settings per feed (bitrate, timeslice, keyframe interval). */
  settings?: Partial<Record<Feed, Partial<RecorderSettings>>>;
  /** Record the microphone into the webcam's file. Default: `false`. */
  audio?: boolean;
  /** The IndexedDB database of the outbox: pages of one origin that record apart keep apart ones. Default: `'proctorkit-recordings'`. */
  outboxName?: string;
  /** The outbox itself (tests give each their own). Default: one in `outboxName`. */
  outbox?: ChunkOutbox;
}

interface LiveRun {
  recorder: MediaRecorder;
  run: OutboxRun;
  /** Chunk writes in order; the end waits for them. */
  writes: Promise<void>;
  stopped: Promise<void>;
}

/**
 * Records a session's feeds in the browser: one `MediaRecorder` per feed, a new run each time a
 * feed's recorder starts, every chunk to an IndexedDB outbox first and from there to the kit. Runs
 * that an earlier page of the session left (a reload, a crash) are ended and drained too.
 */
export class SessionRecorder {
  private readonly store = new Store<RecordingStatus>({ recording: [], pendingChunks: 0, pendingMs: 0, pendingMsByFeed: {} });
  private readonly outbox: ChunkOutbox;
  private readonly live = new Map<Feed, LiveRun>();
  /** Runs whose recorder is stopping: their last chunk is still to be written. */
  private readonly ending = new Set<Promise<void>>();
  private readonly pageId = crypto.randomUUID();
  private readonly uploader: RecordingUploader;
  private sessionId?: string;
  private bound?: () => void;
  private readonly whenBound = new Promise<void>((resolve) => (this.bound = resolve));
  private closed = false;

  constructor(private readonly options: SessionRecorderOptions) {
    this.outbox = options.outbox ?? new ChunkOutbox(options.outboxName);
    this.uploader = new RecordingUploader({
      server: options.server,
      token: options.token,
      outbox: this.outbox,
      onStatus: ({ pendingChunks, pendingByFeed, problem }) => {
        const pendingMsByFeed = this.pendingMsByFeed(pendingByFeed);
        // Feeds upload side by side: what waits is as long as the longest feed's backlog, not their sum.
        const pendingMs = Math.max(0, ...Object.values(pendingMsByFeed));
        this.store.update((s) => ({ recording: s.recording, pendingChunks, pendingMs, pendingMsByFeed, ...(problem ? { problem } : {}) }));
      },
    });
  }

  get state(): Readable<RecordingStatus> {
    return this.store;
  }

  /** Whether this browser can record at all. */
  static supported(): boolean {
    return recorderMimeType() !== undefined;
  }

  /** Once the session is known: ends the runs an earlier page left, and uploads everything waiting. */
  async bind(sessionId: string): Promise<void> {
    if (this.sessionId) return;
    this.sessionId = sessionId;
    for (const run of await this.outbox.runs(sessionId)) {
      if (run.end || run.pageId === this.pageId) continue;
      await this.outbox.putRun({ ...run, end: { chunks: run.chunks, endedAt: run.lastAt ?? run.startedAt, reason: 'page-closed' } });
    }
    this.bound?.();
    this.uploader.start(sessionId);
    if ('storage' in navigator && navigator.storage.persist) {
      // Asked once there is something to keep; a browser may decline, and then evicts only under pressure.
      navigator.storage.persist().catch(() => undefined);
    }
  }

  /** Starts a new run of `feed` from `track` (ending the feed's current run first). */
  async record(feed: Feed, track: MediaStreamTrack, audio?: MediaStreamTrack): Promise<void> {
    await this.whenBound;
    await this.stop(feed, 'stopped');
    const mimeType = recorderMimeType(audio !== undefined);
    if (this.closed || track.readyState === 'ended') return;
    if (!mimeType) {
      this.store.update((s) => ({ ...s, problem: 'This browser cannot record video: use a current Chrome, Edge, Firefox or Safari.' }));
      return;
    }
    const settings = { ...DEFAULT_RECORDER_SETTINGS[feed], ...this.options.settings?.[feed] };
    const recorder = new MediaRecorder(new MediaStream(audio ? [track, audio] : [track]), {
      mimeType,
      videoBitsPerSecond: settings.videoBitsPerSecond,
      audioBitsPerSecond: 32_000,
      videoKeyFrameIntervalDuration: settings.keyframeIntervalMs,
    } as MediaRecorderOptions);
    const run: OutboxRun = {
      runId: crypto.randomUUID(),
      sessionId: this.sessionId!,
      feed,
      mimeType: recorder.mimeType || mimeType,
      startedAt: Math.round(this.options.now()),
      chunks: 0,
      announced: false,
      pageId: this.pageId,
    };
    await this.outbox.putRun(run);
    const live: LiveRun = { recorder, run, writes: Promise.resolve(), stopped: new Promise((resolve) => recorder.addEventListener('stop', () => resolve(), { once: true })) };
    recorder.addEventListener('dataavailable', ({ data }) => {
      // Kept after close too (the last slice a stopped recorder hands over) unless a later page ended the run first.
      if (data.size === 0) return;
      const seq = run.chunks++;
      run.lastAt = Math.round(this.options.now());
      const snapshot = { ...run };
      live.writes = live.writes
        .then(() => this.outbox.putChunk(snapshot, { runId: run.runId, seq, blob: data, at: snapshot.lastAt! }))
        .then(() => this.uploader.added(feed))
        .catch((error) => log.error(`keeping chunk ${seq} of the ${feed} recording failed`, error));
    });
    recorder.addEventListener('error', (event) => log.error(`the ${feed} recorder failed`, (event as ErrorEvent).error));
    // The run lasts from when the recorder really started (its encoder may take a moment) to when it was told to stop.
    recorder.addEventListener('start', () => (run.startedAt = Math.round(this.options.now())), { once: true });
    try {
      recorder.start(settings.timesliceMs);
    } catch (error) {
      await this.outbox.deleteRun(run.runId);
      // The capture stopped while the run was being set up: nothing to record, nothing wrong.
      if (captureStopped(track) || this.closed) return;
      log.error(`the ${feed} recorder did not start`, error);
      this.store.update((s) => ({ ...s, problem: `The ${feed === 'screen' ? 'screen' : 'camera'} cannot be recorded in this browser.` }));
      return;
    }
    this.live.set(feed, live);
    this.setRecording();
  }

  /** Ends the feed's current run (its last chunk included). */
  stop(feed: Feed, reason: RunEndReason): Promise<void> {
    const live = this.live.get(feed);
    if (!live) return Promise.resolve();
    this.live.delete(feed);
    const ended = this.end(feed, live, reason, Math.round(this.options.now()));
    const settled = ended.then(
      () => undefined,
      () => undefined,
    );
    this.ending.add(settled);
    void settled.then(() => this.ending.delete(settled));
    return ended;
  }

  private async end(feed: Feed, live: LiveRun, reason: RunEndReason, endedAt: number): Promise<void> {
    if (live.recorder.state !== 'inactive') live.recorder.stop();
    await live.stopped;
    await live.writes;
    await this.outbox.putRun({ ...live.run, end: { chunks: live.run.chunks, endedAt, reason } });
    this.setRecording();
    this.uploader.added(feed);
  }

  /** Ends every run, e.g. at the end of the exam. */
  async stopAll(reason: RunEndReason): Promise<void> {
    await Promise.all([...this.live.keys()].map((feed) => this.stop(feed, reason)));
  }

  /**
   * Resolves `true` once every chunk is stored by the kit (those of runs still ending included), or
   * `false` after `timeoutMs` (uploads go on).
   */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
    const ended = await Promise.race([Promise.all(this.ending).then(() => 'ended' as const), late]);
    clearTimeout(timer);
    if (ended === 'late') return false;
    return this.uploader.drained(Math.max(0, deadline - performance.now()));
  }

  /** Stops recording and uploading; what is in the outbox stays for the next page. */
  close(): void {
    this.closed = true;
    for (const { recorder } of this.live.values()) if (recorder.state !== 'inactive') recorder.stop();
    this.live.clear();
    this.uploader.stop();
  }

  private setRecording(): void {
    this.store.update((s) => ({ ...s, recording: [...this.live.keys()] }));
  }

  private pendingMsByFeed(byFeed: Partial<Record<Feed, number>>): Partial<Record<Feed, number>> {
    const ms: Partial<Record<Feed, number>> = {};
    for (const [feed, count] of Object.entries(byFeed) as [Feed, number][]) {
      if (count > 0) ms[feed] = count * (this.options.settings?.[feed]?.timesliceMs ?? DEFAULT_RECORDER_SETTINGS[feed].timesliceMs);
    }
    return ms;
  }
}

/** Read through a call: TypeScript would take the state checked before an `await` for the state after it. */
function captureStopped(track: MediaStreamTrack): boolean {
  return track.readyState === 'ended';
}

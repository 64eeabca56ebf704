import type { Feed, RunEndReason } from '../protocol/index.js';
import { Store, type Readable } from '../util/store.js';
import { BacklogReporter, type SendBacklog } from './backlog-reporter.js';
import type { RecordingStatus, SessionRecorder, SessionRecorderOptions } from './session-recorder.js';

/** Options of {@link DeferredRecorder}: the recorder's, and how to tell the kit what waits to upload. */
export interface DeferredRecorderOptions extends SessionRecorderOptions {
  /** The feeds this page records, and how it sends the kit their backlog (`recording.backlog`). */
  backlog: { feeds: readonly Feed[]; send: SendBacklog };
}

/**
 * A {@link SessionRecorder} loaded on first use: the recorder, its IndexedDB outbox and its
 * uploader are a chunk of their own, so the pages' bundle stays small and a page that never
 * records (no consent yet, `record: false`) never downloads them.
 */
export class DeferredRecorder {
  private readonly store = new Store<RecordingStatus>({ recording: [], pendingChunks: 0, pendingMs: 0, pendingMsByFeed: {} });
  private readonly backlog: BacklogReporter;
  private loading?: Promise<SessionRecorder>;
  private closed = false;

  constructor(private readonly options: DeferredRecorderOptions) {
    this.backlog = new BacklogReporter(options.backlog.feeds, options.backlog.send);
  }

  get state(): Readable<RecordingStatus> {
    return this.store;
  }

  /** Once the page is welcomed (again): binds the recorder to the session, and tells the kit the backlog afresh. */
  bind(sessionId: string): Promise<void> {
    this.backlog.resend();
    return this.load().then((recorder) => recorder.bind(sessionId));
  }

  record(feed: Feed, track: MediaStreamTrack, audio?: MediaStreamTrack): Promise<void> {
    return this.load().then((recorder) => recorder.record(feed, track, audio));
  }

  stop(feed: Feed, reason: RunEndReason): Promise<void> {
    return this.loading ? this.loading.then((recorder) => recorder.stop(feed, reason)) : Promise.resolve();
  }

  stopAll(reason: RunEndReason): Promise<void> {
    return this.loading ? this.loading.then((recorder) => recorder.stopAll(reason)) : Promise.resolve();
  }

  drain(timeoutMs: number): Promise<boolean> {
    return this.loading ? this.loading.then((recorder) => recorder.drain(timeoutMs)) : Promise.resolve(true);
  }

  close(): void {
    this.closed = true;
    this.backlog.close();
    void this.loading?.then((recorder) => recorder.close());
  }

  private load(): Promise<SessionRecorder> {
    this.loading ??= import('./session-recorder.js').then(({ SessionRecorder }) => {
      const recorder = new SessionRecorder(this.options);
      recorder.state.subscribe((status) => {
        this.store.set(status);
        this.backlog.update(status.pendingMsByFeed);
      });
      if (this.closed) recorder.close();
      return recorder;
    });
    return this.loading;
  }
}

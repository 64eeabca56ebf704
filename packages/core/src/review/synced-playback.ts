import type { Feed } from '../protocol/feeds.js';
import { Store, type Readable } from '../util/store.js';
import type { SessionTimeline, TimelineGap, TimelineRun } from './timeline.js';

/** The speeds a reviewer picks from. Chromium mutes audio above 4×. */
export const PLAYBACK_RATES = [0.5, 1, 1.5, 2, 4, 8] as const;

/**
 * What one feed shows: `playing`/`ready` a run's picture, `loading` while its file loads or
 * seeks, `gap` nothing recorded here (with the gap's words when the timeline has them), `error`
 * its file failed (an expired link: hand the player a fresh timeline), `stalled` it did not get
 * ready in time and the others went on without it.
 */
export type FeedStatus = 'playing' | 'ready' | 'loading' | 'gap' | 'error' | 'stalled';

export interface FeedPlayback {
  status: FeedStatus;
  /** The run loaded in the feed's video. */
  runId?: string;
  /** The gap the master time is in, for `gap`. */
  gap?: TimelineGap;
  /** Whether this feed holds the master clock (loading, seeking, starved of data). */
  buffering: boolean;
  /** The feed's last measured drift, ms (video ahead is positive). */
  driftMs?: number;
}

export interface PlaybackState {
  /** The master time, server ms. */
  time: number;
  /** Whether the reviewer asked to play (the clock may still wait on buffering feeds). */
  playing: boolean;
  rate: number;
  /** Whether the master clock is held until every feed is ready. */
  waiting: boolean;
  /** Whether playing reached the timeline's end. */
  ended: boolean;
  feeds: Partial<Record<Feed, FeedPlayback>>;
}

/**
 * How far the feeds were from the master clock over a window, for a benchmark or a status line.
 * A sample is `|media time of a frame − the master time it was meant for|`: with
 * `requestVideoFrameCallback` (`source: 'frames'`) for every frame presented, taken at its expected
 * display time, so it includes up to one frame interval of the recording; without it
 * (`source: 'currentTime'`) once per clock tick from `video.currentTime`. Samples are taken only
 * while the clock runs (not while it waits for feeds after a seek or a stall).
 */
export interface DriftStats {
  source: 'frames' | 'currentTime';
  /** The window the figures cover, ms back from now. */
  windowMs: number;
  samples: number;
  maxMs: number;
  p95Ms: number;
  meanMs: number;
  perFeed: Partial<Record<Feed, { samples: number; maxMs: number; p95Ms: number }>>;
  /** Corrections within the window: rate nudges started and hard seeks. */
  nudges: number;
  corrections: number;
  /** How long each {@link SyncedPlayback.seek} took until every feed showed the new time, ms (within the window). */
  seekMs: number[];
  /** Times the clock stopped to wait for a feed while playing, within the window. */
  stalls: number;
}

export interface SyncedPlaybackOptions {
  timeline: SessionTimeline;
  /** The video element of each feed to drive; feeds without one are left out. */
  videos: Partial<Record<Feed, HTMLVideoElement>>;
  /** Where to start. Default: the timeline's start. */
  startAt?: number;
  /** Drift left alone, ms. Default 40. */
  toleranceMs?: number;
  /** Drift beyond which a feed seeks instead of nudging its rate, ms. Default 500. */
  seekThresholdMs?: number;
  /** How long the clock waits for one feed before going on without it, ms. Default 8000. */
  readyTimeoutMs?: number;
  /** A feed's file failed to load or play: its signed link may have expired. */
  onError?: (feed: Feed, run: TimelineRun, error: MediaError | null) => void;
}

const HAVE_CURRENT_DATA = 2;
const HAVE_FUTURE_DATA = 3;
/** Drift is corrected over about this long by nudging the rate, s. */
const NUDGE_HORIZON_S = 0.5;
/** The most a nudge changes the rate, as a share of it. */
const NUDGE_MAX = 0.3;
/** A paused feed this far from the master time seeks exactly, s. */
const PAUSED_TOLERANCE_S = 0.05;
/** State is published at most this often while only the time changes, ms. */
const PUBLISH_INTERVAL_MS = 100;
const SAMPLE_LIMIT = 20_000;

interface Slot {
  feed: Feed;
  video: HTMLVideoElement;
  run?: TimelineRun;
  /** The run whose file is in the video (the covering one, or the next one while in a gap). */
  loaded?: TimelineRun;
  runId?: string;
  error?: MediaError | null;
  /** A user's seek asked for an exact position. */
  exact: boolean;
  /** Since when the feed holds the clock (performance time). */
  blockedSince?: number;
  driftMs?: number;
  nudged: boolean;
  frameHandle?: number;
  stop: () => void;
}

interface Sample {
  at: number;
  feed: Feed;
  driftMs: number;
}

/**
 * Plays a session's feeds together on one master clock: the timeline time, advanced by
 * `performance.now()` × rate while playing. Each feed's `<video>` is pointed at the run that covers
 * the master time (switching `src` across runs, preloading the next run during a gap), sought
 * with `currentTime`, played at `playbackRate`, and kept within tolerance of the clock: a drift
 * under {@link SyncedPlaybackOptions.seekThresholdMs} nudges its rate, a larger one seeks. After
 * a seek, a run switch or a stall the clock waits until every feed is ready, then all go on.
 */
export class SyncedPlayback {
  private readonly store: Store<PlaybackState>;
  private timeline: SessionTimeline;
  private readonly slots: Slot[];
  private readonly tolerance: number;
  private readonly seekThreshold: number;
  private readonly readyTimeout: number;
  private readonly onError?: SyncedPlaybackOptions['onError'];

  /** The master clock: `anchorTime` at `anchorPerf`, moving only while running. */
  private anchorTime: number;
  private anchorPerf = performance.now();
  private playing = false;
  private waiting = false;
  private ended = false;
  private rate = 1;
  private closed = false;
  private frame?: number;
  private timer?: ReturnType<typeof setTimeout>;
  private lastPublish = 0;
  private readonly samples: Sample[] = [];
  private readonly seekLog: { at: number; ms: number }[] = [];
  private readonly corrections: { at: number; kind: 'nudge' | 'seek' | 'stall' }[] = [];
  private pendingSeek?: { startedPerf: number; resolve: () => void }[];

  constructor(options: SyncedPlaybackOptions) {
    this.timeline = options.timeline;
    this.tolerance = (options.toleranceMs ?? 40) / 1000;
    this.seekThreshold = (options.seekThresholdMs ?? 500) / 1000;
    this.readyTimeout = options.readyTimeoutMs ?? 8000;
    this.onError = options.onError;
    this.anchorTime = this.timeline.clamp(options.startAt ?? this.timeline.start);
    this.slots = (Object.entries(options.videos) as [Feed, HTMLVideoElement][]).map(([feed, video]) => this.slot(feed, video));
    this.store = new Store(this.snapshot());
    this.tick();
  }

  /** The playback state; changes at most every 100 ms while only the time moves. */
  get state(): Readable<PlaybackState> {
    return this.store;
  }

  /** The master time now, server ms. */
  get time(): number {
    return this.masterAt(performance.now());
  }

  /** Whether `requestVideoFrameCallback` measures drift per presented frame here. */
  get measuresFrames(): boolean {
    return typeof HTMLVideoElement !== 'undefined' && 'requestVideoFrameCallback' in HTMLVideoElement.prototype;
  }

  play(): void {
    if (this.playing) return;
    if (this.ended || this.time >= this.timeline.end) this.seekNow(this.timeline.start);
    this.anchor();
    this.playing = true;
    this.ended = false;
    this.tick();
  }

  pause(): void {
    if (!this.playing) return;
    this.anchor();
    this.playing = false;
    for (const slot of this.slots) slot.video.pause();
    this.tick();
  }

  /** Moves every feed to `t` (clamped to the timeline); resolves once each shows it (or gave up). */
  seek(t: number): Promise<void> {
    return new Promise((resolve) => {
      (this.pendingSeek ??= []).push({ startedPerf: performance.now(), resolve });
      this.seekNow(t);
    });
  }

  /** Plays at `rate` × (0.5–8; Chromium mutes audio above 4×). */
  setRate(rate: number): void {
    const next = Math.min(16, Math.max(0.0625, rate));
    if (next === this.rate) return;
    this.anchor();
    this.rate = next;
    for (const slot of this.slots) slot.video.playbackRate = next;
    this.tick();
  }

  /**
   * Takes a fresh timeline (a refreshed manifest: new signed links, a live session's new runs)
   * without moving the playhead. A feed whose file failed reloads from the new link.
   */
  setTimeline(timeline: SessionTimeline): void {
    this.timeline = timeline;
    for (const slot of this.slots) {
      if (slot.error !== undefined && slot.runId) {
        slot.runId = undefined;
        slot.error = undefined;
        slot.exact = true;
      }
    }
    this.tick();
  }

  /** Drift and corrections over the last `windowMs` (default 10 s); see {@link DriftStats}. */
  driftStats(windowMs = 10_000): DriftStats {
    const since = performance.now() - windowMs;
    const recent = this.samples.filter((sample) => sample.at >= since);
    const perFeed: DriftStats['perFeed'] = {};
    for (const slot of this.slots) {
      const drifts = recent.filter((sample) => sample.feed === slot.feed).map((sample) => sample.driftMs);
      if (drifts.length) perFeed[slot.feed] = { samples: drifts.length, maxMs: Math.max(...drifts), p95Ms: percentile(drifts, 0.95) };
    }
    const drifts = recent.map((sample) => sample.driftMs);
    const count = (kind: 'nudge' | 'seek' | 'stall') => this.corrections.filter((c) => c.kind === kind && c.at >= since).length;
    return {
      source: this.measuresFrames ? 'frames' : 'currentTime',
      windowMs,
      samples: drifts.length,
      maxMs: drifts.length ? Math.max(...drifts) : 0,
      p95Ms: percentile(drifts, 0.95),
      meanMs: drifts.length ? drifts.reduce((a, b) => a + b, 0) / drifts.length : 0,
      perFeed,
      nudges: count('nudge'),
      corrections: count('seek'),
      stalls: count('stall'),
      seekMs: this.seekLog.filter((seek) => seek.at >= since).map((seek) => seek.ms),
    };
  }

  /** Stops driving the videos (they keep their last frame). */
  close(): void {
    this.closed = true;
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    clearTimeout(this.timer);
    for (const slot of this.slots) {
      slot.stop();
      slot.video.pause();
    }
    for (const pending of this.pendingSeek ?? []) pending.resolve();
    this.pendingSeek = undefined;
  }

  private slot(feed: Feed, video: HTMLVideoElement): Slot {
    video.preload = 'auto';
    video.playsInline = true;
    const slot: Slot = { feed, video, exact: true, nudged: false, stop: () => {} };
    const changed = () => this.tick();
    const failed = () => {
      if (!slot.loaded || !video.getAttribute('src')) return;
      slot.error = video.error;
      this.onError?.(feed, slot.loaded, video.error);
      this.tick();
    };
    const events = ['seeked', 'canplay', 'canplaythrough', 'loadeddata', 'waiting', 'playing', 'stalled', 'ended'];
    for (const type of events) video.addEventListener(type, changed);
    video.addEventListener('error', failed);
    const onFrame = (_now: number, frame: VideoFrameCallbackMetadata) => {
      if (this.closed) return;
      this.sampleFrame(slot, frame);
      slot.frameHandle = video.requestVideoFrameCallback(onFrame);
    };
    if (this.measuresFrames) slot.frameHandle = video.requestVideoFrameCallback(onFrame);
    slot.stop = () => {
      for (const type of events) video.removeEventListener(type, changed);
      video.removeEventListener('error', failed);
      if (slot.frameHandle !== undefined) video.cancelVideoFrameCallback(slot.frameHandle);
    };
    return slot;
  }

  private get running(): boolean {
    return this.playing && !this.waiting;
  }

  private masterAt(perf: number): number {
    if (!this.running) return this.anchorTime;
    return Math.min(this.timeline.end, this.anchorTime + (perf - this.anchorPerf) * this.rate);
  }

  /** Fixes the clock's reading now as its new anchor (before a change of rate, play or wait). */
  private anchor(): void {
    const perf = performance.now();
    this.anchorTime = this.masterAt(perf);
    this.anchorPerf = perf;
  }

  private seekNow(t: number): void {
    this.anchorTime = this.timeline.clamp(t);
    this.anchorPerf = performance.now();
    this.ended = false;
    for (const slot of this.slots) slot.exact = true;
    // Hold the clock from now: the feeds' seeks decide when it runs again.
    this.waiting = true;
    this.tick();
  }

  /** One step: place every feed, decide whether the clock waits, correct drift, publish. */
  private tick = (): void => {
    if (this.closed) return;
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    clearTimeout(this.timer);
    const perf = performance.now();
    let time = this.masterAt(perf);
    if (this.playing && time >= this.timeline.end) {
      this.anchorTime = time = this.timeline.end;
      this.anchorPerf = perf;
      this.playing = false;
      this.ended = true;
      for (const slot of this.slots) slot.video.pause();
    }
    for (const slot of this.slots) this.place(slot, time);

    const blocking = this.slots.filter((slot) => this.blocks(slot, perf));
    if (blocking.length > 0 && !this.waiting) {
      if (this.playing) this.corrections.push({ at: perf, kind: 'stall' });
      this.anchor();
      this.waiting = true;
    } else if (blocking.length === 0 && this.waiting) {
      this.anchorPerf = perf;
      this.waiting = false;
      this.settleSeeks(perf);
    }
    for (const slot of this.slots) this.drive(slot, time);

    this.publish(perf);
    // Animation frames while the clock moves or waits (a timer as well: hidden pages get none); idle, a slow timer.
    const busy = this.playing || this.waiting;
    if (busy && typeof requestAnimationFrame === 'function') this.frame = requestAnimationFrame(this.tick);
    this.timer = setTimeout(this.tick, busy ? 100 : 250);
  };

  /** Points the feed's video at the run covering `time`, or at the next run while in a gap. */
  private place(slot: Slot, time: number): void {
    const covering = this.timeline.runAt(slot.feed, time);
    slot.run = covering?.run;
    const wanted = covering?.run ?? this.timeline.nextRun(slot.feed, time);
    const { video } = slot;
    if (wanted?.url && slot.runId !== wanted.runId) {
      slot.runId = wanted.runId;
      slot.loaded = wanted;
      slot.error = undefined;
      slot.blockedSince = undefined;
      video.src = wanted.url;
      video.playbackRate = this.rate;
      // Before the metadata is in, this is the spec's default playback start position.
      video.currentTime = covering ? covering.offsetMs / 1000 : 0;
      slot.exact = false;
    } else if (covering && slot.exact && !video.seeking && video.readyState >= 1) {
      slot.exact = false;
      video.currentTime = covering.offsetMs / 1000;
    }
  }

  /** Whether the feed holds the clock: its run's picture for `time` is not ready. */
  private blocks(slot: Slot, perf: number): boolean {
    const { video } = slot;
    const ready = !slot.run || slot.error !== undefined || video.ended || (!video.seeking && video.readyState >= (this.playing ? HAVE_FUTURE_DATA : HAVE_CURRENT_DATA));
    if (ready) {
      slot.blockedSince = undefined;
      return false;
    }
    slot.blockedSince ??= perf;
    return perf - slot.blockedSince < this.readyTimeout;
  }

  /** Plays or pauses the feed with the clock, and corrects its drift. */
  private drive(slot: Slot, time: number): void {
    const { video, run } = slot;
    if (!run || slot.runId !== run.runId || slot.error !== undefined) {
      if (!video.paused) video.pause();
      slot.driftMs = undefined;
      return;
    }
    if (video.seeking || video.readyState < 1) return;
    const expected = (time - run.from) / 1000;
    const drift = video.currentTime - expected;
    slot.driftMs = Math.round(drift * 1000);
    if (!this.running) {
      if (!video.paused) video.pause();
      if (Math.abs(drift) > PAUSED_TOLERANCE_S && !video.ended) video.currentTime = expected;
      return;
    }
    if (video.ended) return;
    if (Math.abs(drift) > this.seekThreshold) {
      this.corrections.push({ at: performance.now(), kind: 'seek' });
      video.currentTime = expected;
      return;
    }
    let rate = this.rate;
    if (Math.abs(drift) > this.tolerance) {
      rate = this.rate - Math.max(-NUDGE_MAX * this.rate, Math.min(NUDGE_MAX * this.rate, drift / NUDGE_HORIZON_S));
      if (!slot.nudged) this.corrections.push({ at: performance.now(), kind: 'nudge' });
      slot.nudged = true;
    } else {
      slot.nudged = false;
    }
    rate = Math.min(16, Math.max(0.0625, rate));
    if (Math.abs(video.playbackRate - rate) > 0.005) video.playbackRate = rate;
    if (video.paused) this.start(video);
    if (!this.measuresFrames) this.sample(slot.feed, Math.abs(drift) * 1000);
  }

  private start(video: HTMLVideoElement): void {
    video.play().catch((error: unknown) => {
      // Without a gesture a page may only play muted video: go on muted rather than stall.
      if ((error as DOMException).name === 'NotAllowedError' && !video.muted) {
        video.muted = true;
        this.tick();
      }
    });
  }

  private sampleFrame(slot: Slot, frame: VideoFrameCallbackMetadata): void {
    const { run } = slot;
    if (!this.running || !run || slot.runId !== run.runId || slot.video.seeking) return;
    if (frame.expectedDisplayTime < this.anchorPerf) return;
    const meant = this.masterAt(frame.expectedDisplayTime);
    this.sample(slot.feed, Math.abs(frame.mediaTime - (meant - run.from) / 1000) * 1000);
  }

  private sample(feed: Feed, driftMs: number): void {
    this.samples.push({ at: performance.now(), feed, driftMs: Math.round(driftMs * 10) / 10 });
    if (this.samples.length > SAMPLE_LIMIT) this.samples.splice(0, this.samples.length - SAMPLE_LIMIT);
  }

  private settleSeeks(perf: number): void {
    for (const pending of this.pendingSeek ?? []) {
      this.seekLog.push({ at: perf, ms: Math.round(perf - pending.startedPerf) });
      pending.resolve();
    }
    this.pendingSeek = undefined;
    if (this.seekLog.length > 1000) this.seekLog.splice(0, this.seekLog.length - 1000);
    if (this.corrections.length > SAMPLE_LIMIT) this.corrections.splice(0, this.corrections.length - SAMPLE_LIMIT);
  }

  private snapshot(): PlaybackState {
    const perf = performance.now();
    const time = this.masterAt(perf);
    const feeds: PlaybackState['feeds'] = {};
    for (const slot of this.slots) {
      const buffering = slot.blockedSince !== undefined && perf - slot.blockedSince < this.readyTimeout;
      const base = { buffering, ...(slot.runId ? { runId: slot.runId } : {}), ...(slot.driftMs !== undefined ? { driftMs: slot.driftMs } : {}) };
      let status: FeedStatus;
      if (!slot.run) status = 'gap';
      else if (slot.error !== undefined) status = 'error';
      else if (slot.blockedSince !== undefined) status = buffering ? 'loading' : 'stalled';
      else status = this.running && !slot.video.paused ? 'playing' : 'ready';
      const gap = status === 'gap' ? this.timeline.gapAt(slot.feed, time) : undefined;
      feeds[slot.feed] = { status, ...base, ...(gap ? { gap } : {}) };
    }
    return { time, playing: this.playing, rate: this.rate, waiting: this.waiting, ended: this.ended, feeds };
  }

  private publish(perf: number): void {
    const next = this.snapshot();
    const current = this.store.value;
    const onlyTime = current.playing === next.playing && current.rate === next.rate && current.waiting === next.waiting && current.ended === next.ended && sameFeeds(current.feeds, next.feeds);
    if (onlyTime && (next.time === current.time || perf - this.lastPublish < PUBLISH_INTERVAL_MS)) return;
    this.lastPublish = perf;
    this.store.set(next);
  }
}

function sameFeeds(a: PlaybackState['feeds'], b: PlaybackState['feeds']): boolean {
  const keys = Object.keys(b) as Feed[];
  return keys.every((feed) => {
    const x = a[feed];
    const y = b[feed];
    return x !== undefined && y !== undefined && x.status === y.status && x.runId === y.runId && x.buffering === y.buffering && x.gap === y.gap;
  });
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

import { captureScreen, captureWebcam } from '../capture/capture.js';
import { ProctorError } from '../errors.js';
import { Emitter } from '../util/emitter.js';
import { Store, type Readable } from '../util/store.js';
import { checkBrowser, type BrowserFeature } from './browser-support.js';
import { probeCamera } from './camera-probe.js';
import { MicrophoneMeter } from './microphone-meter.js';
import { measureNetwork, type NetworkStep } from './network.js';
import { DEFAULT_THRESHOLDS, type DeviceCheckThresholds } from './thresholds.js';
import {
  CHECK_NAMES,
  judgeBrowser,
  judgeCamera,
  judgeMicrophone,
  judgeNetwork,
  judgeScreen,
  overallVerdict,
  type CheckName,
  type DeviceCheckResult,
  type MicrophoneProblem,
} from './verdicts.js';

/** Options of {@link DeviceCheck}. */
export interface DeviceCheckOptions {
  /** Where the server kit's router is mounted, e.g. `/proctor`: the network test runs against it. */
  server?: string;
  /** A candidate or supervisor token for the network test. */
  token?: string;
  /** Include the screen-share test. Default `true`. */
  screen?: boolean;
  /** Include the network test. Default `true`; it is skipped anyway without `server` and `token`. */
  network?: boolean;
  /** Bytes the network test downloads. Default 1 MB, at most 5 MB. */
  downloadBytes?: number;
  /** Bytes the network test uploads. Default 1 MB, at most 5 MB. */
  uploadBytes?: number;
  /** Where pass turns to warn and warn to fail; unset ones keep {@link DEFAULT_THRESHOLDS}. */
  thresholds?: Partial<DeviceCheckThresholds>;
}

/**
 * Where one check is: not started, `running`, `waiting` for the person (the screen test needs a
 * click of theirs) or `done` (with its result, which may say `skipped`).
 */
export type CheckStatus = 'idle' | 'running' | 'waiting' | 'done';

/** One check's progress, and its result once done. */
export interface CheckProgress<R> {
  status: CheckStatus;
  result?: R;
}

/** Everything a device check shows, as one value that changes as the checks go. */
export interface DeviceCheckState {
  /** `idle` until started; `complete` once every check is done (and capture has stopped). */
  phase: 'idle' | 'running' | 'complete';
  camera: CheckProgress<DeviceCheckResult['camera']>;
  microphone: CheckProgress<DeviceCheckResult['microphone']>;
  screen: CheckProgress<DeviceCheckResult['screen']>;
  network: CheckProgress<DeviceCheckResult['network']>;
  browser: CheckProgress<DeviceCheckResult['browser']>;
  /** The live camera while the check runs, for a preview. Gone once the check is complete. */
  preview?: MediaStreamTrack;
  /** Each browser feature and whether this browser has it, once checked. */
  features?: Record<BrowserFeature, boolean>;
  /** The network test's current step while it runs. */
  networkStep?: NetworkStep;
  /** The whole result, once complete. */
  result?: DeviceCheckResult;
}

/** What a {@link DeviceCheck} tells as it happens. */
export type DeviceCheckEvents = {
  /** Every check is done; capture has stopped. Fires again when the screen is tested again. */
  complete: DeviceCheckResult;
};

function idleState(): DeviceCheckState {
  const idle = { status: 'idle' } as const;
  return { phase: 'idle', camera: idle, microphone: idle, screen: idle, network: idle, browser: idle };
}

/** One start of the check: what it captured, so that all of it stops, and whether it was closed. */
class Run {
  readonly abort = new AbortController();
  private readonly tracks = new Set<MediaStreamTrack>();
  private meter?: MicrophoneMeter;

  get closed(): boolean {
    return this.abort.signal.aborted;
  }

  /** Keeps a captured track to stop later; stops it at once (and says so) when the run is closed. */
  keep(track: MediaStreamTrack): boolean {
    if (this.closed) {
      track.stop();
      return false;
    }
    this.tracks.add(track);
    return true;
  }

  listen(meter: MicrophoneMeter): void {
    this.meter = meter;
  }

  /** Stops every track and the meter. */
  release(): void {
    for (const track of this.tracks) track.stop();
    this.tracks.clear();
    this.meter?.stop();
    this.meter = undefined;
  }

  close(): void {
    this.abort.abort();
    this.release();
  }
}

/**
 * A setup test before an exam: the camera (resolution and measured frame rate), the microphone
 * (a live level, and whether it hears sound), a screen share, the connection to the server kit
 * (round trip, download and upload with real transfers) and the browser's support. Each check ends
 * `pass`, `warn` or `fail` with a sentence saying what to fix.
 *
 * Nothing is captured until {@link start}. The screen test needs the person's own click (browsers
 * ask for one), so it runs on {@link testScreen}. Once every check is done the camera and the
 * microphone stop, the state's `result` is set and `complete` fires; {@link close} stops everything
 * at any time.
 *
 * @example
 * ```ts
 * const check = new DeviceCheck({ server: '/proctor', token });
 * check.on('complete', (result) => candidate.log('device-check.completed', result));
 * startButton.onclick = () => check.start();
 * screenButton.onclick = () => check.testScreen();
 * ```
 */
export class DeviceCheck {
  private readonly store = new Store<DeviceCheckState>(idleState());
  private readonly levelStore = new Store(0);
  private readonly emitter = new Emitter<DeviceCheckEvents>();
  private readonly thresholds: DeviceCheckThresholds;
  private run?: Run;

  constructor(private readonly options: DeviceCheckOptions = {}) {
    this.thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  }

  /** The check's state: each check's progress and result, the camera preview, the whole result. */
  get state(): Readable<DeviceCheckState> {
    return this.store;
  }

  /** The microphone's level now, 0 (silence) to 1, about 20 times a second while it is listened to. */
  get level(): Readable<number> {
    return this.levelStore;
  }

  /** The last complete result, or `undefined`. */
  get result(): DeviceCheckResult | undefined {
    return this.store.value.result;
  }

  /** Listens to an event; returns the function that stops listening. */
  on<K extends keyof DeviceCheckEvents>(type: K, handler: (detail: DeviceCheckEvents[K]) => void): () => void {
    return this.emitter.on(type, handler);
  }

  /**
   * Starts (or restarts) the check: asks for the camera and the microphone and measures them, and
   * tests the network. Resolves when those are done; the screen test then waits for
   * {@link testScreen}.
   */
  async start(): Promise<void> {
    this.run?.close();
    const run = new Run();
    this.run = run;
    const features = checkBrowser();
    const screen = this.options.screen !== false;
    const network = this.options.network !== false && !!this.options.server && !!this.options.token;
    this.store.set({
      phase: 'running',
      features,
      browser: { status: 'done', result: judgeBrowser(features, screen) },
      camera: { status: 'running' },
      microphone: { status: 'running' },
      screen: screen ? { status: 'waiting' } : skipped('Not part of this check.'),
      network: network
        ? { status: 'running' }
        : skipped(this.options.network === false ? 'Not part of this check.' : 'Not tested: no exam server was given.'),
    });
    this.levelStore.set(0);
    await Promise.all([this.checkCamera(run), this.checkMicrophone(run), network ? this.checkNetwork(run) : undefined]);
    this.completeIfDone(run);
  }

  /**
   * Asks to share the screen once, notes what was shared (the entire screen, a window or a tab) and
   * stops sharing at once. Call it from the person's click: browsers refuse screen sharing otherwise.
   */
  async testScreen(): Promise<void> {
    const run = this.run;
    if (!run || this.options.screen === false) return;
    this.patch({ screen: { status: 'running' } });
    let measured: Parameters<typeof judgeScreen>[0];
    try {
      const track = await captureScreen();
      if (!run.keep(track)) return;
      const { displaySurface, width, height } = track.getSettings() as MediaTrackSettings & { displaySurface?: string };
      track.stop();
      measured = { ...(displaySurface ? { surface: displaySurface } : {}), ...(width && height ? { width, height } : {}) };
    } catch (error) {
      measured = error instanceof ProctorError ? error : new ProctorError('screen-unsupported', String(error), { cause: error });
    }
    if (run !== this.run) return;
    this.patch({ screen: { status: 'done', result: judgeScreen(measured) } });
    this.completeIfDone(run);
  }

  /** Stops everything the check captured and any test under way, and goes back to `idle`. */
  close(): void {
    this.run?.close();
    this.run = undefined;
    const result = this.store.value.result;
    this.store.set({ ...idleState(), ...(result ? { result } : {}) });
    this.levelStore.set(0);
  }

  private async checkCamera(run: Run): Promise<void> {
    let measured: Parameters<typeof judgeCamera>[0];
    try {
      const track = await captureWebcam();
      if (!run.keep(track)) return;
      this.patch({ preview: track });
      measured = await probeCamera(track);
    } catch (error) {
      measured = error instanceof ProctorError ? error : new ProctorError('camera-missing', 'The camera could not be measured. Run the check again.', { cause: error });
    }
    if (!run.closed) this.patch({ camera: { status: 'done', result: judgeCamera(measured, this.thresholds) } });
  }

  private async checkMicrophone(run: Run): Promise<void> {
    const done = (measured: Parameters<typeof judgeMicrophone>[0]) => {
      if (!run.closed) this.patch({ microphone: { status: 'done', result: judgeMicrophone(measured, this.thresholds) } });
    };
    if (typeof AudioContext !== 'function' || !navigator.mediaDevices?.getUserMedia) return done('unsupported');
    let track: MediaStreamTrack | undefined;
    try {
      track = (await navigator.mediaDevices.getUserMedia({ audio: true, video: false })).getAudioTracks()[0];
    } catch (error) {
      return done(microphoneProblem(error));
    }
    if (!track) return done('missing');
    if (!run.keep(track)) return;
    const meter = new MicrophoneMeter(track);
    run.listen(meter);
    meter.level.subscribe((level) => this.levelStore.set(level));
    await new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        stop();
        run.abort.signal.removeEventListener('abort', finish);
        resolve();
      };
      const timer = setTimeout(finish, this.thresholds.micListenMs);
      const stop = meter.level.subscribe((level) => level >= this.thresholds.micHeardLevel && finish());
      run.abort.signal.addEventListener('abort', finish);
    });
    done({ peak: meter.peak });
  }

  private async checkNetwork(run: Run): Promise<void> {
    let measured: Parameters<typeof judgeNetwork>[0];
    try {
      measured = await measureNetwork({
        server: this.options.server!,
        token: this.options.token!,
        ...(this.options.downloadBytes ? { downloadBytes: this.options.downloadBytes } : {}),
        ...(this.options.uploadBytes ? { uploadBytes: this.options.uploadBytes } : {}),
        signal: run.abort.signal,
        onStep: (networkStep) => !run.closed && this.patch({ networkStep }),
      });
    } catch (error) {
      if (run.closed) return;
      measured = error instanceof ProctorError ? error : new ProctorError('connection-refused', 'The connection test failed. Run the check again.', { cause: error });
    }
    if (!run.closed) this.patch({ network: { status: 'done', result: judgeNetwork(measured, this.thresholds) }, networkStep: undefined });
  }

  /** Once every check is done: stops capture, sets the result and tells `complete`. */
  private completeIfDone(run: Run): void {
    const state = this.store.value;
    if (run !== this.run || !CHECK_NAMES.every((name) => state[name].status === 'done')) return;
    run.release();
    this.levelStore.set(0);
    const items = Object.fromEntries(CHECK_NAMES.map((name) => [name, state[name].result!])) as Pick<DeviceCheckResult, CheckName>;
    const result: DeviceCheckResult = {
      verdict: overallVerdict(CHECK_NAMES.map((name) => items[name].verdict)),
      at: Date.now(),
      ...items,
    };
    this.store.set({ ...state, phase: 'complete', preview: undefined, result });
    this.emitter.emit('complete', result);
  }

  private patch(change: Partial<DeviceCheckState>): void {
    this.store.update((state) => ({ ...state, ...change }));
  }
}

function skipped(message: string) {
  return { status: 'done', result: { verdict: 'skipped', message } } as const;
}

function microphoneProblem(error: unknown): MicrophoneProblem {
  switch ((error as DOMException | undefined)?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied';
    case 'NotReadableError':
    case 'AbortError':
      return 'in-use';
    default:
      return 'missing';
  }
}

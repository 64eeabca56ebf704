import { Store, type Readable } from '../util/store.js';
import { microphoneLevel } from './thresholds.js';

/** How often the level is read, ms. With a 2048-sample window (43 ms at 48 kHz) no sound slips between reads. */
const READ_MS = 50;

/**
 * Listens to a microphone track: its {@link level} (0–1, see {@link microphoneLevel}) about 20
 * times a second, and the loudest level heard so far. Reads on a timer, not animation frames, so
 * it keeps measuring in a background tab. Never stops the track.
 */
export class MicrophoneMeter {
  private readonly store = new Store(0);
  private readonly context: AudioContext;
  private readonly source: MediaStreamAudioSourceNode;
  private readonly timer: ReturnType<typeof setInterval>;
  private loudest = 0;

  constructor(track: MediaStreamTrack) {
    this.context = new AudioContext();
    // Autoplay rules may start it suspended; a page where the user pressed a button may resume it.
    void this.context.resume().catch(() => undefined);
    const analyser = this.context.createAnalyser();
    analyser.fftSize = 2048;
    this.source = this.context.createMediaStreamSource(new MediaStream([track]));
    this.source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    this.timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      const level = Math.round(microphoneLevel(samples) * 100) / 100;
      this.loudest = Math.max(this.loudest, level);
      this.store.set(level);
    }, READ_MS);
  }

  /** The level now, 0 (silence) to 1 (full scale). */
  get level(): Readable<number> {
    return this.store;
  }

  /** The loudest level since the meter started. */
  get peak(): number {
    return this.loudest;
  }

  /** Stops listening and releases the audio context. */
  stop(): void {
    clearInterval(this.timer);
    this.source.disconnect();
    void this.context.close().catch(() => undefined);
    this.store.set(0);
  }
}

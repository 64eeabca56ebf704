// What `npm run bench:review` measures in the page: `<proctor-review>` as a reviewer opens it, its
// feeds' `<video>`s read from outside the element (their currentTime mapped to server time through
// the manifest), so the figures do not depend on the player's own bookkeeping.
import type { Page } from 'puppeteer-core';

/** Where each feed's (single) run starts, in server ms: maps a video's currentTime to the timeline. */
export type RunStarts = Record<string, number>;

/** Opens the session in a fresh `<proctor-review>`; resolves with ms from the element's creation to each feed's first frame. */
export function openPlayer(page: Page, session: { server: string; token: string; sessionId: string }): Promise<Record<string, number>> {
  return page.evaluate(
    ({ server, token, sessionId }) =>
      new Promise<Record<string, number>>((resolve, reject) => {
        const started = performance.now();
        const review = document.createElement('proctor-review');
        review.setAttribute('server', server);
        review.setAttribute('token', token);
        review.setAttribute('session', sessionId);
        document.body.append(review);
        const firstFrames: Record<string, number> = {};
        const deadline = started + 30_000;
        const poll = () => {
          for (const part of review.shadowRoot?.querySelectorAll<HTMLElement>('[part~="feed"]') ?? []) {
            const video = part.querySelector('video');
            const feed = part.dataset.feed!;
            if (video && firstFrames[feed] === undefined && video.readyState >= 2 && video.videoWidth > 0) firstFrames[feed] = performance.now() - started;
          }
          if (Object.keys(firstFrames).length === 3) resolve(firstFrames);
          else if (performance.now() > deadline) reject(new Error(`feeds without a first frame after 30 s: ${JSON.stringify(firstFrames)}`));
          else requestAnimationFrame(poll);
        };
        requestAnimationFrame(poll);
      }),
    session,
  );
}

/**
 * Clicks the marker of log entry `seq`; resolves once every feed presented a frame within 150 ms
 * of `at`: the latency, and each feed's distance from `at` (ms) in that frame.
 */
export function seekToMarker(page: Page, seq: number, at: number, runStarts: RunStarts): Promise<{ latencyMs: number; errorMs: Record<string, number> }> {
  return page.evaluate(
    ({ seq, at, runStarts }) =>
      new Promise<{ latencyMs: number; errorMs: Record<string, number> }>((resolve, reject) => {
        const root = document.querySelector('proctor-review')!.shadowRoot!;
        const marker = root.querySelector<HTMLButtonElement>(`[part~="marker"][data-seq="${seq}"]`);
        if (!marker) return reject(new Error(`no marker for seq ${seq}`));
        const videos = [...root.querySelectorAll<HTMLElement>('[part~="feed"]')].map((part) => ({ feed: part.dataset.feed!, video: part.querySelector('video')! }));
        const presentedAt = new Map<string, number>();
        const errorMs: Record<string, number> = {};
        const started = performance.now();
        for (const { feed, video } of videos) {
          // Every frame presented from now on, until one shows the marker's time.
          const onFrame = (_now: number, frame: VideoFrameCallbackMetadata) => {
            errorMs[feed] = Math.abs(runStarts[feed]! + frame.mediaTime * 1000 - at);
            if (errorMs[feed]! <= 150) presentedAt.set(feed, performance.now());
            else video.requestVideoFrameCallback(onFrame);
          };
          video.requestVideoFrameCallback(onFrame);
        }
        marker.click();
        const check = () => {
          if (presentedAt.size === videos.length) resolve({ latencyMs: Math.max(...presentedAt.values()) - started, errorMs });
          else if (performance.now() - started > 10_000) reject(new Error(`seek to seq ${seq} did not settle: ${JSON.stringify(errorMs)}`));
          else setTimeout(check, 5);
        };
        check();
      }),
    { seq, at, runStarts },
  );
}

export interface PlayedWindow {
  spreads: number[];
  advancedMs: number;
  /** The player's own measure over the window: each presented frame against its clock (requestVideoFrameCallback). */
  frameDrift: { samples: number; p95Ms: number; maxMs: number; nudges: number; corrections: number; stalls: number };
}

/** Plays at `rate` for `seconds`; every 100 ms the spread between the feeds' positions (ms), and where the playhead got. */
export function playAndSampleDrift(page: Page, rate: number, seconds: number, runStarts: RunStarts): Promise<PlayedWindow> {
  return page.evaluate(
    ({ rate, seconds, runStarts }) =>
      new Promise<PlayedWindow>((resolve) => {
        const root = document.querySelector('proctor-review')!.shadowRoot!;
        const speed = root.querySelector<HTMLSelectElement>('[part~="speed"]')!;
        speed.value = String(rate);
        speed.dispatchEvent(new Event('change', { bubbles: true }));
        const videos = [...root.querySelectorAll<HTMLElement>('[part~="feed"]')].map((part) => ({ feed: part.dataset.feed!, video: part.querySelector('video')! }));
        const position = (feed: string, video: HTMLVideoElement) => runStarts[feed]! + video.currentTime * 1000;
        const from = position(videos[0]!.feed, videos[0]!.video);
        root.querySelector<HTMLButtonElement>('[part~="play"]')!.click();
        const spreads: number[] = [];
        const timer = setInterval(() => {
          const positions = videos.map(({ feed, video }) => position(feed, video));
          spreads.push(Math.max(...positions) - Math.min(...positions));
        }, 100);
        setTimeout(() => {
          clearInterval(timer);
          const stats = (document.querySelector('proctor-review') as unknown as { playback: { driftStats(windowMs: number): PlayedWindow['frameDrift'] } }).playback.driftStats(seconds * 1000);
          root.querySelector<HTMLButtonElement>('[part~="play"]')!.click();
          const { samples, p95Ms, maxMs, nudges, corrections, stalls } = stats;
          resolve({ spreads, advancedMs: position(videos[0]!.feed, videos[0]!.video) - from, frameDrift: { samples, p95Ms, maxMs, nudges, corrections, stalls } });
        }, seconds * 1000);
      }),
    { rate, seconds, runStarts },
  );
}

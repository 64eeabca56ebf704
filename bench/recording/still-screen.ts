// Part 6 of bench:recording: a still screen stays seekable. A screen that does not change gives the
// encoder no reason to send a keyframe, and a player can only start at one; the recorder asks for one
// every `keyframeIntervalMs`. Records the same picture again and again, with and without the interval, in each
// type Proctorkit records, and counts the keyframes of what Chromium wrote (ffprobe).
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_RECORDER_SETTINGS } from '../../packages/core/src/recording/recorder-settings.js';
import { launchChromium } from '../../test/support/chromium.js';
import type { Resources } from './resources.js';

const run = promisify(execFile);

export interface StillScreenRun {
  mimeType: string;
  keyframeIntervalMs: number | undefined;
  durationS: number;
  keyframes: number;
  /** The longest stretch without a keyframe: how far a seek may have to decode from. */
  longestGapS: number;
}

/** Keyframe times of a file's video, by ffprobe; `undefined` when ffprobe is not installed. */
async function keyframeTimes(path: string): Promise<{ times: number[]; durationS: number } | undefined> {
  try {
    const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', path]);
    const packets = stdout.trim().split('\n').map((line) => line.split(','));
    const times = packets.filter(([, flags]) => flags?.startsWith('K')).map(([time]) => Number(time));
    const durationS = Math.max(...packets.map(([time]) => Number(time)));
    return { times, durationS };
  } catch {
    return undefined;
  }
}

export async function measureStillScreen({ seconds, log }: { seconds: number; log: (message: string) => void }, resources: Resources): Promise<StillScreenRun[] | undefined> {
  const server = createServer((_request, response) => response.end('<!doctype html><title>still screen</title>'));
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const closeServer = resources.add(() => new Promise((resolve) => server.close(resolve)));
  const browser = await launchChromium();
  const closeBrowser = resources.add(() => browser.close());
  const directory = await mkdtemp(join(tmpdir(), 'proctorkit-bench-still-'));
  const removeDirectory = resources.add(() => rm(directory, { recursive: true, force: true }));
  const runs: StillScreenRun[] = [];
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const interval = DEFAULT_RECORDER_SETTINGS.screen.keyframeIntervalMs;
    for (const mimeType of ['video/mp4;codecs=avc1', 'video/webm;codecs=vp8']) {
      for (const keyframeIntervalMs of [interval, undefined]) {
        log(`still screen: ${mimeType}, ${keyframeIntervalMs ? `a keyframe at least every ${keyframeIntervalMs / 1000} s` : 'no keyframe interval'}, ${seconds} s…`);
        const base64 = await page.evaluate(
          async (mimeType, keyframeIntervalMs, seconds, bitrate) => {
            if (!MediaRecorder.isTypeSupported(mimeType)) return undefined;
            // A screen with text on it that does not change, delivered 15 times a second as a screen
            // capture delivers it (a canvas sends a frame only when painted: the same picture, again).
            const canvas = document.createElement('canvas');
            canvas.width = 1280;
            canvas.height = 720;
            const context = canvas.getContext('2d')!;
            // (No named function in here: the bench's loader would wrap it in a helper the page lacks.)
            const painter = setInterval(() => {
              context.fillStyle = '#f8fafc';
              context.fillRect(0, 0, canvas.width, canvas.height);
              context.fillStyle = '#0f172a';
              context.font = '28px sans-serif';
              for (let line = 0; line < 16; line++) context.fillText(`Question ${line + 1}: explain the trade-offs of the approach you chose.`, 40, 60 + line * 40);
            }, 1000 / 15);
            await new Promise((resolve) => setTimeout(resolve, 200));
            const stream = canvas.captureStream(15);
            const recorder = new MediaRecorder(stream, { mimeType, videoBitsPerSecond: bitrate, ...(keyframeIntervalMs ? { videoKeyFrameIntervalDuration: keyframeIntervalMs } : {}) } as MediaRecorderOptions);
            const chunks: Blob[] = [];
            recorder.ondataavailable = (event) => chunks.push(event.data);
            const stopped = new Promise((resolve) => (recorder.onstop = resolve));
            recorder.start(4000);
            await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
            recorder.stop();
            await stopped;
            clearInterval(painter);
            stream.getTracks().forEach((track) => track.stop());
            const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
            let text = '';
            for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
            return btoa(text);
          },
          mimeType,
          keyframeIntervalMs,
          seconds,
          DEFAULT_RECORDER_SETTINGS.screen.videoBitsPerSecond,
        );
        if (base64 === undefined) continue;
        const path = join(directory, `still-${runs.length}.${mimeType.startsWith('video/mp4') ? 'mp4' : 'webm'}`);
        await writeFile(path, Buffer.from(base64, 'base64'));
        const probed = await keyframeTimes(path);
        if (!probed) {
          log('still screen: ffprobe is not installed, skipped');
          return undefined;
        }
        const edges = [...probed.times, probed.durationS];
        const longestGapS = Math.max(...edges.slice(1).map((time, i) => time - edges[i]!));
        runs.push({ mimeType, keyframeIntervalMs, durationS: probed.durationS, keyframes: probed.times.length, longestGapS });
      }
    }
    return runs;
  } finally {
    await closeBrowser();
    await closeServer();
    await removeDirectory();
  }
}

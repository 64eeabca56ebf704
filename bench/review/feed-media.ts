// The recordings `npm run bench:review` replays: one fragmented MP4 per feed, H.264 at the
// recorder's default bitrates with a keyframe every 2 s, as Chromium's MediaRecorder makes them.
// ffmpeg encodes them once per length and size; later runs reuse them from the temporary directory.
import { spawn } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feed } from '@proctorkit/core/protocol';

/** How each feed is recorded: its size, frame rate and bitrate (kbit/s). */
export const FEED_FORMATS: Record<Feed, { width: number; height: number; fps: number; kbps: number }> = {
  webcam: { width: 640, height: 480, fps: 15, kbps: 450 },
  screen: { width: 1280, height: 720, fps: 15, kbps: 300 },
  phone: { width: 480, height: 640, fps: 15, kbps: 300 },
};

export const FEED_MIME_TYPE = 'video/mp4;codecs=avc1.42E01E';

/** The file of `feed` lasting `seconds`: made now, or reused. */
export async function feedMedia(feed: Feed, seconds: number): Promise<string> {
  const { width, height, fps, kbps } = FEED_FORMATS[feed];
  const directory = join(tmpdir(), 'proctorkit-bench-review');
  await mkdir(directory, { recursive: true });
  const path = join(directory, `${feed}-${width}x${height}-${fps}fps-${kbps}k-${seconds}s.mp4`);
  if (await stat(path).then((s) => s.size > 0, () => false)) return path;
  // testsrc2 draws a moving pattern and a frame counter: each frame differs, as a camera's do.
  await run('ffmpeg', [
    '-v', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}:duration=${seconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p',
    '-b:v', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${kbps * 2}k`,
    '-g', String(fps * 2), '-keyint_min', String(fps * 2), '-sc_threshold', '0',
    '-movflags', 'frag_keyframe+empty_moov+default_base_moof',
    `${path}.part.mp4`,
  ]);
  await run('mv', [`${path}.part.mp4`, path]);
  return path;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (data) => (errors += data));
    child.once('error', (error) => reject(new Error(`${command} could not start (${error.message}): install ffmpeg.`)));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} failed (${code}): ${errors.trim().slice(0, 500)}`))));
  });
}

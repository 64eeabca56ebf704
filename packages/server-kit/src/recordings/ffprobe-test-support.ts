/** What Debian's ffmpeg says of a finished recording: the check a player's view of it needs. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Whether `ffprobe` and `ffmpeg` are on the PATH (`.ci/run` installs them). */
export async function hasFfmpeg(): Promise<boolean> {
  try {
    await run('ffprobe', ['-version']);
    await run('ffmpeg', ['-version']);
    return true;
  } catch {
    return false;
  }
}

/** The duration the container states (seconds), and whether it has cues (so a player can seek). */
export async function probe(path: string): Promise<{ durationS: number; formatName: string }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration,format_name', '-of', 'json', path]);
  const format = (JSON.parse(stdout) as { format: { duration?: string; format_name: string } }).format;
  return { durationS: Number(format.duration ?? NaN), formatName: format.format_name };
}

/** Seeks to `seconds` and decodes one video frame there; throws when none decodes. */
export async function decodeFrameAt(path: string, seconds: number): Promise<void> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-ss', String(seconds), '-i', path, '-frames:v', '1', '-f', 'framemd5', '-']);
  if (!/^0,/m.test(stdout)) throw new Error(`no frame decoded at ${seconds} s of ${path}`);
}

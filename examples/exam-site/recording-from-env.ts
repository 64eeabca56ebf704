import { FilePhotoStore, fileRecordingStore, objectPhotoStore, s3RecordingStore, type PhotoStore, type RecordingStore } from '@proctorkit/server-kit';
import type { DataDir } from './data-dir.js';

/** Where the demo keeps recordings and identity photos, how long, whether with sound; and a line saying so. */
export type RecordingChoice =
  | { ok: true; recordingStore: RecordingStore; photoStore: PhotoStore; retentionDays?: number; recordAudio: boolean; summary: string }
  | { ok: false; message: string };

/**
 * Reads the demo site's recording settings from the environment:
 *
 * - `PROCTOR_S3_BUCKET`: keep recordings and identity photos in this bucket (pages upload chunks
 *   straight to it), with `PROCTOR_S3_REGION` (default `us-east-1`), `PROCTOR_S3_ENDPOINT` for
 *   another S3 API (path-style addressing) and `PROCTOR_S3_PREFIX`; credentials from the AWS SDK's
 *   usual chain. Without it, files in the data directory.
 * - `PROCTOR_RETENTION_DAYS`: delete recordings and photos that many days after an exam ended.
 * - `PROCTOR_RECORD_AUDIO=1`: record the microphone into the webcam's file.
 */
export function recordingFromEnv(env: NodeJS.ProcessEnv, data: DataDir): RecordingChoice {
  const days = env.PROCTOR_RETENTION_DAYS?.trim();
  const retentionDays = days ? Number(days) : undefined;
  if (retentionDays !== undefined && !(Number.isFinite(retentionDays) && retentionDays > 0)) {
    return { ok: false, message: 'PROCTOR_RETENTION_DAYS must be a positive number of days, such as 30.' };
  }
  const audio = env.PROCTOR_RECORD_AUDIO?.trim() ?? '';
  if (!['', '0', '1'].includes(audio)) return { ok: false, message: 'PROCTOR_RECORD_AUDIO must be 1 (record the microphone) or 0.' };
  const recordAudio = audio === '1';
  const kept = `${retentionDays === undefined ? 'kept' : `deleted ${retentionDays} days after the exam`}${recordAudio ? ', with sound' : ''}`;

  const bucket = env.PROCTOR_S3_BUCKET?.trim();
  if (!bucket) {
    return {
      ok: true,
      recordingStore: fileRecordingStore({ directory: data.recordings }),
      photoStore: new FilePhotoStore(data.photos),
      ...(retentionDays === undefined ? {} : { retentionDays }),
      recordAudio,
      summary: `files in ${data.recordings} (${kept})`,
    };
  }
  const endpoint = env.PROCTOR_S3_ENDPOINT?.trim();
  if (endpoint && !/^https?:\/\/[^\s/]+/.test(endpoint)) return { ok: false, message: 'PROCTOR_S3_ENDPOINT must be an http(s) URL such as http://127.0.0.1:9000.' };
  let recordingStore: RecordingStore;
  try {
    recordingStore = s3RecordingStore({
      bucket,
      region: env.PROCTOR_S3_REGION?.trim() || 'us-east-1',
      ...(endpoint ? { endpoint } : {}),
      prefix: env.PROCTOR_S3_PREFIX?.trim() ?? '',
    });
  } catch (error) {
    return { ok: false, message: `PROCTOR_S3_*: ${(error as Error).message}` };
  }
  return {
    ok: true,
    recordingStore,
    photoStore: objectPhotoStore(recordingStore),
    ...(retentionDays === undefined ? {} : { retentionDays }),
    recordAudio,
    summary: `S3 bucket ${bucket}${endpoint ? ` at ${endpoint}` : ''}, pages upload to it directly (${kept})`,
  };
}

import * as v from 'valibot';
import type { PresignedChunkUpload } from '../protocol/index.js';

/** Where a run's chunks go: through the kit, or straight to its object store with presigned URLs. */
export type UploadMode = 'kit' | 'direct';

/** The kit's answer to a run's start: only where its chunks go matters here (a kit before direct uploads says nothing: `kit`). */
export const RunStartAnswerSchema = v.object({
  upload: v.optional(v.picklist(['kit', 'direct']), 'kit'),
});

/** The kit's answer to `POST …/chunks/:seq/upload`. */
export const PresignedChunkUploadSchema = v.variant('stored', [
  v.object({ stored: v.literal(true) }),
  v.object({
    stored: v.literal(false),
    upload: v.object({
      url: v.pipe(v.string(), v.url()),
      method: v.literal('PUT'),
      headers: v.record(v.string(), v.string()),
      expiresAt: v.number(),
    }),
  }),
]) satisfies v.GenericSchema<unknown, PresignedChunkUpload>;

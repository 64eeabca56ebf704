import { buffer } from 'node:stream/consumers';
import { imageType, type PhotoStore } from '../store/photo-store.js';
import type { RecordingStore } from './recording-store.js';

/**
 * Keeps identity photos in a {@link RecordingStore} under `photos/<sessionId>/<photoId>`: with
 * {@link s3RecordingStore}, every kit instance serves every photo. Photo ids are new for each
 * photo, so a photo is never replaced in place.
 */
export function objectPhotoStore(store: RecordingStore): PhotoStore {
  const key = (photo: string) => `photos/${photo}`;
  return {
    async put(photo, bytes, contentType) {
      await store.delete(key(photo));
      await store.putNew(key(photo), bytes, contentType);
    },
    async get(photo) {
      const read = await store.read(key(photo));
      if (!read) return undefined;
      const bytes = await buffer(read.body);
      const contentType = imageType(bytes);
      return contentType && { bytes, contentType };
    },
    delete: (photo) => store.delete(key(photo)),
  };
}

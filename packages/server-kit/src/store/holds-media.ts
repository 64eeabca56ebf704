import type { SessionRecord } from './session-store.js';

/** Whether a session still holds media a retention sweep would delete: recording runs or identity photos. */
export function holdsMedia(record: SessionRecord): boolean {
  return (record.recordings?.length ?? 0) > 0 || (record.identity?.photos.length ?? 0) > 0;
}

import type { SessionRecord } from './session-store.js';

/** Whether a session still holds media a retention sweep would delete: recording runs, identity photos or screenshots. */
export function holdsMedia(record: SessionRecord): boolean {
  return (record.recordings?.length ?? 0) > 0 || (record.identity?.photos.length ?? 0) > 0 || (record.screenshots?.length ?? 0) > 0;
}

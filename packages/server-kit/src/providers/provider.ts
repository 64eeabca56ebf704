import type { ProviderInfo } from '@proctorkit/core/protocol';
import type { SessionRecord } from '../store/session-store.js';

/** The server half of a media provider: tells each client how to reach the media. */
export interface MediaProvider {
  readonly name: ProviderInfo['name'];
  /** Join info for a candidate's session, or for a supervisor (no session). */
  joinInfo(session?: SessionRecord): Promise<ProviderInfo>;
}

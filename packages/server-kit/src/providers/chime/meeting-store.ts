import type { ChimeAttendee, ChimeMeeting } from '@proctorkit/core/protocol';

/** A session's Chime meeting as the provider keeps it, so a rejoin reuses it. */
export interface ChimeMeetingRecord {
  sessionId: string;
  examId: string;
  candidateId: string;
  /** How many times the meeting was recreated (after Chime ended it); part of its ClientRequestToken. */
  generation: number;
  meeting: ChimeMeeting;
  /** The meeting's attendees by ExternalUserId: the candidate's feeds and the supervisors. */
  attendees: Record<string, Omit<ChimeAttendee, 'ExternalUserId'>>;
  /** When the meeting was created (ms since epoch). */
  createdAt: number;
}

/**
 * Where the Chime provider keeps meetings and attendees. The default is the kit's own store (SQLite,
 * PostgreSQL), so a restart or another instance rejoins the meetings; give one only to keep them elsewhere.
 */
export interface ChimeMeetingStore {
  get(sessionId: string): Promise<ChimeMeetingRecord | undefined>;
  /** Stores a record, or replaces the one of the same session. */
  put(record: ChimeMeetingRecord): Promise<void>;
  delete(sessionId: string): Promise<void>;
}

/** Keeps meetings in this process's memory, lost on restart: for tests. */
export class MemoryChimeMeetingStore implements ChimeMeetingStore {
  private readonly records = new Map<string, ChimeMeetingRecord>();

  async get(sessionId: string): Promise<ChimeMeetingRecord | undefined> {
    const record = this.records.get(sessionId);
    return record && structuredClone(record);
  }

  async put(record: ChimeMeetingRecord): Promise<void> {
    this.records.set(record.sessionId, structuredClone(record));
  }

  async delete(sessionId: string): Promise<void> {
    this.records.delete(sessionId);
  }
}

import type { SessionEvent } from '@proctorkit/core/protocol';
import type { EventDraft, EventStore } from './event-store.js';

interface Log {
  events: SessionEvent[];
  clientEventIds: Set<string>;
}

/** Keeps every session's log in this process's memory: the default, lost on restart. */
export class MemoryEventStore implements EventStore {
  private readonly logs = new Map<string, Log>();

  async append(sessionId: string, draft: EventDraft, clientEventId?: string): Promise<SessionEvent | undefined> {
    let log = this.logs.get(sessionId);
    if (!log) this.logs.set(sessionId, (log = { events: [], clientEventIds: new Set() }));
    if (clientEventId !== undefined) {
      if (log.clientEventIds.has(clientEventId)) return undefined;
      log.clientEventIds.add(clientEventId);
    }
    const event: SessionEvent = { ...draft, seq: log.events.length + 1 };
    log.events.push(event);
    return event;
  }

  async list(sessionId: string, afterSeq: number, limit: number): Promise<SessionEvent[]> {
    // seq n sits at index n - 1, so the slice needs no search.
    return (this.logs.get(sessionId)?.events ?? []).slice(afterSeq, afterSeq + limit);
  }

  async lastSeq(sessionId: string): Promise<number> {
    return this.logs.get(sessionId)?.events.length ?? 0;
  }
}

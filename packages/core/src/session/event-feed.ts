import type { ControlChannel } from '../channel/control-channel.js';
import type { SessionEvent } from '../protocol/index.js';

/** Called with events in order; `live` is false for history fetched after the fact. */
export type EventListener = (sessionId: string, events: SessionEvent[], live: boolean) => void;

/**
 * Follows sessions' logs over the control channel and delivers every event exactly once and in
 * order: live events as they come, and after a drop, the ones missed (asked for by the last
 * sequence number seen).
 */
export class EventFeed {
  /** The last sequence number delivered, per followed session. */
  private readonly last = new Map<string, number>();
  private readonly fetching = new Set<string>();
  private readonly wantHistory = new Set<string>();
  private readonly stop: (() => void)[];

  constructor(
    private readonly channel: ControlChannel,
    private readonly listener: EventListener,
  ) {
    this.stop = [
      channel.on('session.event', ({ sessionId, event }) => this.received(sessionId, event)),
      channel.on('events.batch', ({ sessionId, events, more }) => this.batch(sessionId, events, more)),
      // Answers to fetches sent on a dropped connection never come: allow asking again.
      channel.onEvent('welcome', () => this.fetching.clear()),
    ];
  }

  /**
   * Follows a session whose server log is at `serverLastSeq`: from the start (`fromSeq` 0, the
   * candidate's own log) or from a later point (a supervisor joining a running room).
   */
  follow(sessionId: string, serverLastSeq: number, fromSeq = serverLastSeq): void {
    if (!this.last.has(sessionId)) this.last.set(sessionId, fromSeq);
    this.catchUp(sessionId, serverLastSeq);
  }

  /** After a reconnect: the server's log is at `serverLastSeq`; fetches what was missed. */
  catchUp(sessionId: string, serverLastSeq: number): void {
    const last = this.last.get(sessionId);
    if (last !== undefined && serverLastSeq > last) this.fetch(sessionId, last);
  }

  /** Fetches a followed session's whole log again, delivered as history (not live). */
  history(sessionId: string): void {
    if (this.channel.send({ type: 'events.fetch', sessionId, afterSeq: 0 })) this.wantHistory.add(sessionId);
  }

  close(): void {
    for (const stop of this.stop) stop();
  }

  private received(sessionId: string, event: SessionEvent): void {
    const last = this.last.get(sessionId);
    if (last === undefined || event.seq <= last) return;
    if (event.seq > last + 1) {
      this.fetch(sessionId, last);
      return;
    }
    this.last.set(sessionId, event.seq);
    this.listener(sessionId, [event], true);
  }

  private batch(sessionId: string, events: SessionEvent[], more: boolean): void {
    this.fetching.delete(sessionId);
    let last = this.last.get(sessionId);
    if (last === undefined) return;
    const history = this.wantHistory.has(sessionId) ? events.filter((e) => e.seq <= last!) : [];
    if (!more) this.wantHistory.delete(sessionId);
    const fresh: SessionEvent[] = [];
    for (const event of events) {
      if (event.seq === last + 1) {
        fresh.push(event);
        last = event.seq;
      }
    }
    this.last.set(sessionId, last);
    if (history.length > 0) this.listener(sessionId, history, false);
    if (fresh.length > 0) this.listener(sessionId, fresh, true);
    if (more) this.fetch(sessionId, events.at(-1)?.seq ?? last);
  }

  private fetch(sessionId: string, afterSeq: number): void {
    if (this.fetching.has(sessionId)) return;
    if (this.channel.send({ type: 'events.fetch', sessionId, afterSeq })) this.fetching.add(sessionId);
  }
}

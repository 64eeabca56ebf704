import type { SessionEvent } from '@proctorkit/core/protocol';
import { KitError } from '../../errors.js';
import { holdsMedia } from '../holds-media.js';
import { deliveryId } from '../delivery-id.js';
import type { AttemptOutcome, Committed, DisabledEndpoint, KitStore, StoredDelivery, StoredPairing } from '../kit-store.js';
import type { SessionRecord } from '../session-store.js';

interface Log {
  events: SessionEvent[];
  clientEventIds: Set<string>;
}

/**
 * Keeps everything in this process's memory, lost when it ends: for tests and throwaway demos.
 * Stored values are copies, so a caller changing its objects afterwards changes nothing here.
 */
export function memoryStore(): KitStore {
  const sessions = new Map<string, SessionRecord>();
  const byCandidate = new Map<string, string>();
  const logs = new Map<string, Log>();
  const revocations = new Map<string, number>();
  const providerRecords = new Map<string, unknown>();
  /** By key hash; a pairing's two keys share one entry, so redeeming one uses both. */
  const pairings = new Map<string, { pairing: StoredPairing; usedUntil?: number }>();
  /** In the order they were queued. */
  const deliveries = new Map<string, StoredDelivery>();
  const disabledEndpoints = new Map<string, DisabledEndpoint>();
  const copy = <T>(value: T): T => structuredClone(value);
  const candidateKey = (examId: string, candidateId: string) => JSON.stringify([examId, candidateId]);

  return {
    async getSession(sessionId) {
      const record = sessions.get(sessionId);
      return record && copy(record);
    },
    async findSession(examId, candidateId) {
      const id = byCandidate.get(candidateKey(examId, candidateId));
      return id === undefined ? undefined : copy(sessions.get(id));
    },
    async listSessions(examId) {
      return [...sessions.values()].filter((record) => record.examId === examId).map(copy);
    },
    async listOpenSessions() {
      return [...sessions.values()].filter((record) => record.clock.endedAt === null).map(copy);
    },
    async listEndedWithMedia(endedBefore, limit) {
      // A stable sort: sessions that ended together keep their order of creation, as in the other adapters.
      return [...sessions.values()]
        .filter((record) => record.clock.endedAt !== null && record.clock.endedAt < endedBefore && holdsMedia(record))
        .sort((a, b) => a.clock.endedAt! - b.clock.endedAt!)
        .slice(0, limit)
        .map(copy);
    },
    async createSession(record) {
      const key = candidateKey(record.examId, record.candidateId);
      const existing = byCandidate.get(key);
      if (existing !== undefined) return copy(sessions.get(existing)!);
      sessions.set(record.sessionId, copy(record));
      byCandidate.set(key, record.sessionId);
      return copy(record);
    },
    async update(sessionId, change): Promise<Committed> {
      const stored = sessions.get(sessionId);
      if (!stored) throw new KitError('not-found', `Session ${sessionId} does not exist.`);
      let log = logs.get(sessionId);
      if (!log) logs.set(sessionId, (log = { events: [], clientEventIds: new Set() }));
      const { record, events } = change(copy(stored), log.events.length);
      if (record) sessions.set(sessionId, copy(record));
      const appended: SessionEvent[] = [];
      for (const { draft, clientEventId, notify = [] } of events) {
        if (clientEventId !== undefined) {
          if (log.clientEventIds.has(clientEventId)) continue;
          log.clientEventIds.add(clientEventId);
        }
        const event: SessionEvent = { ...copy(draft), seq: log.events.length + 1 };
        log.events.push(event);
        appended.push(copy(event));
        for (const endpointId of notify) {
          const id = deliveryId(endpointId, sessionId, event.seq);
          deliveries.set(id, { deliveryId: id, endpointId, sessionId, seq: event.seq, state: 'pending', attempts: 0, nextAttemptAt: draft.at, createdAt: draft.at });
        }
      }
      return { record: copy(sessions.get(sessionId)!), events: appended, lastSeq: log.events.length };
    },
    async listEvents(sessionId, afterSeq, limit) {
      // seq n sits at index n - 1, so the slice needs no search.
      return (logs.get(sessionId)?.events ?? []).slice(afterSeq, afterSeq + limit).map(copy);
    },
    async lastSeq(sessionId) {
      return logs.get(sessionId)?.events.length ?? 0;
    },
    async putPairing(pairing, now, usedUntil) {
      for (const [key, entry] of pairings) if ((entry.usedUntil ?? entry.pairing.expiresAt) <= now) pairings.delete(key);
      if (pairings.has(pairing.linkHash) || pairings.has(pairing.codeHash)) return false;
      for (const entry of pairings.values()) {
        if (entry.pairing.sessionId === pairing.sessionId && entry.usedUntil === undefined) entry.usedUntil = usedUntil;
      }
      const entry = { pairing: copy(pairing) };
      pairings.set(pairing.linkHash, entry).set(pairing.codeHash, entry);
      return true;
    },
    async takePairing(keyHash, now, usedUntil) {
      const entry = pairings.get(keyHash);
      if (!entry) return undefined;
      if (entry.usedUntil !== undefined) return entry.usedUntil > now ? 'used' : undefined;
      if (entry.pairing.expiresAt <= now) return undefined;
      entry.usedUntil = usedUntil;
      return copy(entry.pairing);
    },
    async getProviderRecord(sessionId) {
      return copy(providerRecords.get(sessionId));
    },
    async putProviderRecord(sessionId, record) {
      providerRecords.set(sessionId, copy(record));
    },
    async deleteProviderRecord(sessionId) {
      providerRecords.delete(sessionId);
    },
    async putRevocation(personKey, at) {
      revocations.set(personKey, at);
    },
    async listRevocations(since) {
      return [...revocations].filter(([, at]) => at >= since).map(([personKey, at]) => ({ personKey, at }));
    },
    async claimDeliveries(endpointIds, now, leaseMs, limit) {
      const due = [...deliveries.values()]
        .filter((d) => d.state === 'pending' && d.nextAttemptAt <= now && endpointIds.includes(d.endpointId))
        .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt)
        .slice(0, limit);
      for (const delivery of due) delivery.nextAttemptAt = now + leaseMs;
      return due.map(copy);
    },
    async recordAttempt({ deliveryId: id, nextAttemptAt }, outcome) {
      const delivery = deliveries.get(id);
      if (delivery?.state !== 'pending' || delivery.nextAttemptAt !== nextAttemptAt) return false;
      deliveries.set(id, attempted(delivery, outcome));
      return true;
    },
    async releaseDelivery({ deliveryId: id, nextAttemptAt }, now) {
      const delivery = deliveries.get(id);
      if (delivery?.state === 'pending' && delivery.nextAttemptAt === nextAttemptAt) delivery.nextAttemptAt = now;
    },
    async listDeliveries({ sessionId, state, limit }) {
      return [...deliveries.values()]
        .filter((d) => (sessionId === undefined || d.sessionId === sessionId) && (state === undefined || d.state === state))
        .slice(0, limit)
        .map(copy);
    },
    async replayDelivery(id, now) {
      const delivery = deliveries.get(id);
      if (!delivery) return undefined;
      Object.assign(delivery, { state: 'pending', attempts: 0, nextAttemptAt: now });
      return copy(delivery);
    },
    async disableEndpoint(endpoint) {
      disabledEndpoints.set(endpoint.endpointId, copy(endpoint));
    },
    async listDisabledEndpoints() {
      return [...disabledEndpoints.values()].map(copy);
    },
    async close() {},
  };
}

/** A delivery after an attempt. */
function attempted(delivery: StoredDelivery, outcome: AttemptOutcome): StoredDelivery {
  const { deliveryId, endpointId, sessionId, seq, createdAt } = delivery;
  return {
    deliveryId,
    endpointId,
    sessionId,
    seq,
    createdAt,
    state: outcome.state,
    attempts: delivery.attempts + 1,
    nextAttemptAt: outcome.state === 'pending' ? outcome.retryAt : outcome.at,
    lastAttemptAt: outcome.at,
    ...(outcome.status === undefined ? {} : { lastStatus: outcome.status }),
    ...(outcome.error === undefined ? {} : { lastError: outcome.error }),
  };
}

import type { AttemptOutcome, DeliveryState, StoredDelivery } from './kit-store.js';

/** A `webhook_deliveries` row as the SQL adapters read it (PostgreSQL gives bigints as strings). */
export interface DeliveryRow {
  delivery_id: string;
  endpoint_id: string;
  session_id: string;
  seq: number | string;
  state: string;
  attempts: number;
  next_attempt_at: number | string;
  created_at: number | string;
  last_attempt_at: number | string | null;
  last_status: number | null;
  last_error: string | null;
}

/** The columns of {@link DeliveryRow}, for a SELECT or a RETURNING. */
export const DELIVERY_COLUMNS =
  'delivery_id, endpoint_id, session_id, seq, state, attempts, next_attempt_at, created_at, last_attempt_at, last_status, last_error';

export function toDelivery(row: DeliveryRow): StoredDelivery {
  return {
    deliveryId: row.delivery_id,
    endpointId: row.endpoint_id,
    sessionId: row.session_id,
    seq: Number(row.seq),
    state: row.state as DeliveryState,
    attempts: row.attempts,
    nextAttemptAt: Number(row.next_attempt_at),
    createdAt: Number(row.created_at),
    ...(row.last_attempt_at === null ? {} : { lastAttemptAt: Number(row.last_attempt_at) }),
    ...(row.last_status === null ? {} : { lastStatus: row.last_status }),
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
  };
}

/** An attempt's outcome as the values of `state, next_attempt_at, last_attempt_at, last_status, last_error`. */
export function attemptValues(outcome: AttemptOutcome): [string, number, number, number | null, string | null] {
  const nextAttemptAt = outcome.state === 'pending' ? outcome.retryAt : outcome.at;
  return [outcome.state, nextAttemptAt, outcome.at, outcome.status ?? null, outcome.error ?? null];
}

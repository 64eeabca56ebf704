import type { SessionEvent } from '@proctorkit/core/protocol';

/** The event types a webhook endpoint can subscribe to. */
export const WEBHOOK_EVENT_TYPES = ['session.started', 'session.ended', 'identity.verified', 'flag.created', 'verdict.signed', 'recording.ready'] as const;

/** One of {@link WEBHOOK_EVENT_TYPES}. */
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Which session log events each webhook type reports. */
const LOG_EVENT_TYPES: Readonly<Record<string, WebhookEventType>> = {
  'session.started': 'session.started',
  'session.ended': 'session.ended',
  'identity.approved': 'identity.verified',
  'identity.rejected': 'identity.verified',
  'flag.created': 'flag.created',
  'verdict.signed': 'verdict.signed',
  'recording.complete': 'recording.ready',
};

/** The webhook type a session log event is reported as, or `undefined` when webhooks never report it. */
export function webhookTypeOf(eventType: string): WebhookEventType | undefined {
  return Object.hasOwn(LOG_EVENT_TYPES, eventType) ? LOG_EVENT_TYPES[eventType] : undefined;
}

/** The JSON body of every webhook request. */
export interface WebhookPayload {
  type: WebhookEventType;
  /** When the event happened (ISO 8601), as the session's log says. */
  timestamp: string;
  data: {
    sessionId: string;
    examId: string;
    candidateId: string;
    /** The event's number in the session's log. */
    seq: number;
    /** The event as the session's log holds it (for `identity.verified`, its `type` says approved or rejected). */
    event: SessionEvent;
  };
}

/** The `webhook-id` of an event: the same for every attempt and replay, so receivers deduplicate by it. */
export function webhookId(sessionId: string, seq: number): string {
  return `evt_${sessionId}_${seq}`;
}

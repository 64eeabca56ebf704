import type { CapturedFeed, ChannelState, EndReason, IdentityStatus, ProctorErrorCode } from '@proctorkit/core';
import type { DeviceCheckResult } from '@proctorkit/core';

/** Detail of `proctor-consent`: the candidate's answer to the consent step. */
export interface ConsentDetail {
  accepted: boolean;
}

/** Detail of `proctor-feed-live`: a feed is captured and published. */
export interface FeedLiveDetail {
  feed: CapturedFeed;
}

/** Detail of `proctor-feed-error`: a feed could not start or stopped; the element offers a retry. */
export interface FeedErrorDetail {
  feed: CapturedFeed;
  code: ProctorErrorCode;
  message: string;
}

/** Detail of `proctor-session-error`: the session cannot go on (refused token, opened elsewhere). */
export interface SessionErrorDetail {
  code: ProctorErrorCode;
  message: string;
}

/** Detail of `proctor-connection`: the control channel's state changed. */
export interface ConnectionDetail {
  state: ChannelState;
}

/** Detail of `proctor-focus`: the supervisor focused a candidate, or returned to the grid (`undefined`). */
export interface FocusDetail {
  sessionId: string | undefined;
}

/** Detail of `proctor-page`: the grid shows another page. */
export interface PageDetail {
  page: number;
  pageCount: number;
}

/** Detail of `proctor-started`: the exam clock runs. */
export interface StartedDetail {
  /** When the exam ends at the current pace (server time, ms since epoch). */
  endsAt: number | null;
}

/** Detail of `proctor-time-extended`: a supervisor or the host added time. */
export interface TimeExtendedDetail {
  minutes: number;
  /** When the exam now ends (server time, ms since epoch). */
  endsAt: number | null;
}

/** Detail of `proctor-message`: a supervisor's message for the candidate. */
export interface MessageDetail {
  messageId: string;
  text: string;
  /** The supervisor's name. */
  from?: string;
}

/** Detail of `proctor-ended`: the exam ended; capture has stopped. */
export interface EndedDetail {
  reason: EndReason;
  /** The supervisor's reason when terminated. */
  message?: string;
}

/** Detail of `proctor-command`: a supervisor's command was carried out. */
export interface CommandDetail {
  command: 'pause' | 'resume' | 'extend' | 'message' | 'terminate' | 'identity' | 'room-scan';
  /** The sessions it applied to. */
  sessionIds: string[];
}

/** Detail of `proctor-identity`: the candidate's identity check changed (submitted, approved or rejected). */
export interface IdentityDetail {
  status: IdentityStatus;
  /** The supervisor's reason when rejected. */
  reason?: string;
}

/** Detail of `proctor-phone-connected`: the phone is connected and its camera is sent as the session's phone feed. */
export interface PhoneConnectedDetail {
  /** The candidate whose session the phone joined. */
  name: string;
  sessionId: string;
}

/** Detail of `proctor-room-scan`: a supervisor asked to see the room through the phone. */
export interface RoomScanDetail {
  /** When they asked (server time, ms since epoch). */
  at: number;
  /** The supervisor's name. */
  from?: string;
}

/** Detail of `proctor-phone-paired`: the candidate's paired phone sends its camera (after pairing, or after it reconnected). */
export interface PhonePairedDetail {
  sessionId: string;
}

/** Detail of `proctor-event-select`: a line of a room's event feed was chosen. */
export interface EventSelectDetail {
  sessionId: string;
  seq: number;
}

/** Detail of `proctor-recorded`: a person recorded a note, a screenshot, a flag or a signal's dismissal in a session's log. */
export interface RecordedDetail {
  sessionId: string;
  record: 'note' | 'screenshot' | 'flag' | 'dismissal';
  /** The `seq` of the log event that holds it. */
  seq: number;
}

/** Fires a Proctorkit event the way every element does: bubbling out of shadow roots. */
export function fire<K extends keyof ProctorEventMap>(target: EventTarget, type: K, detail: ProctorEventMap[K]['detail']) {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

/** Every event the elements fire, so `addEventListener('proctor-…')` is typed. */
export interface ProctorEventMap {
  'proctor-consent': CustomEvent<ConsentDetail>;
  'proctor-feed-live': CustomEvent<FeedLiveDetail>;
  'proctor-feed-error': CustomEvent<FeedErrorDetail>;
  'proctor-session-error': CustomEvent<SessionErrorDetail>;
  'proctor-connection': CustomEvent<ConnectionDetail>;
  'proctor-focus': CustomEvent<FocusDetail>;
  'proctor-page': CustomEvent<PageDetail>;
  'proctor-started': CustomEvent<StartedDetail>;
  'proctor-paused': CustomEvent<Record<string, never>>;
  'proctor-resumed': CustomEvent<Record<string, never>>;
  'proctor-time-extended': CustomEvent<TimeExtendedDetail>;
  'proctor-message': CustomEvent<MessageDetail>;
  'proctor-ended': CustomEvent<EndedDetail>;
  'proctor-command': CustomEvent<CommandDetail>;
  'proctor-event-select': CustomEvent<EventSelectDetail>;
  'proctor-recorded': CustomEvent<RecordedDetail>;
  'proctor-identity': CustomEvent<IdentityDetail>;
  'proctor-phone-connected': CustomEvent<PhoneConnectedDetail>;
  'proctor-room-scan': CustomEvent<RoomScanDetail>;
  'proctor-phone-paired': CustomEvent<PhonePairedDetail>;
  'proctor-device-check-complete': CustomEvent<DeviceCheckResult>;
}

declare global {
  interface HTMLElementEventMap extends ProctorEventMap {}
}

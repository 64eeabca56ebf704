import { LitElement, adoptStyles, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ReviewClient, RoomEvent, SessionEvent } from '@proctorkit/core';
import { fire } from '../shared/events.js';
import { systemTokens } from '../shared/theme.js';
import { describeEvent, formatTime } from './describe-event.js';
import { eventFeedStyles } from './event-feed.styles.js';
import type { ReviewLines } from './review-lines/review-lines.js';

let reviewLines: Promise<typeof import('./review-lines/review-lines.js')> | undefined;
/** Screenshots' images and signals' judgements, loaded for the first feed that shows them. */
const loadReviewLines = () => (reviewLines ??= import('./review-lines/review-lines.js'));

/**
 * A session's or a whole room's events as plain lines, newest first: "10:42:03 Page hidden",
 * "Dr. Reyes paused the exam", host log lines as their name and data. Integrity signals are
 * highlighted; they inform, they accuse no one.
 *
 * Give it one session's events (`room.state.events.get(sessionId)`), or a room's
 * (`room.state.roomEvents`) with `names`: each line then starts with the candidate's name and is a
 * button that fires `proctor-event-select`.
 *
 * @tagname proctor-event-feed
 * @summary Events as human-readable lines, newest first, signals highlighted.
 *
 * @event proctor-event-select - A line of a room's feed was chosen (only with `names`). Detail: `EventSelectDetail`.
 * @event proctor-recorded - A signal was confirmed as an incident or dismissed (with `judge`). Detail: `RecordedDetail`.
 *
 * @csspart list - The list of lines.
 * @csspart line - Each line; `data-tone` is `signal`, `command`, `problem`, `log`, `review` or `info`.
 * @csspart empty - The text shown without events.
 * @csspart thumbnail - A screenshot's image (with `review`); a link to the full image.
 * @csspart judge - A signal's "Confirm as incident" and "Dismiss" buttons (with `judge`).
 * @csspart judgement - What a person concluded about a signal: "Confirmed as incident (…) by Ana", "Dismissed by Ana".
 *
 * @cssproperty --proctor-event-feed-signal-background=color-mix(in srgb, var(--proctor-color-warning) 16%, transparent) - Behind a signal's line.
 * @cssproperty --proctor-color-warning=#d97706 - The mark of a signal.
 * @cssproperty --proctor-color-accent=#2563eb - The mark of a command.
 * @cssproperty --proctor-color-danger=#dc2626 - The mark of a problem (a feed lost, the page left).
 * @cssproperty --proctor-color-review=#a78bfa - The mark of a person's note, screenshot, flag, dismissal or verdict.
 */
export class ProctorEventFeed extends LitElement {
  /** @internal */
  static override styles = [systemTokens, eventFeedStyles];

  /** The events, oldest first: a session's `SessionEvent`s, or a room's `RoomEvent`s. */
  @property({ attribute: false }) events: readonly (SessionEvent | RoomEvent)[] = [];

  /** Candidates' names by session id. When set, lines show the name and can be chosen. */
  @property({ attribute: false }) names?: ReadonlyMap<string, string>;

  /** How many of the latest events are shown. */
  @property({ type: Number }) limit = 100;

  /** The list's accessible name. */
  @property() label = 'Events';

  /** What is shown before any event. */
  @property() empty = 'No events yet.';

  /** The session whose events these are, when they are one session's: needed to judge its signals. */
  @property({ attribute: 'session-id' }) sessionId = '';

  /** The kit's review routes (`new ReviewClient(server, () => token)` of `@proctorkit/core`): screenshots' images and judgements go through it. */
  @property({ attribute: false }) review?: ReviewClient;

  /** Offers "Confirm as incident" and "Dismiss" on the session's integrity signals not judged yet (needs `review` and `session-id`). */
  @property({ type: Boolean }) judge = false;

  private reviewLines?: ReviewLines;
  private reviewLinesAsked = false;

  protected override willUpdate(): void {
    if (this.reviewLinesAsked || !this.review || !this.sessionId || this.names) return;
    this.reviewLinesAsked = true;
    void loadReviewLines().then(({ ReviewLines, reviewLinesStyles }) => {
      adoptStyles(this.renderRoot as ShadowRoot, [...ProctorEventFeed.elementStyles, reviewLinesStyles]);
      this.reviewLines = new ReviewLines(this);
      this.requestUpdate();
    });
  }

  protected override render() {
    const latest = this.events.slice(-this.limit).map(toRoomEvent).reverse();
    if (latest.length === 0) return html`<p class="empty" part="empty">${this.empty}</p>`;
    const room = !!this.names;
    return html`<div role="log" aria-label=${this.label} aria-live=${room ? 'off' : 'polite'}>
        <ol part="list">
          ${repeat(
            latest,
            ({ sessionId, event }) => `${sessionId}/${event.seq}`,
            (entry) => this.renderLine(entry),
          )}
        </ol>
      </div>
      ${this.reviewLines?.renderDialogs()}`;
  }

  private renderLine({ sessionId, event }: { sessionId: string; event: SessionEvent }) {
    const line = describeEvent(event);
    const { text, tone } = line;
    const at = event.occurredAt ?? event.at;
    const late = event.occurredAt !== undefined && event.at - event.occurredAt > 5000;
    const time = html`<time datetime=${new Date(at).toISOString()} title=${late ? `Recorded at ${formatTime(event.at)}, after a reconnect` : nothing}
      >${formatTime(at)}</time
    >`;
    if (!this.names) {
      return html`<li part="line" data-tone=${tone} data-type=${event.type}>
        ${time} <span class="text">${text}${this.reviewLines?.extra(event, line)}</span>
      </li>`;
    }
    const name = this.names.get(sessionId) ?? 'Unknown candidate';
    return html`<li part="line" data-tone=${tone} data-type=${event.type}>
      <button @click=${() => this.select(sessionId, event.seq)} title="Show ${name} large">
        ${time} <span class="text"><strong class="who">${name}</strong> ${text}</span>
      </button>
    </li>`;
  }

  private select(sessionId: string, seq: number): void {
    fire(this, 'proctor-event-select', { sessionId, seq });
  }
}

function toRoomEvent(entry: SessionEvent | RoomEvent): { sessionId: string; event: SessionEvent } {
  return 'event' in entry ? entry : { sessionId: '', event: entry };
}

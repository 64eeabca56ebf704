import { LitElement, html, nothing, svg } from 'lit';
import { property } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { FEEDS, type Feed, type FeedRecording, type FeedStreams, type SessionStatus, type SessionSummary } from '@proctorkit/core';
import { systemTokens } from '../shared/theme.js';
import { ClockController } from '../shared/clock-controller.js';
import { formatBacklog } from '../shared/time-format.js';
import { readClock, type ClockReading } from './clock.js';
import { tileStyles } from './tile.styles.js';

/** What one feed of a tile shows. */
export type TileFeedState = 'live' | 'connecting' | 'lost' | 'off' | 'offline' | 'ended';

const FEED_LABEL: Record<Feed, string> = { webcam: 'Webcam', screen: 'Screen', phone: 'Phone' };
const STATUS_LABEL: Record<SessionStatus, string> = {
  connecting: 'Connecting',
  preparing: 'Preparing',
  live: 'Live',
  'feed-lost': 'Feed lost',
  offline: 'Offline',
  ended: 'Ended',
};
const PLACEHOLDER: Record<Exclude<TileFeedState, 'live'>, (feed: Feed) => string> = {
  connecting: () => 'Connecting…',
  lost: (feed) => (feed === 'phone' ? 'Phone disconnected' : 'Feed lost'),
  off: (feed) => (feed === 'phone' ? 'No phone paired' : feed === 'screen' ? 'Screen not shared' : 'Camera off'),
  offline: () => 'Offline',
  ended: () => 'Exam ended',
};

/** What a feed's caption says of its recording: a short mark on a thumbnail, words in the large view, a full sentence for its tooltip. */
function recordingText({ state, pendingMs }: FeedRecording, feed: Feed, large: boolean): { mark: string; title: string } | undefined {
  const waiting = pendingMs > 0 ? formatBacklog(pendingMs) : '';
  const name = FEED_LABEL[feed].toLowerCase();
  switch (state) {
    case 'recording':
      return waiting
        ? { mark: large ? `Rec · ${waiting} to upload` : `Rec · ${waiting}`, title: `The ${name} is recorded; ${waiting} of it waits on the candidate’s computer to upload.` }
        : { mark: 'Rec', title: `The ${name} is recorded.` };
    case 'uploading':
      return { mark: waiting ? `Uploading · ${waiting}` : 'Uploading', title: waiting ? `${waiting} of the ${name} recording waits on the candidate’s computer to upload.` : `The ${name} recording is being saved.` };
    case 'incomplete':
      return { mark: large ? 'Recording incomplete' : 'Rec incomplete', title: `Part of the ${name} recording is missing: see the event log.` };
    default:
      return undefined;
  }
}

const pauseIcon = svg`<svg viewBox="0 0 12 12" width="10" height="10" aria-hidden="true"><rect x="2" y="1.5" width="2.6" height="9" rx="0.8" fill="currentColor"/><rect x="7.4" y="1.5" width="2.6" height="9" rx="0.8" fill="currentColor"/></svg>`;

/** The clock as a tile shows it: short on a thumbnail, with the time left when large. */
function clockText({ phase, remaining }: ClockReading, large: boolean): string {
  if (phase === 'ended') return 'Ended';
  if (phase === 'running') return large ? `${remaining} left` : remaining;
  const word = phase === 'paused' ? 'Paused' : 'Not started';
  return large ? `${word} · ${remaining}` : word;
}

/** The clock in full, for its tooltip. */
function clockTitle({ phase, remaining }: ClockReading): string {
  if (phase === 'ended') return 'Exam ended';
  if (phase === 'running') return `${remaining} left`;
  return `${phase === 'paused' ? 'Paused' : 'Not started'}, ${remaining} left`;
}

/** What a tile shows for `feed` of `session`, given the stream received for it (if any). */
export function tileFeedState(session: SessionSummary, feed: Feed, stream: MediaStream | undefined): TileFeedState {
  if (session.status === 'ended' || session.status === 'offline') return session.status;
  const reported = session.feeds[feed];
  if (reported !== 'live') return reported;
  return stream ? 'live' : 'connecting';
}

/**
 * One candidate's live tile: name, time left, new signals, status and the three feeds.
 * `<proctor-grid>` is made of these; a page can also place them itself and feed them a session,
 * its streams and (from a `SupervisorRoom`) the server's time and the unseen signals.
 *
 * @tagname proctor-tile
 * @summary A candidate's name, clock, signal count, status and webcam / screen / phone feeds.
 *
 * @csspart header - The bar with the name, the signal badge, the clock and the status.
 * @csspart signals - The count of integrity signals not looked at yet.
 * @csspart identity - "ID" while the candidate's identity photos wait for a supervisor's check.
 * @csspart clock - The time left, or "Paused", "Not started", "Ended"; `data-phase` says which.
 * @csspart status - The status badge.
 * @csspart feed - Each feed's frame; `data-feed` and `data-state` say which and how.
 * @csspart video - Each feed's video.
 * @csspart recording - Each feed's recording mark ("Rec", what waits to upload, "Recording incomplete"); `data-state` is the {@link FeedRecording} state.
 *
 * @cssproperty --proctor-tile-background=#111827 - The tile's background.
 * @cssproperty --proctor-tile-color=#f9fafb - The tile's text color.
 * @cssproperty --proctor-tile-feed-background=#1f2937 - Behind a feed with no video.
 * @cssproperty --proctor-color-live=#16a34a - Live status.
 * @cssproperty --proctor-color-warning=#d97706 - Feed-lost status and the signal badge.
 * @cssproperty --proctor-color-paused=#60a5fa - The paused clock and the paused tile's edge.
 * @cssproperty --proctor-color-danger=#dc2626 - Offline status and the recording mark.
 */
export class ProctorTile extends LitElement {
  /** @internal */
  static override styles = [systemTokens, tileStyles];

  /** The session this tile shows. */
  @property({ attribute: false }) session?: SessionSummary;

  /** The streams received for the session, by feed. */
  @property({ attribute: false }) streams: FeedStreams = {};

  /** Shows the tile large: screen big, webcam and phone beside it. */
  @property({ type: Boolean, reflect: true }) focused = false;

  /**
   * The server's time (ms since epoch) as this page estimates it, for the clock: e.g.
   * `() => room.serverNow()`. Default: this computer's clock.
   */
  @property({ attribute: false }) now: () => number = Date.now;

  /** Integrity signals not looked at yet (a `SupervisorRoom`'s `unseen`); a badge shows them when above 0. */
  @property({ type: Number }) unseen = 0;

  /** The session's status, reflected so pages can style by it. Set from `session`. */
  @property({ reflect: true }) status?: SessionStatus;

  /** Whether the exam is paused, reflected so pages can style by it. Set from `session`. */
  @property({ type: Boolean, reflect: true }) paused = false;

  private readonly clock = new ClockController<ClockReading>(this, () =>
    this.session ? readClock(this.session.clock, this.now()) : undefined,
  );

  protected override willUpdate(): void {
    this.status = this.session?.status;
    this.paused = this.session ? this.session.clock.pausedAt !== null && this.session.clock.endedAt === null : false;
  }

  protected override render() {
    const session = this.session;
    const reading = this.clock.value;
    if (!session || !reading) return nothing;
    const signals = this.unseen > 0 ? `${this.unseen} new signal${this.unseen === 1 ? '' : 's'}` : '';
    return html`
      <header part="header">
        <span class="name" title=${session.name}>${session.name}</span>
        ${signals
          ? html`<span class="signals" part="signals" role="img" aria-label=${signals} title="${signals} since you last looked at ${session.name}"
              >${this.unseen}</span
            >`
          : nothing}
        ${session.identity?.status === 'submitted'
          ? html`<span class="identity" part="identity" role="img" aria-label="Identity check waiting" title="${session.name}’s identity photos wait for a check"
              >ID</span
            >`
          : nothing}
        <span class="clock" part="clock" data-phase=${reading.phase} title=${clockTitle(reading)}
          >${reading.phase === 'paused' ? pauseIcon : nothing}${clockText(reading, this.focused)}</span
        >
        ${session.status === 'ended'
          ? nothing
          : html`<span class="status" part="status" data-status=${session.status}>${STATUS_LABEL[session.status]}</span>`}
      </header>
      <div class="feeds">${FEEDS.map((feed) => this.renderFeed(session, feed))}</div>
    `;
  }

  private renderRecording(session: SessionSummary, feed: Feed) {
    const recording = session.recording?.[feed];
    const text = recording && recordingText(recording, feed, this.focused);
    if (!text) return nothing;
    return html`<span class="recording" part="recording" data-state=${recording!.state} title=${text.title} aria-label=${text.title}>${text.mark}</span>`;
  }

  private renderFeed(session: SessionSummary, feed: Feed) {
    const stream = this.streams[feed];
    const state = tileFeedState(session, feed, stream);
    return html`
      <figure part="feed" data-feed=${feed} data-state=${state}>
        ${state === 'live' || (state === 'lost' && stream)
          ? // live(): Lit sets object values on every render, and setting srcObject again restarts the video.
            html`<video part="video" autoplay muted playsinline .muted=${true} .srcObject=${live(stream ?? null)}></video>`
          : nothing}
        ${state === 'live' ? nothing : html`<span class="placeholder">${PLACEHOLDER[state](feed)}</span>`}
        <figcaption>${FEED_LABEL[feed]}${feed === 'phone' && state === 'live' ? ' · live' : nothing}</figcaption>
        ${this.renderRecording(session, feed)}
      </figure>
    `;
  }
}

import { LitElement, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { FEEDS, type Feed, type FeedStreams, type SessionStatus, type SessionSummary } from '@proctorkit/core';
import { systemTokens } from '../shared/theme.js';
import { tileStyles } from './tile.styles.js';

/** What one feed of a tile shows. */
export type TileFeedState = 'live' | 'connecting' | 'lost' | 'off' | 'offline';

const FEED_LABEL: Record<Feed, string> = { webcam: 'Webcam', screen: 'Screen', phone: 'Phone' };
const STATUS_LABEL: Record<SessionStatus, string> = {
  connecting: 'Connecting',
  live: 'Live',
  'feed-lost': 'Feed lost',
  offline: 'Offline',
  ended: 'Ended',
};
const PLACEHOLDER: Record<Exclude<TileFeedState, 'live'>, (feed: Feed) => string> = {
  connecting: () => 'Connecting…',
  lost: () => 'Feed lost',
  off: (feed) => (feed === 'phone' ? 'No phone paired' : feed === 'screen' ? 'Screen not shared' : 'Camera off'),
  offline: () => 'Offline',
};

/** What a tile shows for `feed` of `session`, given the stream received for it (if any). */
export function tileFeedState(session: SessionSummary, feed: Feed, stream: MediaStream | undefined): TileFeedState {
  if (session.status === 'offline') return 'offline';
  const reported = session.feeds[feed];
  if (reported !== 'live') return reported;
  return stream ? 'live' : 'connecting';
}

/**
 * One candidate's live tile: name, status and the three feeds. `<proctor-grid>` is made of these;
 * a page can also place them itself and feed them a session and its streams.
 *
 * @tagname proctor-tile
 * @summary A candidate's name, status and webcam / screen / phone feeds.
 *
 * @csspart header - The bar with the name and the status.
 * @csspart status - The status badge.
 * @csspart feed - Each feed's frame; `data-feed` and `data-state` say which and how.
 * @csspart video - Each feed's video.
 *
 * @cssproperty --proctor-tile-background=#111827 - The tile's background.
 * @cssproperty --proctor-tile-color=#f9fafb - The tile's text color.
 * @cssproperty --proctor-tile-feed-background=#1f2937 - Behind a feed with no video.
 * @cssproperty --proctor-color-live=#16a34a - Live status.
 * @cssproperty --proctor-color-warning=#d97706 - Feed-lost status.
 * @cssproperty --proctor-color-danger=#dc2626 - Offline status.
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

  /** The session's status, reflected so pages can style by it. Set from `session`. */
  @property({ reflect: true }) status?: SessionStatus;

  protected override willUpdate(): void {
    this.status = this.session?.status;
  }

  protected override render() {
    const session = this.session;
    if (!session) return nothing;
    return html`
      <header part="header">
        <span class="name" title=${session.name}>${session.name}</span>
        <span class="status" part="status" data-status=${session.status}>${STATUS_LABEL[session.status]}</span>
      </header>
      <div class="feeds">${FEEDS.map((feed) => this.renderFeed(session, feed))}</div>
    `;
  }

  private renderFeed(session: SessionSummary, feed: Feed) {
    const stream = this.streams[feed];
    const state = tileFeedState(session, feed, stream);
    return html`
      <figure part="feed" data-feed=${feed} data-state=${state}>
        ${state === 'live' || (state === 'lost' && stream)
          ? html`<video part="video" autoplay muted playsinline .muted=${true} .srcObject=${stream ?? null}></video>`
          : nothing}
        ${state === 'live' ? nothing : html`<span class="placeholder">${PLACEHOLDER[state](feed)}</span>`}
        <figcaption>${FEED_LABEL[feed]}</figcaption>
      </figure>
    `;
  }
}

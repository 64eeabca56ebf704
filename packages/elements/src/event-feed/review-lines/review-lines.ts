import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { ReviewClient, RoomEvent, SessionEvent } from '@proctorkit/core';
import type { RecordedDetail } from '../../shared/events.js';
import { formatTime, type EventLine } from '../describe-event.js';
import { judgements, signalFlagDraft, type Judgement } from './signal-judgement.js';
import { Thumbnails } from './thumbnails.js';

export { reviewLinesStyles } from './review-lines.styles.js';

const FEED_WORD: Record<string, string> = { webcam: 'webcam', screen: 'screen', phone: 'phone camera' };

/** What the review lines read from their `<proctor-event-feed>`. */
export interface ReviewLinesHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly events: readonly (SessionEvent | RoomEvent)[];
  readonly review?: ReviewClient | undefined;
  readonly sessionId: string;
  readonly judge: boolean;
  /** Writes when a judgement was made, for lines that say it besides who made it (a review read after the fact). */
  readonly judgedWhen?: ((at: number) => string) | undefined;
}

/**
 * What a session's event feed adds for the people who review it: a screenshot's image under its
 * line, and under each integrity signal its judgement or, with `judge`, "Confirm as incident" and
 * "Dismiss". The judgements come from the session's log; one made here shows at once, before
 * the log brings it back (a replay's feed has no live log). Loaded by the feed on demand.
 */
export class ReviewLines implements ReactiveController {
  private judgedFrom?: readonly unknown[];
  private judged = new Map<number, Judgement>();
  private judgedHere = new Map<number, Judgement>();
  private sessionId = '';
  /** The signal whose dialog is open. */
  private judging = 0;
  /** The dialogs asked for: each renders once its module has loaded. */
  private readonly dialogs = { flag: false, dismiss: false };
  private readonly thumbnails: Thumbnails;

  constructor(private readonly host: ReviewLinesHost) {
    this.thumbnails = new Thumbnails(() => host.requestUpdate());
    host.addController(this);
  }

  hostUpdate(): void {
    const { events, sessionId } = this.host;
    if (sessionId !== this.sessionId) {
      this.sessionId = sessionId;
      this.judgedHere = new Map();
    }
    if (events !== this.judgedFrom) {
      this.judgedFrom = events;
      this.judged = judgements(events.map((e) => ('event' in e ? e.event : e)), this.host.judgedWhen);
    }
    this.thumbnails.beforeRender();
  }

  hostUpdated(): void {
    this.thumbnails.afterRender();
  }

  hostDisconnected(): void {
    this.thumbnails.clear();
  }

  /** What `event`'s line (described as `line`) shows below its words. */
  extra(event: SessionEvent, { text, tone }: EventLine) {
    const { review, sessionId } = this.host;
    if (!review || !sessionId) return nothing;
    if (event.type === 'screenshot.taken') {
      const { screenshotId, feed, width, height } = event.data as { screenshotId: string; feed: string; width: number; height: number };
      const url = this.thumbnails.url(review, sessionId, screenshotId);
      const alt = `Screenshot of the ${FEED_WORD[feed] ?? 'feed'} at ${formatTime(event.at)}`;
      return url
        ? html`<a class="shot" href=${url} target="_blank" title="Open the screenshot"><img part="thumbnail" src=${url} alt=${alt} width=${width} height=${height} /></a>`
        : html`<span class="shot loading" style="aspect-ratio: ${width} / ${height}"></span>`;
    }
    if (tone !== 'signal') return nothing;
    const judgement = this.judged.get(event.seq) ?? this.judgedHere.get(event.seq);
    if (judgement) return html`<span class="judgement" part="judgement" data-confirmed=${judgement.confirmed}>${judgement.text}</span>`;
    if (!this.host.judge) return nothing;
    const about = `${text} at ${formatTime(event.occurredAt ?? event.at)}`;
    return html`<span class="judge" part="judge">
      <button aria-label="Confirm “${about}” as incident" @click=${() => this.confirm(event)}>Confirm as incident</button>
      <button aria-label="Dismiss “${about}”" @click=${() => this.dismiss(event.seq, about)}>Dismiss</button>
    </span>`;
  }

  /** The dialogs, once asked for. */
  renderDialogs() {
    const { review, sessionId } = this.host;
    return html`${this.dialogs.flag
      ? html`<proctor-flag-dialog .review=${review} session-id=${sessionId} @proctor-recorded=${this.recorded}></proctor-flag-dialog>`
      : nothing}${this.dialogs.dismiss
      ? html`<proctor-dismiss-dialog .review=${review} session-id=${sessionId} @proctor-recorded=${this.recorded}></proctor-dismiss-dialog>`
      : nothing}`;
  }

  private async confirm(event: SessionEvent): Promise<void> {
    this.judging = event.seq;
    await import('../../shared/review-dialogs/flag-dialog.js');
    this.dialogs.flag = true;
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.host.renderRoot.querySelector('proctor-flag-dialog')!.openFlag(signalFlagDraft(event));
  }

  private async dismiss(seq: number, about: string): Promise<void> {
    this.judging = seq;
    await import('../../shared/review-dialogs/dismiss-dialog.js');
    this.dialogs.dismiss = true;
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.host.renderRoot.querySelector('proctor-dismiss-dialog')!.openDismiss(seq, about);
  }

  private readonly recorded = ({ detail }: CustomEvent<RecordedDetail>) => {
    if (detail.sessionId !== this.host.sessionId) return;
    const confirmed = detail.record === 'flag';
    this.judgedHere.set(this.judging, { text: confirmed ? 'Confirmed as incident' : 'Dismissed', confirmed });
    this.host.requestUpdate();
  };
}

import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { FEEDS, type Feed, type FeedStreams, type ReviewClient, type SessionSummary } from '@proctorkit/core';
import { formatTime } from '../../event-feed/describe-event.js';
import { fire, type RecordedDetail } from '../../shared/events.js';
import '../../shared/review-dialogs/flag-dialog.js';
import { runCommand } from '../../shared/run-command.js';
import { systemTokens } from '../../shared/theme.js';
import { tileFeedState } from '../../tile/tile.component.js';
import { captureFrame } from './capture-frame.js';
import { observationPanelStyles } from './observation-panel.styles.js';

/** The grid makes its review client from this chunk, so pages that never focus a candidate do not load it. */
export { ReviewClient } from '@proctorkit/core';

const FEED_LABEL: Record<Feed, string> = { webcam: 'Webcam', screen: 'Screen', phone: 'Phone' };
const FEED_WORD: Record<Feed, string> = { webcam: 'webcam', screen: 'screen', phone: 'phone camera' };

/**
 * What a supervisor records while watching one candidate: a note at the current time, a
 * screenshot of a feed at the stream's own resolution, and a flag over the last minutes. Each goes
 * into the session's log through the kit's review routes, so the event feed shows it and the
 * report keeps it. `<proctor-grid>` loads it on demand and shows it in the large view's side panel.
 *
 * @tagname proctor-observation-panel
 * @summary Note, screenshot and flag for the candidate in the grid's large view.
 *
 * @event proctor-recorded - A note, screenshot or flag is stored. Detail: `RecordedDetail`.
 */
export class ProctorObservationPanel extends LitElement {
  /** @internal */
  static override styles = [systemTokens, observationPanelStyles];

  /** The candidate's session. */
  @property({ attribute: false }) session?: SessionSummary;

  /** The streams received for the session, by feed: screenshots are taken from them. */
  @property({ attribute: false }) streams: FeedStreams = {};

  /** The server's time as the page estimates it (ms since epoch): notes, screenshots and flags are at it. */
  @property({ attribute: false }) now: () => number = Date.now;

  /** The kit's review routes. Without it, nothing can be recorded. */
  @property({ attribute: false }) review?: ReviewClient;

  /** What is being saved: `note`, a feed's screenshot, or nothing. */
  @state() private saving?: 'note' | Feed;
  @state() private notice?: string | undefined;
  @state() private error?: string | undefined;

  protected override render() {
    const session = this.session;
    if (!session) return nothing;
    const disabled = !this.review;
    return html`<section aria-labelledby="observe-title">
      <div class="head">
        <h2 id="observe-title">Observations</h2>
        <button class="flag" aria-haspopup="dialog" ?disabled=${disabled} @click=${this.openFlag}>Flag incident…</button>
      </div>
      <form class="note" @submit=${this.saveNote}>
        <label for="note">Note at the current time</label>
        <textarea
          id="note"
          name="note"
          rows="2"
          maxlength="1000"
          placeholder="e.g. Looks away to the left, twice."
          aria-describedby="note-hint"
          @keydown=${this.noteKey}
        ></textarea>
        <div class="note-actions">
          <span id="note-hint" class="hint">Enter saves · Shift+Enter: new line</span>
          <button type="submit" class="primary" ?disabled=${disabled || this.saving === 'note'}>Save note</button>
        </div>
      </form>
      <div class="shots" role="group" aria-labelledby="shot-label">
        <span id="shot-label" class="label">Screenshot</span>
        <div class="buttons">
          ${FEEDS.map((feed) => {
            const live = !!this.streams[feed] && tileFeedState(session, feed, this.streams[feed]) === 'live';
            return html`<button
              data-feed=${feed}
              aria-label="Screenshot of the ${FEED_WORD[feed]}"
              title=${live ? `Save the ${FEED_WORD[feed]}’s picture now` : `No video from the ${FEED_WORD[feed]}`}
              ?disabled=${disabled || !live || this.saving === feed}
              @click=${() => this.screenshot(feed)}
            >
              ${FEED_LABEL[feed]}
            </button>`;
          })}
        </div>
      </div>
      <p class="notice ${this.notice ? '' : 'visually-hidden'}" role="status">${this.notice ?? ''}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <proctor-flag-dialog
        .review=${this.review}
        .now=${this.now}
        session-id=${session.sessionId}
        candidate=${session.name}
        @proctor-recorded=${this.flagged}
      ></proctor-flag-dialog>
    </section>`;
  }

  /** Enter saves the note; Shift+Enter (or an input method composing) writes on. */
  private readonly noteKey = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    (event.target as HTMLTextAreaElement).form!.requestSubmit();
  };

  private readonly saveNote = async (event: SubmitEvent) => {
    event.preventDefault();
    const field = (event.target as HTMLFormElement).elements.namedItem('note') as HTMLTextAreaElement;
    const text = field.value.trim();
    if (!text) {
      this.show({ error: 'Write the note first.' });
      field.focus();
      return;
    }
    const at = this.now();
    const saved = await this.save('note', (review, sessionId) => review.addNote(sessionId, at, text), 'note', `Note saved (${formatTime(at)}).`, 'Could not save the note');
    if (saved) field.value = '';
  };

  private async screenshot(feed: Feed): Promise<void> {
    const stream = this.streams[feed];
    if (!stream) return;
    const at = this.now();
    await this.save(
      feed,
      async (review, sessionId) => {
        const frame = await captureFrame(stream);
        return review.addScreenshot(sessionId, { feed, at, ...frame });
      },
      'screenshot',
      `Screenshot of the ${FEED_WORD[feed]} saved (${formatTime(at)}).`,
      `Could not save the screenshot of the ${FEED_WORD[feed]}`,
    );
  }

  private readonly openFlag = () => {
    const session = this.session!;
    const feeds = FEEDS.filter((feed) => tileFeedState(session, feed, this.streams[feed]) === 'live');
    this.renderRoot.querySelector('proctor-flag-dialog')!.openFlag({ feeds });
  };

  private readonly flagged = () => this.show({ notice: 'Flag saved.' });

  /** Saves one record and says how it went; resolves whether it was stored. */
  private async save(
    saving: 'note' | Feed,
    write: (review: ReviewClient, sessionId: string) => Promise<{ seq: number }>,
    record: RecordedDetail['record'],
    done: string,
    failed: string,
  ): Promise<boolean> {
    const sessionId = this.session!.sessionId;
    this.saving = saving;
    const saved = await runCommand(
      ({ notice, error }) => this.show({ notice, error: error && `${failed}: ${error}` }),
      async () => {
        const { seq } = await write(this.review!, sessionId);
        fire(this, 'proctor-recorded', { sessionId, record, seq });
      },
      () => done,
    );
    this.saving = undefined;
    return saved;
  }

  private show({ notice, error }: { notice?: string | undefined; error?: string | undefined }): void {
    this.notice = notice;
    this.error = error;
  }
}

if (!customElements.get('proctor-observation-panel')) customElements.define('proctor-observation-panel', ProctorObservationPanel);

declare global {
  interface HTMLElementTagNameMap {
    'proctor-observation-panel': ProctorObservationPanel;
  }
}

import { LitElement, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { ReviewClient } from '@proctorkit/core';
import { ReviewDialogController } from './review-dialog.js';
import { reviewDialogStyles } from './review-dialog.styles.js';

/**
 * "Dismiss this signal": judges an integrity signal no incident, with an optional comment, through
 * the kit's review routes. The signal stays in the log, marked as dismissed.
 *
 * @tagname proctor-dismiss-dialog
 * @summary A modal form that dismisses an integrity signal.
 *
 * @event proctor-recorded - The dismissal is stored. Detail: `RecordedDetail` (`record: 'dismissal'`).
 */
export class ProctorDismissDialog extends LitElement {
  /** @internal */
  static override styles = reviewDialogStyles;

  /** The kit's review routes. */
  @property({ attribute: false }) review?: ReviewClient;

  /** The session of the signal. */
  @property({ attribute: 'session-id' }) sessionId = '';

  private readonly dialog = new ReviewDialogController(this);
  private signal = { seq: 0, text: '' };

  /** Opens the dialog for the signal logged at `seq`, which `text` describes ("Page hidden at 10:42:03"). */
  openDismiss(seq: number, text: string): void {
    this.signal = { seq, text };
    this.dialog.open();
  }

  protected override render() {
    const { busy, error, opening } = this.dialog;
    return html`<dialog aria-labelledby="dismiss-title" aria-describedby="dismiss-text" @close=${this.dialog.closed}>
      ${keyed(
        opening,
        opening
          ? html`<form novalidate @submit=${this.submit}>
              <h2 id="dismiss-title">Dismiss this signal?</h2>
              <p id="dismiss-text">“${this.signal.text}” stays in the log, marked as no incident.</p>
              <label for="comment">Comment <span class="optional">(optional)</span></label>
              <textarea id="comment" name="comment" rows="2" maxlength="500" autofocus></textarea>
              ${error ? html`<p class="error" role="alert">${error}</p>` : nothing}
              <div class="dialog-actions">
                <button type="button" @click=${() => this.dialog.dialog?.close()}>Cancel</button>
                <button type="submit" class="primary" ?disabled=${busy}>Dismiss signal</button>
              </div>
            </form>`
          : nothing,
      )}
    </dialog>`;
  }

  private readonly submit = (event: SubmitEvent) => {
    event.preventDefault();
    const comment = String(new FormData(event.target as HTMLFormElement).get('comment') ?? '').trim();
    void this.dialog.record('dismissal', (review, sessionId) => review.dismissSignal(sessionId, this.signal.seq, comment || undefined));
  };
}

if (!customElements.get('proctor-dismiss-dialog')) customElements.define('proctor-dismiss-dialog', ProctorDismissDialog);

declare global {
  interface HTMLElementTagNameMap {
    'proctor-dismiss-dialog': ProctorDismissDialog;
  }
}

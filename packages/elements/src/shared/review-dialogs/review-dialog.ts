import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ReviewClient } from '@proctorkit/core';
import { fire, type RecordedDetail } from '../events.js';

/** The element that has keyboard focus, looking into open shadow roots. */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active as HTMLElement | null;
}

/** What a review dialog's element gives its controller. */
export interface ReviewDialogHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  review?: ReviewClient | undefined;
  sessionId: string;
}

/**
 * A modal `<dialog>` that records one thing through the kit's review routes: opens it with the
 * form afresh, shows the kit's refusal inline, fires `proctor-recorded` once stored, closes and
 * gives focus back to what opened it. Esc closes it natively (the grid stays in its large view).
 */
export class ReviewDialogController implements ReactiveController {
  busy = false;
  error?: string | undefined;
  /** Bumped on each opening: the host keys its form on it, so each opening starts from the defaults. */
  opening = 0;
  private returnFocusTo?: HTMLElement | null;
  private showOnUpdate = false;

  constructor(private readonly host: ReviewDialogHost) {
    host.addController(this);
  }

  get dialog(): HTMLDialogElement | null {
    return this.host.renderRoot.querySelector('dialog');
  }

  open(): void {
    this.returnFocusTo = deepActiveElement();
    this.error = undefined;
    this.opening += 1;
    this.showOnUpdate = true;
    this.host.requestUpdate();
  }

  hostUpdated(): void {
    const dialog = this.dialog;
    if (!this.showOnUpdate || !dialog) return;
    this.showOnUpdate = false;
    if (!dialog.open) dialog.showModal();
    this.host.renderRoot.querySelector<HTMLElement>('[autofocus]')?.focus();
  }

  /** For the dialog's `close` event. */
  readonly closed = () => {
    this.returnFocusTo?.focus();
    this.returnFocusTo = undefined;
  };

  /** Shows why the form cannot be sent. */
  refuse(message: string): void {
    this.error = message;
    this.host.requestUpdate();
  }

  /** Records through `save`; once stored, fires `proctor-recorded` and closes. */
  async record(record: RecordedDetail['record'], save: (review: ReviewClient, sessionId: string) => Promise<{ seq: number }>): Promise<void> {
    const { review, sessionId } = this.host;
    if (!review || !sessionId) return this.refuse('Cannot save: this page has no connection to the review service.');
    this.set(true, undefined);
    try {
      const { seq } = await save(review, sessionId);
      this.set(false, undefined);
      fire(this.host, 'proctor-recorded', { sessionId, record, seq });
      this.dialog?.close();
    } catch (error) {
      this.set(false, error instanceof Error ? error.message : String(error));
    }
  }

  private set(busy: boolean, error: string | undefined): void {
    this.busy = busy;
    this.error = error;
    this.host.requestUpdate();
  }
}

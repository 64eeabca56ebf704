import { LitElement, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import {
  FEEDS,
  FLAG_REASONS,
  FLAG_REASON_LABELS,
  FLAG_SEVERITIES,
  type Feed,
  type FlagInput,
  type FlagReason,
  type FlagSeverity,
  type ReviewClient,
} from '@proctorkit/core';
import { formatTime } from '../../event-feed/describe-event.js';
import { ReviewDialogController } from './review-dialog.js';
import { reviewDialogStyles } from './review-dialog.styles.js';

/** What a flag starts from when the dialog opens. */
export interface FlagDraft {
  /** With `to`, the incident's time range (server time); without, it covers some minutes up to `now()`. */
  from?: number;
  to?: number;
  /** The feeds checked at first. */
  feeds?: readonly Feed[];
  reason?: FlagReason;
  severity?: FlagSeverity;
  /** The integrity signal this flag confirms (its log `seq`). */
  signalSeq?: number;
}

const FEED_LABEL: Record<Feed, string> = { webcam: 'Webcam', screen: 'Screen', phone: 'Phone camera' };
const SEVERITY_LABEL: Record<FlagSeverity, string> = { low: 'Low', medium: 'Medium', high: 'High' };
/** Minutes a flag covers by default, up to the moment the dialog opened. */
const DEFAULT_MINUTES = 2;
/** The longest a flag may cover, minutes (the kit refuses more than a day). */
const MAX_MINUTES = 24 * 60;

/**
 * "Flag an incident": severity, reason, details (required for "Other"), feeds and time range, saved
 * with the kit's review routes. Opened by the grid's large view (the last minutes up to now) and by
 * the event feed's "Confirm as incident" (prefilled from the signal).
 *
 * @tagname proctor-flag-dialog
 * @summary A modal form that marks an incident on a session.
 *
 * @event proctor-recorded - The flag is stored. Detail: `RecordedDetail` (`record: 'flag'`).
 */
export class ProctorFlagDialog extends LitElement {
  /** @internal */
  static override styles = reviewDialogStyles;

  /** The kit's review routes. */
  @property({ attribute: false }) review?: ReviewClient;

  /** The session flagged. */
  @property({ attribute: 'session-id' }) sessionId = '';

  /** The candidate's name, in the title. */
  @property() candidate = '';

  /** The server's time as the page estimates it (ms since epoch): the end of a flag with no range given. */
  @property({ attribute: false }) now: () => number = Date.now;

  private readonly dialog = new ReviewDialogController(this);
  private draft: FlagDraft & { to: number } = { to: 0 };
  private invalid?: 'reason' | 'text' | 'feeds' | 'minutes';

  /** Opens the dialog with a fresh form, prefilled from `draft`. */
  openFlag(draft: FlagDraft = {}): void {
    // The kit takes whole ms; a signal's time, the server's as its page estimated it, may not be.
    this.draft = { ...draft, ...(draft.from === undefined ? {} : { from: Math.round(draft.from) }), to: Math.round(draft.to ?? this.now()) };
    this.invalid = undefined;
    this.dialog.open();
  }

  protected override render() {
    const { busy, error, opening } = this.dialog;
    return html`<dialog aria-labelledby="flag-title" @close=${this.dialog.closed}>
      ${keyed(opening, opening ? this.renderForm(busy, error) : nothing)}
    </dialog>`;
  }

  private renderForm(busy: boolean, error: string | undefined) {
    const { draft, invalid } = this;
    const severity = draft.severity ?? 'medium';
    const feeds = new Set(draft.feeds ?? []);
    const fixed = draft.from !== undefined;
    return html`<form novalidate @submit=${this.submit}>
      <h2 id="flag-title">Flag an incident${this.candidate ? html` · ${this.candidate}` : nothing}</h2>
      <label for="reason">Reason</label>
      <select id="reason" name="reason" autofocus aria-invalid=${invalid === 'reason' ? 'true' : 'false'}>
        <option value="" ?selected=${!draft.reason}>Choose a reason…</option>
        ${FLAG_REASONS.map((r) => html`<option value=${r} ?selected=${r === draft.reason}>${FLAG_REASON_LABELS[r]}</option>`)}
      </select>
      <label for="text">Details <span class="optional">(required for “Other”)</span></label>
      <textarea id="text" name="text" rows="2" maxlength="500" aria-invalid=${invalid === 'text' ? 'true' : 'false'}></textarea>
      <fieldset>
        <legend>Severity</legend>
        ${FLAG_SEVERITIES.map(
          (s) => html`<label><input type="radio" name="severity" value=${s} ?checked=${s === severity} />${SEVERITY_LABEL[s]}</label>`,
        )}
      </fieldset>
      <fieldset aria-invalid=${invalid === 'feeds' ? 'true' : 'false'}>
        <legend>Feeds</legend>
        ${FEEDS.map((f) => html`<label><input type="checkbox" name="feeds" value=${f} ?checked=${feeds.has(f)} />${FEED_LABEL[f]}</label>`)}
      </fieldset>
      ${fixed
        ? html`<span class="label">When</span>
            <p class="range">From ${formatTime(draft.from!)} to ${formatTime(draft.to)}${draft.signalSeq ? ', around the signal' : ''}.</p>`
        : html`<label for="minutes">When</label>
          <div class="range">
            <input
              id="minutes"
              name="minutes"
              type="number"
              min="1"
              max=${MAX_MINUTES}
              step="1"
              inputmode="numeric"
              value=${DEFAULT_MINUTES}
              aria-describedby="range-end"
              aria-invalid=${invalid === 'minutes' ? 'true' : 'false'}
            />
            <span id="range-end">minutes up to ${formatTime(draft.to)}</span>
          </div>`}
      ${error ? html`<p class="error" role="alert">${error}</p>` : nothing}
      <div class="dialog-actions">
        <button type="button" @click=${() => this.dialog.dialog?.close()}>Cancel</button>
        <button type="submit" class="primary" ?disabled=${busy}>Save flag</button>
      </div>
    </form>`;
  }

  private readonly submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const values = new FormData(form);
    const reason = String(values.get('reason') ?? '') as FlagReason | '';
    const text = String(values.get('text') ?? '').trim();
    const feeds = values.getAll('feeds') as Feed[];
    const minutes = Number(values.get('minutes'));
    const { draft } = this;
    const from = draft.from ?? draft.to - minutes * 60_000;
    const problem: [typeof this.invalid, string] | undefined =
      draft.from === undefined && !(Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_MINUTES)
        ? ['minutes', `Enter whole minutes from 1 to ${MAX_MINUTES}.`]
        : !reason
          ? ['reason', 'Choose a reason.']
          : reason === 'other' && !text
            ? ['text', 'Say what happened: the reason is “Other”.']
            : feeds.length === 0
              ? ['feeds', 'Check at least one feed.']
              : undefined;
    this.invalid = problem?.[0];
    if (problem) {
      this.dialog.refuse(problem[1]);
      form.querySelector<HTMLElement>(`[name="${problem[0]}"]`)?.focus();
      return;
    }
    const flag: FlagInput = {
      from,
      to: draft.to,
      feeds,
      severity: values.get('severity') as FlagSeverity,
      reason: reason as FlagReason,
      ...(text ? { text } : {}),
      ...(draft.signalSeq ? { signalSeq: draft.signalSeq } : {}),
    };
    void this.dialog.record('flag', (review, sessionId) => review.addFlag(sessionId, flag));
  };
}

if (!customElements.get('proctor-flag-dialog')) customElements.define('proctor-flag-dialog', ProctorFlagDialog);

declare global {
  interface HTMLElementTagNameMap {
    'proctor-flag-dialog': ProctorFlagDialog;
  }
}

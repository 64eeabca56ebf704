import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { SessionEvent, SessionSummary } from '@proctorkit/core';
import { formatTime } from '../event-feed/describe-event.js';
import { systemTokens } from '../shared/theme.js';
import { clockPhase } from '../tile/clock.js';
import { controlsStyles, dialogStyles } from './controls.styles.js';
import { runCommand } from '../shared/run-command.js';

/**
 * What `<proctor-controls>` carries its commands out with. A `SupervisorRoom` of
 * `@proctorkit/core` and a `<proctor-grid>` both are one. Each resolves with the sessions it
 * applied to and rejects with a `ProctorError` (code `command-refused`) whose message says why.
 */
export interface SessionCommands {
  pause(sessionId: string): Promise<string[]>;
  resume(sessionId: string): Promise<string[]>;
  extend(sessionId: string, minutes: number): Promise<string[]>;
  message(sessionId: string, text: string): Promise<string[]>;
  terminate(sessionId: string, reason: string): Promise<string[]>;
  /** Asks the candidate to show the room with the paired phone. Without it, the controls offer no room scan. */
  requestRoomScan?(sessionId: string): Promise<string[]>;
}

/** Why a room scan can or cannot be asked for, by the phone feed's state. */
const ROOM_SCAN_HINT = {
  off: 'No phone paired: the candidate pairs one from the exam page.',
  live: 'The phone asks the candidate to show the room; watch the phone feed.',
  lost: 'The phone is disconnected: it shows the request when it reconnects.',
} as const;

/** Minutes offered as one-click extensions. */
const QUICK_MINUTES = [5, 10, 15] as const;
/** Sent messages listed with their acknowledgement. */
const MESSAGES_SHOWN = 3;

interface SentMessage {
  messageId: string;
  text: string;
  at: number;
  by?: string;
  seen: boolean;
}

/** The supervisor messages of a session's events, newest first, with whether the candidate saw each. */
function sentMessages(events: readonly SessionEvent[]): SentMessage[] {
  const seen = new Set(events.filter((e) => e.type === 'message.acked').map((e) => String(e.data.messageId)));
  return events
    .filter((e) => e.type === 'message.sent')
    .map((e) => {
      const messageId = String(e.data.messageId);
      return { messageId, text: String(e.data.text ?? ''), at: e.at, seen: seen.has(messageId), ...(e.by ? { by: e.by } : {}) };
    })
    .reverse();
}

/**
 * A supervisor's controls for one candidate: pause or resume the exam, add time, send a message
 * (and see when the candidate has seen it), ask for a room scan with the paired phone, end the
 * exam with a reason. `<proctor-grid>` shows
 * them beside the focused candidate; a page can place them itself with a `session`, its `events`
 * and `commands`.
 *
 * Ending an exam asks for a reason, which the candidate sees, in a dialog that is the
 * confirmation. Errors of refused commands show inline.
 *
 * @tagname proctor-controls
 * @summary Pause / resume, add time, message, room scan and end the exam of one candidate.
 *
 * @csspart actions - The pause / resume and end buttons.
 * @csspart extend - The "Add time" group.
 * @csspart message - The message form.
 * @csspart room-scan - "Ask for a room scan", with why it is unavailable when no phone is paired.
 * @csspart messages - The messages sent, with "Seen ✓" once acknowledged.
 * @csspart error - A refused command's message.
 * @csspart dialog - The "End exam" dialog.
 *
 * @cssproperty --proctor-color-accent=#2563eb - The send button and focus rings.
 * @cssproperty --proctor-color-danger=#dc2626 - The end exam button.
 */
export class ProctorControls extends LitElement {
  /** @internal */
  static override styles = [systemTokens, dialogStyles, controlsStyles];

  /** The candidate's session. */
  @property({ attribute: false }) session?: SessionSummary;

  /** The session's events, oldest first: the messages sent and their acknowledgements come from them. */
  @property({ attribute: false }) events: readonly SessionEvent[] = [];

  /** Carries the commands out: a `SupervisorRoom` or a `<proctor-grid>`. Without it, the controls are disabled. */
  @property({ attribute: false }) commands?: SessionCommands;

  @state() private busy = false;
  @state() private error?: string;
  @state() private notice?: string;
  @state() private reasonMissing = false;
  @state() private terminateError?: string;

  @query('dialog') private dialog!: HTMLDialogElement;
  @query('#reason') private reasonField!: HTMLTextAreaElement;

  protected override willUpdate(changed: PropertyValues<this>): void {
    const before = changed.get('session') as SessionSummary | undefined;
    if (before && before.sessionId !== this.session?.sessionId) {
      this.error = this.notice = this.terminateError = undefined;
      this.reasonMissing = false;
    }
  }

  /** Opens the "End exam" dialog, as the "End exam…" button does. */
  openTerminate(): void {
    if (!this.session || this.dialog.open) return;
    this.reasonMissing = false;
    this.terminateError = undefined;
    this.reasonField.value = '';
    this.dialog.showModal();
    this.reasonField.focus();
  }

  protected override render() {
    const session = this.session;
    if (!session) return nothing;
    const phase = clockPhase(session.clock);
    const disabled = this.busy || !this.commands;
    const messages = sentMessages(this.events).slice(0, MESSAGES_SHOWN);
    return html`
      ${phase === 'ended'
        ? html`<p class="ended" tabindex="-1">This exam has ended${session.clock.endReason === 'terminated' ? ' (ended by a supervisor)' : ''}.</p>`
        : html`
            <div class="actions" part="actions">
              ${phase === 'paused'
                ? html`<button class="pause" ?disabled=${disabled} @click=${() => this.run(() => this.commands!.resume(session.sessionId), 'Exam resumed.')}>
                    Resume exam
                  </button>`
                : html`<button
                    class="pause"
                    ?disabled=${disabled || phase !== 'running'}
                    title=${phase === 'not-started' ? 'The candidate has not started yet' : nothing}
                    @click=${() => this.run(() => this.commands!.pause(session.sessionId), 'Exam paused.')}
                  >
                    Pause exam
                  </button>`}
              <button class="end danger" ?disabled=${disabled} aria-haspopup="dialog" @click=${() => this.openTerminate()}>End exam…</button>
            </div>
            <fieldset class="extend" part="extend" ?disabled=${disabled}>
              <legend>Add time (minutes)</legend>
              ${QUICK_MINUTES.map(
                (minutes) =>
                  html`<button aria-label="Add ${minutes} minutes" @click=${() => this.extend(session.sessionId, minutes)}>+${minutes}</button>`,
              )}
              <form class="custom" novalidate @submit=${(event: SubmitEvent) => this.submitMinutes(event, session.sessionId)}>
                <label class="visually-hidden" for="minutes">Minutes to add</label>
                <input id="minutes" name="minutes" type="number" min="1" max="600" step="1" inputmode="numeric" placeholder="min" />
                <button type="submit">Add</button>
              </form>
            </fieldset>
            ${this.commands?.requestRoomScan ? this.renderRoomScan(session, disabled) : nothing}
            <form class="message" part="message" @submit=${(event: SubmitEvent) => this.submitMessage(event, session.sessionId)}>
              <label for="message">Message to ${session.name}</label>
              <textarea
                id="message"
                name="text"
                rows="2"
                maxlength="1000"
                placeholder="e.g. Please keep your face in view of the camera."
                @keydown=${(event: KeyboardEvent) => {
                  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) (event.target as HTMLTextAreaElement).form!.requestSubmit();
                }}
              ></textarea>
              <button class="primary" type="submit" ?disabled=${disabled}>Send</button>
            </form>
          `}
      ${messages.length > 0
        ? html`<ul class="messages" part="messages" aria-label="Messages sent">
            ${messages.map(
              (m) => html`<li data-message=${m.messageId}>
                <span class="message-text">“${m.text}”</span>
                <span class="meta">${m.by ? `${m.by}, ` : ''}${formatTime(m.at)} ·
                  ${m.seen ? html`<span class="seen">Seen ✓</span>` : html`<span class="sent">Not seen yet</span>`}</span
                >
              </li>`,
            )}
          </ul>`
        : nothing}
      <p class="notice ${this.notice ? '' : 'visually-hidden'}" role="status">${this.notice ?? ''}</p>
      ${this.error ? html`<p class="error" part="error" role="alert">${this.error}</p>` : nothing}
      ${this.renderDialog(session)}
    `;
  }

  private renderRoomScan(session: SessionSummary, disabled: boolean) {
    const phone = session.feeds.phone;
    return html`<div class="room-scan" part="room-scan">
      <button
        class="scan"
        ?disabled=${disabled || phone === 'off'}
        aria-describedby="room-scan-hint"
        @click=${() => this.run(() => this.commands!.requestRoomScan!(session.sessionId), 'Room scan requested: watch the phone feed.')}
      >
        Ask for a room scan
      </button>
      <span id="room-scan-hint" class="hint">${ROOM_SCAN_HINT[phone]}</span>
    </div>`;
  }

  private renderDialog(session: SessionSummary) {
    return html`<dialog part="dialog" aria-labelledby="terminate-title" aria-describedby="terminate-text" @close=${this.dialogClosed}>
      <form novalidate @submit=${(event: SubmitEvent) => this.submitTerminate(event, session.sessionId)}>
        <h2 id="terminate-title">End ${session.name}’s exam?</h2>
        <p id="terminate-text">The exam ends now and capture stops. ${session.name} sees your reason. This cannot be undone.</p>
        <label for="reason">Reason, shown to the candidate</label>
        <textarea
          id="reason"
          name="reason"
          rows="3"
          maxlength="500"
          required
          aria-invalid=${this.reasonMissing ? 'true' : 'false'}
          aria-describedby=${this.reasonMissing ? 'reason-missing' : nothing}
          @input=${() => (this.reasonMissing = false)}
        ></textarea>
        ${this.reasonMissing ? html`<p id="reason-missing" class="error">Enter a reason: the candidate sees it.</p>` : nothing}
        ${this.terminateError ? html`<p class="error" role="alert">${this.terminateError}</p>` : nothing}
        <div class="dialog-actions">
          <button type="button" @click=${() => this.dialog.close()}>Cancel</button>
          <button type="submit" class="danger solid" ?disabled=${this.busy}>End exam</button>
        </div>
      </form>
    </dialog>`;
  }

  private readonly dialogClosed = () => {
    this.reasonMissing = false;
    this.terminateError = undefined;
    // Back to the button that opened it; once the exam has ended, to the line that says so.
    this.renderRoot.querySelector<HTMLElement>('.end, .ended')?.focus();
  };

  private run(action: () => Promise<unknown>, done: string): Promise<boolean> {
    return runCommand((status) => Object.assign(this, status), action, () => done);
  }

  private extend(sessionId: string, minutes: number): Promise<boolean> {
    return this.run(() => this.commands!.extend(sessionId, minutes), `Added ${minutes} min.`);
  }

  private async submitMinutes(event: SubmitEvent, sessionId: string): Promise<void> {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('minutes') as HTMLInputElement;
    const minutes = Number(input.value);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 600) {
      this.notice = undefined;
      this.error = 'Enter whole minutes from 1 to 600.';
      input.focus();
      return;
    }
    if (await this.extend(sessionId, minutes)) input.value = '';
  }

  private async submitMessage(event: SubmitEvent, sessionId: string): Promise<void> {
    event.preventDefault();
    const field = (event.target as HTMLFormElement).elements.namedItem('text') as HTMLTextAreaElement;
    const text = field.value.trim();
    if (!text) {
      this.notice = undefined;
      this.error = 'Write a message first.';
      field.focus();
      return;
    }
    if (await this.run(() => this.commands!.message(sessionId, text), 'Message sent.')) field.value = '';
  }

  private async submitTerminate(event: SubmitEvent, sessionId: string): Promise<void> {
    event.preventDefault();
    const reason = this.reasonField.value.trim();
    if (!reason) {
      this.reasonMissing = true;
      this.reasonField.focus();
      return;
    }
    this.terminateError = undefined;
    this.busy = true;
    try {
      await this.commands!.terminate(sessionId, reason);
      this.notice = 'Exam ended.';
      this.dialog.close();
    } catch (error) {
      this.terminateError = error instanceof Error ? error.message : String(error);
    } finally {
      this.busy = false;
    }
  }
}

import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { RoomState } from '@proctorkit/core';

/** What the room commands act through: the grid's own methods. */
export interface RoomCommandsHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  pauseAll(): Promise<string[]>;
  resumeAll(): Promise<string[]>;
  extendAll(minutes: number): Promise<string[]>;
}

/** The room-wide commands that ask first, in a dialog. */
type RoomDialog = 'pause-all' | 'extend-all';

/** How long a room command's notice stays, ms. */
const NOTICE_MS = 8000;

function candidates(count: number): string {
  return `${count} candidate${count === 1 ? '' : 's'}`;
}

/**
 * "Pause all", "Resume all" and "Extend all…" of the grid's toolbar: the confirmation and minutes
 * dialogs, the busy state, and a notice or the error once done.
 */
export class RoomCommands implements ReactiveController {
  private dialog?: RoomDialog;
  private busy = false;
  private notice?: string;
  private error?: string;
  private noticeTimer?: ReturnType<typeof setTimeout>;

  constructor(private readonly host: RoomCommandsHost) {
    host.addController(this);
  }

  hostUpdated(): void {
    const dialog = this.dialogElement();
    if (this.dialog && dialog && !dialog.open) dialog.showModal();
  }

  hostDisconnected(): void {
    clearTimeout(this.noticeTimer);
  }

  /** The toolbar's buttons. */
  renderButtons(state: RoomState) {
    const enabled = state.connection === 'open' && !this.busy && state.sessions.some((s) => s.status !== 'ended');
    const anyPaused = state.sessions.some((s) => s.clock.pausedAt !== null && s.clock.endedAt === null);
    return html`<div class="room-commands" role="group" aria-label="Every candidate">
      <button class="pause-all" ?disabled=${!enabled} aria-haspopup="dialog" @click=${() => this.open('pause-all')}>Pause all</button>
      <button class="resume-all" ?disabled=${!enabled || !anyPaused} @click=${() => this.run(() => this.host.resumeAll(), (n) => `Resumed the exam for ${n}.`)}>
        Resume all
      </button>
      <button class="extend-all" ?disabled=${!enabled} aria-haspopup="dialog" @click=${() => this.open('extend-all')}>Extend all…</button>
    </div>`;
  }

  /** What the last command did, or why it was refused (when no dialog shows it). */
  renderFeedback() {
    return html`<p class="room-notice ${this.notice ? '' : 'visually-hidden'}" role="status">${this.notice ?? ''}</p>
      ${this.error && !this.dialog ? html`<p class="error room-error" role="alert">${this.error}</p>` : nothing}`;
  }

  /** The dialog, rendered always so that it can be opened as a modal. */
  renderDialog(state: RoomState) {
    const everyone = candidates(state.sessions.filter((s) => s.status !== 'ended').length);
    const error = this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing;
    let content: unknown = nothing;
    if (this.dialog === 'pause-all') {
      content = html`<form @submit=${this.submitPauseAll}>
        <h2 id="room-dialog-title">Pause the exam for everyone?</h2>
        <p>The clocks of all ${everyone} stop and their exam is hidden until you resume. Use this when a technical problem affects everyone.</p>
        ${error}
        <div class="dialog-actions">
          <button type="button" autofocus @click=${this.close}>Cancel</button>
          <button type="submit" class="primary" ?disabled=${this.busy}>Pause all</button>
        </div>
      </form>`;
    } else if (this.dialog === 'extend-all') {
      content = html`<form novalidate @submit=${this.submitExtendAll}>
        <h2 id="room-dialog-title">Add time for everyone</h2>
        <p>Adds the same time to the exam of all ${everyone}, for example after a technical problem.</p>
        <label for="extend-all-minutes">Minutes to add</label>
        <input id="extend-all-minutes" name="minutes" type="number" min="1" max="600" step="1" value="10" inputmode="numeric" autofocus />
        ${error}
        <div class="dialog-actions">
          <button type="button" @click=${this.close}>Cancel</button>
          <button type="submit" class="primary" ?disabled=${this.busy}>Add time</button>
        </div>
      </form>`;
    }
    return html`<dialog class="room" part="dialog" aria-labelledby="room-dialog-title" @close=${this.closed}>${content}</dialog>`;
  }

  private dialogElement(): HTMLDialogElement | null {
    return this.host.renderRoot.querySelector('dialog.room');
  }

  private open(dialog: RoomDialog): void {
    this.error = undefined;
    this.dialog = dialog;
    this.host.requestUpdate();
  }

  private readonly close = () => this.dialogElement()?.close();

  private readonly closed = () => {
    const opener = this.dialog;
    this.dialog = undefined;
    this.error = undefined;
    this.host.requestUpdate();
    if (opener) this.host.renderRoot.querySelector<HTMLElement>(`.${opener}`)?.focus();
  };

  private readonly submitPauseAll = async (event: SubmitEvent) => {
    event.preventDefault();
    if (await this.run(() => this.host.pauseAll(), (n) => `Paused the exam for ${n}.`)) this.close();
  };

  private readonly submitExtendAll = async (event: SubmitEvent) => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('minutes') as HTMLInputElement;
    const minutes = Number(input.value);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 600) {
      this.error = 'Enter whole minutes from 1 to 600.';
      this.host.requestUpdate();
      input.focus();
      return;
    }
    if (await this.run(() => this.host.extendAll(minutes), (n) => `Added ${minutes} min for ${n}.`)) this.close();
  };

  /** Runs a command: busy while it runs, then a notice or the error. */
  private async run(command: () => Promise<string[]>, done: (candidates: string) => string): Promise<boolean> {
    this.busy = true;
    this.error = undefined;
    this.host.requestUpdate();
    try {
      const sessionIds = await command();
      clearTimeout(this.noticeTimer);
      this.notice = done(candidates(sessionIds.length));
      this.noticeTimer = setTimeout(() => {
        this.notice = undefined;
        this.host.requestUpdate();
      }, NOTICE_MS);
      return true;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      return false;
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }
}

import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { repeat } from 'lit/directives/repeat.js';
import {
  ProctorError,
  SupervisorRoom,
  clampPage,
  gridColumns,
  pageCount,
  pageItems,
  type FeedStats,
  type FeedStreams,
  type ReviewClient,
  type RoomState,
  type SessionSummary,
} from '@proctorkit/core';
import '../controls/controls.js';
import { darkControlStyles, dialogStyles } from '../controls/controls.styles.js';
import '../event-feed/event-feed.js';
import '../identity-review/identity-review.js';
import { fire, type CommandDetail, type EventSelectDetail } from '../shared/events.js';
import { ReadableController } from '../shared/readable-controller.js';
import { systemTokens } from '../shared/theme.js';
import '../tile/tile.js';
import { gridStyles } from './grid.styles.js';
import { RoomCommands } from './room-commands.js';

const CONNECTION_LABEL: Record<RoomState['connection'], string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
};

const STATUS_WORD: Record<SessionSummary['status'], string> = {
  connecting: 'connecting',
  preparing: 'preparing',
  live: 'live',
  'feed-lost': 'feed lost',
  offline: 'offline',
  ended: 'ended',
};

/** The large view's note, screenshot and flag, loaded the first time a candidate is focused. */
const loadObservations = () => import('./observation/observation-panel.js');

/** Whether an Escape pressed at `path` is for something else than leaving the large view. */
function escapeIsTaken(path: EventTarget[]): boolean {
  return path.some(
    (node) =>
      node instanceof HTMLDialogElement ||
      ((node instanceof HTMLTextAreaElement || node instanceof HTMLInputElement) && node.value !== ''),
  );
}

/**
 * The supervisor's live wall: a tile per candidate with webcam, screen and phone, time left and
 * new integrity signals, a page at a time, beside the room's event feed. Only the candidates on
 * the visible page are received; focusing one (click, Enter or Space, or a line of the event
 * feed) shows it large at full quality with its controls (pause / resume, add time, message, room
 * scan, end the exam), what the supervisor records about it (a note, a screenshot of a feed, a
 * flag; integrity signals confirmed as incidents or dismissed from the event log) and its whole
 * event log, until Esc. The toolbar pauses, resumes or extends every
 * candidate at once, for a technical problem that hits everyone.
 *
 * Commands are also methods (`pause`, `extend`, `pauseAll`…); each resolves with the sessions it
 * applied to, fires `proctor-command`, and rejects with a `ProctorError` (code `command-refused`).
 *
 * @tagname proctor-grid
 * @summary Live tiles of up to `page-size` candidates per page, with paging, focus, controls and event feeds.
 *
 * @event proctor-focus - A candidate was focused or the grid returned. Detail: `FocusDetail`.
 * @event proctor-page - Another page is shown. Detail: `PageDetail`.
 * @event proctor-connection - The control channel's state changed. Detail: `ConnectionDetail`.
 * @event proctor-session-error - The token was refused. Detail: `SessionErrorDetail`.
 * @event proctor-command - A supervisor's command was carried out (from the controls or a method). Detail: `CommandDetail`.
 * @event proctor-recorded - The supervisor recorded a note, a screenshot, a flag or a signal's dismissal. Detail: `RecordedDetail`.
 *
 * @csspart toolbar - The bar with the counts, connection state, room commands and pager.
 * @csspart tiles - The grid of tiles.
 * @csspart tile - Each `<proctor-tile>`.
 * @csspart room-feed - The panel with the room's event feed.
 * @csspart side - The focused candidate's panel: controls and event feed.
 * @csspart controls - The focused candidate's `<proctor-controls>`.
 * @csspart observations - The focused candidate's note, screenshot and flag (`<proctor-observation-panel>`).
 * @csspart identity - The focused candidate's `<proctor-identity-review>` (only with an identity check).
 * @csspart dialog - The dialogs of "Pause all" and "Extend all".
 *
 * @cssproperty --proctor-grid-gap=8px - Space between tiles.
 * @cssproperty --proctor-grid-background=#030712 - Background of the wall.
 * @cssproperty --proctor-grid-color=#e5e7eb - Text color of the wall.
 * @cssproperty --proctor-grid-panel-width=21rem - Width of the event feed and the focused candidate's panel.
 * @cssproperty --proctor-color-accent=#2563eb - Focus rings.
 */
export class ProctorGrid extends LitElement {
  /** @internal */
  static override styles = [systemTokens, darkControlStyles, dialogStyles, gridStyles];

  /** Where the server kit's router is mounted, e.g. `/proctor`. */
  @property() server = '';

  /** A supervisor token from the host's server. */
  @property() token = '';

  /** Candidates per page. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 16;

  /** The page shown, 0-based. */
  @property({ type: Number }) page = 0;

  /** The focused candidate's session id, shown large; `undefined` shows the grid. */
  @state() private focusedId?: string;
  /** Whether the room's event feed is shown beside the tiles. */
  @state() private roomFeedOpen = true;

  private room?: SupervisorRoom;
  /** The kit's review routes for notes, screenshots and flags; made once the large view's chunk has loaded. */
  @state() private review?: ReviewClient;
  private readonly roomState = new ReadableController<RoomState>(this);
  private readonly streams = new ReadableController<ReadonlyMap<string, FeedStreams>>(this);
  private lastConnection?: RoomState['connection'];
  private lastError?: unknown;
  private restoreFocusTo?: string;
  private moveFocusToView = false;
  private namesOf?: readonly SessionSummary[];
  private names: ReadonlyMap<string, string> = new Map();
  private readonly roomCommands = new RoomCommands(this);
  /** The server's time as the room estimates it, for the tiles' clocks. */
  private readonly serverNow = () => this.room?.serverNow() ?? Date.now();

  /** Every session the supervisor may watch, in grid order. */
  get sessions(): readonly SessionSummary[] {
    return this.roomState.value?.sessions ?? [];
  }

  /** How many pages the sessions fill. */
  get pageCount(): number {
    return pageCount(this.sessions.length, this.pageSize);
  }

  /**
   * Per candidate and feed on the visible page: `{ candidateId, feed, state, framesDecoded, width, height }`,
   * from the media connections' own statistics.
   */
  getStats(): Promise<FeedStats[]> {
    return this.room?.getStats() ?? Promise.resolve([]);
  }

  /**
   * Shows a candidate large, at full quality, with their controls and whole event log, and marks
   * their signals seen; `undefined` returns to the grid, on that candidate's page.
   */
  focusCandidate(sessionId: string | undefined): void {
    if (sessionId === this.focusedId) return;
    if (!sessionId) this.restoreFocusTo = this.focusedId;
    this.moveFocusToView = !!sessionId;
    this.focusedId = sessionId;
    if (sessionId) {
      this.loadReview();
      const index = this.sessions.findIndex((s) => s.sessionId === sessionId);
      if (index >= 0) this.page = Math.floor(index / this.pageSize);
      this.room?.markSeen(sessionId);
      this.room?.loadHistory(sessionId);
    }
    this.room?.focus(sessionId);
    fire(this, 'proctor-focus', { sessionId });
  }

  /** Pauses a candidate's exam: their clock stops and their exam is hidden until resumed. */
  pause(sessionId: string): Promise<string[]> {
    return this.command('pause', (room) => room.pause(sessionId));
  }

  /** Resumes a candidate's paused exam. */
  resume(sessionId: string): Promise<string[]> {
    return this.command('resume', (room) => room.resume(sessionId));
  }

  /** Adds `minutes` (whole, 1–600) to a candidate's exam. */
  extend(sessionId: string, minutes: number): Promise<string[]> {
    return this.command('extend', (room) => room.extend(sessionId, minutes));
  }

  /** Shows a candidate a message; their acknowledgement arrives as a `message.acked` event. */
  message(sessionId: string, text: string): Promise<string[]> {
    return this.command('message', (room) => room.message(sessionId, text));
  }

  /** Ends a candidate's exam now; `reason` (required) is shown to the candidate. */
  terminate(sessionId: string, reason: string): Promise<string[]> {
    return this.command('terminate', (room) => room.terminate(sessionId, reason));
  }

  /** A verdict on a candidate's submitted identity photos; `'rejected'` needs a `reason`, shown to the candidate. */
  verifyIdentity(sessionId: string, verdict: 'approved' | 'rejected', reason?: string): Promise<string[]> {
    return this.command('identity', (room) => room.verifyIdentity(sessionId, verdict, reason));
  }

  /** Asks a candidate to show the room with their paired phone: the phone shows the request, the phone feed the room. */
  requestRoomScan(sessionId: string): Promise<string[]> {
    return this.command('room-scan', (room) => room.requestRoomScan(sessionId));
  }

  /** Pauses every candidate the supervisor watches (those whose exam has not ended). */
  pauseAll(): Promise<string[]> {
    return this.command('pause', (room) => room.pause('*'));
  }

  /** Resumes every paused candidate the supervisor watches. */
  resumeAll(): Promise<string[]> {
    return this.command('resume', (room) => room.resume('*'));
  }

  /** Adds `minutes` (whole, 1–600) to the exam of every candidate the supervisor watches. */
  extendAll(minutes: number): Promise<string[]> {
    return this.command('extend', (room) => room.extend('*', minutes));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this.onKeydown);
    if (this.server && this.token && !this.room) this.open();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.onKeydown);
    this.shut();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('server') || changed.has('token')) && this.isConnected && this.openedWith !== this.target()) {
      this.shut();
      if (this.server && this.token) this.open();
    }
    const clamped = clampPage(this.page, this.sessions.length, this.pageSize);
    if (clamped !== this.page) this.page = clamped;
    if (this.focusedId && !this.sessions.some((s) => s.sessionId === this.focusedId)) this.focusedId = undefined;
  }

  protected override updated(changed: PropertyValues<this>): void {
    const visible = this.focusedId ? [this.focusedId] : this.visibleSessions().map((s) => s.sessionId);
    this.room?.show(visible);
    if (changed.has('page') && changed.get('page') !== undefined) {
      fire(this, 'proctor-page', { page: this.page, pageCount: this.pageCount });
    }
    this.reportRoomChanges();
    if (this.moveFocusToView) {
      // Keyboard focus follows the view, so Esc (handled on the host) works after a click.
      this.moveFocusToView = false;
      this.renderRoot.querySelector<HTMLElement>('.back')?.focus();
    }
    if (this.restoreFocusTo) {
      const tile = this.renderRoot.querySelector<HTMLElement>(`proctor-tile[data-session="${this.restoreFocusTo}"]`);
      this.restoreFocusTo = undefined;
      tile?.focus();
    }
  }

  protected override render() {
    const state = this.roomState.value;
    if (!state) return html`<p class="empty">Set <code>server</code> and <code>token</code> to watch a room.</p>`;
    if (state.error) {
      return html`<p class="refused" role="alert">Cannot watch this room: ${state.error.message}</p>`;
    }
    const focused = this.focusedId && state.sessions.find((s) => s.sessionId === this.focusedId);
    return html`${focused ? this.renderFocus(state, focused) : this.renderGrid(state)}${this.roomCommands.renderDialog(state)}`;
  }

  private renderGrid(state: RoomState) {
    const visible = this.visibleSessions();
    const live = state.sessions.filter((s) => s.status === 'live').length;
    const pages = this.pageCount;
    return html`
      <div class="toolbar" part="toolbar">
        <div class="summary">
          <strong>${state.examId ?? 'Room'}</strong>
          <span class="count" role="status">${state.sessions.length} candidates · ${live} live</span>
          <span class="connection" data-state=${state.connection}>${CONNECTION_LABEL[state.connection]}</span>
        </div>
        ${this.roomCommands.renderButtons(state)}
        <button
          class="feed-toggle"
          aria-expanded=${this.roomFeedOpen ? 'true' : 'false'}
          aria-controls="room-feed"
          @click=${() => (this.roomFeedOpen = !this.roomFeedOpen)}
        >
          Events
        </button>
        ${pages > 1
          ? html`<nav class="pager" aria-label="Pages">
              <button ?disabled=${this.page === 0} @click=${() => this.goTo(this.page - 1)} aria-label="Previous page">‹ Prev</button>
              <span aria-live="polite">Page ${this.page + 1} of ${pages}</span>
              <button ?disabled=${this.page >= pages - 1} @click=${() => this.goTo(this.page + 1)} aria-label="Next page">Next ›</button>
            </nav>`
          : nothing}
      </div>
      ${this.roomCommands.renderFeedback()}
      <div class="wall ${this.roomFeedOpen ? 'with-feed' : ''}">
        ${visible.length === 0
          ? html`<p class="empty">No candidates yet. They appear here as they join.</p>`
          : html`<div class="tiles" part="tiles" style="--_columns: ${gridColumns(visible.length)}">
              ${repeat(visible, (s) => s.sessionId, (s) => this.renderTile(s, false))}
            </div>`}
        <aside id="room-feed" class="panel room-feed" part="room-feed" aria-label="Room events" ?hidden=${!this.roomFeedOpen}>
          <h2>Events</h2>
          <proctor-event-feed
            class="feed"
            label="Events of every candidate"
            empty="Events of every candidate appear here: signals, commands, feeds lost…"
            .events=${state.roomEvents}
            .names=${this.namesFor(state.sessions)}
            @proctor-event-select=${(event: CustomEvent<EventSelectDetail>) => this.focusCandidate(event.detail.sessionId)}
          ></proctor-event-feed>
        </aside>
      </div>
    `;
  }

  private renderFocus(state: RoomState, session: SessionSummary) {
    const events = state.events.get(session.sessionId) ?? [];
    return html`
      <div class="focus">
        <div class="focus-bar">
          <button class="back" @click=${() => this.focusCandidate(undefined)}>‹ Back to grid</button>
          <span class="hint">Esc returns to the grid</span>
        </div>
        <div class="focus-body">
          ${this.renderTile(session, true)}
          <aside class="panel side" part="side" aria-label="${session.name}: controls and events">
            ${keyed(
              session.sessionId,
              html`<proctor-identity-review part="identity" server=${this.server} token=${this.room?.token ?? this.token} .session=${session} .commands=${this}></proctor-identity-review>
                <proctor-controls part="controls" .session=${session} .events=${events} .commands=${this}></proctor-controls>
                <proctor-observation-panel
                  part="observations"
                  .session=${session}
                  .streams=${this.streams.value?.get(session.sessionId) ?? {}}
                  .now=${this.serverNow}
                  .review=${this.review}
                ></proctor-observation-panel>
                <h2>Events</h2>
                <proctor-event-feed
                  class="feed"
                  label="Events of ${session.name}"
                  session-id=${session.sessionId}
                  judge
                  .review=${this.review}
                  .events=${events}
                ></proctor-event-feed>`,
            )}
          </aside>
        </div>
      </div>
    `;
  }

  private renderTile(session: SessionSummary, focused: boolean) {
    const unseen = this.roomState.value?.unseen.get(session.sessionId) ?? 0;
    const paused = session.clock.pausedAt !== null && session.clock.endedAt === null;
    const identityWaiting = session.identity?.status === 'submitted' ? 'identity check waiting' : '';
    const about = [session.name, STATUS_WORD[session.status], paused ? 'paused' : '', unseen ? `${unseen} new signals` : '', identityWaiting]
      .filter(Boolean)
      .join(', ');
    return html`<proctor-tile
      part="tile"
      data-session=${session.sessionId}
      .session=${session}
      .streams=${this.streams.value?.get(session.sessionId) ?? {}}
      .now=${this.serverNow}
      .unseen=${unseen}
      ?focused=${focused}
      tabindex="0"
      role=${focused ? 'group' : 'button'}
      aria-label=${focused ? `${session.name}, large view` : `${about}: open large view`}
      @click=${() => !focused && this.focusCandidate(session.sessionId)}
      @keydown=${(event: KeyboardEvent) => {
        if (!focused && (event.key === 'Enter' || event.key === ' ')) {
          event.preventDefault();
          this.focusCandidate(session.sessionId);
        }
      }}
    ></proctor-tile>`;
  }

  private visibleSessions(): SessionSummary[] {
    return pageItems(this.sessions, this.page, this.pageSize);
  }

  private goTo(page: number): void {
    this.page = clampPage(page, this.sessions.length, this.pageSize);
  }

  private readonly onKeydown = (event: KeyboardEvent) => {
    // An open dialog closes first (natively), and Esc in a field with text keeps the draft.
    if (event.key !== 'Escape' || !this.focusedId || escapeIsTaken(event.composedPath())) return;
    event.preventDefault();
    this.focusCandidate(undefined);
  };

  /** Runs a command on the room and announces it; rejects as the room does. */
  private async command(command: CommandDetail['command'], run: (room: SupervisorRoom) => Promise<string[]>): Promise<string[]> {
    const room = this.room;
    if (!room) throw new ProctorError('command-refused', 'The grid is not connected: set server and token.');
    const sessionIds = await run(room);
    fire(this, 'proctor-command', { command, sessionIds });
    return sessionIds;
  }

  /** Candidates' names by session id, for the room's event feed; rebuilt only when the sessions change. */
  private namesFor(sessions: readonly SessionSummary[]): ReadonlyMap<string, string> {
    if (sessions !== this.namesOf) {
      this.namesOf = sessions;
      this.names = new Map(sessions.map((s) => [s.sessionId, s.name]));
    }
    return this.names;
  }

  private openedWith?: string;

  private target(): string {
    return `${this.server}\n${this.token}`;
  }

  private open(): void {
    this.openedWith = this.target();
    this.room = new SupervisorRoom({ server: this.server, token: this.token });
    this.roomState.bind(this.room.state);
    this.streams.bind(this.room.streams);
    this.room.connect();
  }

  private loadReview(): void {
    const room = this.room;
    if (!room || this.review) return;
    void loadObservations().then(({ ReviewClient }) => {
      if (this.room === room) this.review ??= new ReviewClient(this.server, () => room.token);
    });
  }

  private shut(): void {
    this.openedWith = undefined;
    this.room?.close();
    this.room = undefined;
    this.review = undefined;
    this.roomState.bind(undefined);
    this.streams.bind(undefined);
  }

  private reportRoomChanges(): void {
    const state = this.roomState.value;
    if (!state) return;
    if (state.connection !== this.lastConnection) {
      this.lastConnection = state.connection;
      fire(this, 'proctor-connection', { state: state.connection });
    }
    if (state.error && state.error !== this.lastError) {
      this.lastError = state.error;
      fire(this, 'proctor-session-error', { code: state.error.code, message: state.error.message });
    }
  }
}

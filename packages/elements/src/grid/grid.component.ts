import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import {
  SupervisorRoom,
  clampPage,
  gridColumns,
  pageCount,
  pageItems,
  type FeedStats,
  type FeedStreams,
  type RoomState,
  type SessionSummary,
} from '@proctorkit/core';
import { fire } from '../shared/events.js';
import { ReadableController } from '../shared/readable-controller.js';
import { systemTokens } from '../shared/theme.js';
import '../tile/tile.js';
import { gridStyles } from './grid.styles.js';

const CONNECTION_LABEL: Record<RoomState['connection'], string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
};

/**
 * The supervisor's live wall: a tile per candidate with webcam, screen and phone, a page at a
 * time. Only the candidates on the visible page are received; focusing one (click, Enter or
 * Space) shows it large at full quality until Esc.
 *
 * @tagname proctor-grid
 * @summary Live tiles of up to `page-size` candidates per page, with paging and focus.
 *
 * @event proctor-focus - A candidate was focused or the grid returned. Detail: `FocusDetail`.
 * @event proctor-page - Another page is shown. Detail: `PageDetail`.
 * @event proctor-connection - The control channel's state changed. Detail: `ConnectionDetail`.
 * @event proctor-session-error - The token was refused. Detail: `SessionErrorDetail`.
 *
 * @csspart toolbar - The bar with the counts, connection state and pager.
 * @csspart tiles - The grid of tiles.
 * @csspart tile - Each `<proctor-tile>`.
 *
 * @cssproperty --proctor-grid-gap=8px - Space between tiles.
 * @cssproperty --proctor-grid-background=#030712 - Background of the wall.
 * @cssproperty --proctor-grid-color=#e5e7eb - Text color of the wall.
 * @cssproperty --proctor-color-accent=#2563eb - Focus rings.
 */
export class ProctorGrid extends LitElement {
  /** @internal */
  static override styles = [systemTokens, gridStyles];

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

  private room?: SupervisorRoom;
  private readonly roomState = new ReadableController<RoomState>(this);
  private readonly streams = new ReadableController<ReadonlyMap<string, FeedStreams>>(this);
  private lastConnection?: RoomState['connection'];
  private lastError?: unknown;
  private restoreFocusTo?: string;
  private moveFocusToView = false;

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

  /** Shows a candidate large, at full quality. */
  focusCandidate(sessionId: string | undefined): void {
    if (sessionId === this.focusedId) return;
    if (!sessionId) this.restoreFocusTo = this.focusedId;
    this.moveFocusToView = !!sessionId;
    this.focusedId = sessionId;
    this.room?.focus(sessionId);
    fire(this, 'proctor-focus', { sessionId });
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
      return html`<p class="error" role="alert">Cannot watch this room: ${state.error.message}</p>`;
    }
    const focused = this.focusedId && state.sessions.find((s) => s.sessionId === this.focusedId);
    return focused ? this.renderFocus(focused) : this.renderGrid(state);
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
        ${pages > 1
          ? html`<nav class="pager" aria-label="Pages">
              <button ?disabled=${this.page === 0} @click=${() => this.goTo(this.page - 1)} aria-label="Previous page">‹ Prev</button>
              <span aria-live="polite">Page ${this.page + 1} of ${pages}</span>
              <button ?disabled=${this.page >= pages - 1} @click=${() => this.goTo(this.page + 1)} aria-label="Next page">Next ›</button>
            </nav>`
          : nothing}
      </div>
      ${visible.length === 0
        ? html`<p class="empty">No candidates yet. They appear here as they join.</p>`
        : html`<div class="tiles" part="tiles" style="--_columns: ${gridColumns(visible.length)}">
            ${repeat(visible, (s) => s.sessionId, (s) => this.renderTile(s, false))}
          </div>`}
    `;
  }

  private renderFocus(session: SessionSummary) {
    return html`
      <div class="focus">
        <div class="focus-bar">
          <button class="back" @click=${() => this.focusCandidate(undefined)}>‹ Back to grid</button>
          <span class="hint">Esc returns to the grid</span>
        </div>
        ${this.renderTile(session, true)}
      </div>
    `;
  }

  private renderTile(session: SessionSummary, focused: boolean) {
    return html`<proctor-tile
      part="tile"
      data-session=${session.sessionId}
      .session=${session}
      .streams=${this.streams.value?.get(session.sessionId) ?? {}}
      ?focused=${focused}
      tabindex="0"
      role=${focused ? 'group' : 'button'}
      aria-label=${focused ? `${session.name}, large view` : `${session.name}: open large view`}
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
    if (event.key === 'Escape' && this.focusedId) {
      event.preventDefault();
      this.focusCandidate(undefined);
    }
  };

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

  private shut(): void {
    this.openedWith = undefined;
    this.room?.close();
    this.room = undefined;
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

import { LitElement, adoptStyles, html, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { SyncedPlayback, VerdictEntry } from '@proctorkit/core';
import { systemTokens } from '../shared/theme.js';

type View = typeof import('./review-view.js');
let view: Promise<View> | undefined;
/** The player, its templates and styles, loaded once for every review player of the page. */
const loadView = () => (view ??= import('./review-view.js'));

/**
 * A reviewer's player for one session, ended or still running: its feeds side by side on one
 * clock (webcam, screen, phone; absent feeds left out; one large on click or `1`–`3`), one
 * timeline with markers by kind and severity (flags, integrity signals, notes, screenshots,
 * supervisors' commands, the exam site's log lines, verdicts) and the gaps in each feed's
 * recording with what caused them, the log as a list that seeks on click, notes and flags at the
 * playhead, integrity signals confirmed as incidents or dismissed (each judged once, by whom and
 * when), the signed verdicts with a form to sign one, and the printable report.
 *
 * Keys (not while typing in a field, nor in a dialog): Space/K play or pause, J/L or ←/→ 5 s back or forward,
 * [ and ] the previous or next flag, < and > slower or faster, 1–3 one feed large (0 all), N a
 * note, F a flag, ? the list of keys.
 *
 * A live session is fetched again every 15 s; expired signed links are renewed (before they
 * expire, and when a file fails). The element loads its body on creation, as a chunk beside the
 * elements bundle, so pages without a review player never download it; `updateComplete` waits for it.
 *
 * @tagname proctor-review
 * @summary Replays a session's feeds in sync on one timeline with its log, flags, notes and verdicts.
 *
 * @event proctor-recorded - A note, a flag or a signal's dismissal was stored. Detail: `RecordedDetail`.
 * @event proctor-verdict - A verdict was signed here. Detail: `VerdictDetail`.
 *
 * @csspart header - The candidate's name, the session's status, Refresh and Report.
 * @csspart report - The Report button (opens the printable report in a new tab).
 * @csspart stage - The feeds.
 * @csspart feed - One feed; `data-feed` names it, `data-status` is `playing`, `ready`, `loading`, `gap`, `error` or `stalled`, `data-large` when shown large.
 * @csspart video - A feed's `<video>`.
 * @csspart gap-words - What a feed in a gap shows: why it was not recorded, and when.
 * @csspart timeline - The timeline: markers, the playhead slider, each feed's lane, the legend.
 * @csspart markers - The markers' row.
 * @csspart marker - One marker (a button); `data-kind` and `data-severity` say what it is, `data-dismissed` or `data-confirmed` how a signal was judged.
 * @csspart gap - A gap in a feed's lane; its words show on hover and focus.
 * @csspart legend - The markers' and gaps' legend.
 * @csspart transport - Play/pause, ±5 s, previous/next flag, speed, the time, note and flag.
 * @csspart play - The play/pause button.
 * @csspart speed - The speed select.
 * @csspart clock - The time from the exam's start and the time of day at the playhead.
 * @csspart events - The list of the log's events.
 * @csspart event - One event's line (a button that seeks there); `aria-current` on the one at the playhead.
 * @csspart judge - Under a signal's line: "Confirm as incident" and "Dismiss".
 * @csspart judgement - Under a judged signal's line: "Confirmed as incident (…) by Ana, <when>", "Dismissed by Ana, <when>: “…”".
 * @csspart annotation - The note or flag form.
 * @csspart verdicts - The verdicts and the form to sign one.
 * @csspart help - The keyboard shortcuts dialog.
 *
 * @cssproperty --proctor-review-background=#f8fafc - Behind the player.
 * @cssproperty --proctor-review-color=#111827 - Text.
 * @cssproperty --proctor-review-border=#e5e7eb - Borders.
 * @cssproperty --proctor-review-stage=#0b1220 - Behind the feeds.
 * @cssproperty --proctor-review-gap-color=#9ca3af - The stripes of a gap, and signals that only inform.
 * @cssproperty --proctor-review-low=#ca8a04 - Low-severity flags and signals.
 * @cssproperty --proctor-review-medium=#ea580c - Medium-severity flags and signals.
 * @cssproperty --proctor-review-high=#dc2626 - High-severity flags and signals.
 * @cssproperty --proctor-review-note=var(--proctor-color-accent) - Notes.
 * @cssproperty --proctor-review-screenshot=#0d9488 - Screenshots.
 * @cssproperty --proctor-review-command=#7c3aed - Supervisors' commands.
 * @cssproperty --proctor-review-log=#64748b - The exam site's log lines.
 * @cssproperty --proctor-review-verdict=var(--proctor-color-live) - Verdicts.
 * @cssproperty --proctor-color-accent=#2563eb - Buttons, the playhead and focus rings.
 */
export class ProctorReview extends LitElement {
  /** @internal */
  static override styles = [systemTokens];

  /** Where the server kit's router is mounted, e.g. `/proctor`. */
  @property() server = '';

  /** A reviewer's (or supervisor's) token from the host's server that covers the session. */
  @property() token = '';

  /** The id of the session to replay. */
  @property() session = '';

  @state() private view?: View;
  private player?: InstanceType<View['ReviewPlayer']>;
  private styled = false;
  private readonly viewLoaded = loadView().then((loaded) => {
    this.view = loaded;
    this.player = new loaded.ReviewPlayer(this);
  });

  /** The playback driving the feeds (`play()`, `pause()`, `setRate()`, `state`, `driftStats()`), once the session loaded. */
  get playback(): SyncedPlayback | undefined {
    return this.player?.playback;
  }

  /** Moves every feed to `t` (server ms); resolves once each shows it. */
  async seek(t: number): Promise<void> {
    await this.viewLoaded;
    await this.player!.seek(t);
  }

  /** Fetches the session's log and recordings again (a live session does so every 15 s by itself). */
  async refresh(): Promise<void> {
    await this.viewLoaded;
    await this.player!.refresh();
  }

  protected override async getUpdateComplete(): Promise<boolean> {
    await this.viewLoaded;
    return super.getUpdateComplete();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (this.view && !this.styled && this.renderRoot instanceof ShadowRoot) {
      adoptStyles(this.renderRoot, [systemTokens, this.view.reviewStyles]);
      this.styled = true;
    }
    if (changed.has('server') || changed.has('token') || changed.has('session')) this.player?.configure();
  }

  protected override render() {
    return this.player ? this.view!.renderReview(this.player) : html`<p>Loading the review player…</p>`;
  }
}

/** Detail of `proctor-verdict`: the verdict signed, as the kit stored it. */
export interface VerdictDetail {
  sessionId: string;
  verdict: VerdictEntry;
}

declare global {
  interface HTMLElementEventMap {
    'proctor-verdict': CustomEvent<VerdictDetail>;
  }
}

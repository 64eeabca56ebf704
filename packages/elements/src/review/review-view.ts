// What <proctor-review> loads when it is created: the player, its templates and styles, and core's
// timeline and synced playback, in a chunk of their own, so candidate and grid pages never download them.
import { html, nothing } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import { PLAYBACK_RATES, type Feed, type FeedPlayback, type SessionTimeline } from '@proctorkit/core';
import { describeEvent, formatTime } from '../event-feed/describe-event.js';
import { KEY_HELP } from './review-keys.js';
import type { EventLine, ReviewPlayer } from './review-player.js';
import { renderAnnotation, renderVerdicts } from './review-panels.js';
import { renderTimelineBar } from './timeline-bar.js';

export { ReviewPlayer } from './review-player.js';
export { reviewStyles } from './review.styles.js';

const FEED_WORD: Record<Feed, string> = { webcam: 'Webcam', screen: 'Screen', phone: 'Phone camera' };
const STATUS_WORD: Record<string, string> = {
  connecting: 'Connecting',
  preparing: 'Preparing',
  live: 'Live',
  'feed-lost': 'Live · a feed is lost',
  offline: 'Offline',
  ended: 'Ended',
};

function renderFeed(player: ReviewPlayer, timeline: SessionTimeline, feed: Feed, index: number, playback: FeedPlayback | undefined) {
  const large = player.large === feed;
  const status = playback?.status ?? 'loading';
  const gap = playback?.gap;
  let overlay: unknown = nothing;
  if (status === 'gap') {
    overlay = html`<div class="overlay gap-words" part="gap-words" role="status">
      <strong>${gap?.label ?? 'Not recorded'}</strong> ${gap ? html`<span>${timeline.offset(gap.from)}–${timeline.offset(gap.to)}</span>` : nothing}
    </div>`;
  } else if (status === 'error') {
    overlay = html`<div class="overlay" role="status"><strong>This recording did not load</strong><span>Fetching a fresh link…</span></div>`;
  } else if (status === 'stalled') {
    overlay = html`<div class="overlay" role="status"><strong>This recording is slow to load</strong><span>The others play on.</span></div>`;
  } else if (status === 'loading') {
    overlay = html`<div class="overlay loading" aria-hidden="true"><span class="spinner"></span></div>`;
  }
  return html`<figure class="feed" part="feed" data-feed=${feed} data-status=${status} ?data-large=${large}>
    <div class="screen" @click=${() => player.showLarge(feed)}>${player.videos[feed]}${overlay}</div>
    <figcaption>
      <button class="caption" aria-pressed=${large ? 'true' : 'false'} @click=${() => player.showLarge(feed)} title=${large ? 'Show all feeds (0)' : `Show large (${index + 1})`}>
        ${FEED_WORD[feed]} <kbd>${index + 1}</kbd>
      </button>
    </figcaption>
  </figure>`;
}

function renderStage(player: ReviewPlayer, timeline: SessionTimeline) {
  const feeds = player.state?.feeds ?? {};
  if (timeline.feeds.length === 0) {
    return html`<div class="stage empty" part="stage"><p>${timeline.live ? 'Nothing is recorded yet. The recordings appear here as they are uploaded.' : 'This session has no recordings.'}</p></div>`;
  }
  return html`<div class="stage" part="stage" data-count=${timeline.feeds.length} data-layout=${player.large ? 'large' : 'side'}>
    ${timeline.feeds.map((feed, index) => renderFeed(player, timeline, feed, index, feeds[feed]))}
  </div>`;
}

function renderTransport(player: ReviewPlayer, timeline: SessionTimeline) {
  const state = player.state;
  const playing = state?.playing ?? false;
  const time = state?.time ?? timeline.start;
  const rate = state?.rate ?? 1;
  const waiting = playing && state?.waiting;
  return html`<div class="transport" part="transport" role="group" aria-label="Playback">
    <button class="icon" @click=${() => player.jumpFlag(-1)} title="Previous flag ([)" aria-label="Previous flag" ?disabled=${timeline.flags.length === 0}>⇤ <span class="flag-glyph">⚑</span></button>
    <button class="icon" @click=${() => player.step(-5)} title="Back 5 s (J)" aria-label="Back 5 seconds">−5 s</button>
    <button class="play primary" part="play" @click=${() => player.toggle()} aria-label=${playing ? 'Pause' : 'Play'} title="${playing ? 'Pause' : 'Play'} (Space)">
      ${playing ? html`<span class="pause-glyph" aria-hidden="true"></span>` : html`<span class="play-glyph" aria-hidden="true"></span>`}
    </button>
    <button class="icon" @click=${() => player.step(5)} title="Forward 5 s (L)" aria-label="Forward 5 seconds">+5 s</button>
    <button class="icon" @click=${() => player.jumpFlag(1)} title="Next flag (])" aria-label="Next flag" ?disabled=${timeline.flags.length === 0}><span class="flag-glyph">⚑</span> ⇥</button>
    <label class="speed">
      <span class="visually-hidden">Speed</span>
      <select part="speed" @change=${(event: Event) => player.setRate(Number((event.target as HTMLSelectElement).value))} title="Speed (< and >)">
        ${PLAYBACK_RATES.map((r) => html`<option value=${r} ?selected=${r === rate}>${r}×</option>`)}
      </select>
    </label>
    <p class="clock" part="clock">
      <span class="offset"><strong>${timeline.offset(time)}</strong> / ${timeline.offset(timeline.end)}</span>
      <span class="wall" title="Time of day at the playhead">${formatTime(time)}</span>
      ${waiting ? html`<span class="buffering">Loading…</span>` : nothing}
    </p>
    <span class="spacer"></span>
    <button class="secondary" @click=${() => player.annotate('note')} title="Add a note at the playhead (N)">Note</button>
    <button class="secondary" @click=${() => player.annotate('flag')} title="Flag an incident at the playhead (F)"><span class="flag-glyph">⚑</span> Flag</button>
    <button class="secondary keys" @click=${(event: Event) => ((event.currentTarget as HTMLElement).getRootNode() as ShadowRoot).querySelector<HTMLDialogElement>('dialog.help')?.showModal()} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">?</button>
  </div>`;
}

function renderEvents(player: ReviewPlayer, timeline: SessionTimeline, currentSeq: number | undefined) {
  return html`<section class="card events" aria-labelledby="events-title">
    <h2 id="events-title">Events <span class="hint">${player.lines.length}</span></h2>
    ${player.lines.length === 0
      ? html`<p class="hint">No events.</p>`
      : html`<ol class="event-list" part="events">
          ${repeat(
            player.lines,
            ({ event }) => event.seq,
            ({ event, at }) => {
              const line = describeEvent(event);
              const { text, tone } = line;
              return html`<li data-tone=${tone} data-type=${event.type}>
                <button part="event" data-seq=${event.seq} aria-current=${event.seq === currentSeq ? 'true' : 'false'} @click=${() => player.seek(at)} title="Go to ${formatTime(at)}">
                  <time datetime=${new Date(at).toISOString()}>${timeline.offset(at)}</time><span class="text">${text}</span>
                </button>
                ${tone === 'signal' ? player.signals.extra(event, line) : nothing}
              </li>`;
            },
          )}
        </ol>`}
  </section>`;
}

/** The event at or before the playhead (the line that is "now"). */
function currentEvent(lines: readonly EventLine[], time: number): number | undefined {
  let seq: number | undefined;
  for (const { event, at } of lines) {
    if (at > time) break;
    seq = event.seq;
  }
  return seq;
}

function renderHelp() {
  return html`<dialog class="help" part="help" aria-labelledby="help-title">
    <h2 id="help-title">Keyboard shortcuts</h2>
    <dl>
      ${KEY_HELP.map(([keys, what]) => html`<div><dt>${keys.map((key, i) => html`${i ? ' or ' : ''}<kbd>${key}</kbd>`)}</dt><dd>${what}</dd></div>`)}
    </dl>
    <p class="hint">Shortcuts do nothing while you type in a field.</p>
    <form method="dialog"><button class="primary" autofocus>Close</button></form>
  </dialog>`;
}

function renderHeader(player: ReviewPlayer, timeline: SessionTimeline | undefined) {
  const summary = player.summary;
  const status = summary?.status ?? '';
  return html`<header part="header">
    <div class="who">
      <h2>${summary?.name ?? 'Session'}</h2>
      ${summary ? html`<span class="badge" data-status=${status}>${STATUS_WORD[status] ?? status}</span>` : nothing}
      ${summary ? html`<span class="hint">${summary.candidateId} · ${summary.examId}</span>` : nothing}
    </div>
    <div class="actions">
      ${timeline?.live ? html`<span class="hint">Refreshes every 15 s</span>` : nothing}
      <button class="secondary" @click=${() => void player.refresh()} ?disabled=${!timeline}>Refresh</button>
      <button class="secondary" part="report" @click=${() => void player.openReport()} ?disabled=${!summary}>Report ↗</button>
    </div>
    ${player.reportError ? html`<p class="error" role="alert">${player.reportError}</p>` : nothing}
  </header>`;
}

/** The whole player. */
export function renderReview(player: ReviewPlayer) {
  const timeline = player.timeline;
  if (player.loadError) {
    return html`<div class="player">${renderHeader(player, undefined)}<p class="error load-error" role="alert">This session could not be loaded: ${player.loadError}</p></div>`;
  }
  if (!timeline) return html`<div class="player">${renderHeader(player, undefined)}<p class="hint loading-text">Loading the session…</p></div>`;
  const time = player.state?.time ?? timeline.start;
  const currentSeq = currentEvent(player.lines, time);
  // Focusable, so a click on a video or the bar keeps the keys working in the player.
  return html`<div class="player" tabindex="-1">
    ${renderHeader(player, timeline)} ${renderStage(player, timeline)}
    ${renderTimelineBar({ timeline, time, seek: (t) => void player.seek(t), step: (s) => player.step(s) })} ${renderTransport(player, timeline)}
    <div class="below">
      ${guard([player.lines, timeline, currentSeq, player.judgedHere], () => renderEvents(player, timeline, currentSeq))}
      <div class="side">${renderAnnotation(player)} ${renderVerdicts(player)}</div>
    </div>
    ${renderHelp()}
    <div class="dialogs" @proctor-recorded=${player.judged}>${player.signals.renderDialogs()}</div>
    <p class="visually-hidden" role="status">${player.announcement}</p>
  </div>`;
}

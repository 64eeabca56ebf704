import { html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { FLAG_REASON_LABELS, type FlagReason, type MarkerKind, type SessionTimeline, type TimelineMarker } from '@proctorkit/core';
import { describeEvent } from '../event-feed/describe-event.js';

const KIND_WORD: Record<MarkerKind, string> = {
  flag: 'Flag',
  signal: 'Signal',
  note: 'Note',
  screenshot: 'Screenshot',
  command: 'Supervisor',
  log: 'Exam site',
  verdict: 'Verdict',
};

const FEED_WORD: Record<string, string> = { webcam: 'Webcam', screen: 'Screen', phone: 'Phone' };

/**
 * A marker's words: what it is, when, and for a flag its range, severity and reason. `linked` is a
 * confirmed signal's flag, or the signal a flag confirms.
 */
export function markerLabel(marker: TimelineMarker, timeline: SessionTimeline, linked?: TimelineMarker): string {
  const { event } = marker;
  if (marker.kind === 'flag') {
    const reason = FLAG_REASON_LABELS[event.data.reason as FlagReason] ?? String(event.data.reason);
    const text = event.data.text ? `: ${String(event.data.text)}` : '';
    const confirms = linked ? `, confirms the signal at ${timeline.offset(linked.at)}` : '';
    return `Flag, ${marker.severity}: ${reason}${text}, ${timeline.offset(marker.at)}–${timeline.offset(marker.to ?? marker.at)}${confirms}`;
  }
  if (marker.kind === 'note') return `Note at ${timeline.offset(marker.at)}: ${String(event.data.text)}`;
  const text = describeEvent(event).text;
  const judged = marker.dismissed
    ? ' (dismissed)'
    : linked
      ? ` (confirmed as incident: flag ${timeline.offset(linked.at)}–${timeline.offset(linked.to ?? linked.at)})`
      : '';
  return `${KIND_WORD[marker.kind]} at ${timeline.offset(marker.at)}: ${text}${judged}`;
}

/** Each confirmed signal's flag and each confirming flag's signal, by the marker's `seq`. */
function confirmations(markers: readonly TimelineMarker[]): Map<number, TimelineMarker> {
  const bySeq = new Map(markers.map((marker) => [marker.event.seq, marker]));
  const linked = new Map<number, TimelineMarker>();
  for (const flag of markers) {
    const signal = flag.kind === 'flag' ? bySeq.get(Number(flag.event.data.signalSeq)) : undefined;
    if (signal?.kind !== 'signal') continue;
    linked.set(signal.event.seq, flag);
    linked.set(flag.event.seq, signal);
  }
  return linked;
}

/** Where `t` is along the bar, in percent. */
function percent(timeline: SessionTimeline, t: number): number {
  return timeline.duration > 0 ? ((timeline.clamp(t) - timeline.start) / timeline.duration) * 100 : 0;
}

export interface TimelineBarModel {
  timeline: SessionTimeline;
  time: number;
  seek(t: number): void;
  step(seconds: number): void;
}

/** The time under a pointer on the bar's rail. */
function timeAt(event: PointerEvent, timeline: SessionTimeline): number {
  const rail = (event.currentTarget as HTMLElement).querySelector('.rail')!.getBoundingClientRect();
  const share = Math.min(1, Math.max(0, (event.clientX - rail.left) / rail.width));
  return timeline.start + share * timeline.duration;
}

/** Seeks where the pointer went down on the bar, and follows it while held. */
function scrub(model: TimelineBarModel) {
  return (event: PointerEvent) => {
    if (event.button !== 0 || (event.target as HTMLElement).closest('button')) return;
    const bar = event.currentTarget as HTMLElement;
    bar.setPointerCapture(event.pointerId);
    model.seek(timeAt(event, model.timeline));
    const move = (e: PointerEvent) => model.seek(timeAt(e, model.timeline));
    const up = () => {
      bar.removeEventListener('pointermove', move);
      bar.removeEventListener('pointerup', up);
      bar.removeEventListener('pointercancel', up);
    };
    bar.addEventListener('pointermove', move);
    bar.addEventListener('pointerup', up);
    bar.addEventListener('pointercancel', up);
  };
}

function sliderKey(model: TimelineBarModel) {
  return (event: KeyboardEvent) => {
    const { timeline } = model;
    if (event.key === 'Home') model.seek(timeline.start);
    else if (event.key === 'End') model.seek(timeline.end);
    else if (event.key === 'PageUp') model.step(60);
    else if (event.key === 'PageDown') model.step(-60);
    else if (event.key === 'ArrowUp') model.step(5);
    else if (event.key === 'ArrowDown') model.step(-5);
    else return;
    event.preventDefault();
    event.stopPropagation();
  };
}

/**
 * The one bar of the session: markers by kind and severity above a rail (a slider), one lane per
 * recorded feed below with its gaps shaded (their words on hover and focus), and a legend.
 */
export function renderTimelineBar(model: TimelineBarModel) {
  const { timeline, time } = model;
  const at = percent(timeline, time);
  const kinds = new Set(timeline.markers.map((marker) => marker.kind));
  const linked = confirmations(timeline.markers);
  const confirmedSignal = (marker: TimelineMarker) => marker.kind === 'signal' && linked.has(marker.event.seq);
  return html`<div class="timeline" part="timeline">
    <div class="bar" @pointerdown=${scrub(model)}>
      <div class="markers" part="markers">
        ${repeat(
          timeline.markers,
          (marker) => marker.event.seq,
          (marker) => {
            const label = markerLabel(marker, timeline, linked.get(marker.event.seq));
            const left = percent(timeline, marker.at);
            const width = marker.to !== undefined ? Math.max(0, percent(timeline, marker.to) - left) : 0;
            return html`${marker.kind === 'flag' ? html`<span class="flag-range" data-severity=${marker.severity} style="left:${left}%;width:${width}%"></span>` : nothing}
              <button
                class="marker"
                part="marker"
                data-kind=${marker.kind}
                data-severity=${marker.severity}
                data-seq=${marker.event.seq}
                ?data-dismissed=${marker.dismissed}
                ?data-confirmed=${confirmedSignal(marker)}
                style="left:${left}%"
                aria-label=${label}
                title=${label}
                @click=${() => model.seek(marker.at)}
              >
                <span class="shape"></span>
              </button>`;
          },
        )}
      </div>
      <div
        class="rail"
        role="slider"
        tabindex="0"
        aria-label="Playhead"
        aria-valuemin="0"
        aria-valuemax=${Math.round(timeline.duration / 1000)}
        aria-valuenow=${Math.round((timeline.clamp(time) - timeline.start) / 1000)}
        aria-valuetext="${timeline.offset(time)} of ${timeline.offset(timeline.end)}"
        @keydown=${sliderKey(model)}
      >
        <span class="played" style="width:${at}%"></span>
      </div>
      <div class="lanes">
        ${timeline.feeds.map(
          (feed) => html`<div class="lane" data-feed=${feed}>
            <span class="lane-name">${FEED_WORD[feed]}</span>
            ${timeline.gaps
              .filter((gap) => gap.feed === feed)
              .map(
                (gap) => html`<span
                  class="gap"
                  part="gap"
                  data-reason=${gap.reason}
                  tabindex="0"
                  role="note"
                  aria-label="${FEED_WORD[feed]}: ${gap.words}"
                  style="left:${percent(timeline, gap.from)}%;width:${Math.max(0.4, percent(timeline, gap.to) - percent(timeline, gap.from))}%"
                  ><span class="tip" role="tooltip">${FEED_WORD[feed]}: ${gap.words}</span></span
                >`,
              )}
          </div>`,
        )}
      </div>
      <span class="playhead" style="left:${at}%"></span>
    </div>
    <ul class="legend" part="legend" aria-label="Legend">
      ${(['flag', 'signal', 'note', 'screenshot', 'command', 'log', 'verdict'] as const)
        .filter((kind) => kinds.has(kind))
        .map((kind) => html`<li><span class="marker static" data-kind=${kind} data-severity=${kind === 'flag' || kind === 'signal' ? 'medium' : 'info'}><span class="shape"></span></span>${KIND_WORD[kind]}</li>`)}
      ${timeline.markers.some(confirmedSignal)
        ? html`<li><span class="marker static" data-kind="signal" data-severity="medium" data-confirmed><span class="shape"></span></span>Confirmed</li>`
        : nothing}
      ${timeline.markers.some((marker) => marker.dismissed)
        ? html`<li><span class="marker static" data-kind="signal" data-severity="medium" data-dismissed><span class="shape"></span></span>Dismissed</li>`
        : nothing}
      ${kinds.has('flag') || kinds.has('signal')
        ? html`<li class="severities">
            <span class="swatch" data-severity="low"></span>Low <span class="swatch" data-severity="medium"></span>Medium
            <span class="swatch" data-severity="high"></span>High
          </li>`
        : nothing}
      ${timeline.gaps.length ? html`<li><span class="swatch gap-swatch"></span>Not recorded</li>` : nothing}
    </ul>
  </div>`;
}

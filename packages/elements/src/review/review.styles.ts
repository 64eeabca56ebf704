import { css } from 'lit';
import { reviewLinesStyles } from '../event-feed/review-lines/review-lines.styles.js';

export const reviewStyles = css`
  ${reviewLinesStyles}
  :host {
    --_bg: var(--proctor-review-background, #f8fafc);
    --_fg: var(--proctor-review-color, #111827);
    --_border: var(--proctor-review-border, #e5e7eb);
    --_stage: var(--proctor-review-stage, #0b1220);
    --_gap: var(--proctor-review-gap-color, #9ca3af);
    --_low: var(--proctor-review-low, #ca8a04);
    --_medium: var(--proctor-review-medium, #ea580c);
    --_high: var(--proctor-review-high, #dc2626);
    --_note: var(--proctor-review-note, var(--_accent));
    --_shot: var(--proctor-review-screenshot, #0d9488);
    --_command: var(--proctor-review-command, #7c3aed);
    --_log: var(--proctor-review-log, #64748b);
    --_verdict: var(--proctor-review-verdict, var(--_live));
    display: block;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 1rem;
    line-height: 1.4;
  }
  .player {
    display: grid;
    gap: 0.75rem;
  }
  .player:focus {
    outline: none;
  }
  h2 {
    font-size: 1rem;
    margin: 0;
  }
  h3 {
    font-size: 0.95rem;
    margin: 0 0 0.25rem;
  }
  .hint {
    color: var(--_muted);
    font-size: 0.85rem;
    font-weight: normal;
  }
  .error {
    color: var(--_danger);
    margin: 0.25rem 0;
  }
  kbd {
    font: 600 0.75rem ui-monospace, SFMono-Regular, Menlo, monospace;
    border: 1px solid currentColor;
    border-bottom-width: 2px;
    border-radius: 4px;
    padding: 0 0.3em;
    opacity: 0.75;
  }
  button {
    padding: 0.4em 0.8em;
  }
  button.secondary {
    background: #fff;
  }

  header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
  }
  header .who,
  header .actions {
    display: flex;
    align-items: baseline;
    gap: 0.6rem;
    flex-wrap: wrap;
  }
  header h2 {
    font-size: 1.15rem;
  }
  .badge {
    font-size: 0.75rem;
    font-weight: 600;
    border-radius: 999px;
    padding: 0.1em 0.6em;
    background: #e5e7eb;
  }
  .badge[data-status='live'],
  .badge[data-status='feed-lost'] {
    background: color-mix(in srgb, var(--_live) 18%, #fff);
    color: #166534;
  }

  /* The feeds */
  .stage {
    display: grid;
    grid-template-columns: repeat(var(--_columns, 3), minmax(0, 1fr));
    gap: 0.5rem;
    background: var(--_stage);
    border-radius: var(--_radius);
    padding: 0.5rem;
  }
  .stage[data-count='1'] {
    --_columns: 1;
  }
  .stage[data-count='2'] {
    --_columns: 2;
  }
  .stage[data-layout='large'] {
    grid-template-columns: minmax(0, 4fr) minmax(0, 1fr);
    grid-auto-flow: row dense;
  }
  .stage[data-layout='large'] .feed[data-large] {
    grid-column: 1;
    grid-row: 1 / span 3;
  }
  .stage[data-layout='large'] .feed:not([data-large]) {
    grid-column: 2;
  }
  .stage[data-layout='large'] .feed[data-large] .screen {
    aspect-ratio: auto;
    height: min(62vh, 36rem);
  }
  .stage.empty {
    color: #e5e7eb;
    display: block;
    text-align: center;
    padding: 3rem 1rem;
  }
  .feed {
    margin: 0;
    display: grid;
    gap: 0.25rem;
    align-content: start;
  }
  .screen {
    position: relative;
    aspect-ratio: 4 / 3;
    background: #000;
    border-radius: 6px;
    overflow: hidden;
    cursor: zoom-in;
  }
  .feed[data-large] .screen {
    cursor: zoom-out;
  }
  video {
    width: 100%;
    height: 100%;
    object-fit: contain;
    display: block;
  }
  .feed[data-status='gap'] video,
  .feed[data-status='error'] video {
    visibility: hidden;
  }
  .overlay {
    position: absolute;
    inset: 0;
    display: grid;
    place-content: center;
    text-align: center;
    gap: 0.25rem;
    color: #f3f4f6;
    padding: 1rem;
  }
  .overlay strong {
    font-size: 1.05rem;
  }
  .overlay span {
    color: #cbd5e1;
    font-variant-numeric: tabular-nums;
  }
  .gap-words {
    background: repeating-linear-gradient(135deg, #111827 0 12px, #1f2937 12px 24px);
  }
  .loading {
    pointer-events: none;
  }
  .spinner {
    width: 28px;
    height: 28px;
    border-radius: 50%;
    border: 3px solid #ffffff33;
    border-top-color: #fff;
    animation: spin 0.9s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  figcaption {
    display: flex;
  }
  .caption {
    color: #e5e7eb;
    background: transparent;
    padding: 0.15em 0.4em;
    font-size: 0.85rem;
    display: inline-flex;
    gap: 0.4em;
    align-items: center;
  }
  .caption[aria-pressed='true'] {
    background: #ffffff1f;
  }

  /* The timeline */
  .timeline {
    display: grid;
    gap: 0.35rem;
  }
  .bar {
    position: relative;
    margin: 0 0.75rem 0 4.5rem;
    touch-action: none;
    cursor: pointer;
    user-select: none;
  }
  .markers {
    position: relative;
    height: 26px;
  }
  .rail {
    position: relative;
    height: 10px;
    border-radius: 5px;
    background: #e5e7eb;
  }
  .rail:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .played {
    position: absolute;
    inset: 0 auto 0 0;
    background: color-mix(in srgb, var(--_accent) 55%, #fff);
    border-radius: 5px;
  }
  .playhead {
    position: absolute;
    top: 0;
    bottom: 0;
    width: 2px;
    margin-left: -1px;
    background: var(--_accent);
    pointer-events: none;
  }
  .lanes {
    display: grid;
    gap: 3px;
    margin-top: 4px;
  }
  .lane {
    position: relative;
    height: 10px;
    background: color-mix(in srgb, var(--_live) 45%, #fff);
    border-radius: 3px;
  }
  .lane-name {
    position: absolute;
    right: 100%;
    margin-right: 0.5rem;
    top: 50%;
    transform: translateY(-50%);
    font-size: 0.72rem;
    color: var(--_muted);
    white-space: nowrap;
  }
  .gap {
    position: absolute;
    top: 0;
    bottom: 0;
    background: repeating-linear-gradient(135deg, var(--_gap) 0 3px, #e5e7eb 3px 6px);
    border-radius: 2px;
  }
  .gap:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }
  .tip {
    display: none;
    position: absolute;
    bottom: calc(100% + 6px);
    left: 50%;
    transform: translateX(-50%);
    white-space: nowrap;
    background: #111827;
    color: #fff;
    font-size: 0.8rem;
    padding: 0.25em 0.5em;
    border-radius: 4px;
    z-index: 2;
  }
  .gap:hover .tip,
  .gap:focus .tip {
    display: block;
  }

  /* Markers: a shape per kind, a colour per kind or severity */
  .marker {
    position: absolute;
    top: 1px;
    width: 24px;
    height: 24px;
    margin-left: -12px;
    padding: 0;
    border: 0;
    background: transparent;
    display: grid;
    place-items: center;
    z-index: 1;
    --_c: var(--_log);
  }
  .marker.static {
    position: static;
    margin: 0;
    width: 16px;
    height: 16px;
    display: inline-grid;
  }
  .marker .shape {
    width: 11px;
    height: 11px;
    background: var(--_c);
    box-shadow: 0 0 0 1.5px #fff;
  }
  .marker:hover .shape,
  .marker:focus-visible .shape {
    transform: scale(1.35);
  }
  .marker[data-kind='signal'] .shape {
    transform: rotate(45deg) scale(0.85);
  }
  .marker[data-kind='signal']:hover .shape {
    transform: rotate(45deg) scale(1.2);
  }
  .marker[data-kind='note'] {
    --_c: var(--_note);
  }
  .marker[data-kind='note'] .shape {
    border-radius: 50%;
  }
  .marker[data-kind='screenshot'] {
    --_c: var(--_shot);
  }
  .marker[data-kind='screenshot'] .shape {
    border-radius: 2px;
  }
  .marker[data-kind='command'] {
    --_c: var(--_command);
  }
  .marker[data-kind='command'] .shape {
    clip-path: polygon(50% 100%, 0 0, 100% 0);
    box-shadow: none;
  }
  .marker[data-kind='log'] .shape {
    width: 4px;
    height: 14px;
    border-radius: 2px;
  }
  .marker[data-kind='verdict'] {
    --_c: var(--_verdict);
  }
  .marker[data-kind='verdict'] .shape {
    width: 14px;
    height: 14px;
    clip-path: polygon(50% 0, 61% 35%, 98% 35%, 68% 57%, 79% 91%, 50% 70%, 21% 91%, 32% 57%, 2% 35%, 39% 35%);
    box-shadow: none;
  }
  .marker[data-kind='flag'] .shape {
    width: 12px;
    height: 14px;
    clip-path: polygon(0 0, 100% 25%, 15% 50%, 15% 100%, 0 100%);
    box-shadow: none;
  }
  .marker[data-kind='signal'][data-severity='info'] {
    --_c: var(--_gap);
  }
  .marker[data-severity='low'] {
    --_c: var(--_low);
  }
  .marker[data-severity='medium'] {
    --_c: var(--_medium);
  }
  .marker[data-severity='high'] {
    --_c: var(--_high);
  }
  .marker[data-dismissed] .shape {
    background: transparent;
    box-shadow: inset 0 0 0 2px var(--_c);
  }
  /* A signal confirmed as an incident: ringed, as a flag's colour is strong */
  .marker[data-confirmed] .shape {
    box-shadow: 0 0 0 1.5px #fff, 0 0 0 3.5px var(--_fg);
  }
  .flag-range {
    position: absolute;
    bottom: 0;
    height: 5px;
    border-radius: 2px;
    background: color-mix(in srgb, var(--_medium) 45%, transparent);
  }
  .flag-range[data-severity='low'] {
    background: color-mix(in srgb, var(--_low) 45%, transparent);
  }
  .flag-range[data-severity='high'] {
    background: color-mix(in srgb, var(--_high) 45%, transparent);
  }
  .legend {
    list-style: none;
    margin: 0;
    padding: 0 0 0 4.5rem;
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1rem;
    font-size: 0.8rem;
    color: var(--_muted);
  }
  .legend li {
    display: inline-flex;
    align-items: center;
    gap: 0.3rem;
  }
  .swatch {
    display: inline-block;
    width: 10px;
    height: 10px;
    border-radius: 2px;
    background: var(--_medium);
  }
  .swatch[data-severity='low'] {
    background: var(--_low);
  }
  .swatch[data-severity='high'] {
    background: var(--_high);
  }
  .gap-swatch {
    background: repeating-linear-gradient(135deg, var(--_gap) 0 3px, #e5e7eb 3px 6px);
    width: 18px;
  }

  /* Transport */
  .transport {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4rem;
  }
  .transport .icon {
    background: #fff;
    border-color: var(--_border);
    font-variant-numeric: tabular-nums;
  }
  .flag-glyph {
    color: var(--_high);
  }
  .play {
    width: 2.75rem;
    height: 2.25rem;
    display: grid;
    place-items: center;
    padding: 0;
  }
  .play-glyph {
    width: 0;
    height: 0;
    border-style: solid;
    border-width: 8px 0 8px 13px;
    border-color: transparent transparent transparent #fff;
    margin-left: 3px;
  }
  .pause-glyph {
    width: 12px;
    height: 15px;
    border-left: 4px solid #fff;
    border-right: 4px solid #fff;
    box-sizing: border-box;
  }
  .speed select {
    font: inherit;
    padding: 0.35em 0.4em;
    border-radius: 8px;
    border: 1px solid var(--_border);
    background: #fff;
  }
  .clock {
    margin: 0 0 0 0.5rem;
    display: flex;
    gap: 0.75rem;
    align-items: baseline;
    font-variant-numeric: tabular-nums;
  }
  .clock strong {
    font-size: 1.1rem;
  }
  .wall,
  .buffering {
    color: var(--_muted);
    font-size: 0.85rem;
  }
  .spacer {
    flex: 1;
  }
  .keys {
    font-weight: 700;
    width: 2.25rem;
    padding: 0.4em 0;
  }

  /* Below: the events, the forms, the verdict */
  .below {
    display: grid;
    grid-template-columns: minmax(0, 3fr) minmax(16rem, 2fr);
    gap: 0.75rem;
    align-items: start;
  }
  @media (max-width: 800px) {
    .below {
      grid-template-columns: 1fr;
    }
  }
  .side {
    display: grid;
    gap: 0.75rem;
  }
  .card {
    background: #fff;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.75rem;
    display: grid;
    gap: 0.5rem;
    align-content: start;
  }
  .event-list {
    position: relative;
    list-style: none;
    margin: 0;
    padding: 0;
    max-height: 22rem;
    overflow: auto;
    font-size: 0.88rem;
  }
  .event-list [part='event'] {
    display: flex;
    gap: 0.6rem;
    width: 100%;
    text-align: left;
    background: transparent;
    border-radius: 4px;
    padding: 0.2rem 0.4rem;
    border-left: 3px solid transparent;
  }
  .event-list [part='event']:hover {
    background: #f3f4f6;
  }
  .event-list [part='event'][aria-current='true'] {
    background: color-mix(in srgb, var(--_accent) 12%, #fff);
  }
  .event-list time {
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
    flex: none;
    min-width: 3.2rem;
  }
  .event-list li[data-tone='signal'] [part='event'] {
    border-left-color: var(--_medium);
  }
  .event-list li[data-tone='problem'] [part='event'] {
    border-left-color: var(--_danger);
  }
  .event-list li[data-tone='command'] [part='event'] {
    border-left-color: var(--_command);
  }
  /* A signal's judgement or its actions, under the line's words */
  .event-list .judge,
  .event-list .judgement {
    margin: 0.1rem 0 0.35rem calc(3px + 0.4rem + 3.2rem + 0.6rem);
  }
  .event-list .judge button {
    background: #fff;
    border-color: var(--_border);
  }
  .event-list .judge button:hover {
    background: #f3f4f6;
  }
  .event-list li[data-type^='flag.'] [part='event'],
  .event-list li[data-type^='note.'] [part='event'],
  .event-list li[data-type^='verdict.'] [part='event'] {
    border-left-color: var(--_note);
  }
  form {
    display: grid;
    gap: 0.4rem;
  }
  label {
    font-size: 0.88rem;
  }
  textarea,
  input:not([type]),
  select {
    font: inherit;
    border: 1px solid var(--_border);
    border-radius: 6px;
    padding: 0.35em 0.5em;
  }
  fieldset {
    border: 0;
    padding: 0;
    margin: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.9rem;
    font-size: 0.88rem;
  }
  legend {
    font-weight: 600;
    padding: 0;
    margin-bottom: 0.2rem;
    width: 100%;
  }
  fieldset label {
    display: inline-flex;
    align-items: center;
    gap: 0.25rem;
  }
  .range {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  .range input {
    width: 5.5em;
    font-variant-numeric: tabular-nums;
  }
  .actions {
    display: flex;
    gap: 0.5rem;
    justify-content: flex-end;
  }
  .actions.start {
    justify-content: flex-start;
    flex-wrap: wrap;
  }
  .verdict-history {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.4rem;
  }
  .verdict-entry {
    border-left: 3px solid var(--_muted);
    padding-left: 0.5rem;
    font-size: 0.88rem;
  }
  .verdict-entry p {
    margin: 0;
  }
  .verdict-entry[data-verdict='accepted'] {
    border-color: var(--_live);
  }
  .verdict-entry[data-verdict='rejected'] {
    border-color: var(--_danger);
  }
  .verdict-entry[data-verdict='inconclusive'] {
    border-color: var(--_warn);
  }
  .help {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 1.25rem;
    max-width: 26rem;
  }
  .help::backdrop {
    background: #0008;
  }
  .help dl {
    margin: 0.75rem 0;
    display: grid;
    gap: 0.35rem;
  }
  .help dl div {
    display: grid;
    grid-template-columns: 9rem 1fr;
    gap: 0.5rem;
  }
  .help dt,
  .help dd {
    margin: 0;
  }
  .help form {
    justify-items: end;
  }
`;

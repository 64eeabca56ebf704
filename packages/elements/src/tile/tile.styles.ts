import { css } from 'lit';

export const tileStyles = css`
  :host {
    --_bg: var(--proctor-tile-background, #111827);
    --_fg: var(--proctor-tile-color, #f9fafb);
    --_feed-bg: var(--proctor-tile-feed-background, #1f2937);
    --_paused: var(--proctor-color-paused, #60a5fa);
    display: block;
    box-sizing: border-box;
    background: var(--_bg);
    color: var(--_fg);
    border-radius: var(--_radius);
    border: 2px solid transparent;
    overflow: hidden;
    min-width: 0;
  }
  :host([status='live']) {
    border-color: color-mix(in srgb, var(--_live) 45%, transparent);
  }
  :host([status='feed-lost']) {
    border-color: var(--_warn);
  }
  :host([status='offline']) {
    opacity: 0.72;
  }
  :host([paused]) {
    border-color: color-mix(in srgb, var(--_paused) 55%, transparent);
  }
  :host([status='ended']) {
    opacity: 0.6;
  }
  :host(:focus-visible) {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  header {
    display: flex;
    align-items: center;
    gap: 0.5em;
    padding: 0.4em 0.6em;
    font-size: 0.9rem;
  }
  .name {
    font-weight: 600;
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .signals {
    min-width: 1.5em;
    box-sizing: border-box;
    padding: 0.1em 0.45em;
    border-radius: 999px;
    background: var(--_warn);
    color: #111827;
    font-size: 0.75rem;
    font-weight: 700;
    text-align: center;
    font-variant-numeric: tabular-nums;
  }
  .identity {
    padding: 0.1em 0.45em;
    border-radius: 999px;
    background: var(--_accent);
    color: #fff;
    font-size: 0.7rem;
    font-weight: 700;
    letter-spacing: 0.04em;
  }
  .clock {
    display: inline-flex;
    align-items: center;
    gap: 0.35em;
    font-size: 0.8rem;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
    color: rgb(255 255 255 / 0.88);
  }
  .clock[data-phase='paused'] {
    color: var(--_paused);
    font-weight: 600;
  }
  .clock[data-phase='not-started'],
  .clock[data-phase='ended'] {
    color: rgb(255 255 255 / 0.6);
  }
  :host([focused]) header {
    font-size: 1rem;
    padding: 0.55em 0.8em;
  }
  :host([focused]) .clock {
    font-size: 0.95rem;
  }
  .status {
    display: inline-flex;
    align-items: center;
    gap: 0.35em;
    font-size: 0.75rem;
    padding: 0.15em 0.55em;
    border-radius: 999px;
    background: rgb(255 255 255 / 0.08);
    white-space: nowrap;
  }
  .status::before {
    content: '';
    width: 0.55em;
    height: 0.55em;
    border-radius: 50%;
    background: var(--_muted);
  }
  .status[data-status='live']::before {
    background: var(--_live);
  }
  .status[data-status='feed-lost']::before {
    background: var(--_warn);
  }
  .status[data-status='offline']::before {
    background: var(--_danger);
  }
  .feeds {
    display: grid;
    grid-template-columns: repeat(3, minmax(0, 1fr));
    gap: 2px;
  }
  :host([focused]) .feeds {
    grid-template-columns: minmax(0, 1fr) minmax(0, 2.2fr);
    grid-template-rows: auto auto;
  }
  :host([focused]) [data-feed='screen'] {
    grid-column: 2;
    grid-row: 1 / span 2;
  }
  :host([focused]) [data-feed='webcam'],
  :host([focused]) [data-feed='phone'] {
    grid-column: 1;
  }
  figure {
    position: relative;
    margin: 0;
    aspect-ratio: 4 / 3;
    background: var(--_feed-bg);
    display: grid;
    place-items: center;
    overflow: hidden;
  }
  :host([focused]) [data-feed='screen'] {
    aspect-ratio: auto;
    min-height: 100%;
  }
  video {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    object-fit: contain;
    background: #000;
  }
  figcaption {
    position: absolute;
    left: 0.35em;
    bottom: 0.3em;
    font-size: 0.68rem;
    padding: 0.05em 0.4em;
    border-radius: 4px;
    background: rgb(0 0 0 / 0.55);
    z-index: 1;
  }
  .recording {
    position: absolute;
    right: 0.35em;
    top: 0.3em;
    z-index: 1;
    display: inline-flex;
    align-items: center;
    gap: 0.3em;
    font-size: 0.64rem;
    font-weight: 600;
    letter-spacing: 0.02em;
    padding: 0.05em 0.45em;
    border-radius: 4px;
    background: rgb(0 0 0 / 0.6);
  }
  .recording::before {
    content: '';
    width: 0.5em;
    height: 0.5em;
    border-radius: 50%;
    background: var(--_danger);
  }
  .recording[data-state='uploading']::before,
  .recording[data-state='incomplete']::before {
    background: var(--_warn);
  }
  .placeholder {
    position: relative;
    z-index: 1;
    font-size: 0.75rem;
    color: rgb(255 255 255 / 0.6);
    text-align: center;
    padding: 0 0.5em;
  }
  [data-state='lost'] .placeholder {
    color: var(--_warn);
    font-weight: 600;
    background: rgb(0 0 0 / 0.7);
    padding: 0.2em 0.6em;
    border-radius: 4px;
  }
`;

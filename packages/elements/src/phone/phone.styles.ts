import { css } from 'lit';
import { recordingStatusStyles } from '../shared/recording-status.styles.js';

// Mobile first: one column, thumb-sized buttons, text that reads at arm's length.
export const phoneStyles = css`
  ${recordingStatusStyles}
  :host {
    --_bg: var(--proctor-phone-background, #ffffff);
    --_fg: var(--proctor-phone-color, #111827);
    --_border: var(--proctor-phone-border, #e5e7eb);
    display: block;
    box-sizing: border-box;
    max-width: 36rem;
    background: var(--_bg);
    color: var(--_fg);
    line-height: 1.45;
    font-size: 1rem;
  }
  h2 {
    margin: 0 0 0.6rem;
    font-size: 1.3rem;
    line-height: 1.25;
  }
  h2:focus {
    outline: none;
  }
  h2:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .who {
    display: block;
    font-size: 0.95rem;
    font-weight: 400;
    color: var(--_muted);
  }
  p {
    margin: 0 0 0.8rem;
  }
  .fine {
    color: var(--_muted);
    font-size: 0.9rem;
  }
  .facts {
    margin: 0 0 1rem;
    padding-left: 1.2rem;
  }
  .facts li {
    margin-bottom: 0.35rem;
  }
  label {
    display: block;
    font-weight: 600;
    margin-bottom: 0.15rem;
  }
  label + .fine {
    margin-bottom: 0.4rem;
  }
  .code {
    box-sizing: border-box;
    display: block;
    width: 100%;
    max-width: 17rem;
    font: inherit;
    font-size: 1.9rem;
    font-weight: 600;
    letter-spacing: 0.14em;
    font-variant-numeric: tabular-nums;
    font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
    text-transform: uppercase;
    padding: 0.35rem 0.6rem;
    border: 2px solid #9ca3af;
    border-radius: 10px;
    background: #fff;
    color: #111827;
  }
  .code:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .code[aria-invalid='true'] {
    border-color: var(--_danger);
  }
  form {
    display: grid;
    gap: 0.2rem;
  }
  button {
    min-height: 3rem;
    font-size: 1.05rem;
    font-weight: 600;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.5em;
  }
  form .primary,
  .problem .primary,
  .room-scan .primary {
    width: 100%;
    margin-top: 0.8rem;
  }
  .secondary {
    border-color: #9ca3af;
    width: 100%;
  }
  .error {
    color: var(--_danger);
    margin: 0.4rem 0 0;
    font-weight: 500;
  }
  .problem {
    padding: 0.75rem 0.9rem;
    border-radius: var(--_radius);
    border: 1px solid color-mix(in srgb, var(--_danger) 35%, transparent);
    border-left: 5px solid var(--_danger);
    background: color-mix(in srgb, var(--_danger) 6%, var(--_bg));
    margin: 0 0 1rem;
  }
  .problem[data-tone='info'] {
    border-color: color-mix(in srgb, var(--_accent) 35%, transparent);
    border-left-color: var(--_accent);
    background: color-mix(in srgb, var(--_accent) 6%, var(--_bg));
  }
  .problem p {
    margin: 0;
  }
  .status {
    display: flex;
    align-items: center;
    gap: 0.55em;
    padding: 0.55rem 0.8rem;
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_fg) 6%, var(--_bg));
    font-weight: 600;
    font-size: 0.95rem;
  }
  .dot {
    flex: none;
    width: 0.7em;
    height: 0.7em;
    border-radius: 50%;
    background: var(--_muted);
  }
  .status[data-status='sending'] {
    background: color-mix(in srgb, var(--_live) 12%, var(--_bg));
  }
  .status[data-status='sending'] .dot {
    background: var(--_live);
  }
  .status[data-status='reconnecting'] {
    background: color-mix(in srgb, var(--_warn) 14%, var(--_bg));
  }
  .status[data-status='reconnecting'] .dot {
    background: var(--_warn);
  }
  .recording {
    display: flex;
    align-items: center;
    gap: 0.45em;
    margin: -0.3rem 0 0.9rem;
    padding: 0 0.8rem;
    font-size: 0.9rem;
    color: var(--_muted);
  }
  .ended .recording {
    margin: 0;
    padding: 0;
  }
  .room-scan {
    margin: 0 0 0.9rem;
    padding: 0.85rem 1rem;
    border-radius: var(--_radius);
    background: var(--_accent);
    color: #fff;
    font-size: 1.05rem;
  }
  .room-scan p {
    margin: 0;
  }
  .room-scan .primary {
    background: #fff;
    color: var(--_accent);
  }
  .room-scan .primary:focus-visible {
    outline-color: #fff;
  }
  .preview {
    margin: 0 0 0.9rem;
    border-radius: var(--_radius);
    overflow: hidden;
    background: #111827;
    color: #d1d5db;
    min-height: 12rem;
    display: grid;
    place-items: center;
    text-align: center;
  }
  video {
    display: block;
    width: 100%;
    max-height: 62vh;
    object-fit: contain;
    background: #000;
  }
  /* The front camera reads like a mirror, as phones show it. */
  .preview[data-facing='user'] video {
    transform: scaleX(-1);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.6rem;
    margin-bottom: 0.9rem;
  }
  .actions:empty {
    display: none;
  }
  .ended {
    padding: 1rem;
    border-radius: var(--_radius);
    border: 1px solid var(--_border);
  }
`;

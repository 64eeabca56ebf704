import { css } from 'lit';

/**
 * System tokens every element falls back to; a page themes all elements at once by setting
 * `--proctor-color-*` and `--proctor-font` on an ancestor. Also the base of every element's
 * buttons: `.primary` and `.secondary` (on the element's `--_border`) for the light elements; the
 * supervisor's dark controls restyle them (`darkControlStyles`).
 */
export const systemTokens = css`
  :host {
    --_accent: var(--proctor-color-accent, #2563eb);
    --_live: var(--proctor-color-live, #16a34a);
    --_warn: var(--proctor-color-warning, #d97706);
    --_danger: var(--proctor-color-danger, #dc2626);
    --_muted: var(--proctor-color-muted, #6b7280);
    --_radius: var(--proctor-radius, 10px);
    font-family: var(--proctor-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
  }
  :host([hidden]) {
    display: none;
  }
  button {
    font: inherit;
    cursor: pointer;
    border-radius: 8px;
    border: 1px solid transparent;
    padding: 0.5em 1em;
  }
  .primary {
    background: var(--_accent);
    color: #fff;
  }
  .secondary {
    background: transparent;
    border-color: var(--_border);
    color: inherit;
  }
  button:disabled {
    opacity: 0.55;
    cursor: default;
  }
  button:focus-visible,
  [tabindex]:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;

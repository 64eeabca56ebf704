import { css } from 'lit';

export const phonePairingStyles = css`
  :host {
    --_bg: var(--proctor-phone-pairing-background, #ffffff);
    --_fg: var(--proctor-phone-pairing-color, #111827);
    --_border: var(--proctor-phone-pairing-border, #e5e7eb);
    display: block;
    background: var(--_bg);
    color: var(--_fg);
    line-height: 1.45;
  }
  h3 {
    margin: 0 0 0.5rem;
    font-size: 1.05rem;
  }
  p {
    margin: 0 0 0.6rem;
  }
  .fine {
    color: var(--_muted);
    font-size: 0.88rem;
  }
  .status {
    display: flex;
    align-items: baseline;
    gap: 0.5em;
    font-weight: 600;
  }
  .dot {
    flex: none;
    width: 0.65em;
    height: 0.65em;
    border-radius: 50%;
    background: var(--_muted);
    transform: translateY(0.05em);
  }
  .status[data-phone='live'] {
    color: color-mix(in srgb, var(--_live) 75%, var(--_fg));
  }
  .status[data-phone='live'] .dot {
    background: var(--_live);
  }
  .status[data-phone='lost'] .dot {
    background: var(--_warn);
  }
  .pairing {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.8rem;
    margin: 0 0 0.6rem;
    text-align: center;
  }
  .step {
    font-size: 0.92rem;
    margin: 0 0 0.5rem;
  }
  .qr {
    display: block;
    width: 11rem;
    height: 11rem;
    margin: 0 auto 0.75rem;
    /* The QR code stays black on white, whatever the theme: phones read it best that way. */
    background: #fff;
    padding: 0.4rem;
    border-radius: 6px;
  }
  .step strong {
    word-break: break-all;
  }
  .code {
    font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
    font-size: 2rem;
    font-weight: 700;
    letter-spacing: 0.12em;
    margin: 0 0 0.4rem;
    font-variant-numeric: tabular-nums;
  }
  .expires {
    font-variant-numeric: tabular-nums;
  }
  details {
    text-align: left;
    font-size: 0.9rem;
  }
  summary {
    cursor: pointer;
    color: var(--_accent);
  }
  summary:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  details[open] summary {
    margin-bottom: 0.4rem;
  }
  .link {
    display: flex;
    gap: 0.4rem;
  }
  .link input {
    flex: 1;
    min-width: 0;
    font: inherit;
    font-size: 0.8rem;
    padding: 0.35rem 0.5rem;
    border: 1px solid var(--_border);
    border-radius: 6px;
    color: inherit;
    background: transparent;
  }
  .notice {
    margin: 0.3rem 0 0;
    font-size: 0.85rem;
    color: var(--_muted);
  }
  .notice:empty {
    margin: 0;
  }
  .expired-text {
    color: color-mix(in srgb, var(--_warn) 70%, var(--_fg));
  }
  .actions {
    display: flex;
    justify-content: center;
    gap: 0.6em;
    flex-wrap: wrap;
  }
  :host > .actions {
    justify-content: flex-start;
  }
  .secondary {
    border-color: #d1d5db;
  }
  .error {
    color: var(--_danger);
  }
`;

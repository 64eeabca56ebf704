import { css } from 'lit';

export const deviceCheckStyles = css`
  :host {
    --_bg: var(--proctor-device-check-background, #ffffff);
    --_fg: var(--proctor-device-check-color, #111827);
    --_border: var(--proctor-device-check-border, #e5e7eb);
    display: block;
    container-type: inline-size;
    background: var(--_bg);
    color: var(--_fg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-sizing: border-box;
    max-width: 44rem;
    padding: 1rem 1.25rem;
    line-height: 1.45;
  }
  header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 1em;
    margin-bottom: 0.75rem;
  }
  h2 {
    font-size: 1.1rem;
    margin: 0;
  }
  h3 {
    font-size: 0.95rem;
    margin: 0 0 0.6rem;
    display: flex;
    align-items: center;
    gap: 0.45em;
  }
  p {
    margin: 0;
  }
  [part='start'] p {
    margin-bottom: 1rem;
  }
  .fine {
    color: var(--_muted);
    font-size: 0.85rem;
  }
  .icon {
    display: flex;
    color: var(--_accent);
  }

  /* The five cards */
  .checks {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(12.5rem, 1fr));
    gap: 0.75rem;
  }
  .card {
    border: 1px solid var(--_border);
    border-radius: 8px;
    padding: 0.75rem 0.85rem;
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
    min-width: 0;
  }
  .card h3 {
    margin: 0;
  }
  .card button {
    align-self: flex-start;
    margin-top: auto;
    font-size: 0.9rem;
    padding: 0.45em 0.9em;
  }
  .card[data-check='browser'] {
    grid-column: span 2;
  }
  @container (max-width: 27rem) {
    .card[data-check='browser'] {
      grid-column: auto;
    }
  }
  .frame {
    position: relative;
    aspect-ratio: 4 / 3;
    border-radius: 6px;
    overflow: hidden;
    background: #111827;
    display: grid;
    place-items: center;
    color: #d1d5db;
    font-size: 0.85rem;
  }
  video {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    object-fit: cover;
    transform: scaleX(-1);
  }
  .figure {
    font-variant-numeric: tabular-nums;
    font-weight: 600;
    font-size: 0.9rem;
  }
  .meter {
    height: 0.75rem;
    border-radius: 999px;
    background: color-mix(in srgb, var(--_muted) 18%, var(--_bg));
    overflow: hidden;
  }
  .meter span {
    display: block;
    height: 100%;
    background: var(--_accent);
    border-radius: inherit;
    transition: width 80ms linear;
  }
  .figures {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 0.25rem 0.75rem;
    margin: 0;
    font-size: 0.9rem;
  }
  dt {
    color: var(--_muted);
  }
  dd {
    margin: 0;
    text-align: right;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .features {
    list-style: none;
    padding: 0;
    margin: 0;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr));
    gap: 0.3rem 1rem;
    font-size: 0.88rem;
  }
  .features li {
    display: flex;
    align-items: center;
    gap: 0.4em;
  }
  .features svg {
    flex: none;
    width: 16px;
    height: 16px;
  }
  .features [data-supported='true'] svg {
    color: var(--_live);
  }
  .features [data-supported='false'] {
    color: var(--_danger);
    font-weight: 600;
  }

  /* The summary */
  .summary {
    margin-top: 1rem;
    padding-top: 0.9rem;
    border-top: 1px solid var(--_border);
  }
  .summary h3 {
    font-size: 1.05rem;
  }
  .summary h3:focus {
    outline: none;
  }
  .summary ul {
    list-style: none;
    padding: 0;
    margin: 0;
    display: grid;
    gap: 0.45rem;
  }
  .summary li {
    display: grid;
    grid-template-columns: auto 8.5rem 1fr;
    align-items: start;
    gap: 0.1rem 0.6rem;
    font-size: 0.9rem;
  }
  .summary li[data-verdict='warn'],
  .summary li[data-verdict='fail'] {
    padding: 0.45rem 0.6rem;
    margin-inline: -0.6rem;
    border-radius: 6px;
    background: color-mix(in srgb, var(--_tone) 8%, var(--_bg));
  }
  .what {
    display: flex;
    flex-direction: column;
  }
  .verdict {
    font-size: 0.75rem;
    text-transform: uppercase;
    letter-spacing: 0.05em;
    font-weight: 700;
    color: var(--_tone);
  }
  [data-verdict] {
    --_tone: var(--_muted);
  }
  [data-verdict='pass'] {
    --_tone: var(--_live);
  }
  [data-verdict='warn'] {
    --_tone: var(--_warn);
  }
  [data-verdict='fail'] {
    --_tone: var(--_danger);
  }
  .icon[data-verdict] {
    color: var(--_tone);
  }
  @container (max-width: 27rem) {
    .summary li {
      grid-template-columns: auto 1fr;
    }
    .message {
      grid-column: 2;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .meter span {
      transition: none;
    }
  }
`;

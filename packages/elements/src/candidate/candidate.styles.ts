import { css } from 'lit';

export const candidateStyles = css`
  :host {
    --_bg: var(--proctor-candidate-background, #ffffff);
    --_fg: var(--proctor-candidate-color, #111827);
    --_border: var(--proctor-candidate-border, #e5e7eb);
    display: block;
    background: var(--_bg);
    color: var(--_fg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 1rem 1.25rem;
    box-sizing: border-box;
    max-width: 44rem;
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
  .connection {
    font-size: 0.8rem;
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    color: var(--_muted);
  }
  .connection::before {
    content: '';
    width: 0.6em;
    height: 0.6em;
    border-radius: 50%;
    background: var(--_warn);
  }
  .connection[data-state='open']::before {
    background: var(--_live);
  }
  .connection[data-state='closed']::before {
    background: var(--_danger);
  }
  ul.captures {
    padding: 0;
    list-style: none;
    display: grid;
    gap: 0.6em;
    margin: 0.75rem 0;
  }
  ul.captures li {
    display: grid;
    grid-template-columns: 2rem 1fr;
    align-items: start;
  }
  .icon {
    color: var(--_accent);
    padding-top: 0.1em;
  }
  .fine {
    color: var(--_muted);
    font-size: 0.88rem;
  }
  .actions {
    display: flex;
    gap: 0.6em;
    margin-top: 1rem;
    flex-wrap: wrap;
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
  .previews {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(11rem, 15rem));
    gap: 0.75rem;
  }
  figure {
    margin: 0;
    border: 1px solid var(--_border);
    border-radius: 8px;
    overflow: hidden;
  }
  .frame {
    position: relative;
    aspect-ratio: 4 / 3;
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
    object-fit: contain;
  }
  [data-feed='webcam'] video {
    transform: scaleX(-1);
  }
  figcaption {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: 0.5em;
    padding: 0.4em 0.6em;
    font-size: 0.85rem;
  }
  .feed-state[data-state='live'] {
    color: var(--_live);
    font-weight: 600;
  }
  .feed-state[data-state='failed'] {
    color: var(--_danger);
    font-weight: 600;
  }
  .problem {
    border-left: 4px solid var(--_danger);
    background: color-mix(in srgb, var(--_danger) 8%, transparent);
    padding: 0.6em 0.8em;
    margin: 0.75rem 0 0;
    border-radius: 4px;
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 1em;
    flex-wrap: wrap;
  }
  .problem button {
    background: var(--_danger);
    color: #fff;
  }
  .fatal {
    border-left: 4px solid var(--_danger);
    padding: 0.6em 0.8em;
  }
`;

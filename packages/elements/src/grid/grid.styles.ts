import { css } from 'lit';

export const gridStyles = css`
  :host {
    --_gap: var(--proctor-grid-gap, 8px);
    --_bg: var(--proctor-grid-background, #030712);
    --_fg: var(--proctor-grid-color, #e5e7eb);
    display: block;
    background: var(--_bg);
    color: var(--_fg);
    padding: var(--_gap);
    box-sizing: border-box;
    border-radius: var(--_radius);
  }
  .toolbar {
    display: flex;
    align-items: center;
    gap: 1em;
    flex-wrap: wrap;
    margin-bottom: var(--_gap);
    font-size: 0.9rem;
  }
  .summary {
    flex: 1;
    display: flex;
    gap: 1em;
    align-items: baseline;
    flex-wrap: wrap;
  }
  .summary strong {
    font-size: 1rem;
  }
  .count {
    color: rgb(255 255 255 / 0.7);
  }
  .connection[data-state='reconnecting'],
  .connection[data-state='connecting'] {
    color: var(--_warn);
  }
  .connection[data-state='closed'] {
    color: var(--_danger);
  }
  .pager {
    display: flex;
    align-items: center;
    gap: 0.5em;
  }
  .pager button,
  .back {
    background: rgb(255 255 255 / 0.1);
    color: inherit;
    border-color: rgb(255 255 255 / 0.15);
  }
  .pager button:disabled {
    opacity: 0.4;
    cursor: default;
  }
  .tiles {
    display: grid;
    grid-template-columns: repeat(var(--_columns), minmax(0, 1fr));
    gap: var(--_gap);
  }
  proctor-tile {
    cursor: pointer;
  }
  .focus {
    display: grid;
    gap: var(--_gap);
  }
  .focus-bar {
    display: flex;
    align-items: center;
    gap: 1em;
  }
  .hint {
    color: rgb(255 255 255 / 0.6);
    font-size: 0.85rem;
  }
  .empty,
  .error {
    padding: 3em 1em;
    text-align: center;
    color: rgb(255 255 255 / 0.7);
  }
  .error {
    color: #fecaca;
  }
`;

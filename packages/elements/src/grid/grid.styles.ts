import { css } from 'lit';

export const gridStyles = css`
  :host {
    --_gap: var(--proctor-grid-gap, 8px);
    --_bg: var(--proctor-grid-background, #030712);
    --_fg: var(--proctor-grid-color, #e5e7eb);
    --_panel-width: var(--proctor-grid-panel-width, 21rem);
    display: block;
    container-type: inline-size;
    background: var(--_bg);
    color: var(--_fg);
    padding: var(--_gap);
    box-sizing: border-box;
    border-radius: var(--_radius);
  }
  .toolbar {
    display: flex;
    align-items: center;
    gap: 0.75em 1em;
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
  .room-commands {
    display: flex;
    gap: 0.4em;
  }
  .feed-toggle[aria-expanded='true'] {
    background: rgb(255 255 255 / 0.2);
  }
  .pager {
    display: flex;
    align-items: center;
    gap: 0.5em;
  }
  .room-notice,
  .room-error {
    margin: 0 0 var(--_gap);
    font-size: 0.85rem;
  }
  .room-notice {
    color: #bbf7d0;
  }
  .wall {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--_gap);
  }
  .wall.with-feed {
    grid-template-columns: minmax(0, 1fr) var(--_panel-width);
  }
  .tiles {
    display: grid;
    grid-template-columns: repeat(var(--_columns), minmax(0, 1fr));
    gap: var(--_gap);
    align-content: start;
  }
  proctor-tile {
    cursor: pointer;
  }
  .panel {
    display: flex;
    flex-direction: column;
    gap: 0.6rem;
    min-width: 0;
    padding: 0.75rem;
    box-sizing: border-box;
    border-radius: var(--_radius);
    background: rgb(255 255 255 / 0.04);
    border: 1px solid rgb(255 255 255 / 0.08);
  }
  .panel[hidden] {
    display: none;
  }
  .panel h2 {
    margin: 0;
    font-size: 0.8rem;
    font-weight: 600;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: rgb(255 255 255 / 0.6);
  }
  .room-feed {
    min-height: 22rem;
  }
  /* The feeds fill what their panel has left and scroll: the tiles, not the log, set the height. */
  .panel .feed {
    flex: 1;
    min-height: 8rem;
    contain: size;
    overflow-y: auto;
    margin: 0 -0.25rem;
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
  .focus-body {
    display: grid;
    grid-template-columns: minmax(0, 1fr) var(--_panel-width);
    gap: var(--_gap);
    align-items: start;
  }
  .side {
    align-self: stretch;
    gap: 0.9rem;
  }
  .side .feed {
    min-height: 14rem;
  }
  .side h2 {
    margin-top: 0.2rem;
  }
  .hint {
    color: rgb(255 255 255 / 0.6);
    font-size: 0.85rem;
  }
  .empty,
  .refused {
    margin: 0;
    padding: 3em 1em;
    text-align: center;
    color: rgb(255 255 255 / 0.7);
  }
  .refused {
    color: #fecaca;
  }
  @container (max-width: 52rem) {
    .wall.with-feed,
    .focus-body {
      grid-template-columns: minmax(0, 1fr);
    }
    .panel .feed {
      contain: none;
      max-height: 18rem;
    }
  }
`;

import { css } from 'lit';

export const eventFeedStyles = css`
  :host {
    --_signal-bg: var(--proctor-event-feed-signal-background, color-mix(in srgb, var(--_warn) 16%, transparent));
    --_review: var(--proctor-color-review, #a78bfa);
    display: block;
    font-size: 0.85rem;
    line-height: 1.35;
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 1px;
  }
  li,
  li > button {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr);
    gap: 0.6em;
    align-items: baseline;
  }
  li {
    padding: 0.3em 0.5em 0.3em 0.6em;
    border-left: 3px solid transparent;
    border-radius: 4px;
  }
  li:has(> button) {
    display: block;
    padding: 0;
  }
  li > button {
    width: 100%;
    padding: 0.3em 0.5em 0.3em 0.6em;
    background: none;
    color: inherit;
    border: 0;
    border-radius: 4px;
    text-align: left;
    font-size: inherit;
  }
  li > button:hover {
    background: color-mix(in srgb, currentColor 8%, transparent);
  }
  li[data-tone='signal'] {
    background: var(--_signal-bg);
    border-left-color: var(--_warn);
  }
  li[data-tone='command'] {
    border-left-color: color-mix(in srgb, var(--_accent) 80%, white);
  }
  li[data-tone='problem'] {
    border-left-color: var(--_danger);
  }
  li[data-tone='review'] {
    border-left-color: var(--_review);
  }
  time {
    font-variant-numeric: tabular-nums;
    opacity: 0.6;
    font-size: 0.9em;
  }
  .text {
    overflow-wrap: anywhere;
  }
  .who {
    font-weight: 600;
    margin-right: 0.25em;
  }
  li[data-tone='log'] .text,
  li[data-tone='info'] .text {
    opacity: 0.85;
  }
  .empty {
    margin: 0;
    padding: 0.5em;
    opacity: 0.6;
  }
`;

import { css } from 'lit';
import { darkControlStyles } from '../../controls/controls.styles.js';

export const observationPanelStyles = [
  darkControlStyles,
  css`
    :host {
      display: block;
      font-size: 0.9rem;
    }
    section {
      display: grid;
      gap: 0.6rem;
    }
    h2 {
      margin: 0;
      font-size: 0.8rem;
      font-weight: 600;
      text-transform: uppercase;
      letter-spacing: 0.04em;
      color: rgb(255 255 255 / 0.6);
    }
    .note {
      display: grid;
      gap: 0.4rem;
    }
    label,
    .label {
      font-size: 0.85rem;
      font-weight: 600;
      color: rgb(255 255 255 / 0.75);
    }
    .head {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 0.5rem;
    }
    .note-actions {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 0.5rem;
    }
    .note-actions button {
      white-space: nowrap;
    }
    .hint {
      text-wrap: balance;
      font-size: 0.75rem;
      color: rgb(255 255 255 / 0.55);
    }
    .shots {
      display: grid;
      gap: 0.35rem;
    }
    .shots .buttons {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem;
    }
    .notice,
    .error {
      margin: 0;
      font-size: 0.85rem;
    }
    .notice {
      color: #bbf7d0;
    }
  `,
];

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
    .note-actions {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 0.5rem;
    }
    .hint {
      font-size: 0.78rem;
      color: rgb(255 255 255 / 0.55);
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 0.5rem;
    }
    .shots {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.35rem;
    }
    .shots .label {
      margin-right: 0.2rem;
    }
    .shots button {
      padding-inline: 0.65em;
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

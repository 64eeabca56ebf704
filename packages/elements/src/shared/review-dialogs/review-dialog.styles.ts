import { css } from 'lit';
import { darkControlStyles, dialogStyles } from '../../controls/controls.styles.js';
import { systemTokens } from '../theme.js';

/** The review dialogs: the wall's dark dialog, with radio groups, checkboxes and a select. */
export const reviewDialogStyles = [
  systemTokens,
  darkControlStyles,
  dialogStyles,
  css`
    fieldset {
      border: 0;
      margin: 0 0 0.9rem;
      padding: 0;
      display: flex;
      flex-wrap: wrap;
      gap: 0.35rem 1.1rem;
    }
    legend {
      padding: 0;
      margin-bottom: 0.4rem;
      font-size: 0.85rem;
      font-weight: 600;
    }
    dialog fieldset label {
      display: inline-flex;
      align-items: center;
      gap: 0.4rem;
      font-weight: 400;
      margin: 0;
    }
    input[type='radio'],
    input[type='checkbox'] {
      accent-color: var(--_accent);
      margin: 0;
      width: 1rem;
      height: 1rem;
    }
    select,
    textarea,
    .range {
      margin-bottom: 0.9rem;
    }
    select {
      font: inherit;
      font-size: 0.875rem;
      color: inherit;
      background: #1f2937;
      border: 1px solid rgb(255 255 255 / 0.2);
      border-radius: 8px;
      padding: 0.4em 0.5em;
      width: 100%;
    }
    select:focus-visible {
      outline: 3px solid var(--_accent);
      outline-offset: 1px;
    }
    .range {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      font-size: 0.9rem;
    }
    dialog p.range {
      margin: 0 0 0.9rem;
      color: inherit;
    }
    .range input {
      width: 4.5rem;
    }
    .label {
      display: block;
      font-size: 0.85rem;
      font-weight: 600;
      margin-bottom: 0.35rem;
    }
    h2 + label {
      margin-top: 0.9rem;
    }
    .optional {
      font-weight: 400;
      color: rgb(255 255 255 / 0.6);
    }
    [aria-invalid='true'] {
      border-color: #f87171;
    }
  `,
];

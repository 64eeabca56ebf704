import { css } from 'lit';

/** Buttons and fields on the wall's dark surfaces, shared by the grid's toolbar. */
export const darkControlStyles = css`
  button {
    background: rgb(255 255 255 / 0.1);
    color: inherit;
    border-color: rgb(255 255 255 / 0.16);
    padding: 0.4em 0.85em;
    font-size: 0.875rem;
  }
  button:hover:not(:disabled) {
    background: rgb(255 255 255 / 0.18);
  }
  button:disabled {
    opacity: 0.45;
    cursor: default;
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: #fff;
  }
  button.primary:hover:not(:disabled) {
    background: color-mix(in srgb, var(--_accent) 85%, white);
  }
  button.danger {
    background: transparent;
    border-color: color-mix(in srgb, var(--_danger) 70%, transparent);
    color: #fca5a5;
  }
  button.danger:hover:not(:disabled) {
    background: color-mix(in srgb, var(--_danger) 22%, transparent);
  }
  button.danger.solid {
    background: var(--_danger);
    border-color: var(--_danger);
    color: #fff;
  }
  button.danger.solid:hover:not(:disabled) {
    background: color-mix(in srgb, var(--_danger) 85%, black);
  }
  input,
  textarea {
    font: inherit;
    font-size: 0.875rem;
    color: inherit;
    background: rgb(0 0 0 / 0.35);
    border: 1px solid rgb(255 255 255 / 0.2);
    border-radius: 8px;
    padding: 0.4em 0.6em;
    box-sizing: border-box;
  }
  input:focus-visible,
  textarea:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 1px;
  }
  textarea {
    resize: vertical;
    width: 100%;
  }
  .error {
    color: #fecaca;
    margin: 0.4em 0 0;
    font-size: 0.85rem;
  }
  .error::before {
    content: '⚠ ';
  }
`;

/** A modal `<dialog>` on the wall: dark card, dimmed page behind. */
export const dialogStyles = css`
  dialog {
    width: min(30rem, calc(100vw - 2rem));
    box-sizing: border-box;
    padding: 1.25rem 1.4rem;
    border: 1px solid rgb(255 255 255 / 0.15);
    border-radius: var(--_radius);
    background: #111827;
    color: #f3f4f6;
    box-shadow: 0 20px 50px rgb(0 0 0 / 0.5);
  }
  dialog::backdrop {
    background: rgb(3 7 18 / 0.65);
  }
  dialog h2 {
    margin: 0 0 0.5rem;
    font-size: 1.1rem;
  }
  dialog p {
    margin: 0 0 0.9rem;
    color: rgb(255 255 255 / 0.75);
    font-size: 0.9rem;
    line-height: 1.45;
  }
  dialog label {
    display: block;
    font-size: 0.85rem;
    font-weight: 600;
    margin-bottom: 0.35rem;
  }
  .dialog-actions {
    display: flex;
    justify-content: flex-end;
    gap: 0.6rem;
    margin-top: 1.1rem;
  }
`;

export const controlsStyles = [
  darkControlStyles,
  css`
    :host {
      display: grid;
      gap: 0.9rem;
      font-size: 0.9rem;
    }
    .actions {
      display: flex;
      gap: 0.5rem;
      flex-wrap: wrap;
    }
    .actions .pause {
      flex: 1;
    }
    fieldset {
      border: 0;
      margin: 0;
      padding: 0;
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem;
      align-items: center;
    }
    legend,
    .message label {
      display: block;
      padding: 0;
      margin-bottom: 0.35rem;
      font-size: 0.85rem;
      font-weight: 600;
      color: rgb(255 255 255 / 0.75);
    }
    .extend > button {
      padding-inline: 0.7em;
    }
    .room-scan {
      display: grid;
      gap: 0.3rem;
      justify-items: start;
    }
    .room-scan .hint {
      font-size: 0.8rem;
      color: rgb(255 255 255 / 0.6);
    }
    .custom {
      display: flex;
      gap: 0.4rem;
    }
    .custom input {
      width: 3.75rem;
    }
    .message {
      display: grid;
      gap: 0.4rem;
      justify-items: end;
    }
    .message label {
      justify-self: start;
      margin: 0;
    }
    .messages {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.35rem;
    }
    .messages li {
      display: grid;
      gap: 0.1rem;
      padding: 0.4em 0.6em;
      border-radius: 6px;
      background: rgb(255 255 255 / 0.05);
    }
    .message-text {
      overflow-wrap: anywhere;
    }
    .meta {
      font-size: 0.78rem;
      color: rgb(255 255 255 / 0.55);
    }
    .seen {
      color: #86efac;
      font-weight: 600;
    }
    .notice {
      margin: 0;
      font-size: 0.85rem;
      color: rgb(255 255 255 / 0.7);
    }
    .ended {
      margin: 0;
      padding: 0.6em 0.8em;
      border-radius: 8px;
      background: rgb(255 255 255 / 0.06);
      color: rgb(255 255 255 / 0.8);
    }
    .ended:focus {
      outline: none;
    }
  `,
];

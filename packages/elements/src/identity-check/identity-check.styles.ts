import { css } from 'lit';

export const identityCheckStyles = css`
  :host {
    --_bg: var(--proctor-identity-check-background, #ffffff);
    --_fg: var(--proctor-identity-check-color, #111827);
    --_border: var(--proctor-identity-check-border, #e5e7eb);
    display: block;
    background: var(--_bg);
    color: var(--_fg);
    line-height: 1.45;
  }
  h3,
  h4 {
    margin: 0 0 0.4rem;
    font-size: 1.05rem;
  }
  h4 {
    font-size: 0.95rem;
  }
  .fine {
    color: var(--_muted);
    font-size: 0.88rem;
    margin: 0 0 0.6rem;
  }
  .status:empty {
    display: none;
  }
  .status {
    margin: 0 0 0.75rem;
    padding: 0.6rem 0.8rem;
    border-radius: 8px;
    border: 1px solid var(--_border);
    border-left: 4px solid var(--_accent);
  }
  .status[data-status='approved'] {
    border-left-color: var(--_live);
  }
  .status[data-status='rejected'] {
    border-left-color: var(--_danger);
  }
  figure {
    margin: 0;
    border: 1px solid var(--_border);
    border-radius: 8px;
    overflow: hidden;
  }
  .frame {
    max-width: 28rem;
    aspect-ratio: 4 / 3;
    background: #111827;
    color: #d1d5db;
    display: grid;
    place-items: center;
    text-align: center;
    font-size: 0.9rem;
  }
  video,
  img {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: contain;
    background: #111827;
  }
  .photos {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(10rem, 14rem));
    gap: 0.75rem;
  }
  .photos img {
    aspect-ratio: 4 / 3;
  }
  figcaption {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: 0.5em;
    padding: 0.35rem 0.5rem;
    font-size: 0.85rem;
  }
  figcaption button {
    padding: 0.2em 0.7em;
    font-size: 0.8rem;
  }
  .actions {
    display: flex;
    gap: 0.6em;
    margin-top: 0.75rem;
    flex-wrap: wrap;
  }
  .error {
    color: var(--_danger);
    margin: 0.6rem 0 0;
  }
`;

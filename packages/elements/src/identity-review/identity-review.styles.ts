import { css } from 'lit';

export const identityReviewStyles = css`
  :host {
    display: block;
    font-size: 0.9rem;
  }
  section {
    display: grid;
    gap: 0.6rem;
    padding: 0.7rem;
    border-radius: 8px;
    background: rgb(255 255 255 / 0.05);
    border: 1px solid rgb(255 255 255 / 0.1);
  }
  header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 0.5em;
  }
  h2 {
    margin: 0;
    font-size: 0.8rem;
    font-weight: 600;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: rgb(255 255 255 / 0.6);
  }
  .badge {
    font-size: 0.75rem;
    font-weight: 600;
    padding: 0.15em 0.6em;
    border-radius: 999px;
    background: rgb(255 255 255 / 0.1);
  }
  .badge[data-status='submitted'] {
    background: var(--_accent);
    color: #fff;
  }
  .badge[data-status='approved'] {
    background: color-mix(in srgb, var(--_live) 35%, transparent);
  }
  .badge[data-status='rejected'] {
    background: color-mix(in srgb, var(--_danger) 35%, transparent);
  }
  p {
    margin: 0;
  }
  .name {
    font-weight: 600;
    font-size: 1rem;
  }
  .fine {
    font-weight: 400;
    font-size: 0.85rem;
    color: rgb(255 255 255 / 0.6);
  }
  .photos {
    display: grid;
    grid-template-columns: repeat(2, minmax(0, 1fr));
    gap: 0.5rem;
  }
  figure {
    margin: 0;
    display: grid;
    gap: 0.2rem;
  }
  img {
    display: block;
    width: 100%;
    aspect-ratio: 4 / 3;
    object-fit: contain;
    background: #000;
    border-radius: 6px;
  }
  a:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  figcaption {
    font-size: 0.78rem;
    color: rgb(255 255 255 / 0.7);
  }
  .reason {
    color: #fecaca;
    overflow-wrap: anywhere;
  }
  .reject {
    display: grid;
    gap: 0.4rem;
  }
  label {
    font-size: 0.85rem;
    font-weight: 600;
  }
  .buttons {
    display: flex;
    justify-content: flex-end;
    gap: 0.5rem;
  }
  .notice {
    font-size: 0.85rem;
    color: rgb(255 255 255 / 0.7);
  }
`;

import { css } from 'lit';

export const reviewLinesStyles = css`
  .shot {
    display: block;
    width: min(10rem, 100%);
    margin-top: 0.3em;
    border-radius: 4px;
    overflow: hidden;
  }
  .shot img {
    display: block;
    width: 100%;
    height: auto;
  }
  .shot.loading {
    background: color-mix(in srgb, currentColor 10%, transparent);
  }
  .judge {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4em;
    margin-top: 0.3em;
  }
  .judge button {
    font-size: 0.8rem;
    padding: 0.15em 0.6em;
    border-radius: 6px;
    background: color-mix(in srgb, currentColor 10%, transparent);
    border: 1px solid color-mix(in srgb, currentColor 25%, transparent);
    color: inherit;
  }
  .judge button:hover {
    background: color-mix(in srgb, currentColor 18%, transparent);
  }
  .judgement {
    display: block;
    margin-top: 0.2em;
    font-size: 0.85em;
    opacity: 0.85;
  }
  .judgement::before {
    content: '✓ ';
  }
  .judgement[data-confirmed='true']::before {
    content: '⚑ ';
  }
`;

import { svg } from 'lit';

// Same drawing rules as shared/icons.ts: inline, stroked, hidden from screen readers.
const icon = (paths: ReturnType<typeof svg>, size = 20) =>
  svg`<svg viewBox="0 0 24 24" width=${size} height=${size} fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${paths}</svg>`;

export const pauseIcon = icon(svg`<circle cx="12" cy="12" r="9"/><path d="M10 9v6M14 9v6"/>`, 28);
export const messageIcon = icon(svg`<path d="M4 5h16v11H9l-5 4z"/>`);
export const checkIcon = icon(svg`<path d="M5 12.5l4.5 4.5L19 7.5"/>`, 16);
export const flagIcon = icon(svg`<path d="M5 21V4M5 4h11l-2 4 2 4H5"/>`, 28);

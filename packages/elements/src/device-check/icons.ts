import { svg } from 'lit';
import type { ItemVerdict } from '@proctorkit/core';

// Same drawing rules as shared/icons.ts: inline, stroked, hidden from screen readers.
const icon = (paths: ReturnType<typeof svg>) =>
  svg`<svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${paths}</svg>`;

export const micIcon = icon(svg`<rect x="9" y="3" width="6" height="11" rx="3"/><path d="M5 11a7 7 0 0 0 14 0M12 18v3"/>`);
export const networkIcon = icon(svg`<path d="M2 9a15 15 0 0 1 20 0M5 12.5a10 10 0 0 1 14 0M8.5 16a5 5 0 0 1 7 0"/><circle cx="12" cy="19.5" r=".8"/>`);
export const browserIcon = icon(svg`<rect x="3" y="4" width="18" height="16" rx="2"/><path d="M3 9h18M7 6.5h.01M10 6.5h.01"/>`);

/** One shape per verdict, so it never rests on color alone. */
export const verdictIcons: Record<ItemVerdict | 'pending', ReturnType<typeof svg>> = {
  pass: icon(svg`<circle cx="12" cy="12" r="9"/><path d="M8 12.5l3 3 5-6"/>`),
  warn: icon(svg`<path d="M12 3.5L2.5 20h19z"/><path d="M12 10v4.5M12 17.5h.01"/>`),
  fail: icon(svg`<circle cx="12" cy="12" r="9"/><path d="M9 9l6 6M15 9l-6 6"/>`),
  skipped: icon(svg`<circle cx="12" cy="12" r="9"/><path d="M8 12h8"/>`),
  pending: icon(svg`<circle cx="12" cy="12" r="9" stroke-dasharray="3 3.2"/>`),
};

/** How many pages `total` items fill at `pageSize` per page (at least one, so there is always a page to show). */
export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
}

/** `page` (0-based) moved into the pages that exist. */
export function clampPage(page: number, total: number, pageSize: number): number {
  return Math.min(Math.max(0, Math.floor(page)), pageCount(total, pageSize) - 1);
}

/** The items on `page` (0-based). */
export function pageItems<T>(items: readonly T[], page: number, pageSize: number): T[] {
  const start = clampPage(page, items.length, pageSize) * pageSize;
  return items.slice(start, start + pageSize);
}

/** Columns for `count` tiles so that the grid is as square as it can be. */
export function gridColumns(count: number): number {
  return Math.max(1, Math.ceil(Math.sqrt(count)));
}

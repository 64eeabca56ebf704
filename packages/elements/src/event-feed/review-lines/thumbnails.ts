import type { ReviewClient } from '@proctorkit/core';

/**
 * Screenshots' images for the lines that show them, as blob URLs: each loads the first time a
 * render asks for it, and its URL is revoked once a render no longer does (the line fell past the
 * feed's limit) or the feed leaves the page. An image that cannot be loaded is not asked for again.
 */
export class Thumbnails {
  /** By `sessionId/screenshotId`: the URL, `null` while loading or after a failure. */
  private readonly urls = new Map<string, string | null>();
  private asked = new Set<string>();

  /** `loaded` is called when an image arrives, to render again. */
  constructor(private readonly loaded: () => void) {}

  /** The image's URL once loaded; the first call starts loading it. */
  url(review: ReviewClient, sessionId: string, screenshotId: string): string | undefined {
    const key = `${sessionId}/${screenshotId}`;
    this.asked.add(key);
    if (!this.urls.has(key)) {
      this.urls.set(key, null);
      review.screenshot(sessionId, screenshotId).then(
        (blob) => {
          if (!this.urls.has(key)) return;
          this.urls.set(key, URL.createObjectURL(blob));
          this.loaded();
        },
        () => undefined,
      );
    }
    return this.urls.get(key) ?? undefined;
  }

  /** Before a render: nothing is asked for yet. */
  beforeRender(): void {
    this.asked = new Set();
  }

  /** After a render: forgets the images it did not ask for. */
  afterRender(): void {
    for (const key of this.urls.keys()) if (!this.asked.has(key)) this.forget(key);
  }

  /** Revokes every URL. */
  clear(): void {
    for (const key of this.urls.keys()) this.forget(key);
  }

  private forget(key: string): void {
    const url = this.urls.get(key);
    if (url) URL.revokeObjectURL(url);
    this.urls.delete(key);
  }
}

// What `npm run bench:recording` has to release however it ends (finished, failed, Ctrl-C, over
// time): browsers, child processes, servers, temporary directories. Released last-acquired first.

type Release = () => Promise<unknown> | unknown;

export class Resources {
  private readonly releases: Release[] = [];

  /** Registers `release`; returns a function that runs it now (once) and forgets it. */
  add(release: Release): () => Promise<void> {
    let done = false;
    const once = async () => {
      if (done) return;
      done = true;
      const index = this.releases.indexOf(once);
      if (index !== -1) this.releases.splice(index, 1);
      await release();
    };
    this.releases.push(once);
    return once;
  }

  /** Runs every registered release, newest first; a failing one does not stop the others. */
  async releaseAll(): Promise<void> {
    for (const release of [...this.releases].reverse()) {
      try {
        await release();
      } catch (error) {
        console.error(`bench:recording: cleaning up: ${(error as Error).message}`);
      }
    }
  }
}

// Fake candidates for demos and benchmarks: each is a Chromium page on the demo site's candidate
// page that consents and publishes the fake webcam and screen. Used by scripts/crowd.ts and bench/grid.ts.
import type { Browser, Page } from 'puppeteer-core';

const FIRST_NAMES = [
  'Alice', 'Bao', 'Chidi', 'Dalia', 'Emeka', 'Fatima', 'Giulia', 'Hiroshi', 'Ingrid', 'Jamal',
  'Kavya', 'Luis', 'Mei', 'Nikolai', 'Olga', 'Pedro', 'Qiang', 'Rania', 'Sipho', 'Tomás',
  'Uma', 'Valentina', 'Wiremu', 'Ximena', 'Yusuf', 'Zanele', 'Aiko', 'Björn', 'Camila', 'Darius',
  'Elif', 'Farah', 'Gareth', 'Hana', 'Ilse', 'Joaquín', 'Kwame', 'Leila', 'Mateo', 'Noor',
] as const;

const LAST_NAMES = [
  'Martin', 'Nguyen', 'Okafor', 'Haddad', 'Eze', 'Rahman', 'Rossi', 'Tanaka', 'Johansson', 'Carter',
  'Iyer', 'García', 'Chen', 'Volkov', 'Kowalski', 'Santos', 'Liu', 'Mansour', 'Dlamini', 'Fernández',
  'Patel', 'Moreno', 'Ngata', 'Herrera', 'Demir', 'Mokoena', 'Sato', 'Lindqvist', 'Oliveira', 'Karimi',
  'Öztürk', 'Aziz', 'Evans', 'Kim', 'Schneider', 'Ortega', 'Mensah', 'Farouk', 'López', 'Hussain',
  'Novak', 'Ivanova', 'Achebe',
] as const;

// 40 first names × 43 last names (coprime with 41), so every index below 1,720 gets its own pair.
const DISTINCT_NAMES = FIRST_NAMES.length * LAST_NAMES.length;

/** A realistic, varied full name for candidate `index`, unique per index (and per candidate id). */
export function candidateName(index: number): string {
  const round = Math.floor(index / FIRST_NAMES.length);
  const first = FIRST_NAMES[index % FIRST_NAMES.length]!;
  const last = LAST_NAMES[(index + round) % LAST_NAMES.length]!;
  const name = `${first} ${last}`;
  return index < DISTINCT_NAMES ? name : `${name} ${Math.floor(index / DISTINCT_NAMES) + 1}`;
}

/** One fake candidate: a page with both feeds live. */
export interface CandidateHandle {
  name: string;
  page: Page;
  /** `Date.now()` when both feeds were live. */
  liveAt: number;
  /** Closes the page (the candidate leaves; its feeds stop). Safe to call twice. */
  close(): Promise<void>;
}

export interface StartCandidatesOptions {
  /** Where the candidates open pages (one or several browsers, used round robin). */
  browser: Browser | Browser[];
  /** The demo site, e.g. `http://127.0.0.1:3000`. */
  url: string;
  count: number;
  /** Each candidate's name. Default: {@link candidateName}(offset + index). */
  name?: (index: number) => string;
  /** Added to the index for default names, so two crowds on one site do not collide. */
  offset?: number;
  /** Candidates being set up at once. Default 4. */
  concurrency?: number;
  /** Per candidate, from opening the page to both feeds live. Default 60 s. */
  timeoutMs?: number;
  /** Called with each new page before it opens the candidate page (e.g. to add instrumentation). */
  onPage?: (page: Page, index: number) => Promise<unknown> | void;
  /** Called each time one more candidate is live. */
  onLive?: (live: number, total: number, candidate: CandidateHandle) => void;
  /** Stops starting candidates; those started are closed and the call rejects. */
  signal?: AbortSignal;
}

/**
 * Starts `count` candidates on `url`: opens `/candidate?name=…`, clicks the consent button,
 * waits until webcam and screen are both live. Resolves with one handle per candidate, in index
 * order. If any fails, closes the ones started and rejects with the first error.
 */
export async function startCandidates(options: StartCandidatesOptions): Promise<CandidateHandle[]> {
  const { url, count, offset = 0, concurrency = 4, timeoutMs = 60_000, signal } = options;
  const browsers = Array.isArray(options.browser) ? options.browser : [options.browser];
  const nameOf = options.name ?? ((index: number) => candidateName(offset + index));
  const handles: CandidateHandle[] = new Array(count);
  const opened: CandidateHandle[] = [];
  let next = 0;
  let live = 0;
  let failure: unknown;
  // Aborted when the caller stops or a candidate fails: every pending wait then fails at once,
  // and the pages opened so far are closed.
  const cancel = new AbortController();
  const stop = () => cancel.abort(signal?.reason);
  if (signal?.aborted) stop();
  signal?.addEventListener('abort', stop, { once: true });
  cancel.signal.addEventListener('abort', () => void closeCandidates(opened), { once: true });
  // Clicking needs the page in front (background tabs run no animation frames, which locator
  // clicks wait for), and opening a tab brings that tab to the front: so both take turns.
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(step: () => Promise<T>): Promise<T> => {
    const result = turn.then(step);
    turn = result.catch(() => undefined);
    return result;
  };

  const startOne = async (index: number) => {
    const name = nameOf(index);
    const page = await inTurn(() => browsers[index % browsers.length]!.newPage());
    let closed = false;
    const handle: CandidateHandle = {
      name,
      page,
      liveAt: 0,
      close: async () => {
        if (closed) return;
        closed = true;
        await page.close().catch(() => undefined);
      },
    };
    opened.push(handle);
    cancel.signal.throwIfAborted();
    await options.onPage?.(page, index);
    const deadline = Date.now() + timeoutMs;
    const left = () => Math.max(1, deadline - Date.now());

    const response = await page.goto(`${url}/candidate?name=${encodeURIComponent(name)}&steps=none`, { timeout: left() });
    if (!response?.ok()) throw new Error(`${name}: the candidate page answered HTTP ${response?.status() ?? '(none)'}`);
    await page.waitForFunction(
      () => !!document.querySelector('proctor-candidate')?.shadowRoot?.querySelector('button.primary'),
      { polling: 100, timeout: left(), signal: cancel.signal },
    );
    await inTurn(async () => {
      cancel.signal.throwIfAborted();
      await page.bringToFront();
      await page.locator('pierce/button.primary').setTimeout(left()).click({ signal: cancel.signal });
    });

    const outcome = await page.waitForFunction(
      () => {
        const state = (document.querySelector('proctor-candidate') as { state?: import('@proctorkit/core').CandidateState } | null)?.state;
        if (!state) return false;
        if (state.error) return `session error: ${state.error.message}`;
        const failed = Object.entries(state.feeds).find(([, capture]) => capture.state === 'failed');
        if (failed) return `${failed[0]} failed: ${failed[1].error?.message ?? 'unknown error'}`;
        return state.feeds.webcam.state === 'live' && state.feeds.screen.state === 'live' && state.connection === 'open' ? 'live' : false;
      },
      { polling: 250, timeout: left(), signal: cancel.signal },
    );
    const result = await outcome.jsonValue();
    if (result !== 'live') throw new Error(`${name}: ${String(result)}`);
    handle.liveAt = Date.now();
    handles[index] = handle;
    options.onLive?.(++live, count, handle);
  };

  const worker = async () => {
    while (!failure && next < count) {
      const index = next++;
      try {
        cancel.signal.throwIfAborted();
        await startOne(index);
      } catch (error) {
        if (signal?.aborted) failure ??= signal.reason;
        else if (error instanceof Error && error.name === 'TimeoutError') {
          failure ??= new Error(`${nameOf(index)} did not get both feeds live within ${Math.round(timeoutMs / 1000)} s (${error.message})`);
        } else failure ??= error;
        if (!cancel.signal.aborted) cancel.abort(failure);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  signal?.removeEventListener('abort', stop);
  if (failure) {
    await closeCandidates(opened);
    throw failure;
  }
  return handles;
}

/** Closes candidates' pages. */
export async function closeCandidates(handles: readonly CandidateHandle[]): Promise<void> {
  await Promise.all(handles.map((handle) => handle?.close()));
}

/** Resolves if the demo site answers at `url`; rejects with an error saying how to start it. */
export async function checkSite(url: string, timeoutMs = 5000): Promise<void> {
  let response: Response;
  try {
    response = await fetch(new URL('/', url), { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new Error(`The demo site is not reachable at ${url} (${why}). Start it with \`npm start\` (PORT=… to choose the port), or pass --url.`);
  }
  await response.body?.cancel();
  if (!response.ok) throw new Error(`The demo site at ${url} answered HTTP ${response.status} for /. Is it the Proctorkit demo exam site?`);
}

/**
 * The Mocha globals that @web/test-runner's default test framework defines in the test page.
 * The repo has no `@types/mocha`, so the element tests reference this file for the few they use.
 */

declare namespace Mocha {
  interface Context {
    /** Sets this test's (or hook's) timeout in ms. */
    timeout(ms: number): void;
    /** Marks the test slow above `ms` in the report. */
    slow(ms: number): void;
  }
  type Body = (this: Context) => void | Promise<unknown>;
  interface Describe {
    (title: string, body: (this: Context) => void): void;
    only(title: string, body: (this: Context) => void): void;
    skip(title: string, body: (this: Context) => void): void;
  }
  interface It {
    (title: string, body?: Body): void;
    only(title: string, body?: Body): void;
    skip(title: string, body?: Body): void;
  }
  type Hook = (body: Body) => void;
}

declare const describe: Mocha.Describe;
declare const it: Mocha.It;
declare const before: Mocha.Hook;
declare const after: Mocha.Hook;
declare const beforeEach: Mocha.Hook;
declare const afterEach: Mocha.Hook;

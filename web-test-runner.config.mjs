// Browser tests of the elements: headless Debian Chromium with fake camera and screen, and a real
// server kit mounted in the test server so the elements talk to the same endpoint a host mounts.
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { chromiumArgs, chromiumPath } from './test/support/chromium.ts';
import { chimeTestKit } from './test/support/wtr-chime.ts';
import { wtrKit } from './test/support/wtr-kit.ts';
import { s3TestKit } from './test/support/wtr-s3.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const tsconfig = fileURLToPath(new URL('./tsconfig.json', import.meta.url));

// The kits load from source: `npm run test:browser` runs under tsx with the `proctorkit-source` condition.
/** The kit the tests use (`server="/proctor"`, tokens from `/test-token`). */
const kitServer = await wtrKit({ base: '/proctor', tokenPath: '/test-token', examId: 'wtr-exam' });
/** A kit that holds the exam clock until a supervisor approved the candidate's identity. */
const identityKit = await wtrKit({ base: '/proctor-identity', examId: 'wtr-identity-exam', kit: { requireIdentityCheck: true } });
/** A kit whose tokens last 3 s, renewed every 1.5 s: pages must go on with the renewed ones. */
const shortTokensKit = await wtrKit({ base: '/proctor-short-tokens', examId: 'wtr-short-tokens-exam', kit: { tokenTtl: 3 } });
/** A kit that lets candidates see their verdict once their exam ended. */
const verdictKit = await wtrKit({ base: '/proctor-verdict', examId: 'wtr-verdict-exam', kit: { showVerdictToCandidate: true } });
/** A kit on Amazon Chime, against a fake control plane. */
const chimeKit = await chimeTestKit({ base: '/proctor-chime', examId: 'wtr-chime-exam', maxRequestsPerSecond: 50 });
/** A kit on Amazon Chime that makes 4 requests a second: a handful of joins always queue. */
const slowChimeKit = await chimeTestKit({ base: '/proctor-chime-slow', examId: 'wtr-chime-slow-exam', maxRequestsPerSecond: 4 });
/** A kit whose recordings go to an S3 bucket (s3rver): pages upload chunks straight to it. */
const s3Kit = await s3TestKit({ base: '/proctor-s3', examId: 'wtr-s3-exam' });

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  rootDir: root,
  files: ['packages/elements/src/**/*.test.ts', 'packages/core/src/**/*.browser.test.ts'],
  nodeResolve: { exportConditions: ['proctorkit-source', 'browser', 'import', 'default'] },
  // One test page at a time: only the focused page moves focus reliably, and several tests check where focus goes.
  concurrency: 1,
  concurrentBrowsers: 1,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: chromiumPath(),
        headless: true,
        args: chromiumArgs(),
      },
    }),
  ],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig }), kitServer.plugin, identityKit.plugin, shortTokensKit.plugin, verdictKit.plugin, chimeKit.plugin, slowChimeKit.plugin, s3Kit.plugin],
  middleware: [s3Kit.middleware, chimeKit.middleware, slowChimeKit.middleware, identityKit.middleware, shortTokensKit.middleware, verdictKit.middleware, kitServer.middleware],
  testFramework: { config: { timeout: 10_000 } },
};

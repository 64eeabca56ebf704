// amazon-chime-sdk-js is CommonJS and pulls AWS clients whose `browser` field mappings only
// esbuild follows reliably: the module that imports it is bundled with esbuild into one browser
// ES module with no imports left, for the rollup build's Chime chunk and for the browser tests.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The only module that imports amazon-chime-sdk-js (loaded on demand by core's loadChimeSdk). */
export const CHIME_SDK_MODULE = fileURLToPath(new URL('../packages/core/src/media/chime/chime-sdk-module.ts', import.meta.url));

/** The Chime SDK module as one self-contained browser ES module. */
export async function bundleChimeSdkModule({ minify = false } = {}) {
  const result = await build({
    entryPoints: [CHIME_SDK_MODULE],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    mainFields: ['browser', 'module', 'main'],
    define: { global: 'globalThis' },
    minify,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

// One config builds every package: ESM + bundled .d.ts per entry, and the elements as one
// self-contained browser module. Prints the browser bundle's size, which is a feature.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { gzipSync } from 'node:zlib';
import resolve from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';
import { dts } from 'rollup-plugin-dts';
import { CHIME_SDK_MODULE, bundleChimeSdkModule } from './scripts/chime-sdk-bundle.mjs';

/**
 * The elements bundle must stay small; raise this only on purpose. 48 → 56 KB when the onboarding
 * steps (identity check and review, phone pairing, the phone page) landed. What only some pages
 * need loads on demand beside it (the Chime SDK and client, the setup check's view) and is not counted.
 */
const BUNDLE_LIMIT_GZIP_BYTES = 56 * 1024;

const packages = {
  core: { index: 'src/index.ts', protocol: 'src/protocol/index.ts' },
  elements: { index: 'src/index.ts' },
  'server-kit': { index: 'src/index.ts' },
};

function externalsOf(dir) {
  const pkg = JSON.parse(readFileSync(`packages/${dir}/package.json`, 'utf8'));
  const names = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];
  return (id) =>
    id.startsWith('node:') ||
    builtinModules.includes(id) ||
    names.some((name) => id === name || id.startsWith(`${name}/`));
}

const onwarn = (warning, warn) => {
  if (warning.code === 'CIRCULAR_DEPENDENCY' && warning.ids?.some((id) => id.includes('node_modules'))) return;
  warn(warning);
};

function input(dir, entries) {
  return Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, `packages/${dir}/${file}`]));
}

function sizeReport(limit) {
  return {
    name: 'size-report',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        const gzip = gzipSync(file.code, { level: 9 }).length;
        const line = `${file.fileName}: ${(file.code.length / 1024).toFixed(1)} KB min, ${(gzip / 1024).toFixed(1)} KB min+gz${file.isEntry ? '' : ' (loaded on demand)'}`;
        console.log(line);
        if (file.isEntry && gzip > limit) this.error(`${line} is over the ${(limit / 1024).toFixed(0)} KB limit.`);
      }
    },
  };
}

const libraries = Object.entries(packages).flatMap(([dir, entries]) => [
  {
    input: input(dir, entries),
    external: externalsOf(dir),
    plugins: [esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' })],
    output: { dir: `packages/${dir}/dist`, format: 'esm', sourcemap: true, chunkFileNames: 'shared/[name]-[hash].js' },
    onwarn,
  },
  {
    input: input(dir, entries),
    external: externalsOf(dir),
    plugins: [dts({ tsconfig: 'tsconfig.json' })],
    output: { dir: `packages/${dir}/dist`, format: 'esm', chunkFileNames: 'shared/[name]-[hash].d.ts' },
    onwarn,
  },
]);

/** Loads core's Chime SDK module already bundled (see scripts/chime-sdk-bundle.mjs). */
const prebundledChimeSdk = {
  name: 'prebundled-chime-sdk',
  load(id) {
    return id === CHIME_SDK_MODULE ? bundleChimeSdkModule({ minify: true }) : null;
  },
};

// The elements for a plain <script type="module">: everything in one file, except the Chime SDK
// (CommonJS, ~300 KB gz), which goes in a chunk beside it that only a page on Chime downloads.
const browserBundle = {
  input: 'packages/elements/src/index.ts',
  // Keep the elements in the entry file itself (not a stub importing a chunk), so the size limit counts them.
  preserveEntrySignatures: 'allow-extension',
  plugins: [
    resolve({ browser: true, preferBuiltins: false, exportConditions: ['proctorkit-source', 'browser', 'import', 'default'] }),
    prebundledChimeSdk,
    esbuild({ target: 'es2022', tsconfig: 'tsconfig.json', minify: true, legalComments: 'none' }),
    sizeReport(BUNDLE_LIMIT_GZIP_BYTES),
  ],
  output: {
    dir: 'packages/elements/dist',
    entryFileNames: 'proctorkit-elements.js',
    // Chunk names as hosts' static routes expect them: letters, digits and dashes (`x.styles.ts` → `x-styles`).
    chunkFileNames: (chunk) => `proctorkit-${chunk.name.replace(/[^\w-]/g, '-')}-[hash].js`,
    manualChunks: (id) => (id === CHIME_SDK_MODULE ? 'chime-sdk' : undefined),
    format: 'esm',
    sourcemap: true,
  },
  onwarn,
};

export default [...libraries, browserBundle];

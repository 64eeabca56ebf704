// Generates packages/elements/custom-elements.json from the elements' JSDoc tags, for editors and docs tools.
export default {
  globs: ['packages/elements/src/*/*.component.ts'],
  outdir: 'packages/elements',
  litelement: true,
  dev: false,
};

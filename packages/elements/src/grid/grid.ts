import { ProctorGrid } from './grid.component.js';

export { ProctorGrid } from './grid.component.js';

if (!customElements.get('proctor-grid')) customElements.define('proctor-grid', ProctorGrid);

declare global {
  interface HTMLElementTagNameMap {
    'proctor-grid': ProctorGrid;
  }
}

import { ProctorTile } from './tile.component.js';

export { ProctorTile, tileFeedState, type TileFeedState } from './tile.component.js';

if (!customElements.get('proctor-tile')) customElements.define('proctor-tile', ProctorTile);

declare global {
  interface HTMLElementTagNameMap {
    'proctor-tile': ProctorTile;
  }
}

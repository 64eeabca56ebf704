import { ProctorControls } from './controls.component.js';

export { ProctorControls, type SessionCommands } from './controls.component.js';

if (!customElements.get('proctor-controls')) customElements.define('proctor-controls', ProctorControls);

declare global {
  interface HTMLElementTagNameMap {
    'proctor-controls': ProctorControls;
  }
}

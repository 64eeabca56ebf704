import { ProctorDeviceCheck } from './device-check.component.js';

export { ProctorDeviceCheck } from './device-check.component.js';

if (!customElements.get('proctor-device-check')) customElements.define('proctor-device-check', ProctorDeviceCheck);

declare global {
  interface HTMLElementTagNameMap {
    'proctor-device-check': ProctorDeviceCheck;
  }
}

import { ProctorIdentityCheck } from './identity-check.component.js';

export { ProctorIdentityCheck } from './identity-check.component.js';

if (!customElements.get('proctor-identity-check')) customElements.define('proctor-identity-check', ProctorIdentityCheck);

declare global {
  interface HTMLElementTagNameMap {
    'proctor-identity-check': ProctorIdentityCheck;
  }
}

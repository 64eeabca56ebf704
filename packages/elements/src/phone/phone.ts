import { ProctorPhone } from './phone.component.js';

export { ProctorPhone, type PhoneStatus } from './phone.component.js';

if (!customElements.get('proctor-phone')) customElements.define('proctor-phone', ProctorPhone);

declare global {
  interface HTMLElementTagNameMap {
    'proctor-phone': ProctorPhone;
  }
}

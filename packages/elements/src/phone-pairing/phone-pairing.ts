import { ProctorPhonePairing } from './phone-pairing.component.js';

export { ProctorPhonePairing, type PhonePairingSession } from './phone-pairing.component.js';

if (!customElements.get('proctor-phone-pairing')) customElements.define('proctor-phone-pairing', ProctorPhonePairing);

declare global {
  interface HTMLElementTagNameMap {
    'proctor-phone-pairing': ProctorPhonePairing;
  }
}

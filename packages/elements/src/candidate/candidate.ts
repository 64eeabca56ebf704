import { ProctorCandidate } from './candidate.component.js';

export { ProctorCandidate } from './candidate.component.js';

if (!customElements.get('proctor-candidate')) customElements.define('proctor-candidate', ProctorCandidate);

declare global {
  interface HTMLElementTagNameMap {
    'proctor-candidate': ProctorCandidate;
  }
}

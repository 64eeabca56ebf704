import { ProctorReview } from './review.component.js';

export { ProctorReview, type VerdictDetail } from './review.component.js';

if (!customElements.get('proctor-review')) customElements.define('proctor-review', ProctorReview);

declare global {
  interface HTMLElementTagNameMap {
    'proctor-review': ProctorReview;
  }
}

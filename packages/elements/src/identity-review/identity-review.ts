import { ProctorIdentityReview } from './identity-review.component.js';

export { ProctorIdentityReview, type IdentityCommands } from './identity-review.component.js';

if (!customElements.get('proctor-identity-review')) customElements.define('proctor-identity-review', ProctorIdentityReview);

declare global {
  interface HTMLElementTagNameMap {
    'proctor-identity-review': ProctorIdentityReview;
  }
}

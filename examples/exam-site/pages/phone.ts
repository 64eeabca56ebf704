import { escapeHtml, layout } from './layout.js';

/**
 * The paired phone's page, where the pairing link and its QR code point (the kit's
 * `phonePageUrl`): `<proctor-phone>` with the link's one-time secret, or asking for the short code.
 */
export function phonePage({ pairing }: { pairing: string }): string {
  return layout({
    title: 'Phone camera',
    body: `
<style>
  .phone-page { max-width: 32rem; margin: 0 auto; }
  .phone-page proctor-phone { padding: 1.1rem 1.1rem 0.4rem; border: 1px solid var(--line); border-radius: 12px; }
  @media (max-width: 30rem) {
    main { padding: 0.75rem; }
    .site-header nav { display: none; }
  }
</style>
<div class="phone-page">
<proctor-phone server="/proctor"${pairing ? ` pairing="${escapeHtml(pairing)}"` : ''}></proctor-phone>
</div>`,
  });
}

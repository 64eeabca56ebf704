import type { ReceivedDelivery, ReceivedPayload } from '../webhook-receiver.js';
import { escapeHtml, layout } from './layout.js';

/** Where the site's kit sends its webhooks: its own receiver, another endpoint, or nowhere. */
export type WebhookDestination = { url: string; ownReceiver: boolean } | undefined;

export function webhooksPage({ deliveries, refused, destination }: { deliveries: readonly ReceivedDelivery[]; refused: number; destination: WebhookDestination }): string {
  return layout({
    title: 'Webhooks',
    wide: true,
    body: `
<style>
  .where { max-width: 60rem; }
  .counts { color: var(--muted); font-size: 0.9rem; display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
  table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); border-radius: 12px; overflow: hidden; font-size: 0.92rem; }
  th, td { text-align: left; padding: 0.55rem 0.8rem; border-bottom: 1px solid var(--line); vertical-align: top; }
  th { background: #f9fafb; font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.03em; color: var(--muted); }
  td:not(:last-child) { white-space: nowrap; }
  td small { display: block; color: var(--muted); }
  td code { font-size: 0.82rem; }
  .verified { color: #047857; font-weight: 600; white-space: nowrap; }
  details pre { margin: 0.4rem 0 0; font-size: 0.78rem; max-width: 26rem; white-space: pre-wrap; overflow-wrap: anywhere; background: #f9fafb; padding: 0.5rem; border-radius: 6px; }
  .empty { text-align: center; color: var(--muted); padding: 2rem; }
</style>
<h1>Webhooks received</h1>
<p class="lead where">${whereTheyGo(destination)}</p>
<p class="counts">
  <span>${deliveries.length} verified ${deliveries.length === 1 ? 'delivery' : 'deliveries'} (the last 100 are kept, in memory)</span>
  <span>${refused} refused as unverified</span>
  <a class="button secondary" href="/webhooks">Refresh</a>
</p>
<table>
  <thead><tr><th>Received</th><th>Event</th><th>Candidate</th><th>Session</th><th>webhook-id</th><th>Signature</th><th>Payload</th></tr></thead>
  <tbody>
${deliveries.map(row).join('\n') || `<tr><td class="empty" colspan="7">Nothing yet. <a href="/">Start the exam as a candidate</a>: <code>session.started</code> arrives here within a second.</td></tr>`}
  </tbody>
</table>
<script type="module">
  // Shown in the reader's own time zone, not the server's.
  for (const time of document.querySelectorAll('time[datetime]')) time.textContent = new Date(time.dateTime).toLocaleTimeString();
</script>`,
  });
}

function whereTheyGo(destination: WebhookDestination): string {
  if (!destination) {
    return 'Webhooks are off: this site listens beyond this machine, where the kit sends only over https. Set <code>PROCTOR_WEBHOOK_URL</code> and <code>PROCTOR_WEBHOOK_SECRET</code> to send them to your endpoint.';
  }
  if (destination.ownReceiver) {
    return 'This site’s kit sends its signed webhooks to the site’s own receiver, <code>POST /webhooks/receiver</code>, which verifies each one (Standard Webhooks) before listing it here. Set <code>PROCTOR_WEBHOOK_URL</code> and <code>PROCTOR_WEBHOOK_SECRET</code> to send them to your endpoint instead.';
  }
  return `This site’s kit sends its webhooks to <code>${escapeHtml(destination.url)}</code> (<code>PROCTOR_WEBHOOK_URL</code>), not to this page: look there. This page lists only what reaches this site’s own receiver, <code>POST /webhooks/receiver</code>, signed with the same secret.`;
}

function row({ receivedAt, webhookId, payload }: ReceivedDelivery): string {
  const { sessionId, candidateId, event } = payload.data;
  const name = typeof event.data.name === 'string' ? event.data.name : undefined;
  const received = new Date(receivedAt);
  return `    <tr>
      <td><time datetime="${received.toISOString()}" title="${received.toISOString()}">${received.toISOString().slice(11, 19)} UTC</time></td>
      <td>${escapeHtml(describe(payload))}<small><code>${escapeHtml(payload.type)}</code></small></td>
      <td>${name ? `${escapeHtml(name)}<small>${escapeHtml(candidateId)}</small>` : escapeHtml(candidateId)}</td>
      <td><code class="session" title="${escapeHtml(sessionId)}">${escapeHtml(sessionId.slice(0, 8))}…</code></td>
      <td><code>${escapeHtml(webhookId)}</code></td>
      <td class="verified">✓ verified</td>
      <td><details><summary>Show</summary><pre>${escapeHtml(JSON.stringify(payload, null, 2))}</pre></details></td>
    </tr>`;
}

/** The event in words. */
function describe({ type, data: { event } }: ReceivedPayload): string {
  const detail = (key: string) => (typeof event.data[key] === 'string' ? ` (${String(event.data[key]).replaceAll('-', ' ')})` : '');
  switch (type) {
    case 'session.started':
      return 'Exam started';
    case 'session.ended':
      return `Exam ended${detail('reason')}`;
    case 'identity.verified':
      return event.type === 'identity.approved' ? 'Identity approved' : 'Identity rejected';
    case 'recording.ready':
      return `Recording ready${detail('feed')}`;
    case 'flag.created':
      return `Incident flagged${detail('severity')}`;
    case 'verdict.signed':
      return `Verdict signed${detail('verdict')}`;
    default:
      return type;
  }
}

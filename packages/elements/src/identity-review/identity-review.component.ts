import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { fetchIdentity, fetchIdentityPhoto, type IdentityPhotoKind, type IdentityStatus, type SessionSummary } from '@proctorkit/core';
import { darkControlStyles } from '../controls/controls.styles.js';
import { systemTokens } from '../shared/theme.js';
import { identityReviewStyles } from './identity-review.styles.js';
import { runCommand } from '../shared/run-command.js';

/**
 * What `<proctor-identity-review>` gives its verdict with: a `SupervisorRoom` of
 * `@proctorkit/core` or a `<proctor-grid>`. Resolves with the sessions it applied to, rejects with
 * a `ProctorError` whose message says why.
 */
export interface IdentityCommands {
  verifyIdentity(sessionId: string, verdict: 'approved' | 'rejected', reason?: string): Promise<string[]>;
}

const BADGE: Record<IdentityStatus, string> = {
  none: 'No photos yet',
  submitted: 'Waiting for your check',
  approved: 'Approved',
  rejected: 'Rejected',
};

const KIND_LABEL: Record<IdentityPhotoKind, string> = { document: 'ID document', face: 'Face' };

/**
 * A supervisor's check of one candidate's identity: the photos of their ID document and face
 * beside the name from their token, with Approve and Reject (a reason, which the candidate sees,
 * is required). `<proctor-grid>` shows it beside the focused candidate; a page can place it itself
 * with `server`, a supervisor `token`, the `session` and `commands`.
 *
 * It renders nothing for a session without an identity check. Photos are fetched with the token,
 * never cached, and forgotten when the element leaves the page.
 *
 * @tagname proctor-identity-review
 * @summary The candidate's ID document and face photos beside their name, with Approve / Reject.
 *
 * @csspart panel - The whole check.
 * @csspart badge - The status; `data-status` is `none`, `submitted`, `approved` or `rejected`.
 * @csspart photos - The two photos.
 * @csspart actions - The Approve and Reject buttons, and the reason form.
 * @csspart error - Why the photos could not be shown or a verdict was refused.
 *
 * @cssproperty --proctor-color-accent=#2563eb - The waiting badge, Approve and focus rings.
 * @cssproperty --proctor-color-live=#16a34a - The approved badge.
 * @cssproperty --proctor-color-danger=#dc2626 - The rejected badge and Reject.
 */
export class ProctorIdentityReview extends LitElement {
  /** @internal */
  static override styles = [systemTokens, darkControlStyles, identityReviewStyles];

  /** Where the server kit's router is mounted, e.g. `/proctor`. */
  @property() server = '';

  /** A supervisor token covering the candidate. */
  @property() token = '';

  /** The candidate's session; its `identity` says whether there is a check and where it is. */
  @property({ attribute: false }) session?: SessionSummary;

  /** Gives the verdict: a `SupervisorRoom` or a `<proctor-grid>`. Without it, the buttons are disabled. */
  @property({ attribute: false }) commands?: IdentityCommands;

  @state() private photos: { kind: IdentityPhotoKind; url: string }[] = [];
  @state() private rejecting = false;
  @state() private reasonMissing = false;
  @state() private busy = false;
  @state() private error?: string;
  @state() private notice?: string;

  @query('#reject-reason') private reasonField?: HTMLTextAreaElement;

  /** Counts loads, so a late answer for an earlier session or submission is dropped. */
  private loads = 0;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.loads++;
    this.showPhotos([]);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) void this.load();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const before = changed.get('session') as SessionSummary | undefined;
    const status = this.session?.identity?.status;
    const otherSession = changed.has('session') && before?.sessionId !== this.session?.sessionId;
    if (otherSession) {
      this.rejecting = this.reasonMissing = false;
      this.error = this.notice = undefined;
    }
    // New photos come with each submission; other changes keep the ones shown.
    const resubmitted = status === 'submitted' && before?.identity?.status !== 'submitted';
    if (otherSession || resubmitted || changed.has('server') || changed.has('token')) void this.load();
  }

  protected override render() {
    const session = this.session;
    const identity = session?.identity;
    if (!session || !identity) return nothing;
    const { status } = identity;
    const disabled = this.busy || !this.commands || session.status === 'ended';
    return html`<section part="panel" aria-labelledby="identity-title">
      <header>
        <h2 id="identity-title">Identity check</h2>
        <span class="badge" part="badge" data-status=${status}>${BADGE[status]}</span>
      </header>
      <p class="name">${session.name} <span class="fine">· ${session.candidateId}</span></p>
      ${status === 'none'
        ? html`<p class="fine">${identity.required ? 'The exam starts after you approve the candidate’s photos. They have not sent them yet.' : 'The candidate has not sent photos.'}</p>`
        : html`<div class="photos" part="photos">
            ${this.photos.map(
              ({ kind, url }) => html`<figure>
                <a href=${url} target="_blank" rel="noopener"><img src=${url} alt="${KIND_LABEL[kind]} photo of ${session.name}" /></a>
                <figcaption>${KIND_LABEL[kind]}</figcaption>
              </figure>`,
            )}
          </div>`}
      ${status === 'rejected' && identity.reason ? html`<p class="reason">Rejected: “${identity.reason}”</p>` : nothing}
      ${status === 'none' ? nothing : this.renderActions(status, disabled)}
      <p class="notice ${this.notice ? '' : 'visually-hidden'}" role="status">${this.notice ?? ''}</p>
      ${this.error ? html`<p class="error" part="error" role="alert">${this.error}</p>` : nothing}
    </section>`;
  }

  private renderActions(status: IdentityStatus, disabled: boolean) {
    if (this.rejecting) {
      return html`<form part="actions" class="reject" novalidate @submit=${this.submitReject}>
        <label for="reject-reason">Reason, shown to the candidate</label>
        <textarea
          id="reject-reason"
          rows="2"
          maxlength="500"
          required
          placeholder="e.g. The name on the document is not readable."
          aria-invalid=${this.reasonMissing ? 'true' : 'false'}
          aria-describedby=${this.reasonMissing ? 'reason-missing' : nothing}
          @input=${() => (this.reasonMissing = false)}
        ></textarea>
        ${this.reasonMissing ? html`<p id="reason-missing" class="error">Enter a reason: the candidate sees it.</p>` : nothing}
        <div class="buttons">
          <button type="button" @click=${() => (this.rejecting = false)}>Cancel</button>
          <button type="submit" class="danger solid" ?disabled=${disabled}>Reject</button>
        </div>
      </form>`;
    }
    return html`<div class="buttons" part="actions">
      ${status === 'approved'
        ? nothing
        : html`<button class="primary" ?disabled=${disabled} @click=${() => this.verdict('approved')}>Approve</button>`}
      ${status === 'rejected'
        ? nothing
        : html`<button class="danger" ?disabled=${disabled} @click=${this.openReject}>Reject…</button>`}
    </div>`;
  }

  private readonly openReject = async () => {
    this.rejecting = true;
    this.reasonMissing = false;
    await this.updateComplete;
    this.reasonField?.focus();
  };

  private readonly submitReject = async (event: SubmitEvent) => {
    event.preventDefault();
    const reason = this.reasonField?.value.trim() ?? '';
    if (!reason) {
      this.reasonMissing = true;
      this.reasonField?.focus();
      return;
    }
    if (await this.verdict('rejected', reason)) this.rejecting = false;
  };

  private async verdict(verdict: 'approved' | 'rejected', reason?: string): Promise<boolean> {
    const { session, commands } = this;
    if (!session || !commands) return false;
    return runCommand(
      (status) => Object.assign(this, status),
      () => commands.verifyIdentity(session.sessionId, verdict, reason),
      () => (verdict === 'approved' ? `${session.name}’s identity approved.` : `${session.name}’s photos rejected.`),
    );
  }

  /** Fetches the check's photos with the token and shows them as object URLs. */
  private async load(): Promise<void> {
    const load = ++this.loads;
    const { server, token, session } = this;
    if (!session?.identity || session.identity.status === 'none' || !server || !token || !this.isConnected) {
      this.showPhotos([]);
      return;
    }
    try {
      const { photos } = await fetchIdentity(server, token, session.sessionId);
      const blobs = await Promise.all(photos.map((photo) => fetchIdentityPhoto(server, token, session.sessionId, photo.photoId)));
      if (load !== this.loads) return;
      const order = (kind: IdentityPhotoKind) => (kind === 'document' ? 0 : 1);
      const shown = photos.map((photo, i) => ({ kind: photo.kind, url: URL.createObjectURL(blobs[i]!) }));
      this.showPhotos(shown.sort((a, b) => order(a.kind) - order(b.kind)));
      this.error = undefined;
    } catch (error) {
      if (load === this.loads) this.error = `The photos could not be shown: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  private showPhotos(photos: { kind: IdentityPhotoKind; url: string }[]): void {
    for (const { url } of this.photos) URL.revokeObjectURL(url);
    this.photos = photos;
  }
}

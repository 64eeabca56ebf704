import { LitElement, adoptStyles, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { DeviceCheck, DeviceCheckResult, DeviceCheckState } from '@proctorkit/core';
import { fire } from '../shared/events.js';
import { ReadableController } from '../shared/readable-controller.js';
import { systemTokens } from '../shared/theme.js';

type View = typeof import('./device-check-view.js');
let view: Promise<View> | undefined;
/** The element's templates, styles and check, loaded once for every device check of the page. */
const loadView = () => (view ??= import('./device-check-view.js'));

/**
 * A setup test before an exam, for a host's "test your setup" page or as a step before
 * supervision: a camera preview with its measured resolution and frame rate, a microphone level
 * meter, a screen-share test, a network test against the server kit (round trip, download and
 * upload with real transfers) and the browser's support. A summary gives each a pass, warning or
 * fail, with what to fix.
 *
 * Nothing is captured before the person presses Start (or the page calls `start()`); the camera
 * and the microphone turn off when the check is complete, and screen sharing stops as soon as it
 * was seen to work. The result is small JSON, ready for a session's log:
 * `candidate.log('device-check.completed', event.detail)`.
 *
 * The element loads its body on creation, as a chunk beside the elements bundle, so pages without a
 * device check never download it; `updateComplete` waits for it.
 *
 * @tagname proctor-device-check
 * @summary A setup test: camera, microphone, screen sharing, connection and browser, with what to fix.
 *
 * @event proctor-device-check-complete - Every check is done and capture has stopped (again after a new screen test). Detail: `DeviceCheckResult`.
 *
 * @csspart start - The introduction with the Start button.
 * @csspart checks - The cards of the five checks.
 * @csspart card - One check's card; `data-check` names it.
 * @csspart preview - The camera preview.
 * @csspart meter - The microphone level meter.
 * @csspart summary - Each check's verdict and what to fix; `data-verdict` is the overall verdict once complete.
 *
 * @cssproperty --proctor-device-check-background=#ffffff - Background.
 * @cssproperty --proctor-device-check-color=#111827 - Text color.
 * @cssproperty --proctor-device-check-border=#e5e7eb - Borders.
 * @cssproperty --proctor-color-accent=#2563eb - Buttons, the meter and focus rings.
 * @cssproperty --proctor-color-live=#16a34a - Passed checks.
 * @cssproperty --proctor-color-warning=#d97706 - Warnings.
 * @cssproperty --proctor-color-danger=#dc2626 - Failed checks.
 */
export class ProctorDeviceCheck extends LitElement {
  /** @internal */
  static override styles = [systemTokens];

  /** Where the server kit's router is mounted, e.g. `/proctor`: the network test runs against it. */
  @property() server = '';

  /** A candidate or supervisor token from the host's server, for the network test. */
  @property() token = '';

  /** Leaves out the screen-share test. */
  @property({ type: Boolean, attribute: 'skip-screen' }) skipScreen = false;

  /** Leaves out the network test. */
  @property({ type: Boolean, attribute: 'skip-network' }) skipNetwork = false;

  @state() private view?: View;

  /** The latest announcement for screen readers (started, complete). */
  @state() private announcement = '';

  private readonly viewLoaded = loadView().then((loaded) => {
    this.view = loaded;
  });
  private styled = false;
  private check?: DeviceCheck;
  private stopComplete?: () => void;
  private readonly checkState = new ReadableController<DeviceCheckState>(this);
  private readonly level = new ReadableController<number>(this);

  /** The last complete result, or `undefined` before the check completes. */
  get result(): DeviceCheckResult | undefined {
    return this.checkState.value?.result;
  }

  /**
   * Starts the check (again), as the Start button does: asks for the camera and the microphone and
   * tests the connection. Call it only from the person's own action: it is their consent to capture.
   * Resolves when all but the screen test (which needs its own click) are done.
   */
  async start(): Promise<void> {
    await this.viewLoaded;
    this.close();
    const check = new this.view!.DeviceCheck({
      server: this.server,
      token: this.token,
      screen: !this.skipScreen,
      network: !this.skipNetwork,
    });
    this.check = check;
    this.checkState.bind(check.state);
    this.level.bind(check.level);
    this.stopComplete = check.on('complete', (result) => void this.completed(result));
    this.announce('Checking your setup…');
    await check.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.close();
  }

  protected override async getUpdateComplete(): Promise<boolean> {
    await this.viewLoaded;
    return super.getUpdateComplete();
  }

  protected override willUpdate(): void {
    if (this.view && !this.styled && this.renderRoot instanceof ShadowRoot) {
      adoptStyles(this.renderRoot, [systemTokens, this.view.deviceCheckStyles]);
      this.styled = true;
    }
  }

  protected override render() {
    return (
      this.view?.renderDeviceCheck({
        state: this.checkState.value,
        level: this.level.value ?? 0,
        announcement: this.announcement,
        start: () => void this.start(),
        testScreen: () => void this.check?.testScreen(),
      }) ?? html`<p>Loading the setup check…</p>`
    );
  }

  private close(): void {
    this.stopComplete?.();
    this.stopComplete = undefined;
    this.check?.close();
    this.check = undefined;
  }

  private async completed(result: DeviceCheckResult): Promise<void> {
    this.announce(this.view!.completeAnnouncement(result));
    fire(this, 'proctor-device-check-complete', result);
    // The screen test's button changes under a keyboard user's focus: take them to the outcome.
    const hadFocus = this.matches(':focus-within');
    await this.updateComplete;
    if (hadFocus) this.renderRoot.querySelector<HTMLElement>('#summary-title')?.focus();
  }

  private announce(text: string): void {
    // A live region speaks only changes: the same words twice need a difference.
    this.announcement = text === this.announcement ? `${text}\u00a0` : text;
  }
}

/// <reference path="../../test-support/mocha-globals.d.ts" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ProctorError, newClock, type ClockState, type SessionEvent, type SessionSummary } from '@proctorkit/core';
import type { ProctorControls, SessionCommands } from './controls.js';
import './controls.js';

function summary(clock: Partial<ClockState> = {}): SessionSummary {
  return {
    sessionId: 'session-1',
    examId: 'wtr-exam',
    candidateId: 'ada',
    name: 'Ada Lovelace',
    status: 'live',
    feeds: { webcam: 'live', screen: 'live', phone: 'off' },
    joinedAt: 1,
    clock: { ...newClock(3_600_000), startedAt: Date.now() - 60_000, ...clock },
    lastSeq: 0,
  };
}

/** Commands that record their calls; `refuse` makes the next one fail as the server would. */
class FakeCommands implements SessionCommands {
  calls: unknown[][] = [];
  refuse?: string;
  private answer(...call: unknown[]): Promise<string[]> {
    this.calls.push(call);
    const refusal = this.refuse;
    this.refuse = undefined;
    return refusal ? Promise.reject(new ProctorError('command-refused', refusal)) : Promise.resolve(['session-1']);
  }
  pause = (id: string) => this.answer('pause', id);
  resume = (id: string) => this.answer('resume', id);
  extend = (id: string, minutes: number) => this.answer('extend', id, minutes);
  message = (id: string, text: string) => this.answer('message', id, text);
  terminate = (id: string, reason: string) => this.answer('terminate', id, reason);
}

function button(controls: ProctorControls, text: string): HTMLButtonElement {
  const found = [...controls.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === text);
  if (!found) throw new Error(`no button "${text}"`);
  return found;
}

async function settle(controls: ProctorControls): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve));
  await controls.updateComplete;
}

describe('<proctor-controls>', () => {
  it('offers Pause while the exam runs and Resume while it is paused', async () => {
    const commands = new FakeCommands();
    const controls = await fixture<ProctorControls>(html`<proctor-controls .session=${summary()} .commands=${commands}></proctor-controls>`);
    button(controls, 'Pause exam').click();
    await settle(controls);
    expect(commands.calls).to.deep.equal([['pause', 'session-1']]);
    expect(controls.shadowRoot!.querySelector('[role="status"]')!.textContent).to.equal('Exam paused.');

    controls.session = summary({ pausedAt: Date.now() });
    await controls.updateComplete;
    button(controls, 'Resume exam').click();
    await settle(controls);
    expect(commands.calls[1]).to.deep.equal(['resume', 'session-1']);
  });

  it('cannot pause an exam that has not started', async () => {
    const controls = await fixture<ProctorControls>(
      html`<proctor-controls .session=${summary({ startedAt: null })} .commands=${new FakeCommands()}></proctor-controls>`,
    );
    expect(button(controls, 'Pause exam').disabled).to.equal(true);
  });

  it('adds 5, 10 or 15 minutes in one click, or the minutes typed', async () => {
    const commands = new FakeCommands();
    const controls = await fixture<ProctorControls>(html`<proctor-controls .session=${summary()} .commands=${commands}></proctor-controls>`);
    controls.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Add 10 minutes"]')!.click();
    await settle(controls);
    const input = controls.shadowRoot!.querySelector<HTMLInputElement>('#minutes')!;
    input.value = '0';
    button(controls, 'Add').click();
    await settle(controls);
    expect(controls.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain('from 1 to 600');
    input.value = '25';
    button(controls, 'Add').click();
    await settle(controls);
    expect(commands.calls).to.deep.equal([
      ['extend', 'session-1', 10],
      ['extend', 'session-1', 25],
    ]);
    expect(input.value).to.equal('');
    expect(controls.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
  });

  it('shows a refused command’s message inline', async () => {
    const commands = new FakeCommands();
    commands.refuse = 'Session session-1 has ended.';
    const controls = await fixture<ProctorControls>(html`<proctor-controls .session=${summary()} .commands=${commands}></proctor-controls>`);
    button(controls, 'Pause exam').click();
    await settle(controls);
    expect(controls.shadowRoot!.querySelector('[part="error"]')!.textContent).to.contain('Session session-1 has ended.');
  });

  it('sends a message and lists it, "Seen ✓" once the candidate acknowledged it', async () => {
    const commands = new FakeCommands();
    const controls = await fixture<ProctorControls>(html`<proctor-controls .session=${summary()} .commands=${commands}></proctor-controls>`);
    const text = controls.shadowRoot!.querySelector<HTMLTextAreaElement>('#message')!;
    text.value = '  Please face the camera. ';
    button(controls, 'Send').click();
    await settle(controls);
    expect(commands.calls).to.deep.equal([['message', 'session-1', 'Please face the camera.']]);
    expect(text.value).to.equal('');

    const sent: SessionEvent = { seq: 4, at: Date.now(), type: 'message.sent', source: 'supervisor', by: 'Dr. Reyes', data: { messageId: 'm-1', text: 'Please face the camera.' } };
    controls.events = [sent];
    await controls.updateComplete;
    const item = () => controls.shadowRoot!.querySelector('[part="messages"] li')!.textContent!.replace(/\s+/g, ' ');
    expect(item()).to.contain('“Please face the camera.”').and.contain('Not seen yet');
    controls.events = [sent, { seq: 5, at: Date.now(), type: 'message.acked', source: 'candidate', data: { messageId: 'm-1' } }];
    await controls.updateComplete;
    expect(item()).to.contain('Seen ✓');
  });

  it('ends the exam only with a reason, after the dialog confirms it', async () => {
    const commands = new FakeCommands();
    const controls = await fixture<ProctorControls>(html`<proctor-controls .session=${summary()} .commands=${commands}></proctor-controls>`);
    button(controls, 'End exam…').click();
    const dialog = controls.shadowRoot!.querySelector('dialog')!;
    const reason = controls.shadowRoot!.querySelector<HTMLTextAreaElement>('#reason')!;
    expect(dialog.open).to.equal(true);
    expect(controls.shadowRoot!.activeElement).to.equal(reason);

    button(controls, 'End exam').click();
    await settle(controls);
    expect(commands.calls).to.deep.equal([]);
    expect(dialog.open).to.equal(true);
    expect(reason).to.have.attribute('aria-invalid', 'true');
    expect(controls.shadowRoot!.querySelector('#reason-missing')!.textContent).to.contain('Enter a reason');

    reason.value = 'A second person is helping you.';
    button(controls, 'End exam').click();
    await waitUntil(() => !dialog.open, 'the dialog should close');
    expect(commands.calls).to.deep.equal([['terminate', 'session-1', 'A second person is helping you.']]);
    await waitUntil(() => controls.shadowRoot!.activeElement === button(controls, 'End exam…'), 'focus goes back to the button');
  });

  it('asks for a room scan once a phone is paired, and says why not before', async () => {
    const commands = Object.assign(new FakeCommands(), { requestRoomScan(this: FakeCommands, id: string) { this.calls.push(['room-scan', id]); return Promise.resolve([id]); } });
    const controls = await fixture<ProctorControls>(html`<proctor-controls .session=${summary()} .commands=${commands}></proctor-controls>`);
    const hint = () => controls.shadowRoot!.querySelector('#room-scan-hint')!.textContent;
    expect(button(controls, 'Ask for a room scan').disabled).to.equal(true);
    expect(button(controls, 'Ask for a room scan').getAttribute('aria-describedby')).to.equal('room-scan-hint');
    expect(hint()).to.equal('No phone paired: the candidate pairs one from the exam page.');

    controls.session = { ...summary(), feeds: { webcam: 'live', screen: 'live', phone: 'live' } };
    await controls.updateComplete;
    button(controls, 'Ask for a room scan').click();
    await settle(controls);
    expect(commands.calls).to.deep.equal([['room-scan', 'session-1']]);
    expect(controls.shadowRoot!.querySelector('[role="status"]')!.textContent).to.equal('Room scan requested: watch the phone feed.');
  });

  it('offers no room scan when its commands cannot ask for one', async () => {
    const controls = await fixture<ProctorControls>(html`<proctor-controls .session=${summary()} .commands=${new FakeCommands()}></proctor-controls>`);
    expect(controls.shadowRoot!.querySelector('[part="room-scan"]')).to.equal(null);
  });

  it('says the exam has ended instead of offering commands', async () => {
    const controls = await fixture<ProctorControls>(
      html`<proctor-controls .session=${summary({ endedAt: Date.now(), endReason: 'expired' })} .commands=${new FakeCommands()}></proctor-controls>`,
    );
    expect(controls.shadowRoot!.querySelector('.ended')!.textContent).to.contain('This exam has ended');
    expect(controls.shadowRoot!.querySelector('[part="actions"]')).to.equal(null);
  });
});

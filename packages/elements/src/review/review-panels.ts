import { html, nothing } from 'lit';
import {
  FEEDS,
  FLAG_REASONS,
  FLAG_REASON_LABELS,
  FLAG_SEVERITIES,
  VERDICTS,
  type Feed,
  type FlagInput,
  type FlagReason,
  type FlagSeverity,
  type Verdict,
  type VerdictEntry,
  type VerdictInput,
} from '@proctorkit/core';
import type { ReviewPlayer } from './review-player.js';

const FEED_WORD: Record<Feed, string> = { webcam: 'Webcam', screen: 'Screen', phone: 'Phone camera' };
const SEVERITY_WORD: Record<FlagSeverity, string> = { low: 'Low', medium: 'Medium', high: 'High' };
const VERDICT_WORD: Record<Verdict, string> = { accepted: 'Accepted', rejected: 'Rejected', inconclusive: 'Inconclusive' };
/** A flag covers this long either side of the playhead at first, ms. */
const FLAG_AROUND_MS = 30_000;

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** `12:34`, `1:02:03` or `−00:30` (from the exam's start) as ms, or `undefined`. */
export function parseOffset(text: string): number | undefined {
  const match = /^\s*([-−])?\s*(?:(\d+):)?(\d{1,3}):(\d{2})\s*$/.exec(text);
  if (!match) return undefined;
  const [, minus, hours, minutes, seconds] = match;
  if (Number(seconds) > 59 || (hours !== undefined && Number(minutes) > 59)) return undefined;
  const ms = ((Number(hours ?? 0) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
  return minus ? -ms : ms;
}

function closeOnEscape(player: ReviewPlayer) {
  return (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    player.closeAnnotation();
  };
}

function noteForm(player: ReviewPlayer) {
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const text = String(new FormData(event.target as HTMLFormElement).get('text') ?? '').trim();
    if (!text) return player.refuse('Write the note first.');
    void player.addNote(text);
  };
  const timeline = player.timeline!;
  return html`<form class="annotation" part="annotation" novalidate @submit=${submit} @keydown=${closeOnEscape(player)}>
    <h3>Note at ${timeline.offset(player.annotationAt)}</h3>
    <label for="note-text" class="visually-hidden">Note</label>
    <textarea id="note-text" name="text" rows="3" maxlength="1000" data-autofocus placeholder="What you see at this moment"></textarea>
    ${player.annotationError ? html`<p class="error" role="alert">${player.annotationError}</p>` : nothing}
    <div class="actions">
      <button type="button" class="secondary" @click=${() => player.closeAnnotation()}>Cancel</button>
      <button type="submit" class="primary" ?disabled=${player.busy}>Save note</button>
    </div>
  </form>`;
}

function flagForm(player: ReviewPlayer) {
  const timeline = player.timeline!;
  const at = player.annotationAt;
  const from = timeline.clamp(at - FLAG_AROUND_MS);
  const to = timeline.clamp(at + FLAG_AROUND_MS);
  const feeds = player.large ? [player.large] : timeline.feeds.length ? timeline.feeds : [...FEEDS];
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const values = new FormData(form);
    const fromMs = parseOffset(String(values.get('from')));
    const toMs = parseOffset(String(values.get('to')));
    const reason = String(values.get('reason') ?? '') as FlagReason | '';
    const text = String(values.get('text') ?? '').trim();
    const chosen = values.getAll('feeds') as Feed[];
    const problem: [string, string] | undefined =
      fromMs === undefined || toMs === undefined
        ? ['from', 'Write the times as mm:ss from the exam’s start, e.g. 12:04.']
        : toMs < fromMs
          ? ['to', 'The flag must end after it starts.']
          : !reason
            ? ['reason', 'Choose a reason.']
            : reason === 'other' && !text
              ? ['text', 'Say what happened: the reason is “Other”.']
              : chosen.length === 0
                ? ['feeds', 'Check at least one feed.']
                : undefined;
    if (problem) {
      player.refuse(problem[1]);
      form.querySelector<HTMLElement>(`[name="${problem[0]}"]`)?.focus();
      return;
    }
    const flag: FlagInput = {
      from: Math.round(timeline.origin + fromMs!),
      to: Math.round(timeline.origin + toMs!),
      feeds: chosen,
      severity: values.get('severity') as FlagSeverity,
      reason: reason as FlagReason,
      ...(text ? { text } : {}),
    };
    void player.addFlag(flag);
  };
  return html`<form class="annotation" part="annotation" novalidate @submit=${submit} @keydown=${closeOnEscape(player)}>
    <h3>Flag an incident</h3>
    <div class="range">
      <label>From <input name="from" value=${timeline.offset(from)} size="7" inputmode="numeric" aria-describedby="range-hint" /></label>
      <label>to <input name="to" value=${timeline.offset(to)} size="7" inputmode="numeric" aria-describedby="range-hint" /></label>
      <span id="range-hint" class="hint">mm:ss from the exam’s start</span>
    </div>
    <label for="flag-reason">Reason</label>
    <select id="flag-reason" name="reason" data-autofocus>
      <option value="">Choose a reason…</option>
      ${FLAG_REASONS.map((reason) => html`<option value=${reason}>${FLAG_REASON_LABELS[reason]}</option>`)}
    </select>
    <label for="flag-text">Details <span class="hint">(required for “Other”)</span></label>
    <textarea id="flag-text" name="text" rows="2" maxlength="500"></textarea>
    <fieldset>
      <legend>Severity</legend>
      ${FLAG_SEVERITIES.map((s) => html`<label><input type="radio" name="severity" value=${s} ?checked=${s === 'medium'} />${SEVERITY_WORD[s]}</label>`)}
    </fieldset>
    <fieldset>
      <legend>Feeds</legend>
      ${(timeline.feeds.length ? timeline.feeds : FEEDS).map(
        (feed) => html`<label><input type="checkbox" name="feeds" value=${feed} ?checked=${feeds.includes(feed)} />${FEED_WORD[feed]}</label>`,
      )}
    </fieldset>
    ${player.annotationError ? html`<p class="error" role="alert">${player.annotationError}</p>` : nothing}
    <div class="actions">
      <button type="button" class="secondary" @click=${() => player.closeAnnotation()}>Cancel</button>
      <button type="submit" class="primary" ?disabled=${player.busy}>Save flag</button>
    </div>
  </form>`;
}

/** The card under the transport: the note or flag form at the playhead, or the buttons that open them. */
export function renderAnnotation(player: ReviewPlayer) {
  const body =
    player.annotation === 'note'
      ? noteForm(player)
      : player.annotation === 'flag'
        ? flagForm(player)
        : html`<p class="hint">Pause where something happens, then:</p>
            <div class="actions start">
              <button class="secondary" @click=${() => player.annotate('note')}>Add a note <kbd>N</kbd></button>
              <button class="secondary" @click=${() => player.annotate('flag')}>Flag an incident <kbd>F</kbd></button>
            </div>`;
  return html`<section class="card" aria-labelledby="annotate-title">
    <h2 id="annotate-title">At the playhead <span class="hint">${player.timeline!.offset(player.annotation ? player.annotationAt : player.time)}</span></h2>
    ${body}
  </section>`;
}

function verdictEntry(entry: VerdictEntry, all: readonly VerdictEntry[]) {
  const revised = entry.revises ? all.find((other) => other.verdictId === entry.revises) : undefined;
  return html`<li class="verdict-entry" data-verdict=${entry.verdict}>
    <p><strong class="verdict-word">${VERDICT_WORD[entry.verdict]}</strong> · ${entry.by.name} (${entry.by.role}) ·
      <time datetime=${new Date(entry.signedAt).toISOString()}>${dateTime.format(entry.signedAt)}</time></p>
    ${entry.reason ? html`<p>Reason for the candidate: “${entry.reason}”</p>` : nothing}
    ${entry.comment ? html`<p>Comment: “${entry.comment}”</p>` : nothing}
    ${revised ? html`<p class="hint">Revises ${VERDICT_WORD[revised.verdict]} of ${dateTime.format(revised.signedAt)}</p>` : nothing}
  </li>`;
}

/** The signed verdicts, latest last, and the form that signs a new one (a revision once one exists). */
export function renderVerdicts(player: ReviewPlayer) {
  const chosen = player.verdictChoice;
  const verdicts = player.records.verdicts;
  const revising = verdicts.length > 0;
  const ended = player.summary?.status === 'ended';
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const values = new FormData(form);
    const verdict = values.get('verdict') as Verdict;
    const reason = String(values.get('reason') ?? '').trim();
    const comment = String(values.get('comment') ?? '').trim();
    if (verdict === 'rejected' && !reason) {
      player.verdictError = 'Give the reason the candidate may see: the verdict is “Rejected”.';
      form.querySelector<HTMLElement>('[name="reason"]')?.focus();
      return player.announce(player.verdictError);
    }
    if (revising && !comment) {
      player.verdictError = 'Say why you revise the verdict: a comment is required.';
      form.querySelector<HTMLElement>('[name="comment"]')?.focus();
      return player.announce(player.verdictError);
    }
    const input: VerdictInput =
      verdict === 'rejected' ? { verdict, reason, ...(comment ? { comment } : {}) } : { verdict, ...(comment ? { comment } : {}) };
    void player.signVerdict(input).then(() => {
      if (!player.verdictError) form.reset();
    });
  };
  return html`<section class="card verdicts" part="verdicts" aria-labelledby="verdict-title">
    <h2 id="verdict-title">Verdict</h2>
    ${verdicts.length
      ? html`<ol class="verdict-history">${verdicts.map((entry) => verdictEntry(entry, verdicts))}</ol>`
      : html`<p class="hint">No verdict signed yet.</p>`}
    ${ended ? nothing : html`<p class="hint">The exam has not ended: a verdict can be signed once it has.</p>`}
    <form novalidate @submit=${submit}>
      <fieldset class="choices">
        <legend>${revising ? 'Revise the verdict' : 'Sign a verdict'}</legend>
        ${VERDICTS.map(
          (verdict) => html`<label data-verdict=${verdict}
            ><input type="radio" name="verdict" value=${verdict} .checked=${verdict === chosen} @change=${() => player.chooseVerdict(verdict)} />${VERDICT_WORD[verdict]}</label
          >`,
        )}
      </fieldset>
      ${chosen === 'rejected'
        ? html`<label for="verdict-reason">Reason <span class="hint">(the candidate may see it)</span></label>
            <textarea id="verdict-reason" name="reason" rows="2" maxlength="500" required></textarea>`
        : nothing}
      <label for="verdict-comment">Comment <span class="hint">${revising ? '(required: why you revise it)' : '(for the exam site)'}</span></label>
      <textarea id="verdict-comment" name="comment" rows="2" maxlength="1000" ?required=${revising}></textarea>
      ${player.verdictError ? html`<p class="error" role="alert">${player.verdictError}</p>` : nothing}
      <div class="actions">
        <button type="submit" class="primary" ?disabled=${player.busy}>${revising ? 'Sign the revision' : 'Sign the verdict'}</button>
      </div>
    </form>
  </section>`;
}

import { FLAG_REASON_LABELS, type SessionEvent, type SessionReport } from '@proctorkit/core/protocol';
import { FEED_WORDS, formatDuration } from '@proctorkit/core/protocol';
import { CHECK_WORDS, VERDICT_WORDS, actorOf, eventWords } from './event-words.js';
import { html, type SafeHtml } from './html.js';
import { REPORT_CSS } from './report-styles.js';

const STATUS_WORDS: Record<string, string> = {
  connecting: 'Not connected yet',
  preparing: 'Preparing',
  live: 'Live',
  'feed-lost': 'Live, a feed lost',
  offline: 'Offline',
  ended: 'Ended',
};
const END_WORDS: Record<string, string> = { expired: 'time ran out', finished: 'the candidate finished', terminated: 'ended by a supervisor or the exam site' };
const IDENTITY_WORDS: Record<string, string> = { none: 'Not submitted', submitted: 'Waiting for a verdict', approved: 'Confirmed', rejected: 'Not confirmed' };
const GAP_WORDS: Record<string, string> = {
  'share-stopped': 'screen sharing stopped',
  'camera-lost': 'the camera stopped',
  'page-closed': 'the page was closed or reloaded',
  disconnected: 'disconnected',
  unknown: 'unknown',
};
const CHECKS = ['camera', 'microphone', 'screen', 'network', 'browser'] as const;
const ROLE_WORDS: Record<string, string> = { supervisor: 'supervisor', reviewer: 'reviewer', host: 'exam site' };

/** Renders times for one report: clock times in the server's zone, and `mm:ss` from the exam's start. */
class Times {
  private readonly clockFormat: Intl.DateTimeFormat;
  private readonly dateFormat: Intl.DateTimeFormat;
  readonly zone: string;

  constructor(private readonly origin: number) {
    this.clockFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    this.dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', hourCycle: 'h23' });
    this.zone = this.clockFormat.resolvedOptions().timeZone;
  }

  /** `10:42:03`. */
  clock = (at: number): string => this.clockFormat.format(at);

  /** `14 Jan 2025, 10:42:03`. */
  date = (at: number | null): string => (at === null ? '—' : this.dateFormat.format(at));

  /** `07:05` after the exam's start (`-00:30` before it; minutes go past 59). */
  offset = (at: number): string => {
    const seconds = Math.round((at - this.origin) / 1000);
    const whole = Math.abs(seconds);
    return `${seconds < 0 ? '-' : ''}${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
  };
}

/**
 * The printable report of a session: one self-contained HTML page (its only requests are the
 * report's signed image links), sized for A4, every value escaped.
 */
export function reportHtml(report: SessionReport): string {
  const { session } = report;
  const times = new Times(session.clock.startedAt ?? session.joinedAt);
  const title = `Session report — ${session.name}`;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
  <h1>${session.name}</h1>
  <p class="sub">Candidate ${session.candidateId} · Exam ${session.examId} · Session ${session.sessionId}</p>
</header>
${overview(report, times)}
${verdicts(report, times)}
${identity(report)}
${deviceCheck(report.deviceCheck)}
${flags(report, times)}
${notes(report, times)}
${screenshots(report, times)}
${recordings(report, times)}
${eventLog(report.events, times)}
<footer>Generated ${times.date(report.generatedAt)} (${times.zone}) by Proctorkit. Times marked mm:ss count from the exam’s start. Image links work until ${times.date(report.linksExpireAt)}.</footer>
</body>
</html>
`;
  return page.value;
}

function overview({ session, events }: SessionReport, times: Times): SafeHtml {
  const { clock } = session;
  const ended = events.findLast((event) => event.type === 'session.ended');
  const endMessage = typeof ended?.data.message === 'string' ? ended.data.message : undefined;
  const planned = clock.durationMs + clock.extendedMs;
  const latest = session.verdict;
  return html`<section class="overview">
  <table class="facts">
    <tr><th>Status</th><td>${STATUS_WORDS[session.status] ?? session.status}${clock.endReason ? html` — ${END_WORDS[clock.endReason] ?? clock.endReason}` : ''}${endMessage ? html`: “${endMessage}”` : ''}</td></tr>
    <tr><th>Joined</th><td>${times.date(session.joinedAt)}</td></tr>
    <tr><th>Started</th><td>${times.date(clock.startedAt)}</td></tr>
    <tr><th>Ended</th><td>${times.date(clock.endedAt)}</td></tr>
    <tr><th>Time allowed</th><td>${formatDuration(planned)}${clock.extendedMs ? ` (${formatDuration(clock.extendedMs)} added)` : ''}${clock.pausedMs ? `, paused ${formatDuration(clock.pausedMs)}` : ''}</td></tr>
  </table>
  <div class="verdict-box ${latest ? `v-${latest.verdict}` : 'v-none'}">
    <div class="label">Verdict</div>
    <div class="value">${latest ? VERDICT_WORDS[latest.verdict] : 'None yet'}</div>
    ${latest ? html`<div class="when">${times.date(latest.signedAt)}</div>` : ''}
  </div>
</section>`;
}

function verdicts({ verdicts: entries }: SessionReport, times: Times): SafeHtml {
  if (entries.length === 0) return section('Verdicts', html`<p class="none">No verdict signed yet.</p>`);
  const rows = entries.map(
    (entry) => html`<tr>
      <td>${times.date(entry.signedAt)}</td>
      <td>${entry.by.name}<div class="muted">${ROLE_WORDS[entry.by.role] ?? entry.by.role} ${entry.by.id}</div></td>
      <td><strong>${VERDICT_WORDS[entry.verdict]}</strong>${entry.revises ? html`<div class="muted">revises the verdict before</div>` : ''}</td>
      <td>${entry.reason ? html`<div><span class="muted">Reason:</span> ${entry.reason}</div>` : ''}${entry.comment ? html`<div>${entry.comment}</div>` : ''}</td>
      <td class="${entry.signatureValid ? 'ok' : 'bad'}">${entry.signatureValid ? '✓ intact' : '✗ does not match'}</td>
    </tr>`,
  );
  return section('Verdicts', table(['Signed', 'By', 'Verdict', 'Why', 'Signature'], rows));
}

function identity({ identity: check }: SessionReport): SafeHtml {
  const photos = check.photos.map(
    (photo) => html`<figure><img src="${check.photoUrls[photo.photoId] ?? ''}" alt="${photo.kind === 'document' ? 'ID document' : 'Face'}"><figcaption>${photo.kind === 'document' ? 'ID document' : 'Face'}</figcaption></figure>`,
  );
  return section(
    'Identity check',
    html`<p>${IDENTITY_WORDS[check.status] ?? check.status}${check.reason ? html`: “${check.reason}”` : ''}${check.required ? ' (required before the exam starts)' : ''}.</p>
    ${photos.length ? html`<div class="photos">${photos}</div>` : check.status !== 'none' ? html`<p class="none">The photos were deleted.</p>` : ''}`,
  );
}

function deviceCheck(event: SessionEvent | null): SafeHtml {
  if (!event) return section('Device check', html`<p class="none">The candidate’s page logged no device check.</p>`);
  const result = event.data as Record<string, { verdict?: unknown; message?: unknown } | unknown>;
  const rows = CHECKS.map((name) => {
    const check = result[name] as { verdict?: unknown; message?: unknown } | undefined;
    if (!check || typeof check !== 'object') return html``;
    const verdict = String(check.verdict ?? '');
    return html`<tr><td>${name[0]!.toUpperCase() + name.slice(1)}</td><td class="c-${verdict}">${CHECK_WORDS[verdict] ?? verdict}</td><td>${typeof check.message === 'string' ? check.message : ''}</td></tr>`;
  });
  const overall = String(result.verdict ?? '');
  return section('Device check', html`<p>The device check ${CHECK_WORDS[overall] ?? overall}.</p>${table(['Check', 'Result', 'What the candidate was told'], rows)}`);
}

function flags({ flags: list }: SessionReport, times: Times): SafeHtml {
  if (list.length === 0) return section('Flags', html`<p class="none">No incident was flagged.</p>`);
  const rows = list.map(
    (flag) => html`<tr class="sev-${flag.severity}">
      <td class="nowrap">${times.offset(flag.from)}–${times.offset(flag.to)}</td>
      <td>${flag.feeds.map((feed) => FEED_WORDS[feed] ?? feed).join(', ')}</td>
      <td><span class="sev">${flag.severity}</span></td>
      <td>${FLAG_REASON_LABELS[flag.reason] ?? flag.reason}${flag.signalSeq ? html`<div class="muted">confirms signal #${flag.signalSeq}</div>` : ''}</td>
      <td>${flag.text ?? ''}</td>
      <td>${flag.by.name}<div class="muted">${times.clock(flag.createdAt)}</div></td>
    </tr>`,
  );
  return section(`Flags (${list.length})`, table(['Time', 'Feeds', 'Severity', 'Reason', 'Text', 'By'], rows));
}

function notes({ notes: list, dismissals }: SessionReport, times: Times): SafeHtml {
  const rows = [
    ...list.map((note) => ({ at: note.at, html: html`<tr><td class="nowrap">${times.offset(note.at)}</td><td>${note.text}</td><td>${note.by.name}</td></tr>` })),
    ...dismissals.map((d) => ({ at: d.at, html: html`<tr><td class="nowrap">${times.offset(d.at)}</td><td><span class="muted">Dismissed signal #${d.signalSeq}</span>${d.comment ? html`: ${d.comment}` : ''}</td><td>${d.by.name}</td></tr>` })),
  ].sort((a, b) => a.at - b.at);
  if (rows.length === 0) return section('Notes', html`<p class="none">No notes.</p>`);
  return section('Notes and dismissed signals', table(['Time', 'Note', 'By'], rows.map((row) => row.html)));
}

function screenshots({ screenshots: list }: SessionReport, times: Times): SafeHtml {
  if (list.length === 0) return section('Screenshots', html`<p class="none">No screenshots.</p>`);
  const shots = list.map(
    (shot) => html`<figure><img src="${shot.url}" alt="${FEED_WORDS[shot.feed] ?? shot.feed} at ${times.offset(shot.at)}" width="${shot.width}" height="${shot.height}"><figcaption>${FEED_WORDS[shot.feed] ?? shot.feed} · ${times.offset(shot.at)} · ${shot.by.name}</figcaption></figure>`,
  );
  return section(`Screenshots (${list.length})`, html`<div class="shots">${shots}</div>`);
}

function recordings({ recordings: manifest }: SessionReport, times: Times): SafeHtml {
  if (manifest.recordings.length === 0) return section('Recordings', html`<p class="none">Nothing was recorded.</p>`);
  const feeds = manifest.recordings.map(({ feed, runs }) => {
    const total = runs.reduce((sum, run) => sum + (run.durationMs ?? 0), 0);
    const rows = runs.map(
      (run, i) => html`<tr><td>${i + 1}</td><td class="nowrap">${times.offset(run.startedAt)}–${run.endedAt === null ? '…' : times.offset(run.endedAt)}</td><td>${run.durationMs === null ? '—' : formatDuration(run.durationMs)}</td><td>${run.state}${run.chunks.missing.length ? ` (${run.chunks.missing.length} parts missing)` : ''}</td><td>${(run.bytes / 1024 ** 2).toFixed(1)} MB</td></tr>`,
    );
    const gaps = manifest.gaps.filter((gap) => gap.feed === feed).map((gap) => html`<li>${times.offset(gap.from)}–${times.offset(gap.to)} (${formatDuration(gap.to - gap.from)}): ${GAP_WORDS[gap.reason] ?? gap.reason}</li>`);
    return html`<h3>${FEED_WORDS[feed] ?? feed} — ${runs.length} ${runs.length === 1 ? 'run' : 'runs'}, ${formatDuration(total)} recorded</h3>
    ${table(['Run', 'Time', 'Length', 'State', 'Size'], rows)}
    ${gaps.length ? html`<p class="muted">Gaps:</p><ul class="gaps">${gaps}</ul>` : ''}`;
  });
  return section('Recordings', html`${feeds}`);
}

function eventLog(events: readonly SessionEvent[], times: Times): SafeHtml {
  const rows = events.map((event) => {
    const who = actorOf(event) ?? (event.source === 'candidate' ? 'Candidate' : event.source === 'server' ? 'Proctorkit' : event.source);
    const tone = event.type.startsWith('signal.') && event.type !== 'signal.dismissed' ? 'signal' : '';
    return html`<tr class="${tone}"><td class="num">${event.seq}</td><td class="nowrap">${times.offset(event.occurredAt ?? event.at)}</td><td class="nowrap">${times.clock(event.occurredAt ?? event.at)}</td><td class="who">${who}</td><td>${eventWords(event, times.offset)}</td></tr>`;
  });
  return section(`Event log (${events.length})`, table(['#', 'mm:ss', 'Time', 'Who', 'What happened'], rows), 'log');
}

function section(title: string, body: SafeHtml, className = ''): SafeHtml {
  return html`<section class="${className}"><h2>${title}</h2>${body}</section>`;
}

function table(headings: string[], rows: SafeHtml[]): SafeHtml {
  return html`<table class="list"><thead><tr>${headings.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table>`;
}

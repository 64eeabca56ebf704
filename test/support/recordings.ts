import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import type { Page } from 'puppeteer-core';
import type { RecordingManifest, RecordingRun } from '@proctorkit/core/protocol';

/** The supervisor's token, as the demo's supervisor page hands it to its grid. */
export function supervisorToken(supervisor: Page): Promise<string> {
  return supervisor.evaluate(() => document.querySelector('proctor-grid')!.getAttribute('token')!);
}

/** `GET /proctor/sessions/:id/recordings` with a supervisor's token. */
export async function fetchManifest(siteUrl: string, token: string, sessionId: string): Promise<RecordingManifest> {
  const response = await fetch(`${siteUrl}/proctor/sessions/${sessionId}/recordings`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200, `the manifest: ${response.status} ${await response.clone().text()}`);
  return (await response.json()) as RecordingManifest;
}

/** Every run of the manifest, whatever its feed. */
function allRuns(manifest: RecordingManifest): RecordingRun[] {
  return manifest.recordings.flatMap((feed) => feed.runs);
}

/** Polls the manifest until `done` holds; fails with the last one seen after `timeoutMs`. */
export async function waitForManifest(
  siteUrl: string,
  token: string,
  sessionId: string,
  done: (manifest: RecordingManifest) => boolean,
  timeoutMs: number,
): Promise<RecordingManifest> {
  const deadline = Date.now() + timeoutMs;
  let manifest = await fetchManifest(siteUrl, token, sessionId);
  while (!done(manifest)) {
    if (Date.now() > deadline) assert.fail(`the manifest never got there in ${timeoutMs / 1000} s: ${JSON.stringify(manifest)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    manifest = await fetchManifest(siteUrl, token, sessionId);
  }
  return manifest;
}

/** Whether every run ended and the kit is done with it (finished into a file, or given up on). */
export function settled(manifest: RecordingManifest): boolean {
  const runs = allRuns(manifest);
  return runs.length > 0 && runs.every((run) => run.state === 'complete' || run.state === 'incomplete');
}

/** Downloads a finished run's file to `path` with the supervisor's token; checks it is whole. */
export async function downloadRun(siteUrl: string, token: string, run: RecordingRun, path: string): Promise<void> {
  assert.ok(run.url, `run ${run.runId} has a file`);
  const response = await fetch(`${siteUrl}${run.url}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  const bytes = new Uint8Array(await response.arrayBuffer());
  assert.equal(bytes.length, run.bytes, 'the whole file, as many bytes as the manifest says');
  await writeFile(path, bytes);
}

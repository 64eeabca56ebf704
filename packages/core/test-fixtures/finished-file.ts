/** For the recording browser tests: what a supervisor's browser makes of a finished run's file. */
import { expect } from '@open-wc/testing';

/** Loads the file at `url` with the supervisor's token into a `<video>`: it states its duration, is seekable, and shows its middle. */
export async function expectPlayableAndSeekable(url: string, token: string): Promise<void> {
  const file = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const video = document.createElement('video');
  video.muted = true;
  video.src = URL.createObjectURL(await file.blob());
  await new Promise((resolve) => video.addEventListener('loadedmetadata', resolve, { once: true }));
  expect(Number.isFinite(video.duration)).to.equal(true, 'the file states its duration');
  expect(video.seekable.length).to.equal(1);
  video.currentTime = video.duration / 2;
  await new Promise((resolve) => video.addEventListener('seeked', resolve, { once: true }));
  expect(Math.abs(video.currentTime - video.duration / 2)).to.be.below(1);
}

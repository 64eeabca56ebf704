/// <reference path="../../../elements/test-support/mocha-globals.d.ts" />
import { expect, waitUntil } from '@open-wc/testing';
import { ProctorError } from '../errors.js';
import { probeCamera } from './camera-probe.js';
import { DeviceCheck } from './device-check.js';
import { MicrophoneMeter } from './microphone-meter.js';
import { measureNetwork } from './network.js';
import { DEFAULT_THRESHOLDS } from './thresholds.js';

async function candidateToken(): Promise<string> {
  const response = await fetch(`/test-token?role=candidate&candidateId=check-${crypto.randomUUID()}&name=Ada`);
  return ((await response.json()) as { token: string }).token;
}

/** Every track captured during a test, to check that each was stopped. */
const media = navigator.mediaDevices;
const realGetUserMedia = media.getUserMedia.bind(media);
let captured: MediaStreamTrack[] = [];

/** What went over the wire: each request's URL and body size, and each response's size. */
const realFetch = window.fetch.bind(window);
let transfers: { url: string; method: string; sent: number; received: number }[] = [];

describe('the device check in the browser', () => {
  beforeEach(() => {
    captured = [];
    transfers = [];
    media.getUserMedia = async (constraints) => {
      const stream = await realGetUserMedia(constraints);
      captured.push(...stream.getTracks());
      return stream;
    };
    window.fetch = async (input, init) => {
      const response = await realFetch(input, init);
      const body = init?.body;
      const sent = body instanceof Uint8Array ? body.byteLength : 0;
      const received = (await response.clone().arrayBuffer()).byteLength;
      transfers.push({ url: String(input), method: init?.method ?? 'GET', sent, received });
      return response;
    };
  });

  afterEach(() => {
    Reflect.deleteProperty(media, 'getUserMedia');
    window.fetch = realFetch;
    for (const track of captured) track.stop();
  });

  it('measures the network with real transfers of the sizes asked for', async () => {
    const steps: string[] = [];
    const measured = await measureNetwork({
      server: '/proctor/',
      token: await candidateToken(),
      downloadBytes: 300_000,
      uploadBytes: 200_000,
      onStep: (step) => steps.push(step),
    });
    expect(steps).to.deep.equal(['ping', 'download', 'upload']);
    expect(transfers.filter((t) => t.url.endsWith('/network/ping'))).to.have.length(5);
    expect(transfers.find((t) => t.url.includes('/network/download'))).to.include({ url: '/proctor/network/download?bytes=300000', received: 300_000 });
    const upload = transfers.find((t) => t.url.endsWith('/network/upload'))!;
    expect(upload).to.include({ method: 'POST', sent: 200_000 });
    expect(measured).to.include({ downloadBytes: 300_000, uploadBytes: 200_000 });
    expect(measured.rttMs).to.be.greaterThan(0);
    expect(measured.downloadMbps).to.be.greaterThan(0);
    expect(measured.uploadMbps).to.be.greaterThan(0);
  });

  it('says the server refused the check when the token is not valid', async () => {
    const error = await measureNetwork({ server: '/proctor', token: 'a.b.c' }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ProctorError);
    expect((error as ProctorError).code).to.equal('unauthorized');
    expect((error as ProctorError).message).to.match(/Reload the page/);
  });

  it('measures the fake camera: its size, about 15 frames per second, and a picture that is not black', async function () {
    const track = (await media.getUserMedia({ video: { width: 640, height: 480, frameRate: { max: 15 } } })).getVideoTracks()[0]!;
    const measured = await probeCamera(track, 1000);
    expect(measured).to.include({ width: 640, height: 480 });
    expect(measured.fps).to.be.within(10, 20);
    expect(measured.brightness).to.be.greaterThan(10);
    expect(track.readyState, 'the probe leaves the track to its owner').to.equal('live');
  });

  it('hears the fake microphone’s beep', async () => {
    const track = (await media.getUserMedia({ audio: true })).getAudioTracks()[0]!;
    const meter = new MicrophoneMeter(track);
    try {
      await waitUntil(() => meter.peak >= DEFAULT_THRESHOLDS.micHeardLevel, 'the beep should be heard', { timeout: 4000 });
    } finally {
      meter.stop();
    }
    expect(meter.level.value).to.equal(0);
  });

  it('captures nothing before start, and close() stops what it captured mid-check', async () => {
    const check = new DeviceCheck({ server: '/proctor', token: await candidateToken() });
    expect(check.state.value.phase).to.equal('idle');
    expect(captured).to.have.length(0);
    void check.start();
    await waitUntil(() => captured.length === 2 && check.state.value.preview, 'the camera and the microphone should be captured');
    check.close();
    expect(captured.map((track) => track.readyState)).to.deep.equal(['ended', 'ended']);
    expect(check.state.value.phase).to.equal('idle');
  });
});

import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type LaunchOptions } from 'puppeteer-core';

/** Where Chromium is: `CHROME_PATH` when set, else Debian's. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  const found = candidates.find((path): path is string => !!path && existsSync(path));
  if (!found) throw new Error('Chromium not found: install Debian\'s `chromium` or set CHROME_PATH.');
  return found;
}

/** Flags that make camera, screen capture and WebRTC work headless on a loopback-only machine. */
export function chromiumArgs({ cameras = 1, fps = 15 }: { cameras?: number; fps?: number } = {}): string[] {
  return [
    `--use-fake-device-for-media-stream=device-count=${cameras},fps=${fps}`,
    '--use-fake-ui-for-media-stream',
    '--auto-accept-this-tab-capture',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
    '--allow-loopback-in-peer-connection',
    '--autoplay-policy=no-user-gesture-required',
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
    '--disable-backgrounding-occluded-windows',
  ];
}

/** Launches headless Chromium with fake camera and screen. */
export function launchChromium(options: LaunchOptions & { cameras?: number; fps?: number } = {}): Promise<Browser> {
  const { cameras, fps, ...launch } = options;
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: chromiumArgs({ cameras, fps }),
    defaultViewport: { width: 1280, height: 800 },
    ...launch,
  });
}

/** What a browser needs for a supervised exam, in the order a person reads them. */
export const BROWSER_FEATURES = [
  'secure-context',
  'camera',
  'screen-sharing',
  'webrtc',
  'websocket',
  'indexeddb',
  'web-audio',
] as const;

/** One capability {@link checkBrowser} looks for. */
export type BrowserFeature = (typeof BROWSER_FEATURES)[number];

/** Each feature in words, for a list a candidate reads. */
export const BROWSER_FEATURE_LABELS: Readonly<Record<BrowserFeature, string>> = {
  'secure-context': 'Secure page (https)',
  camera: 'Camera and microphone access',
  'screen-sharing': 'Screen sharing',
  webrtc: 'Live video (WebRTC)',
  websocket: 'Live connection (WebSocket)',
  indexeddb: 'Offline storage (IndexedDB)',
  'web-audio': 'Sound level (Web Audio)',
};

/** Features without which supervision cannot work; the others only make it better. */
export const REQUIRED_FEATURES: readonly BrowserFeature[] = ['secure-context', 'camera', 'screen-sharing', 'webrtc', 'websocket'];

/** The parts of a window {@link checkBrowser} reads, so it can be checked against a made-up one. */
export interface BrowserScope {
  isSecureContext?: boolean;
  navigator?: { mediaDevices?: { getUserMedia?: unknown; getDisplayMedia?: unknown } };
  RTCPeerConnection?: unknown;
  WebSocket?: unknown;
  indexedDB?: unknown;
  AudioContext?: unknown;
}

/** Which {@link BROWSER_FEATURES} this browser has. Captures nothing and asks for no permission. */
export function checkBrowser(scope: BrowserScope = globalThis as BrowserScope): Record<BrowserFeature, boolean> {
  const media = scope.navigator?.mediaDevices;
  return {
    'secure-context': scope.isSecureContext === true,
    camera: typeof media?.getUserMedia === 'function',
    'screen-sharing': typeof media?.getDisplayMedia === 'function',
    webrtc: typeof scope.RTCPeerConnection === 'function',
    websocket: typeof scope.WebSocket === 'function',
    indexeddb: !!scope.indexedDB,
    'web-audio': typeof scope.AudioContext === 'function',
  };
}

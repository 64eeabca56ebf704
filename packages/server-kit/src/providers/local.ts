import type { MediaProvider } from './provider.js';

/** Options of {@link localProvider}. */
export interface LocalProviderOptions {
  /**
   * STUN/TURN servers handed to the browsers. Default: none, which works when candidates and
   * supervisors can reach each other directly (same network). Across the internet, give a TURN server.
   */
  iceServers?: RTCIceServer[];
}

/**
 * The embedded default: browsers connect peer to peer with WebRTC, and the kit relays their
 * signaling over the control channel. Needs no account.
 */
export function localProvider(options: LocalProviderOptions = {}): MediaProvider {
  const iceServers = (options.iceServers ?? []).map(({ urls, username, credential }) => ({
    urls,
    ...(username === undefined ? {} : { username }),
    ...(typeof credential === 'string' ? { credential } : {}),
  }));
  return {
    name: 'local',
    async joinInfo() {
      return { name: 'local', iceServers };
    },
  };
}

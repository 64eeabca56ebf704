import type { ControlChannel } from '../channel/control-channel.js';
import type { ProviderInfo } from '../protocol/index.js';
import { loadChimeSdk, type ChimeSdkLoader } from './chime/chime-sdk.js';
import { LocalPublisher } from './local/local-publisher.js';
import { LocalSubscriber } from './local/local-subscriber.js';
import type { CandidateMedia, MediaLog, SupervisorMedia } from './media.js';

/** What the media providers may need of the page, beyond the control channel. */
export interface MediaOptions {
  /** Loads the Chime SDK. Default: {@link loadChimeSdk}, only when the server uses Chime. */
  chimeSdk?: ChimeSdkLoader;
  /** Writes the media engine's events into the candidate's log. */
  log?: MediaLog;
}

/** The candidate's media for the provider the server named in its welcome. */
export async function createCandidateMedia(channel: ControlChannel, provider: ProviderInfo, options: MediaOptions = {}): Promise<CandidateMedia> {
  switch (provider.name) {
    case 'local':
      return new LocalPublisher(channel, provider.iceServers);
    case 'chime': {
      // Like the SDK, the Chime side of Proctorkit loads only on a Chime server kit. The meeting
      // may be ready while it loads: keep the latest join info for it.
      let latest: ProviderInfo = provider;
      const stop = channel.on('session.media', (message) => (latest = message.provider));
      try {
        const [{ ChimePublisher }, sdk] = await Promise.all([import('./chime/chime-publisher.js'), (options.chimeSdk ?? loadChimeSdk)()]);
        return new ChimePublisher(channel, latest, sdk, options.log ?? (() => {}));
      } finally {
        stop();
      }
    }
  }
}

/** The supervisor's media for the provider the server named in its welcome. */
export async function createSupervisorMedia(channel: ControlChannel, provider: ProviderInfo, options: MediaOptions = {}): Promise<SupervisorMedia> {
  switch (provider.name) {
    case 'local':
      return new LocalSubscriber(channel, provider.iceServers);
    case 'chime': {
      const [{ ChimeViewer }, sdk] = await Promise.all([import('./chime/chime-viewer.js'), (options.chimeSdk ?? loadChimeSdk)()]);
      return new ChimeViewer(channel, sdk);
    }
  }
}

import type { ControlChannel } from '../channel/control-channel.js';
import { ProctorError } from '../errors.js';
import type { ProviderInfo } from '../protocol/index.js';
import { LocalPublisher } from './local/local-publisher.js';
import { LocalSubscriber } from './local/local-subscriber.js';
import type { CandidateMedia, SupervisorMedia } from './media.js';

/** The candidate's media for the provider the server named in its welcome. */
export async function createCandidateMedia(channel: ControlChannel, provider: ProviderInfo): Promise<CandidateMedia> {
  switch (provider.name) {
    case 'local':
      return new LocalPublisher(channel, provider.iceServers);
    case 'chime':
      throw chimeNotYet();
  }
}

/** The supervisor's media for the provider the server named in its welcome. */
export async function createSupervisorMedia(channel: ControlChannel, provider: ProviderInfo): Promise<SupervisorMedia> {
  switch (provider.name) {
    case 'local':
      return new LocalSubscriber(channel, provider.iceServers);
    case 'chime':
      throw chimeNotYet();
  }
}

/** The server kit runs the Chime provider, whose browser half is still being built (issue 4). */
function chimeNotYet(): ProctorError {
  return new ProctorError('connection-refused', 'This server uses Amazon Chime for media, which this version of the page cannot join yet.');
}

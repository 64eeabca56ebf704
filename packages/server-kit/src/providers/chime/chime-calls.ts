import type {
  BatchCreateAttendeeCommandInput,
  BatchCreateAttendeeCommandOutput,
  ChimeSDKMeetingsClient,
  ChimeSDKMeetingsClientConfig,
  CreateAttendeeCommandInput,
  CreateAttendeeCommandOutput,
  CreateMeetingWithAttendeesCommandInput,
  CreateMeetingWithAttendeesCommandOutput,
  DeleteMeetingCommandInput,
  DeleteMeetingCommandOutput,
  GetMeetingCommandInput,
  GetMeetingCommandOutput,
} from '@aws-sdk/client-chime-sdk-meetings';
import { QueueCancelledError } from './rate-queue.js';

type ChimeSdk = typeof import('@aws-sdk/client-chime-sdk-meetings');

/** The five Chime SDK meetings operations the provider calls. */
export interface ChimeCalls {
  createMeetingWithAttendees(input: CreateMeetingWithAttendeesCommandInput): Promise<CreateMeetingWithAttendeesCommandOutput>;
  batchCreateAttendee(input: BatchCreateAttendeeCommandInput): Promise<BatchCreateAttendeeCommandOutput>;
  createAttendee(input: CreateAttendeeCommandInput): Promise<CreateAttendeeCommandOutput>;
  getMeeting(input: GetMeetingCommandInput): Promise<GetMeetingCommandOutput>;
  deleteMeeting(input: DeleteMeetingCommandInput): Promise<DeleteMeetingCommandOutput>;
  /** Releases the client's connections when these calls created it; later calls are refused. */
  destroy(): void;
}

/**
 * The Chime calls through the AWS SDK, which is loaded with a dynamic `import()` at the first call:
 * importing the server kit (and running a kit on the local provider) never loads it. Given a
 * `client`, calls go through it; given a `config`, the client is created at the first call.
 */
export function chimeCalls(source: { client: ChimeSDKMeetingsClient } | { config: ChimeSDKMeetingsClientConfig }): ChimeCalls {
  let loading: Promise<{ sdk: ChimeSdk; client: ChimeSDKMeetingsClient }> | undefined;
  let created: ChimeSDKMeetingsClient | undefined;
  let destroyed = false;
  const load = () =>
    (loading ??= import('@aws-sdk/client-chime-sdk-meetings').then((sdk) => {
      if ('client' in source) return { sdk, client: source.client };
      created = new sdk.ChimeSDKMeetingsClient(source.config);
      return { sdk, client: created };
    }));
  const withSdk = async <T>(call: (sdk: ChimeSdk, client: ChimeSDKMeetingsClient) => Promise<T>): Promise<T> => {
    if (destroyed) throw new QueueCancelledError('The Chime provider is closed.');
    const { sdk, client } = await load();
    if (destroyed) throw new QueueCancelledError('The Chime provider is closed.');
    return call(sdk, client);
  };
  return {
    createMeetingWithAttendees: (input) => withSdk((sdk, client) => client.send(new sdk.CreateMeetingWithAttendeesCommand(input))),
    batchCreateAttendee: (input) => withSdk((sdk, client) => client.send(new sdk.BatchCreateAttendeeCommand(input))),
    createAttendee: (input) => withSdk((sdk, client) => client.send(new sdk.CreateAttendeeCommand(input))),
    getMeeting: (input) => withSdk((sdk, client) => client.send(new sdk.GetMeetingCommand(input))),
    deleteMeeting: (input) => withSdk((sdk, client) => client.send(new sdk.DeleteMeetingCommand(input))),
    destroy() {
      destroyed = true;
      // A client still being created is destroyed once it exists.
      void loading?.then(() => created?.destroy(), () => undefined);
    },
  };
}

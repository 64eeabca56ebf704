// The only module that imports amazon-chime-sdk-js. Loaded with a dynamic import() by
// loadChimeSdk(), so bundlers put it, and the SDK, in a chunk of their own.
import {
  ConsoleLogger,
  DefaultDeviceController,
  DefaultMeetingSession,
  LogLevel,
  MeetingSessionConfiguration,
  MeetingSessionStatusCode,
  TargetDisplaySize,
  VideoPreference,
  VideoPreferences,
  VideoPriorityBasedPolicy,
} from 'amazon-chime-sdk-js';
import type { ChimeSdk } from './chime-sdk.js';

/** Priority 1 is the highest; every candidate's feeds on the page matter equally. */
const PRIORITY = 1;

export const chimeSdk: ChimeSdk = {
  createMeetingSession({ meeting, attendee }, role) {
    const logger = new ConsoleLogger(`proctorkit-chime-${attendee.ExternalUserId}`, LogLevel.WARN);
    const configuration = new MeetingSessionConfiguration({ Meeting: meeting }, { Attendee: attendee });
    const policy = role === 'viewer' ? new VideoPriorityBasedPolicy(logger) : undefined;
    if (policy) configuration.videoDownlinkBandwidthPolicy = policy;
    // Senders offer layers so thumbnails and the focused view each get a fitting one.
    else configuration.enableSimulcastForUnifiedPlanChromiumBasedBrowsers = true;
    // No Web Audio graph: Proctorkit sends and plays no audio through Chime.
    const devices = new DefaultDeviceController(logger, { enableWebAudio: false });
    const session = new DefaultMeetingSession(configuration, logger, devices);
    return {
      audioVideo: session.audioVideo,
      eventController: session.eventController,
      chooseVideos(wishes) {
        if (!policy) return;
        const preferences = VideoPreferences.prepare();
        for (const { attendeeId, size } of wishes) {
          preferences.add(new VideoPreference(attendeeId, PRIORITY, size === 'large' ? TargetDisplaySize.High : TargetDisplaySize.Low));
        }
        policy.chooseRemoteVideoSources(preferences.build());
      },
    };
  },
  statusName: (code) => MeetingSessionStatusCode[code] ?? `status ${code}`,
};

import type { RtcIce } from '../../protocol/index.js';

type IceInit = RtcIce['candidate'];

/** Random ids for peer connections, unique per page. */
export function newPcId(): string {
  return crypto.randomUUID();
}

/**
 * One RTCPeerConnection and its signaling bookkeeping: an id both ends use to match messages,
 * and remote ICE candidates held back until the remote description is set.
 */
export class SignalingPeer {
  readonly pc: RTCPeerConnection;
  private pendingIce: IceInit[] = [];

  constructor(
    readonly pcId: string,
    iceServers: RTCIceServer[],
    onLocalIce: (candidate: IceInit) => void,
  ) {
    this.pc = new RTCPeerConnection({ iceServers, bundlePolicy: 'max-bundle' });
    this.pc.onicecandidate = ({ candidate }) => {
      if (candidate) onLocalIce(candidate.toJSON() as IceInit);
    };
  }

  /** Sets the remote description, then adds the ICE candidates that arrived before it. */
  async setRemote(description: RTCSessionDescriptionInit): Promise<void> {
    await this.pc.setRemoteDescription(description);
    const pending = this.pendingIce;
    this.pendingIce = [];
    for (const candidate of pending) await this.addIce(candidate);
  }

  async addRemoteIce(candidate: IceInit): Promise<void> {
    if (!this.pc.remoteDescription) this.pendingIce.push(candidate);
    else await this.addIce(candidate);
  }

  close(): void {
    this.pc.onicecandidate = null;
    this.pc.close();
  }

  private async addIce(candidate: IceInit): Promise<void> {
    try {
      await this.pc.addIceCandidate({
        candidate: candidate.candidate,
        sdpMid: candidate.sdpMid ?? null,
        sdpMLineIndex: candidate.sdpMLineIndex ?? null,
        usernameFragment: candidate.usernameFragment ?? null,
      });
    } catch {
      // A candidate for a transceiver that was renegotiated away is harmless to drop.
    }
  }
}

/** One received video's decoder figures, from `getStats()`. */
export interface InboundVideo {
  /** The transceiver's mid, to tell which feed it carries. */
  mid: string | undefined;
  framesDecoded: number;
  width: number;
  height: number;
}

/** The received videos of a stats report (its `inbound-rtp` video entries). */
export function inboundVideos(report: RTCStatsReport): InboundVideo[] {
  const videos: InboundVideo[] = [];
  for (const entry of report.values()) {
    if (entry.type !== 'inbound-rtp' || entry.kind !== 'video') continue;
    videos.push({
      mid: entry.mid as string | undefined,
      framesDecoded: (entry.framesDecoded as number | undefined) ?? 0,
      width: (entry.frameWidth as number | undefined) ?? 0,
      height: (entry.frameHeight as number | undefined) ?? 0,
    });
  }
  return videos;
}

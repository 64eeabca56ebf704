/** The id of an event's delivery to an endpoint: the same whichever adapter queued it. */
export function deliveryId(endpointId: string, sessionId: string, seq: number): string {
  return `dlv_${sessionId}_${seq}_${endpointId}`;
}

import { ProctorEventFeed } from './event-feed.component.js';

export { ProctorEventFeed } from './event-feed.component.js';
export { describeEvent, formatDuration, formatTime, type EventLine, type EventTone } from './describe-event.js';

if (!customElements.get('proctor-event-feed')) customElements.define('proctor-event-feed', ProctorEventFeed);

declare global {
  interface HTMLElementTagNameMap {
    'proctor-event-feed': ProctorEventFeed;
  }
}

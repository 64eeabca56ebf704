import { ProctorEventFeed, type EventSelectDetail } from './event-feed.component.js';

export { ProctorEventFeed, type EventSelectDetail } from './event-feed.component.js';
export { describeEvent, formatDuration, formatTime, type EventLine, type EventTone } from './describe-event.js';

if (!customElements.get('proctor-event-feed')) customElements.define('proctor-event-feed', ProctorEventFeed);

declare global {
  interface HTMLElementTagNameMap {
    'proctor-event-feed': ProctorEventFeed;
  }
  interface HTMLElementEventMap {
    'proctor-event-select': CustomEvent<EventSelectDetail>;
  }
}

import { css } from 'lit';
import { recordingStatusStyles } from '../shared/recording-status.styles.js';

export const candidateStyles = css`
  ${recordingStatusStyles}
  :host {
    --_bg: var(--proctor-candidate-background, #ffffff);
    --_fg: var(--proctor-candidate-color, #111827);
    --_border: var(--proctor-candidate-border, #e5e7eb);
    --_overlay: var(--proctor-candidate-overlay, #fffffff5);
    --_pad: 1rem 1.25rem;
    display: block;
    position: relative;
    background: var(--_bg);
    color: var(--_fg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-sizing: border-box;
    max-width: 44rem;
    line-height: 1.45;
    overflow: hidden;
  }
  .unset {
    padding: var(--_pad);
    margin: 0;
  }
  /* The content and the pause overlay share one grid cell: the element grows to the taller one. */
  .stack {
    display: grid;
  }
  .content,
  .overlay {
    grid-area: 1 / 1;
    padding: var(--_pad);
    min-width: 0;
  }
  header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 0.5em 1em;
    flex-wrap: wrap;
    margin-bottom: 0.75rem;
  }
  .title {
    display: grid;
    gap: 0.1rem;
  }
  h2 {
    font-size: 1.1rem;
    margin: 0;
  }
  h3 {
    font-size: 1.05rem;
    margin: 0;
  }
  .connection {
    font-size: 0.8rem;
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    color: var(--_muted);
  }
  .connection::before {
    content: '';
    width: 0.6em;
    height: 0.6em;
    border-radius: 50%;
    background: var(--_warn);
  }
  .connection[data-state='open']::before {
    background: var(--_live);
  }
  .connection[data-state='closed']::before {
    background: var(--_danger);
  }
  .connection[data-state='ended']::before {
    background: var(--_muted);
  }
  .recording {
    font-size: 0.8rem;
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    margin-inline-start: 0.75em;
    color: var(--_muted);
  }

  /* The exam clock */
  .clock {
    --_tone: var(--_fg);
    position: relative;
    display: inline-grid;
    grid-template-columns: auto auto;
    grid-template-areas: 'icon digits' 'icon caption';
    align-items: center;
    column-gap: 0.5rem;
    padding: 0.35rem 0.8rem 0.35rem 0.6rem;
    border: 1px solid var(--_border);
    border-radius: 8px;
    background: color-mix(in srgb, var(--_tone) 4%, var(--_bg));
    color: var(--_tone);
  }
  .clock[data-state='connecting'],
  .clock[data-state='idle'],
  .clock[data-state='ended'] {
    --_tone: var(--_muted);
  }
  .clock[data-state='paused'],
  .clock[data-state='low'] {
    --_tone: var(--_warn);
    border-color: color-mix(in srgb, var(--_warn) 45%, transparent);
  }
  .clock-icon {
    grid-area: icon;
    display: flex;
    opacity: 0.85;
  }
  .digits {
    grid-area: digits;
    font-size: 1.35rem;
    font-weight: 650;
    font-variant-numeric: tabular-nums;
    letter-spacing: 0.01em;
    line-height: 1.15;
  }
  .clock[data-state='idle'] .digits,
  .clock[data-state='ended'] .digits {
    color: var(--_fg);
    opacity: 0.55;
  }
  .caption {
    grid-area: caption;
    font-size: 0.72rem;
    text-transform: uppercase;
    letter-spacing: 0.06em;
    font-weight: 600;
    line-height: 1.2;
  }
  .clock[data-state='running'] .caption {
    color: var(--_muted);
  }
  .extended {
    position: absolute;
    top: -0.7rem;
    right: -0.4rem;
    background: var(--_live);
    color: #fff;
    font-size: 0.72rem;
    font-weight: 700;
    padding: 0.05rem 0.4rem;
    border-radius: 999px;
    animation: fade-out 0.6s ease-in 8s forwards;
  }
  @keyframes fade-out {
    to {
      opacity: 0;
      visibility: hidden;
    }
  }

  /* Supervisor messages */
  .messages {
    display: grid;
    gap: 0.5rem;
    margin: 0 0 0.9rem;
  }
  .message {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr);
    align-items: start;
    gap: 0.7rem;
    padding: 0.7rem 0.85rem;
    border-radius: 8px;
    border: 1px solid color-mix(in srgb, var(--_accent) 35%, transparent);
    border-left: 4px solid var(--_accent);
    background: color-mix(in srgb, var(--_accent) 7%, var(--_bg));
  }
  .message[data-state='new'] {
    animation: arrive 1.2s ease-out 2;
  }
  @keyframes arrive {
    0% {
      box-shadow: 0 0 0 0 color-mix(in srgb, var(--_accent) 45%, transparent);
    }
    100% {
      box-shadow: 0 0 0 10px transparent;
    }
  }
  .messages[data-ended] .message {
    animation: none;
  }
  .message[data-state='acked'],
  .messages[data-ended] .message {
    border-color: var(--_border);
    border-left-color: var(--_border);
    background: transparent;
    padding-block: 0.5rem;
  }
  .message-icon {
    color: var(--_accent);
    display: flex;
    padding-top: 0.05rem;
  }
  .message[data-state='acked'] .message-icon,
  .messages[data-ended] .message-icon {
    color: var(--_muted);
  }
  .message-meta {
    margin: 0;
    font-size: 0.8rem;
    color: var(--_muted);
    display: flex;
    flex-wrap: wrap;
    gap: 0.15em 0.6em;
    align-items: baseline;
  }
  .message-meta strong {
    color: var(--_fg);
  }
  .message-text {
    margin: 0.2rem 0 0;
    font-size: 1rem;
    overflow-wrap: anywhere;
    white-space: pre-line;
  }
  .message[data-state='acked'] .message-text,
  .messages[data-ended] .message-text {
    font-size: 0.9rem;
    color: var(--_muted);
  }
  .ack {
    margin-top: 0.6rem;
    background: var(--_accent);
    color: #fff;
    padding: 0.4em 1.1em;
  }
  .acked {
    margin: 0.25rem 0 0;
    font-size: 0.8rem;
    display: flex;
    align-items: center;
    gap: 0.25em;
    color: var(--_live);
    font-weight: 600;
    white-space: nowrap;
  }

  /* The pause overlay */
  .overlay {
    z-index: 1;
    background: var(--_overlay);
    backdrop-filter: blur(6px);
    display: flex;
    flex-direction: column;
    justify-content: center;
    gap: 0.9rem;
  }
  .pause-notice:focus {
    outline: none;
  }
  .pause-notice {
    text-align: center;
    display: grid;
    justify-items: center;
    gap: 0.35rem;
    max-width: 30rem;
    margin: 0 auto;
  }
  .pause-notice p {
    margin: 0;
  }
  .pause-icon,
  .ended-icon {
    display: grid;
    place-items: center;
    width: 3rem;
    height: 3rem;
    border-radius: 50%;
    color: var(--_warn);
    background: color-mix(in srgb, var(--_warn) 14%, var(--_bg));
  }
  .paused-time {
    font-variant-numeric: tabular-nums;
    color: var(--_fg);
  }
  .overlay .messages {
    margin: 0;
  }

  /* The end of the exam */
  .ended {
    display: flex;
    gap: 1rem;
    align-items: flex-start;
    padding: 1rem;
    border-radius: 8px;
    background: color-mix(in srgb, var(--_muted) 8%, var(--_bg));
  }
  .ended-icon {
    flex: none;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
  }
  .ended p {
    margin: 0.3rem 0 0;
  }
  .reason {
    font-size: 1rem;
    overflow-wrap: anywhere;
  }

  .upload-at-end {
    margin-top: 0.6rem;
  }
  .ended .verdict {
    margin-top: 0.6rem;
    padding: 0.6rem 0.8rem;
    border-radius: 8px;
    border: 1px solid var(--_border);
    background: var(--_bg);
    overflow-wrap: anywhere;
  }
  .upload-at-end progress {
    display: block;
    width: 100%;
    max-width: 24rem;
    height: 0.6rem;
    margin-top: 0.4rem;
    accent-color: var(--_accent);
  }
  .upload-at-end[data-state='done'] {
    color: var(--_live);
  }

  /* Consent */
  ul.captures {
    padding: 0;
    list-style: none;
    display: grid;
    gap: 0.6em;
    margin: 0.75rem 0;
  }
  ul.captures li {
    display: grid;
    grid-template-columns: 2rem 1fr;
    align-items: start;
  }
  .icon {
    color: var(--_accent);
    padding-top: 0.1em;
  }
  .fine {
    color: var(--_muted);
    font-size: 0.88rem;
  }
  .actions {
    display: flex;
    gap: 0.6em;
    margin-top: 1rem;
    flex-wrap: wrap;
  }
  button:disabled {
    opacity: 0.45;
    cursor: not-allowed;
  }

  /* Capture */
  .previews {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(8.5rem, 1fr));
    gap: 0.75rem;
  }
  figure {
    margin: 0;
    max-width: 15rem;
    border: 1px solid var(--_border);
    border-radius: 8px;
    overflow: hidden;
  }
  .frame {
    position: relative;
    aspect-ratio: 4 / 3;
    background: #111827;
    display: grid;
    place-items: center;
    color: #d1d5db;
    font-size: 0.85rem;
  }
  video {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    object-fit: contain;
  }
  [data-feed='webcam'] video {
    transform: scaleX(-1);
  }
  figcaption {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: 0.5em;
    padding: 0.4em 0.6em;
    font-size: 0.85rem;
  }
  .feed-state[data-state='live'] {
    color: var(--_live);
    font-weight: 600;
  }
  .feed-state[data-state='failed'] {
    color: var(--_danger);
    font-weight: 600;
  }
  .problem {
    border-left: 4px solid var(--_danger);
    background: color-mix(in srgb, var(--_danger) 8%, transparent);
    padding: 0.6em 0.8em;
    margin: 0.75rem 0 0;
    border-radius: 4px;
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 1em;
    flex-wrap: wrap;
  }
  .problem button {
    background: var(--_danger);
    color: #fff;
  }
  .fatal {
    border-left: 4px solid var(--_danger);
    padding: 0.6em 0.8em;
  }

  .steps {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1.25rem;
    list-style: none;
    counter-reset: step;
    padding: 0;
    margin: 0 0 1rem;
    font-size: 0.85rem;
    color: var(--_muted);
  }
  .steps li {
    counter-increment: step;
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
  }
  .steps li::before {
    content: counter(step);
    display: inline-grid;
    place-items: center;
    width: 1.5em;
    height: 1.5em;
    border-radius: 50%;
    border: 1px solid currentColor;
    font-size: 0.8em;
  }
  .steps li[aria-current='step'] {
    color: var(--_fg);
    font-weight: 600;
  }
  .steps li[aria-current='step']::before {
    background: var(--_accent);
    border-color: var(--_accent);
    color: #fff;
  }
  .step {
    display: grid;
    gap: 0.75rem;
    margin-bottom: 1rem;
  }
  .step > p {
    margin: 0;
  }
  .preparing {
    border-left: 4px solid var(--_accent);
    padding: 0.6em 0.8em;
    margin: 0 0 0.8em;
  }

  @media (prefers-reduced-motion: reduce) {
    .message[data-state='new'] {
      animation: none;
    }
  }
`;

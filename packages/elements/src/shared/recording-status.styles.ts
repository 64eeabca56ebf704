import { css } from 'lit';

/** The recording status line of the candidate's and the phone's pages: a dot, red while recording, amber while uploading. */
export const recordingStatusStyles = css`
  .recording::before {
    content: '';
    flex: none;
    width: 0.6em;
    height: 0.6em;
    border-radius: 50%;
    background: var(--_danger);
  }
  .recording[data-state='uploading']::before {
    background: var(--_warn);
  }
  .recording[data-state='problem'] {
    color: var(--_danger);
  }
`;

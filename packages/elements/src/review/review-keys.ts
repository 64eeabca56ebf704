/** The review player's keyboard: what each key does, and the list its help dialog shows. */

export type KeyAction =
  | { type: 'toggle' }
  | { type: 'step'; seconds: number }
  | { type: 'flag'; direction: -1 | 1 }
  | { type: 'speed'; direction: -1 | 1 }
  | { type: 'large'; index: number }
  | { type: 'add-note' }
  | { type: 'add-flag' }
  | { type: 'help' };

/** Seconds a step back or forward moves. */
export const STEP_SECONDS = 5;

/** The keys as the help dialog lists them. */
export const KEY_HELP: readonly [keys: string[], what: string][] = [
  [['Space', 'K'], 'Play or pause'],
  [['J', '←'], `Back ${STEP_SECONDS} seconds`],
  [['L', '→'], `Forward ${STEP_SECONDS} seconds`],
  [['['], 'Previous flag'],
  [[']'], 'Next flag'],
  [['<'], 'Slower'],
  [['>'], 'Faster'],
  [['1', '2', '3'], 'Show that feed large'],
  [['0'], 'All feeds side by side'],
  [['N'], 'Add a note at the playhead'],
  [['F'], 'Flag an incident at the playhead'],
  [['?'], 'This list of keys'],
  [['Esc'], 'Close a dialog or form'],
];

/** Whether a key press is typing: in a text field, a select or an editable element. */
function typing(event: KeyboardEvent): boolean {
  const target = event.composedPath()[0];
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset', 'range'].includes(target.type);
}

/** The player's action for a key press, or `undefined` when the key is not a shortcut here. */
export function keyAction(event: KeyboardEvent): KeyAction | undefined {
  if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || typing(event)) return undefined;
  const path = event.composedPath();
  // An open dialog has the keys to itself: its radio buttons, checkboxes and buttons.
  if (path.some((node) => node instanceof HTMLDialogElement)) return undefined;
  const target = path[0];
  // Space and Enter on a button press that button; Space checks a box, arrows choose a radio button.
  if (event.key === ' ' && target instanceof HTMLElement && ['button', 'summary', 'a', 'input'].includes(target.localName)) return undefined;
  if (event.key.startsWith('Arrow') && target instanceof HTMLInputElement && target.type === 'radio') return undefined;
  switch (event.key) {
    case ' ':
    case 'k':
    case 'K':
      return { type: 'toggle' };
    case 'j':
    case 'J':
    case 'ArrowLeft':
      return { type: 'step', seconds: -STEP_SECONDS };
    case 'l':
    case 'L':
    case 'ArrowRight':
      return { type: 'step', seconds: STEP_SECONDS };
    case '[':
      return { type: 'flag', direction: -1 };
    case ']':
      return { type: 'flag', direction: 1 };
    case '<':
      return { type: 'speed', direction: -1 };
    case '>':
      return { type: 'speed', direction: 1 };
    case '0':
    case '1':
    case '2':
    case '3':
      return { type: 'large', index: Number(event.key) };
    case 'n':
    case 'N':
      return { type: 'add-note' };
    case 'f':
    case 'F':
      return { type: 'add-flag' };
    case '?':
      return { type: 'help' };
    default:
      return undefined;
  }
}

/**
 * Keyboard shortcuts of the action bar, as a pure function of the key event so they are tested
 * without a DOM. Chords use Ctrl (or Cmd on macOS) with Shift, which no text field types. Keys typed
 * into a field are ignored, except the kill switch: a trader must be able to pull everything even
 * with the cursor in the order ticket.
 */

export type ShortcutAction = 'kill' | 'hedge-preview' | 'toggle-pause' | 'flatten' | 'help';

export interface Shortcut {
  readonly action: ShortcutAction;
  /** As the help overlay prints it. */
  readonly keys: string;
  readonly description: string;
  /** Fires even when focus is in a text field or a dialog is open. */
  readonly always: boolean;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'kill', keys: 'Ctrl+Shift+K', description: 'Kill switch: pull every quote and order everywhere, latch HALTED (no confirmation; works while typing)', always: true },
  { action: 'hedge-preview', keys: 'Ctrl+Shift+H', description: 'Preview a delta hedge of the selected underlying (confirm in the dialog)', always: false },
  { action: 'toggle-pause', keys: 'Ctrl+Shift+P', description: 'Pause the selected underlying’s strategy, or resume it if paused', always: false },
  { action: 'flatten', keys: 'Ctrl+Shift+F', description: 'Flatten… (opens the confirmation)', always: false },
  { action: 'help', keys: '? or F1', description: 'Show or hide this help', always: false },
];

const CHORDS: Readonly<Record<string, ShortcutAction>> = { K: 'kill', H: 'hedge-preview', P: 'toggle-pause', F: 'flatten' };

export interface KeyInput {
  readonly key: string;
  /** Physical key ("KeyK"): the chord works whatever the keyboard layout. */
  readonly code?: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
  readonly repeat?: boolean;
}

export interface TargetInfo {
  readonly tagName?: string;
  readonly isContentEditable?: boolean;
  /** An input's type. */
  readonly type?: string;
}

const NON_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** Whether a keystroke on this element is the trader typing (a text field, a select, an editor). */
export function isTypingTarget(target: TargetInfo | undefined): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName?.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !NON_TEXT_INPUTS.has((target.type ?? 'text').toLowerCase());
  return false;
}

export interface ShortcutContext {
  readonly typing: boolean;
  /** Which of the bar's overlays shows: with an action dialog open only the kill switch acts. */
  readonly dialog: 'none' | 'help' | 'action';
}

/** The letter of a chord: the printed one on Latin layouts, the physical key's on others (Cyrillic…). */
function chordLetter(event: KeyInput): string | undefined {
  if (/^[a-z]$/i.test(event.key)) return event.key.toUpperCase();
  if (event.code?.startsWith('Key')) return event.code.slice(3).toUpperCase();
  return undefined;
}

export function shortcutFor(event: KeyInput, context: ShortcutContext): ShortcutAction | undefined {
  // A held key repeats: one press is one action (no ten hedge previews).
  if (event.repeat) return undefined;
  let action: ShortcutAction | undefined;
  if ((event.ctrlKey || event.metaKey) && event.shiftKey && !event.altKey) {
    const letter = chordLetter(event);
    action = letter === undefined ? undefined : CHORDS[letter];
  } else if (!event.ctrlKey && !event.metaKey && !event.altKey && (event.key === '?' || (event.key === 'F1' && !event.shiftKey))) {
    action = 'help';
  }
  if (action === undefined) return undefined;
  const always = SHORTCUTS.find((shortcut) => shortcut.action === action)?.always ?? false;
  if (always) return action;
  if (context.typing) return undefined;
  // A dialog takes the keyboard: a hedge preview must not stack on a flatten confirmation. Help
  // toggles itself closed.
  if (context.dialog === 'action') return undefined;
  if (context.dialog === 'help' && action !== 'help') return undefined;
  return action;
}

import { useEffect, useEffectEvent } from 'react';
import type { ShortcutAction, ShortcutContext } from './keymap.ts';
import { isTypingTarget, shortcutFor } from './keymap.ts';

/**
 * Listens for the action bar's shortcuts on the whole window (in the capture phase, so a focused
 * grid cannot swallow them) and hands each to `onShortcut`. `dialog` says which of the bar's
 * overlays is showing.
 */
export function useShortcuts(onShortcut: (action: ShortcutAction) => void, dialog: ShortcutContext['dialog']): void {
  const handle = useEffectEvent((event: KeyboardEvent) => {
    const target = event.target instanceof HTMLElement ? { tagName: event.target.tagName, isContentEditable: event.target.isContentEditable, type: event.target instanceof HTMLInputElement ? event.target.type : undefined } : undefined;
    const action = shortcutFor(event, { typing: isTypingTarget(target), dialog });
    if (action === undefined) return;
    event.preventDefault();
    event.stopPropagation();
    onShortcut(action);
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent): void => handle(event);
    window.addEventListener('keydown', listener, true);
    return () => window.removeEventListener('keydown', listener, true);
  }, []);
}

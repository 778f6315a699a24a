import { describe, expect, it } from 'vitest';
import type { KeyInput, ShortcutContext } from './keymap.ts';
import { isTypingTarget, SHORTCUTS, shortcutFor } from './keymap.ts';

const idle: ShortcutContext = { typing: false, dialog: 'none' };

function key(keyName: string, modifiers: Partial<KeyInput> = {}): KeyInput {
  return { key: keyName, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...modifiers };
}
const chord = (letter: string, extra: Partial<KeyInput> = {}): KeyInput => key(letter.toUpperCase(), { code: `Key${letter.toUpperCase()}`, ctrlKey: true, shiftKey: true, ...extra });

describe('keymap', () => {
  it('maps the chords', () => {
    expect(shortcutFor(chord('k'), idle)).toBe('kill');
    expect(shortcutFor(chord('h'), idle)).toBe('hedge-preview');
    expect(shortcutFor(chord('p'), idle)).toBe('toggle-pause');
    expect(shortcutFor(chord('f'), idle)).toBe('flatten');
  });

  it('takes Cmd for Ctrl, lower-case keys, and the physical key on non-Latin layouts', () => {
    expect(shortcutFor(chord('k', { ctrlKey: false, metaKey: true }), idle)).toBe('kill');
    expect(shortcutFor(key('k', { ctrlKey: true, shiftKey: true }), idle)).toBe('kill');
    expect(shortcutFor(key('Л', { code: 'KeyK', ctrlKey: true, shiftKey: true }), idle)).toBe('kill');
  });

  it('needs the whole chord', () => {
    expect(shortcutFor(key('k', { ctrlKey: true }), idle)).toBeUndefined();
    expect(shortcutFor(key('K', { shiftKey: true }), idle)).toBeUndefined();
    expect(shortcutFor(chord('k', { altKey: true }), idle)).toBeUndefined();
    expect(shortcutFor(chord('x'), idle)).toBeUndefined();
    expect(shortcutFor(key('k'), idle)).toBeUndefined();
  });

  it('opens help on ? and F1', () => {
    expect(shortcutFor(key('?', { shiftKey: true }), idle)).toBe('help');
    expect(shortcutFor(key('F1'), idle)).toBe('help');
    expect(shortcutFor(key('F1', { ctrlKey: true }), idle)).toBeUndefined();
  });

  it('ignores keys typed in a field, except the kill switch', () => {
    const typing: ShortcutContext = { typing: true, dialog: 'none' };
    expect(shortcutFor(key('?', { shiftKey: true }), typing)).toBeUndefined();
    expect(shortcutFor(key('F1'), typing)).toBeUndefined();
    expect(shortcutFor(chord('h'), typing)).toBeUndefined();
    expect(shortcutFor(chord('p'), typing)).toBeUndefined();
    expect(shortcutFor(chord('k'), typing)).toBe('kill');
  });

  it('lets a dialog keep the keyboard, but never blocks the kill switch', () => {
    expect(shortcutFor(chord('h'), { typing: false, dialog: 'action' })).toBeUndefined();
    expect(shortcutFor(key('F1'), { typing: false, dialog: 'action' })).toBeUndefined();
    expect(shortcutFor(chord('k'), { typing: false, dialog: 'action' })).toBe('kill');
    expect(shortcutFor(key('?'), { typing: false, dialog: 'help' })).toBe('help');
    expect(shortcutFor(chord('f'), { typing: false, dialog: 'help' })).toBeUndefined();
  });

  it('acts once per press, not per key repeat', () => {
    expect(shortcutFor(chord('h', { repeat: true }), idle)).toBeUndefined();
  });

  it('documents every action', () => {
    expect(new Set(SHORTCUTS.map((shortcut) => shortcut.action))).toEqual(new Set(['kill', 'hedge-preview', 'toggle-pause', 'flatten', 'help']));
    expect(SHORTCUTS.filter((shortcut) => shortcut.always).map((shortcut) => shortcut.action)).toEqual(['kill']);
  });
});

describe('typing targets', () => {
  it('tells text fields from other controls', () => {
    expect(isTypingTarget({ tagName: 'INPUT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'input', type: 'text' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'number' })).toBe(true);
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'SELECT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget({ tagName: 'DIV' })).toBe(false);
    expect(isTypingTarget(undefined)).toBe(false);
  });
});

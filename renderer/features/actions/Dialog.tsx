import type { ReactNode } from 'react';
import { useEffect, useEffectEvent } from 'react';
import { createPortal } from 'react-dom';

interface DialogProps {
  readonly title: string;
  readonly testId: string;
  readonly onClose: () => void;
  readonly tone?: 'normal' | 'danger';
  readonly children: ReactNode;
}

/** A modal over the whole window: Escape or a click outside closes it. */
export function Dialog({ title, testId, onClose, tone = 'normal', children }: DialogProps) {
  const onKey = useEffectEvent((event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
    }
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent): void => onKey(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  return createPortal(
    <div
      className="dialog-backdrop"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div className={`dialog dialog-${tone}`} role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <header className="dialog-head">
          <span className="dialog-title">{title}</span>
          <button type="button" className="button button-quiet button-small" aria-label="Close" onClick={onClose}>
            ✕
          </button>
        </header>
        <div className="dialog-body">{children}</div>
      </div>
    </div>,
    document.body,
  );
}

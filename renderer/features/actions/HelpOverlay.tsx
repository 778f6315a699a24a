import { Dialog } from './Dialog.tsx';
import { SHORTCUTS } from './keymap.ts';

/** Every keyboard shortcut of the workstation. */
export function HelpOverlay({ onClose }: { readonly onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" testId="help-overlay" onClose={onClose}>
      <table className="kv-table help-table">
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.action}>
              <th>
                <kbd>{shortcut.keys}</kbd>
              </th>
              <td>{shortcut.description}</td>
            </tr>
          ))}
          <tr>
            <th>
              <kbd>Esc</kbd>
            </th>
            <td>Close a dialog</td>
          </tr>
        </tbody>
      </table>
      <p className="muted">Shortcuts act on the underlying chosen in the action bar (the chain’s by default). Keys typed in a field are ignored, except the kill switch. On macOS, Cmd works as Ctrl.</p>
    </Dialog>
  );
}

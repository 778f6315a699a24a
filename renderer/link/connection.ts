import type { Command, EngineLink } from '../../core/protocol/index.ts';
import { recordHedgePreview } from '../features/actions/hedge-preview-store.ts';
import { useEngineStore } from '../stores/engine-store.ts';
import { reduceCommandFailed, reduceCommandSent, reduceEngineEvent, reduceLinkStatus } from '../stores/engine-view.ts';
import type { LinkChoice } from './create-link.ts';

type CommandBody<C = Command> = C extends Command ? Omit<C, 'commandId'> : never;

let current: EngineLink | undefined;
let makeLink: (() => LinkChoice) | undefined;
let commandCounter = 0;
const sessionId = crypto.randomUUID().slice(0, 8);

/**
 * Connects the store to the engine link. On a sequence gap it drops the link and opens a new
 * one, whose first message is a full snapshot.
 */
export function startConnection(factory: () => LinkChoice): LinkChoice {
  makeLink = factory;
  const choice = factory();
  if (choice.ok) attach(choice.link);
  return choice;
}

function attach(link: EngineLink): void {
  current = link;
  link.onStatus((status) => useEngineStore.setState((view) => reduceLinkStatus(view, status, Date.now())));
  link.onEvent((event) => {
    useEngineStore.setState((view) => reduceEngineEvent(view, event, Date.now()));
    if (useEngineStore.getState().outOfSync) resync();
  });
  // Hedge previews keep their payload (the store's log keeps only text) for the hedge dialog.
  link.onEvent(recordHedgePreview);
}

function resync(): void {
  current?.close();
  current = undefined;
  const choice = makeLink?.();
  if (choice?.ok) attach(choice.link);
}

/** Sends a command with a fresh id; returns the id so a control can follow its answer. */
export function sendCommand(body: CommandBody): string {
  commandCounter += 1;
  const command = { ...body, commandId: `${sessionId}-${commandCounter}` } as Command;
  const nowMs = Date.now();
  if (!current) {
    useEngineStore.setState((view) => reduceCommandFailed(view, command, 'no engine link', nowMs));
    return command.commandId;
  }
  useEngineStore.setState((view) => reduceCommandSent(view, command, nowMs));
  try {
    current.send(command);
  } catch (error) {
    useEngineStore.setState((view) => reduceCommandFailed(view, command, (error as Error).message, nowMs));
  }
  return command.commandId;
}

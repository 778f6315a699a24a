import { Worker } from 'node:worker_threads';
import { YOUNG_GENERATION_MB } from '../model/heap.ts';
import type { Command, EngineEvent, EngineHealth, EngineState, TopicChanges } from '../protocol/index.ts';
import { applyChanges, decodeCommand, decodeCommandText, EMPTY_STATE_TOPICS, HOST_COMMANDS, stateAsChanges } from '../protocol/index.ts';
import type { Clock } from './clock.ts';
import { systemClock } from './clock.ts';
import type { SupervisorState } from './supervisor.ts';
import { canRestart, initialSupervisorState, supervise } from './supervisor.ts';
import { ENGINE_VERSION } from './version.ts';
import type { HostToWorker, WorkerToHost } from './worker-protocol.ts';
import { SUPERVISION_INTERVAL_MS } from './worker-protocol.ts';

/** Where a transport delivers engine events for one connected renderer. */
export interface EngineClient {
  deliver(event: EngineEvent): void;
}

export interface ClientHandle {
  readonly id: number;
  /** A structured-clone command (MessagePort transports). */
  submit(raw: unknown): void;
  /** A text frame (WebSocket transport). */
  submitText(text: string): void;
  disconnect(): void;
}

/** The part of `worker_threads.Worker` the host uses, so tests can supply their own. */
export interface WorkerLike {
  postMessage(message: HostToWorker): void;
  on(event: 'message', listener: (message: WorkerToHost) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  terminate(): Promise<number>;
}

export interface EngineHostOptions {
  /** The worker script (built `dist/engine/worker.mjs`, or the TypeScript entry under tsx). */
  readonly workerUrl: URL;
  readonly execArgv?: readonly string[];
  /** The worker's `process.argv` tail (the TypeScript bootstrap used by tests takes its entry here). */
  readonly argv?: readonly string[];
  /** Passed to the worker as `workerData` (test fixtures use it to choose a fault). */
  readonly workerData?: unknown;
  readonly clock?: Clock;
  /** Told of every run-state change, for the host process's log. */
  readonly onRunState?: (health: EngineHealth) => void;
}

/**
 * Runs the engine in a worker thread and is the engine edge for every transport: validates
 * commands, routes them, supervises the worker's heartbeat, and keeps a mirror of the published
 * state so late renderers get a snapshot even when the worker is dead. It never restarts the
 * worker by itself: a dead engine restarts only on the trader's `RestartEngine`.
 */
export class EngineHost {
  readonly #options: EngineHostOptions;
  readonly #clock: Clock;
  readonly #clients = new Map<number, EngineClient>();
  #nextClientId = 1;
  #worker: WorkerLike | undefined;
  #generation = 0;
  #supervisor: SupervisorState;
  #restarts = 0;
  #state: EngineState;
  #seq = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #stopping = false;

  constructor(options: EngineHostOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    const nowMs = this.#clock.nowMs();
    this.#supervisor = initialSupervisorState(nowMs);
    this.#state = {
      engine: {
        runState: 'starting',
        startedTsMs: nowMs,
        lastHeartbeatTsMs: nowMs,
        heartbeatSeq: 0,
        msgsPerSec: 0,
        restarts: 0,
        version: ENGINE_VERSION,
      },
      venues: [],
      ...EMPTY_STATE_TOPICS,
    };
  }

  get health(): EngineHealth {
    return this.#state.engine;
  }

  start(): void {
    if (this.#timer) return;
    this.#spawn();
    this.#timer = setInterval(() => this.#superviseWith({ kind: 'check', tsMs: this.#clock.nowMs() }), SUPERVISION_INTERVAL_MS);
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker) await worker.terminate();
    this.#clients.clear();
  }

  connect(client: EngineClient): ClientHandle {
    const id = this.#nextClientId++;
    this.#clients.set(id, client);
    client.deliver({ type: 'Snapshot', seq: this.#seq, state: this.#state });
    return {
      id,
      submit: (raw) => this.#route(id, client, decodeCommand(raw)),
      submitText: (text) => this.#route(id, client, decodeCommandText(text)),
      disconnect: () => {
        this.#clients.delete(id);
      },
    };
  }

  #route(clientId: number, client: EngineClient, decoded: ReturnType<typeof decodeCommand>): void {
    const tsMs = this.#clock.nowMs();
    if (!decoded.ok) {
      client.deliver({ type: 'CommandRejected', commandId: decoded.commandId, reason: decoded.reason, tsMs });
      return;
    }
    const command = decoded.command;
    if (HOST_COMMANDS.has(command.type)) {
      client.deliver(this.#handleHostCommand(command));
      return;
    }
    const runState = this.#supervisor.runState;
    if (!this.#worker || (runState !== 'running' && runState !== 'starting')) {
      client.deliver({
        type: 'CommandRejected',
        commandId: command.commandId,
        reason: `engine is ${runState}${this.#supervisor.reason ? ` (${this.#supervisor.reason})` : ''}`,
        tsMs,
      });
      return;
    }
    this.#worker.postMessage({ kind: 'command', clientId, command });
  }

  #handleHostCommand(command: Command): EngineEvent {
    const tsMs = this.#clock.nowMs();
    if (command.type !== 'RestartEngine') {
      return { type: 'CommandRejected', commandId: command.commandId, reason: `${command.type} is not a host command`, tsMs };
    }
    if (!canRestart(this.#supervisor)) {
      return {
        type: 'CommandRejected',
        commandId: command.commandId,
        reason: `engine is ${this.#supervisor.runState}; restart is only possible after it stalled or exited`,
        tsMs,
      };
    }
    this.#restarts += 1;
    this.#superviseWith({ kind: 'restartRequested', tsMs });
    const old = this.#worker;
    this.#worker = undefined;
    // Terminating also stops a worker stuck in a loop; its late messages are ignored by generation.
    void old?.terminate().catch(() => undefined);
    this.#spawn();
    return { type: 'CommandAccepted', commandId: command.commandId, commandType: command.type, tsMs };
  }

  #spawn(): void {
    const generation = ++this.#generation;
    const worker: WorkerLike = new Worker(this.#options.workerUrl, {
      execArgv: [...(this.#options.execArgv ?? [])],
      argv: [...(this.#options.argv ?? [])],
      workerData: this.#options.workerData,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    }) as unknown as WorkerLike;
    this.#worker = worker;
    let lastError: Error | undefined;
    this.#superviseWith({ kind: 'started', tsMs: this.#clock.nowMs() });
    worker.on('message', (message: WorkerToHost) => {
      if (generation === this.#generation) this.#onWorkerMessage(message);
    });
    worker.on('error', (error: Error) => {
      lastError = error;
    });
    worker.on('exit', (code: number) => {
      if (generation !== this.#generation || this.#stopping) return;
      this.#worker = undefined;
      const reason = lastError ? `crashed: ${lastError.message}` : `exited with code ${code}`;
      this.#superviseWith({ kind: 'exited', tsMs: this.#clock.nowMs(), reason });
    });
  }

  #onWorkerMessage(message: WorkerToHost): void {
    switch (message.kind) {
      case 'ready':
        this.#superviseWith({ kind: 'heartbeat', tsMs: this.#clock.nowMs() });
        // A fresh worker's state replaces the mirror, including dropping what it no longer has.
        this.#publish(stateAsChanges({ ...message.state, engine: this.#withSupervision(message.state.engine) }, this.#state));
        break;
      case 'heartbeat':
        this.#superviseWith({ kind: 'heartbeat', tsMs: this.#clock.nowMs() });
        break;
      case 'changes':
        this.#publish(message.changes.engine ? { ...message.changes, engine: this.#withSupervision(message.changes.engine) } : message.changes);
        break;
      case 'reply': {
        const client = this.#clients.get(message.clientId);
        if (client) for (const event of message.events) client.deliver(event);
        break;
      }
    }
  }

  #withSupervision(engine: EngineHealth): EngineHealth {
    const { runState, reason } = this.#supervisor;
    const merged: EngineHealth = { ...engine, runState, restarts: this.#restarts };
    if (reason === undefined) {
      const { reason: _dropped, ...rest } = merged;
      return rest;
    }
    return { ...merged, reason };
  }

  #superviseWith(input: Parameters<typeof supervise>[1]): void {
    const before = this.#supervisor;
    this.#supervisor = supervise(before, input);
    if (this.#supervisor.runState === before.runState && this.#supervisor.reason === before.reason) return;
    const engine = this.#withSupervision(this.#state.engine);
    this.#publish({ engine });
    this.#options.onRunState?.(engine);
  }

  #publish(changes: TopicChanges): void {
    this.#state = applyChanges(this.#state, changes);
    this.#seq += 1;
    const delta: EngineEvent = { type: 'Delta', seq: this.#seq, changes };
    for (const client of this.#clients.values()) client.deliver(delta);
  }
}

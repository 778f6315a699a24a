export * from './commands.ts';
export * from './events.ts';
export * from './state.ts';
export * from './codec.ts';
export * from './link.ts';
export * from './csp.ts';
export * from './bridge.ts';

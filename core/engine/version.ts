/** Reported in the engine health topic; bumped with the protocol when the link changes. */
export const ENGINE_VERSION = '0.1.0';

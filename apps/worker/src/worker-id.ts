/** This process's id (`hostname:pid:random`): the drainer's lock owner and the heartbeat's author. */
export const WORKER_ID = Symbol('WORKER_ID');

/** Bull queue names, shared by producers (api) and processors (worker). */
export const QUEUES = {
  heartbeat: 'heartbeat',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

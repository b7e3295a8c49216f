/** Bull queue names, shared by producers (api) and processors (worker). */
export const QUEUES = {
  heartbeat: 'heartbeat',
  outboxRetention: 'outbox-retention',
  birthdayPoints: 'birthday-points',
  pointsExpiry: 'points-expiry',
  tierReview: 'tier-review',
  couponExpiry: 'coupon-expiry',
  dropSchedule: 'drop-schedule',
  dropHolds: 'drop-holds',
  mlTraining: 'ml-training',
  mlPredictions: 'ml-predictions',
  segmentsRecompute: 'segments-recompute',
  campaignScan: 'campaign-scan',
  analyticsRollup: 'analytics-rollup',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

import { DomainError, ErrorKind, NotFoundError, ValidationError } from '@app/common';

/** Stable error codes of loyalty tiers and brand webhooks. */
export enum TiersErrorCode {
  TierNotFound = 'loyalty.tier_not_found',
  TierRankTaken = 'loyalty.tier_rank_taken',
  TierCodeTaken = 'loyalty.tier_code_taken',
  EntryTierThresholds = 'loyalty.entry_tier_thresholds',
  EntryTierRequired = 'loyalty.entry_tier_required',
  TierInUse = 'loyalty.tier_in_use',
  TiersNotConfigured = 'loyalty.tiers_not_configured',
  WebhookNotFound = 'loyalty.webhook_not_found',
  WebhookUrlInvalid = 'loyalty.webhook_url_invalid',
}

export class TierNotFoundError extends NotFoundError {
  constructor() {
    super('Tier', TiersErrorCode.TierNotFound);
  }
}

export class TiersNotConfiguredError extends NotFoundError {
  constructor() {
    super('Tier programme', TiersErrorCode.TiersNotConfigured);
  }
}

export class TierConflictError extends DomainError {
  constructor(field: 'rank' | 'code') {
    super(
      field === 'rank' ? TiersErrorCode.TierRankTaken : TiersErrorCode.TierCodeTaken,
      ErrorKind.Conflict,
      `Another tier of this brand already has this ${field}`,
      { field },
    );
  }
}

export class EntryTierThresholdsError extends ValidationError {
  constructor() {
    super(
      'The entry tier (rank 0) must have zero thresholds',
      {
        fields: {
          minSpendMinor: ['must be 0 for rank 0'],
          minOrders: ['must be 0 for rank 0'],
          minEngagementPoints: ['must be 0 for rank 0'],
        },
      },
      TiersErrorCode.EntryTierThresholds,
    );
  }
}

export class EntryTierRequiredError extends ValidationError {
  constructor(message = 'Create the entry tier (rank 0) before higher tiers') {
    super(message, { fields: { rank: [message] } }, TiersErrorCode.EntryTierRequired);
  }
}

export class TierInUseError extends DomainError {
  constructor(members: number) {
    super(
      TiersErrorCode.TierInUse,
      ErrorKind.Conflict,
      'Members hold this tier; it cannot be deleted',
      { members },
    );
  }
}

export class WebhookNotFoundError extends NotFoundError {
  constructor() {
    super('Webhook', TiersErrorCode.WebhookNotFound);
  }
}

export class WebhookUrlInvalidError extends ValidationError {
  constructor(reason: string) {
    super(
      `Invalid webhook URL: ${reason}`,
      { fields: { url: [reason] } },
      TiersErrorCode.WebhookUrlInvalid,
    );
  }
}

import { DomainError, ErrorKind, NotFoundError } from '@app/common';

export enum OffersErrorCode {
  CampaignNotFound = 'offers.campaign_not_found',
  CampaignStatusConflict = 'offers.campaign_status_conflict',
  OfferNotFound = 'offers.offer_not_found',
}

export class CampaignNotFoundError extends NotFoundError {
  constructor() {
    super('Campaign', OffersErrorCode.CampaignNotFound);
  }
}

export class CampaignStatusConflictError extends DomainError {
  constructor(action: string, status: string) {
    super(
      OffersErrorCode.CampaignStatusConflict,
      ErrorKind.Conflict,
      `Cannot ${action} a campaign that is ${status}`,
    );
  }
}

export class OfferNotFoundError extends NotFoundError {
  constructor() {
    super('Offer', OffersErrorCode.OfferNotFound);
  }
}

import { NotFoundError } from '@app/common';

/** Stable error codes of member predictions. */
export enum PredictionsErrorCode {
  MemberNotFound = 'ml.member_not_found',
  PredictionNotFound = 'ml.prediction_not_found',
}

export class PredictionMemberNotFoundError extends NotFoundError {
  constructor() {
    super('Member', PredictionsErrorCode.MemberNotFound);
  }
}

/** The member exists but has no prediction yet (no paid order, or not scored since). */
export class PredictionNotFoundError extends NotFoundError {
  constructor() {
    super('Prediction', PredictionsErrorCode.PredictionNotFound);
  }
}

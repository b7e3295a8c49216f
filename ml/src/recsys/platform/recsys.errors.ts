import { DomainError, ErrorKind, NotFoundError } from '@app/common';

export enum RecsysErrorCode {
  MemberNotFound = 'member_not_found',
  ProductNotFound = 'product_not_found',
  ModelVersionNotFound = 'model_version_not_found',
  ModelVersionNotActivatable = 'model_version_not_activatable',
}

export class RecsysMemberNotFoundError extends NotFoundError {
  constructor() {
    super('Member', RecsysErrorCode.MemberNotFound);
  }
}

export class RecsysProductNotFoundError extends NotFoundError {
  constructor() {
    super('Product', RecsysErrorCode.ProductNotFound);
  }
}

export class ModelVersionNotFoundError extends NotFoundError {
  constructor() {
    super('Model version', RecsysErrorCode.ModelVersionNotFound);
  }
}

/** Only a version that trained successfully (retired or already active) can be (re)activated. */
export class ModelVersionNotActivatableError extends DomainError {
  constructor(status: string) {
    super(
      RecsysErrorCode.ModelVersionNotActivatable,
      ErrorKind.Conflict,
      `A ${status} model version cannot be activated`,
      { status },
    );
  }
}

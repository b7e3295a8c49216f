export * from './rewards.module';
export * from './rewards.errors';
export * from './rewards.events';
export * from './idempotency-key';
export * from './coupons';
export * from './dto/coupon-checkout.request.dto';
export * from './dto/coupon-template.request.dto';
export * from './dto/coupon.response.dto';

export * from './coupon-code';
export * from './coupon-rules';
export * from './coupon-templates.repository';
export * from './coupon-templates.service';
export * from './coupons.repository';
export * from './coupons.service';

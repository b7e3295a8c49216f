/**
 * Pure coupon rules: the discount a coupon gives on an order and why a code cannot be used.
 * No I/O here, so checkout behaviour is unit-tested exhaustively.
 */
export type CouponKind = 'amount_off' | 'percent_off' | 'free_item';

/** Why a code is rejected at checkout (stable: storefronts switch on these). */
export const COUPON_REJECTIONS = [
  'not_found',
  'expired',
  'not_yet_valid',
  'already_redeemed',
  'min_spend_not_met',
  'wrong_member',
  'budget_exhausted',
  'inactive',
] as const;
export type CouponRejection = (typeof COUPON_REJECTIONS)[number];

export interface OrderLineInput {
  productId: string;
  quantity: number;
  unitPriceMinor: number;
}

export interface DiscountTemplate {
  kind: CouponKind;
  /** amount_off: minor units; percent_off: basis points (10,000 = 100 %). */
  value: number;
  freeProductId: string | null;
}

/**
 * The discount in minor units, never more than the subtotal:
 * - amount_off: the amount, capped at the subtotal;
 * - percent_off: subtotal × bp / 10,000 rounded down (the brand never gives a fraction too much);
 * - free_item: the unit price of the free product when the order carries it, else 0.
 */
export function computeDiscount(
  template: DiscountTemplate,
  subtotalMinor: number,
  lines: readonly OrderLineInput[] = [],
): number {
  const subtotal = Math.max(0, Math.trunc(subtotalMinor));
  let discount: number;
  switch (template.kind) {
    case 'amount_off':
      discount = Math.max(0, template.value);
      break;
    case 'percent_off': {
      const bp = Math.min(Math.max(0, template.value), 10_000);
      // BigInt: subtotal × bp can pass 2^53 for very large subtotals.
      discount = Number((BigInt(subtotal) * BigInt(bp)) / 10_000n);
      break;
    }
    case 'free_item': {
      const line = lines.find((l) => l.productId === template.freeProductId && l.quantity > 0);
      discount = line ? Math.max(0, line.unitPriceMinor) : 0;
      break;
    }
  }
  return Math.min(discount, subtotal);
}

export interface CouponState {
  status: 'issued' | 'redeemed' | 'expired' | 'void';
  memberId: string | null;
  expiresAt: Date | null;
}

export interface TemplateState extends DiscountTemplate {
  active: boolean;
  minSpendMinor: number;
  validFrom: Date | null;
  validTo: Date | null;
  budgetMinor: number | null;
  spentMinor: number;
}

export interface CheckoutInput {
  memberId?: string;
  orderSubtotalMinor: number;
  lines?: readonly OrderLineInput[];
}

export type CouponEvaluation =
  | { valid: true; discountMinor: number }
  | { valid: false; reason: CouponRejection; discountMinor: 0 };

const reject = (reason: CouponRejection): CouponEvaluation => ({
  valid: false,
  reason,
  discountMinor: 0,
});

/**
 * Whether a coupon can be used on this order now, and for how much. Checks run from "is it the
 * caller's" through "is it usable at all" to "does this order qualify", so the reason a storefront
 * shows is the most fundamental one.
 */
export function evaluateCoupon(
  coupon: CouponState,
  template: TemplateState,
  input: CheckoutInput,
  now: Date,
): CouponEvaluation {
  if (coupon.memberId && coupon.memberId !== input.memberId) return reject('wrong_member');
  if (coupon.status === 'redeemed') return reject('already_redeemed');
  if (coupon.status === 'void' || !template.active) return reject('inactive');
  if (coupon.status === 'expired') return reject('expired');
  if (coupon.expiresAt && coupon.expiresAt.getTime() <= now.getTime()) return reject('expired');
  if (template.validTo && template.validTo.getTime() <= now.getTime()) return reject('expired');
  if (template.validFrom && template.validFrom.getTime() > now.getTime())
    return reject('not_yet_valid');
  if (input.orderSubtotalMinor < template.minSpendMinor) return reject('min_spend_not_met');
  const discountMinor = computeDiscount(template, input.orderSubtotalMinor, input.lines);
  if (template.budgetMinor !== null && template.spentMinor + discountMinor > template.budgetMinor)
    return reject('budget_exhausted');
  return { valid: true, discountMinor };
}

/** When an issued code stops being valid: validDays after issue, never after the template's end. */
export function couponExpiry(
  template: { validDays: number | null; validTo: Date | null },
  issuedAt: Date,
): Date | null {
  const byDays =
    template.validDays !== null
      ? new Date(issuedAt.getTime() + template.validDays * 86_400_000)
      : null;
  if (byDays && template.validTo)
    return byDays.getTime() < template.validTo.getTime() ? byDays : template.validTo;
  return byDays ?? template.validTo;
}

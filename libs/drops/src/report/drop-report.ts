/** The after-drop report (drops.report, `GET /v1/drops/{id}/report`, `drop.ended`). */
export interface DropReport extends Record<string, unknown> {
  dropId: string;
  status: string;
  generatedAt: string;
  /** When the sale opened (early access if any, else the public start). */
  openedAt: string;
  skus: {
    skuId: string;
    stock: number;
    sold: number;
    sellThroughRate: number;
    /** Seconds from the opening to the last unit sold; null when not sold out. */
    sellThroughSeconds: number | null;
  }[];
  reservations: {
    total: number;
    confirmed: number;
    expired: number;
    cancelled: number;
    held: number;
  };
  distinctBuyers: number;
  /** Buyers by their tier code (members without a tier under "none"). */
  tierMix: Record<string, number>;
  peakViewers: number;
  chatMessages: number;
}

export interface ReportInput {
  drop: {
    id: string;
    status: string;
    earlyAccessAt: Date | null;
    startsAt: Date;
    peakViewers: number;
    chatMessages: number;
  };
  skus: { id: string; stock: number; sold: number; soldOutAt: Date | null }[];
  reservations: { memberId: string; status: string }[];
  tierOf: Map<string, string>;
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

export function buildReport(input: ReportInput, now: Date): DropReport {
  const opened = input.drop.earlyAccessAt ?? input.drop.startsAt;
  const counts = { total: 0, confirmed: 0, expired: 0, cancelled: 0, held: 0 };
  const buyers = new Set<string>();
  for (const r of input.reservations) {
    counts.total++;
    if (r.status in counts) counts[r.status as keyof typeof counts]++;
    if (r.status === 'confirmed') buyers.add(r.memberId);
  }
  const tierMix: Record<string, number> = {};
  for (const buyer of buyers) {
    const tier = input.tierOf.get(buyer) ?? 'none';
    tierMix[tier] = (tierMix[tier] ?? 0) + 1;
  }
  return {
    dropId: input.drop.id,
    status: input.drop.status,
    generatedAt: now.toISOString(),
    openedAt: opened.toISOString(),
    skus: input.skus.map((s) => ({
      skuId: s.id,
      stock: s.stock,
      sold: s.sold,
      sellThroughRate: s.stock ? round(s.sold / s.stock) : 0,
      sellThroughSeconds:
        s.soldOutAt && s.sold >= s.stock
          ? round(Math.max(0, s.soldOutAt.getTime() - opened.getTime()) / 1000, 3)
          : null,
    })),
    reservations: counts,
    distinctBuyers: buyers.size,
    tierMix,
    peakViewers: input.drop.peakViewers,
    chatMessages: input.drop.chatMessages,
  };
}

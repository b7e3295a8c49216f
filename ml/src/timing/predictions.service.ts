import { gunzipSync, gzipSync } from 'node:zlib';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Page, type PageQueryDto, decodeCursor, toPage } from '@app/common';
import { AppConfig } from '@app/config';
import { DatabaseClient } from '@app/db';
import { OutboxPublisher, type OutboxMessageInput } from '@app/outbox';
import { currentTfBackend, initTfBackend } from '../backend';
import type { MemberHistory } from './features';
import { PredictionMemberNotFoundError, PredictionNotFoundError } from './predictions.errors';
import {
  PREDICTIONS_TOPICS,
  PURCHASE_WINDOW_P7,
  type PurchaseWindowEnteredPayload,
  SEGMENT_THRESHOLDS,
} from './predictions.events';
import {
  type MemberPredictionRow,
  type MemberPredictionValues,
  PredictionsRepository,
  type SegmentName,
  type SegmentRow,
} from './predictions.repository';
import {
  type MemberPrediction,
  type TimingModelState,
  predictMember,
  trainTimingModel,
} from './timing-model';
import { dateOfDay, dayOf, earliestDay } from './transactions';

export interface RefitResult {
  brandId: string;
  modelVersionId: string | null;
  served: string | null;
  members: number;
  windowsEntered: number;
  trainedMs: number;
}

export type RefreshOutcome = 'refreshed' | 'no_model' | 'no_history';

/** Members scored per transaction when a whole brand is rescored. */
const WRITE_CHUNK = 500;

let tfReady: Promise<unknown> | undefined;

/**
 * Per-member next-purchase timing: nightly refits per brand (model selection by validation, see
 * trainTimingModel), per-order refreshes with the active version, and the purchase-window event
 * for the offers engine. Models are kept in memory per brand by version id, so a refresh costs
 * one small query plus the member's history.
 */
@Injectable()
export class PredictionsService {
  private readonly logger = new Logger(PredictionsService.name);
  private readonly models = new Map<string, { id: string; state: TimingModelState }>();

  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(PredictionsRepository) private readonly repository: PredictionsRepository,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  brandsToRefit(): Promise<string[]> {
    return this.repository.brandsWithOrders();
  }

  async refitBrand(brandId: string, options: { now?: Date } = {}): Promise<RefitResult> {
    const now = options.now ?? new Date();
    const started = performance.now();
    const histories = await this.repository.histories(brandId, now);
    const empty = { brandId, modelVersionId: null, served: null, windowsEntered: 0, trainedMs: 0 };
    if (histories.length === 0) return { ...empty, members: 0 };
    // The hazard model trains with TF.js: the backend is chosen once per process (TF_BACKEND).
    tfReady ??= initTfBackend(this.config.ml.tfBackend, { logger: this.logger });
    await tfReady;
    const state = await trainTimingModel(histories, dayOf(now));
    const trainedMs = Math.round(performance.now() - started);
    const artifact = gzipSync(JSON.stringify(state));
    const version = await this.db.transaction((tx) =>
      this.repository.activateNewVersion(
        brandId,
        {
          algorithm: state.served,
          params: {
            served: state.served,
            unitDays: state.unitDays,
            btyd: state.btyd,
            gammaGamma: state.gammaGamma ?? null,
            clv: state.clv,
            validation: state.validation ?? null,
          },
          metrics: versionMetrics(state),
          dataWindow: {
            from: dateOfDay(earliestDay(histories)).toISOString(),
            to: now.toISOString(),
            members: histories.length,
            purchases: histories.reduce((s, h) => s + h.days.length, 0),
          },
          artifact,
          artifactBytes: artifact.length,
          trainedMs,
          backend: state.hazard ? (currentTfBackend() ?? null) : null,
        },
        tx,
      ),
    );
    this.models.set(brandId, { id: version.id, state });
    let windowsEntered = 0;
    const today = dayOf(now);
    for (let i = 0; i < histories.length; i += WRITE_CHUNK) {
      const chunk = histories.slice(i, i + WRITE_CHUNK);
      windowsEntered += await this.write(
        brandId,
        version.id,
        state,
        chunk.map((h) => ({ memberId: h.customer, prediction: score(state, h, today) })),
        now,
      );
    }
    this.logger.log(
      `brand ${brandId}: timing model ${version.id} (${state.served}) for ${histories.length} members in ${trainedMs} ms`,
    );
    return {
      brandId,
      modelVersionId: version.id,
      served: state.served,
      members: histories.length,
      windowsEntered,
      trainedMs,
    };
  }

  /** Rescores one member with the brand's active model (after an order); no refit. */
  async refreshMember(
    brandId: string,
    memberId: string,
    options: { now?: Date } = {},
  ): Promise<RefreshOutcome> {
    const now = options.now ?? new Date();
    const model = await this.activeModel(brandId);
    if (!model) return 'no_model';
    const [history] = await this.repository.histories(brandId, now, memberId);
    if (!history) return 'no_history';
    const prediction = score(model.state, history, dayOf(now));
    await this.write(brandId, model.id, model.state, [{ memberId, prediction }], now);
    return 'refreshed';
  }

  async forMember(brandId: string, memberId: string): Promise<MemberPredictionRow> {
    const row = await this.repository.findPrediction(brandId, memberId);
    if (row) return row;
    if (!(await this.repository.memberExists(brandId, memberId)))
      throw new PredictionMemberNotFoundError();
    throw new PredictionNotFoundError();
  }

  async segment(brandId: string, name: SegmentName, page: PageQueryDto): Promise<Page<SegmentRow>> {
    const limit = page.limit ?? 20;
    const after = page.cursor
      ? decodeCursor<{ score: number; memberId: string }>(page.cursor, ['score', 'memberId'])
      : undefined;
    const rows = await this.repository.segment(
      brandId,
      name,
      SEGMENT_THRESHOLDS[name],
      limit + 1,
      after,
    );
    return toPage(rows, limit, (last) => ({ score: last.score, memberId: last.memberId }));
  }

  private async activeModel(
    brandId: string,
  ): Promise<{ id: string; state: TimingModelState } | null> {
    const id = await this.repository.activeVersionId(brandId);
    if (!id) return null;
    const cached = this.models.get(brandId);
    if (cached?.id === id) return cached;
    const row = await this.repository.findVersion(brandId, id);
    if (!row?.artifact) return null;
    const model = {
      id,
      state: JSON.parse(gunzipSync(row.artifact).toString('utf8')) as TimingModelState,
    };
    this.models.set(brandId, model);
    return model;
  }

  /**
   * Upserts predictions and publishes the window event for members whose p7 crossed the
   * threshold since their last prediction. Members are locked (advisory, in id order) so a
   * nightly rescore and an order refresh of the same member cannot both announce one window.
   */
  private async write(
    brandId: string,
    modelVersionId: string,
    state: TimingModelState,
    entries: { memberId: string; prediction: MemberPrediction }[],
    now: Date,
  ): Promise<number> {
    return this.db.transaction(async (tx) => {
      const ids = entries.map((e) => e.memberId).sort();
      await this.repository.lockMembers(brandId, ids, tx);
      const windows = await this.repository.lockWindows(brandId, ids, tx);
      const rows: MemberPredictionValues[] = [];
      const events: OutboxMessageInput[] = [];
      for (const { memberId, prediction: p } of entries) {
        const previous = windows.get(memberId) ?? null;
        const inWindow = p.p7 >= PURCHASE_WINDOW_P7;
        const windowEnteredAt = inWindow ? (previous ?? now) : null;
        const nextPurchaseAt =
          p.nextPurchaseDay === undefined ? null : dateOfDay(p.nextPurchaseDay);
        rows.push({
          memberId,
          modelVersionId,
          algorithm: state.served,
          nextPurchaseAt,
          p7: p.p7,
          p14: p.p14,
          p28: p.p28,
          pAlive: p.pAlive,
          expectedPurchases12m: p.expectedPurchases12m,
          clv12mMinor: p.clv12m,
          windowEnteredAt,
          computedAt: now,
        });
        if (inWindow && !previous) {
          const payload: PurchaseWindowEnteredPayload = {
            memberId,
            p7: p.p7,
            p14: p.p14,
            p28: p.p28,
            nextPurchaseAt: nextPurchaseAt?.toISOString() ?? null,
            modelVersionId,
            algorithm: state.served,
            windowEnteredAt: now.toISOString(),
          };
          events.push({
            topic: PREDICTIONS_TOPICS.windowEntered,
            key: `member:${memberId}`,
            payload: { ...payload },
          });
        }
      }
      await this.repository.upsertPredictions(brandId, rows, tx);
      await this.outbox.publishMany(tx, brandId, events);
      return events.length;
    });
  }
}

/** Scores a member; non-finite numbers (a degenerate fit) are stored as 0 rather than NaN. */
function score(state: TimingModelState, history: MemberHistory, day: number): MemberPrediction {
  const p = predictMember(state, history, day);
  const finite = (v: number) => (Number.isFinite(v) ? v : 0);
  return {
    nextPurchaseDay: p.nextPurchaseDay,
    p7: finite(p.p7),
    p14: finite(p.p14),
    p28: finite(p.p28),
    pAlive: finite(p.pAlive),
    expectedPurchases12m: finite(p.expectedPurchases12m),
    clv12m: finite(p.clv12m),
  };
}

function versionMetrics(state: TimingModelState): Record<string, number> {
  const metrics: Record<string, number> = {
    btyd_log_likelihood: state.btyd.logLikelihood,
    members: state.btyd.customers,
  };
  for (const [algorithm, s] of Object.entries(state.validation?.scores ?? {})) {
    if (!s) continue;
    if (Number.isFinite(s.auc)) metrics[`${algorithm}_auc_28d`] = s.auc;
    metrics[`${algorithm}_brier_28d`] = s.brier;
  }
  return metrics;
}

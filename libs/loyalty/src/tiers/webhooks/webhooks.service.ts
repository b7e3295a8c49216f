import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { DatabaseClient } from '@app/db';
import { AuditLogRepository, type StaffActor } from '@app/identity';
import { WebhookNotFoundError, WebhookUrlInvalidError } from '../tiers.errors';
import { newWebhookSecret, webhookUrlProblem } from './webhook-signature';
import { type BrandWebhook, type WebhookChanges, WebhooksRepository } from './webhooks.repository';

export interface CreateWebhookInput {
  url: string;
  topics?: string[];
  active?: boolean;
}

const auditActor = (actor: StaffActor) => ({
  type: 'staff' as const,
  id: actor.id,
  requestId: actor.requestId,
});

/** Brand webhooks CRUD (owner, audited). The secret is generated here and returned only by create. */
@Injectable()
export class WebhooksService {
  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(WebhooksRepository) private readonly repository: WebhooksRepository,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  private assertUrl(url: string): void {
    const problem = webhookUrlProblem(url, this.config.env === 'production');
    if (problem) throw new WebhookUrlInvalidError(problem);
  }

  async create(actor: StaffActor, input: CreateWebhookInput): Promise<BrandWebhook> {
    this.assertUrl(input.url);
    return this.db.transaction(async (tx) => {
      const created = await this.repository.insert(
        actor.brandId,
        {
          url: input.url,
          secret: newWebhookSecret(),
          topics: [...new Set(input.topics ?? [])],
          active: input.active ?? true,
        },
        tx,
      );
      await this.audit.insert(
        actor.brandId,
        {
          actor: auditActor(actor),
          action: 'webhook.created',
          target: { type: 'webhook', id: created.id },
          details: { url: created.url, topics: created.topics },
        },
        tx,
      );
      return created;
    });
  }

  list(brandId: string): Promise<BrandWebhook[]> {
    return this.repository.list(brandId);
  }

  async get(brandId: string, id: string): Promise<BrandWebhook> {
    const found = await this.repository.find(brandId, id);
    if (!found) throw new WebhookNotFoundError();
    return found;
  }

  async update(
    actor: StaffActor,
    id: string,
    input: Partial<CreateWebhookInput>,
  ): Promise<BrandWebhook> {
    if (input.url !== undefined) this.assertUrl(input.url);
    const changes: WebhookChanges = {};
    if (input.url !== undefined) changes.url = input.url;
    if (input.topics !== undefined) changes.topics = [...new Set(input.topics)];
    if (input.active !== undefined) changes.active = input.active;
    return this.db.transaction(async (tx) => {
      const updated = await this.repository.update(actor.brandId, id, changes, tx);
      if (!updated) throw new WebhookNotFoundError();
      await this.audit.insert(
        actor.brandId,
        {
          actor: auditActor(actor),
          action: 'webhook.updated',
          target: { type: 'webhook', id },
          details: { ...changes },
        },
        tx,
      );
      return updated;
    });
  }

  async remove(actor: StaffActor, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (!(await this.repository.delete(actor.brandId, id, tx))) throw new WebhookNotFoundError();
      await this.audit.insert(
        actor.brandId,
        { actor: auditActor(actor), action: 'webhook.deleted', target: { type: 'webhook', id } },
        tx,
      );
    });
  }
}

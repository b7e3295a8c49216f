import { Inject, Injectable } from '@nestjs/common';
import type { Page } from '@app/common';
import { decodePosition, keysetPage, pageSize } from '@app/identity';
import { ModerationRuleNotFoundError } from './moderation.errors';
import {
  type ModerationRule,
  ModerationRepository,
  type ModerationRuleValues,
} from './moderation.repository';
import { validatePattern } from './rule-matching';
import { ScreeningService } from './screening.service';

export type RuleInput = Omit<ModerationRuleValues, 'active'> & { active?: boolean };

/** Staff CRUD of the brand's screening rules; every change drops this process's rule cache. */
@Injectable()
export class ModerationRulesService {
  constructor(
    @Inject(ModerationRepository) private readonly repo: ModerationRepository,
    @Inject(ScreeningService) private readonly screening: ScreeningService,
  ) {}

  async list(
    brandId: string,
    query: { limit?: number; cursor?: string },
  ): Promise<Page<ModerationRule>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodePosition(query.cursor) : null;
    return keysetPage(await this.repo.listRules(brandId, limit, after), limit);
  }

  async get(brandId: string, id: string): Promise<ModerationRule> {
    const rule = await this.repo.findRule(brandId, id);
    if (!rule) throw new ModerationRuleNotFoundError();
    return rule;
  }

  async create(brandId: string, input: RuleInput): Promise<ModerationRule> {
    validatePattern(input.match, input.pattern);
    const rule = await this.repo.insertRule(brandId, {
      name: input.name.trim(),
      match: input.match,
      pattern: input.pattern,
      action: input.action,
      active: input.active ?? true,
    });
    this.screening.invalidate(brandId);
    return rule;
  }

  async update(
    brandId: string,
    id: string,
    changes: Partial<ModerationRuleValues>,
  ): Promise<ModerationRule> {
    const current = await this.get(brandId, id);
    if (changes.match !== undefined || changes.pattern !== undefined)
      validatePattern(changes.match ?? current.match, changes.pattern ?? current.pattern);
    const rule = await this.repo.updateRule(brandId, id, {
      ...changes,
      ...(changes.name !== undefined ? { name: changes.name.trim() } : {}),
    });
    if (!rule) throw new ModerationRuleNotFoundError();
    this.screening.invalidate(brandId);
    return rule;
  }

  async remove(brandId: string, id: string): Promise<void> {
    if (!(await this.repo.deleteRule(brandId, id))) throw new ModerationRuleNotFoundError();
    this.screening.invalidate(brandId);
  }
}

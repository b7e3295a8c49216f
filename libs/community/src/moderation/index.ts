export * from './moderation.module';
export * from './moderation.errors';
export * from './moderation.repository';
export * from './rule-matching';
export * from './screening.service';
export * from './moderation-cases.service';

export * from './moderation-rule.request.dto';
export * from './moderation-rule.response.dto';
export * from './create-report.request.dto';
export * from './report.response.dto';
export * from './moderation-action.request.dto';
export * from './moderation-query.request.dto';
export * from './moderation.response.dto';

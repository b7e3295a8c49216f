export * from './analytics-maths';
export * from './analytics.errors';
export * from './analytics.module';
export * from './analytics.repository';
export * from './analytics.service';
export * from './dashboard-cache';
export * from './dto';

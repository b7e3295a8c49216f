export * from './analytics-query.request.dto';
export * from './dashboard.response.dto';

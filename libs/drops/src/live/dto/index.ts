export * from './announcement.response.dto';
export * from './create-announcement.request.dto';

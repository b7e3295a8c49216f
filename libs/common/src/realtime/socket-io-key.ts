import type { AppConfig } from '@app/config';

/** socket.io key shared by the adapter (api) and the emitter (worker) so rooms span processes. */
export const socketIoKey = (config: AppConfig) => `${config.redis.prefix}:socket.io`;

/** Room names: the only place they are spelled. */
export const rooms = {
  brand: (brandId: string) => `brand:${brandId}`,
  member: (memberId: string) => `member:${memberId}`,
  staff: (brandId: string) => `staff:${brandId}`,
  community: (communityId: string) => `community:${communityId}`,
  drop: (dropId: string) => `drop:${dropId}`,
};

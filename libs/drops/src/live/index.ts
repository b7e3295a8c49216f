export * from './coalescer';
export * from './chat-rate-limiter';
export * from './drop-chat.service';
export * from './drop-live.repository';
export * from './drop-presence.service';
export * from './drop-room.emitter';
export * from './live.errors';
export * from './room-principal';

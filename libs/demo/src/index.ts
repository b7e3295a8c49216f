export * from './completejourney';
export * from './csv';
export * from './money';
export * from './seed-demo';

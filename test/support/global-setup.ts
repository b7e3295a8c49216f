import { prepareTemplate } from './test-database';

/** Migrates the template database once; every test file then copies it. */
export default async function globalSetup(): Promise<void> {
  await prepareTemplate();
}

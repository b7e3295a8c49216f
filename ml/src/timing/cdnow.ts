import { join } from 'node:path';
import { type PurchaseHistory, parseDay, readTransactionsFile, toHistories } from './transactions';

/** The CDNOW files shipped with the repository (see ml/data/cdnow/SOURCE.txt). */
export const CDNOW_DIR = join(__dirname, '..', '..', 'data', 'cdnow');
export const CDNOW_SAMPLE = join(CDNOW_DIR, 'CDNOW_sample.txt.gz');
export const CDNOW_MASTER = join(CDNOW_DIR, 'CDNOW_master.txt.gz');

/** Weeks 1–39 calibrate, weeks 40–78 are the holdout of Fader, Hardie & Lee (2005). */
export const CDNOW_CALIBRATION_END = parseDay('1997-09-30');
export const CDNOW_HOLDOUT_END = parseDay('1998-06-30');

export function loadCdnow(path = CDNOW_SAMPLE): PurchaseHistory[] {
  return toHistories(readTransactionsFile(path));
}

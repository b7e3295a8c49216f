/** Bull job (queue `ml-training`) training one brand's recommender now. */
export const RECOMMENDER_TRAIN_JOB = 'recommender-train';
/** The scheduled run over every brand with orders. */
export const RECOMMENDER_TRAIN_ALL_JOB = 'recommender-train-all';

export interface RecommenderTrainJobData {
  brandId: string;
  requestedBy?: string;
  /** Tests train tiny models. */
  factors?: number;
  iterations?: number;
}

/** The names a person reads for the settings' internal values (the app's menus, the report, the CLI). */
import type { LossName, OptimizerName } from '../experiment'
import type { NormalizationKind } from '../series/normalize'

export const NORMALIZATION_LABEL: Record<NormalizationKind, string> = {
  zscore: 'z-score (fit on training rows)',
  minmax: 'min–max to [0, 1]',
  'minmax-sym': 'min–max to [−1, 1]',
  none: 'none',
}

export const OPTIMIZER_LABEL: Record<OptimizerName, string> = {
  rmsprop: 'RMSprop',
  adam: 'Adam',
  sgd: 'SGD',
}

export const LOSS_LABEL: Record<LossName, string> = {
  mse: 'mean squared error (MSE)',
  mae: 'mean absolute error (MAE)',
  huber: 'Huber',
}

export const STOP_REASON_LABEL: Record<string, string> = {
  completed: 'ran every epoch',
  'early-stopping': 'stopped early',
  cancelled: 'cancelled',
  'nan-loss': 'stopped: the loss diverged',
  'in-progress': 'in progress',
}

/**
 * What a saved model is, in words that hold: the weights of the run's last epoch are its
 * "final" model; any other epoch's weights are its "best checkpoint" (kept by validation loss,
 * restored at the end of the run or saved while it trained). Every model used to read
 * "final", even when it held epoch 3 of 40.
 */
export type SavedModelKind = 'final' | 'checkpoint' | 'imported'

/**
 * @param epoch the epoch whose weights the model holds (null: unknown)
 * @param lastEpoch the last epoch the run finished (null: unknown, e.g. its run was deleted)
 */
export function modelKindLabel(
  kind: SavedModelKind,
  epoch: number | null,
  lastEpoch: number | null,
): string {
  if (kind === 'imported') return 'imported'
  const at = epoch === null ? '' : ` (epoch ${epoch})`
  const best = kind === 'checkpoint' || (epoch !== null && lastEpoch !== null && epoch < lastEpoch)
  return `${best ? 'best checkpoint' : 'final'}${at}`
}

/**
 * Fused LSTM / GRU kernels (WebAssembly SIMD) for the training worker.
 *
 * Engine entry points: createRecurrentLayer(kind, config, { fused }) to build layers,
 * fuseModel(model) after loading a saved model, setFusedOptions({ threads }) for the thread
 * policy. See src/kernels/README.md for the kernels and their build.
 */
export {
  createRecurrentLayer,
  fuseLayer,
  fuseModel,
  fusedBidirectional,
  fusedGRU,
  fusedLSTM,
  fusedStatus,
  releaseKernelMemory,
  setFusedOptions,
  unfuseLayer,
  unfuseModel,
  type BidirectionalConfig,
  type FusedOptions,
  type FusedStatus,
  type GruConfig,
  type LstmConfig,
  type MergeMode,
  type RecurrentLayerOptions,
} from './layers'
export {
  FusedRnnKernel,
  SPLIT_MIN_WORK,
  gruBackward,
  gruForward,
  lstmBackward,
  lstmForward,
  type RnnBackwardInput,
  type RnnForwardInput,
  type RnnForwardOutput,
  type RnnGradients,
  type RnnKind,
} from './kernel'
export {
  KernelRuntime,
  WASM_FILE,
  configureKernels,
  fusedKernelsAvailable,
  HelperLostError,
  getRuntime,
  kernelMemory,
  resolveWasmPath,
  type RuntimeOptions,
} from './runtime'

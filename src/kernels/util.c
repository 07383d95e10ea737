/* Layout helpers: strided copies between the tfjs (unpadded, batch-major) and kernel layouts. */
#include "common.h"

/*
 * dst[b*dB + t*dT + j] = src[b*sB + t*sT + j] for j < n, and 0 for n <= j < pad.
 */
EXPORT(copy_2d)
void copy_2d(const float *src, int sB, int sT, float *dst, int dB, int dT, int nb, int nt, int n,
             int pad) {
  for (int b = 0; b < nb; b++)
    for (int t = 0; t < nt; t++) {
      const float *s = src + b * sB + t * sT;
      float *d = dst + b * dB + t * dT;
      int j = 0;
      for (; j < n; j++) d[j] = s[j];
      for (; j < pad; j++) d[j] = 0.0f;
    }
}

/* x[b][t][i] *= m[b][i] (input dropout mask, fixed over time). */
EXPORT(mask_seq) void mask_seq(float *x, const float *m, int B, int T, int I) {
  for (int b = 0; b < B; b++)
    for (int t = 0; t < T; t++)
      for (int i = 0; i < I; i++) x[(b * T + t) * I + i] *= m[b * I + i];
}

/* dst[i] += src[i] */
EXPORT(add_to) void add_to(float *dst, const float *src, int n) {
  for (int i = 0; i < n; i++) dst[i] += src[i];
}

/* Vector tanh / sigmoid over an array (used by the accuracy tests of the approximations). */
EXPORT(vec_tanh) void vec_tanh(const float *x, float *y, int n) {
  for (int i = 0; i + 4 <= n; i += 4) ST(y + i, v_tanh(LD(x + i)));
}
EXPORT(vec_sigmoid) void vec_sigmoid(const float *x, float *y, int n) {
  for (int i = 0; i + 4 <= n; i += 4) ST(y + i, v_sigmoid(LD(x + i)));
}

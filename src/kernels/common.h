/*
 * Seqcast fused recurrent kernels: shared helpers (WebAssembly SIMD128).
 *
 * Conventions (see README.md in this folder):
 *  - every pointer is a byte offset into the one linear memory, passed as i32;
 *  - "padded" unit dimension Up = ceil(U / 4) * 4; padded lanes hold zeros and stay zero;
 *  - the kernels never allocate: JavaScript hands them every buffer.
 */
#ifndef SEQCAST_COMMON_H
#define SEQCAST_COMMON_H

#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
#define INLINE static inline __attribute__((always_inline))

typedef float f4 __attribute__((vector_size(16)));
/* Same vector type with 4-byte alignment: wasm loads/stores are unaligned-safe. */
typedef float f4u __attribute__((vector_size(16), aligned(4)));

#define LD(p) (*(const f4u *)(p))
#define ST(p, v) (*(f4u *)(p) = (v))

INLINE f4 splat(float s) { return (f4){s, s, s, s}; }
INLINE f4 vmin(f4 a, f4 b) { return (f4)wasm_f32x4_pmin((v128_t)a, (v128_t)b); }
INLINE f4 vmax(f4 a, f4 b) { return (f4)wasm_f32x4_pmax((v128_t)a, (v128_t)b); }
INLINE int imin(int a, int b) { return a < b ? a : b; }

/*
 * tanh as a [13/6] rational function on [-c, c] (the coefficients Eigen uses for float),
 * clamped outside. Max abs error 3.9e-7 (at the clamp), ~1 ulp near 0. One division.
 * Polynomials in y = x^2 are evaluated with Estrin's scheme rather than Horner's: a few more
 * multiplications, but a dependency chain of ~5 operations instead of ~10, which is what limits
 * the gate nonlinearities (the FP pipes are otherwise idle waiting on latency).
 */
INLINE f4 v_tanh(f4 x) {
  const f4 c = splat(7.90531110763549805f);
  x = vmax(vmin(x, c), -c);
  const f4 y = x * x;
  const f4 y2 = y * y;
  const f4 y4 = y2 * y2;
  const f4 p01 = splat(4.89352455891786e-03f) + splat(6.37261928875436e-04f) * y;
  const f4 p23 = splat(1.48572235717979e-05f) + splat(5.12229709037114e-08f) * y;
  const f4 p45 = splat(-8.60467152213735e-11f) + splat(2.00018790482477e-13f) * y;
  const f4 p6 = splat(-2.76076847742355e-16f);
  const f4 p = (p01 + y2 * p23) + y4 * (p45 + y2 * p6);
  const f4 q01 = splat(4.89352518554385e-03f) + splat(2.26843463243900e-03f) * y;
  const f4 q23 = splat(1.18534705686654e-04f) + splat(1.19825839466702e-06f) * y;
  const f4 q = q01 + y2 * q23;
  return (p * x) / q;
}

/* Logistic sigmoid through tanh: 0.5 + 0.5 tanh(x / 2). */
INLINE f4 v_sigmoid(f4 x) { return splat(0.5f) + splat(0.5f) * v_tanh(splat(0.5f) * x); }

/* tanh of n independent vectors in place (independent chains next to each other). */
INLINE void v_tanh_n(f4 *x, const int n) {
  for (int j = 0; j < n; j++) x[j] = v_tanh(x[j]);
}

/*
 * Gradients carried back through time shrink step after step; below ~1e-38 they turn denormal,
 * and denormal arithmetic is many times slower on x86 (WebAssembly has no flush-to-zero mode):
 * a GRU(32) backward pass over 120 steps took 30 % longer. Every FLUSH_EVERY steps the backward
 * passes set carried gradients below 1e-30 to zero (far below anything that moves a float32
 * weight), so they never get near the denormal range. n is a multiple of 4.
 */
#define FLUSH_EVERY 4
INLINE void flush_tiny(float *p, int n) {
  const v128_t tiny = (v128_t)splat(1e-30f);
  for (int i = 0; i < n; i += 4) {
    v128_t x = (v128_t)LD(p + i);
    ST(p + i, (f4)wasm_v128_and(x, wasm_f32x4_ge(wasm_f32x4_abs(x), tiny)));
  }
}

/* tfjs hardSigmoid: clip(0.2 x + 0.5, 0, 1). */
INLINE f4 v_hard_sigmoid(f4 x) {
  return vmax(vmin(splat(0.2f) * x + splat(0.5f), splat(1.0f)), splat(0.0f));
}

/* Recurrent activation (sigmoid or hardSigmoid) and its derivative from the activation value. */
INLINE f4 v_ract(f4 x, int hard) { return hard ? v_hard_sigmoid(x) : v_sigmoid(x); }
INLINE f4 v_dract(f4 a, int hard) {
  if (hard) {
    /* derivative 0.2 strictly inside (0, 1), 0 where clipped */
    v128_t inside = wasm_v128_and(wasm_f32x4_gt((v128_t)a, (v128_t)splat(0.0f)),
                                  wasm_f32x4_lt((v128_t)a, (v128_t)splat(1.0f)));
    return (f4)wasm_v128_and(inside, (v128_t)splat(0.2f));
  }
  return a * (splat(1.0f) - a);
}

/*
 * P1: C[r][0 .. nq*16) = A[r][0 .. K) x Bp, for r < M.
 * Bp holds nq panels of [K][16] floats, panel q at Bp + q * ps (ps >= K * 16: a GEMM over a
 * block of rows of larger panels). Tile: 2 rows x 16 columns (8 accumulators).
 */
__attribute__((unused)) static void gemm_p1s(const float *restrict A, int lda, int M, int K,
                                             const float *restrict Bp, int ps, int nq,
                                             float *restrict C, int ldc) {
  int r = 0;
  for (; r + 2 <= M; r += 2) {
    const float *a0 = A + r * lda;
    const float *a1 = a0 + lda;
    float *c0 = C + r * ldc;
    float *c1 = c0 + ldc;
    for (int q = 0; q < nq; q++) {
      const float *b = Bp + q * ps;
      f4 x0 = splat(0), x1 = splat(0), x2 = splat(0), x3 = splat(0);
      f4 y0 = splat(0), y1 = splat(0), y2 = splat(0), y3 = splat(0);
      for (int k = 0; k < K; k++, b += 16) {
        f4 b0 = LD(b), b1 = LD(b + 4), b2 = LD(b + 8), b3 = LD(b + 12);
        f4 s = splat(a0[k]), t = splat(a1[k]);
        x0 += s * b0; x1 += s * b1; x2 += s * b2; x3 += s * b3;
        y0 += t * b0; y1 += t * b1; y2 += t * b2; y3 += t * b3;
      }
      ST(c0 + q * 16, x0); ST(c0 + q * 16 + 4, x1); ST(c0 + q * 16 + 8, x2); ST(c0 + q * 16 + 12, x3);
      ST(c1 + q * 16, y0); ST(c1 + q * 16 + 4, y1); ST(c1 + q * 16 + 8, y2); ST(c1 + q * 16 + 12, y3);
    }
  }
  for (; r < M; r++) {
    const float *a0 = A + r * lda;
    float *c0 = C + r * ldc;
    for (int q = 0; q < nq; q++) {
      const float *b = Bp + q * ps;
      f4 x0 = splat(0), x1 = splat(0), x2 = splat(0), x3 = splat(0);
      for (int k = 0; k < K; k++, b += 16) {
        f4 s = splat(a0[k]);
        x0 += s * LD(b); x1 += s * LD(b + 4); x2 += s * LD(b + 8); x3 += s * LD(b + 12);
      }
      ST(c0 + q * 16, x0); ST(c0 + q * 16 + 4, x1); ST(c0 + q * 16 + 8, x2); ST(c0 + q * 16 + 12, x3);
    }
  }
}

/* P1 over whole panels: Bp is nq panels of [K][16] floats. */
INLINE void gemm_p1(const float *restrict A, int lda, int M, int K, const float *restrict Bp,
                    int nq, float *restrict C, int ldc) {
  gemm_p1s(A, lda, M, K, Bp, K * 16, nq, C, ldc);
}

/*
 * P2 (weight gradients): C[k][j] += sum_{r < R} AT[k*lda + r] * Bm[r*ldb + j], k < K, j < N.
 * N must be a multiple of 4. Tile: 2 rows (k) x 16 columns; the reduction over r streams Bm.
 */
#define P2_TILE(NV)                                                                           \
  {                                                                                           \
    f4 x[4], y[4];                                                                            \
    for (int v = 0; v < NV; v++) { x[v] = LD(c0 + 4 * v); y[v] = LD(c1 + 4 * v); }            \
    const float *bb = Bm + j;                                                                 \
    for (int r = 0; r < R; r++, bb += ldb) {                                                  \
      f4 s = splat(a0[r]), t = splat(a1[r]);                                                  \
      for (int v = 0; v < NV; v++) { f4 w = LD(bb + 4 * v); x[v] += s * w; y[v] += t * w; }   \
    }                                                                                         \
    for (int v = 0; v < NV; v++) { ST(c0 + 4 * v, x[v]); ST(c1 + 4 * v, y[v]); }              \
  }
#define P2_TILE1(NV)                                                                          \
  {                                                                                           \
    f4 x[4];                                                                                  \
    for (int v = 0; v < NV; v++) x[v] = LD(c0 + 4 * v);                                       \
    const float *bb = Bm + j;                                                                 \
    for (int r = 0; r < R; r++, bb += ldb) {                                                  \
      f4 s = splat(a0[r]);                                                                    \
      for (int v = 0; v < NV; v++) x[v] += s * LD(bb + 4 * v);                                \
    }                                                                                         \
    for (int v = 0; v < NV; v++) ST(c0 + 4 * v, x[v]);                                        \
  }

__attribute__((unused)) static void gemm_p2(const float *restrict AT, int lda, int R, int K, const float *restrict Bm,
                    int ldb, int N, float *restrict C, int ldc) {
  for (int j = 0; j < N; j += 16) {
    int nv = imin(4, (N - j) >> 2);
    int k = 0;
    for (; k + 2 <= K; k += 2) {
      const float *a0 = AT + k * lda, *a1 = a0 + lda;
      float *c0 = C + k * ldc + j, *c1 = c0 + ldc;
      switch (nv) {
        case 4: P2_TILE(4) break;
        case 3: P2_TILE(3) break;
        case 2: P2_TILE(2) break;
        default: P2_TILE(1) break;
      }
    }
    for (; k < K; k++) {
      const float *a0 = AT + k * lda;
      float *c0 = C + k * ldc + j;
      switch (nv) {
        case 4: P2_TILE1(4) break;
        case 3: P2_TILE1(3) break;
        case 2: P2_TILE1(2) break;
        default: P2_TILE1(1) break;
      }
    }
  }
}

/* Argument block shared by every kernel entry point (all fields are i32; pointers are offsets). */
typedef struct {
  int B, T, I, U, Up, S; /* rows of this slice, steps, inputs, units, padded units, H/C slots */
  int flags;             /* F_* below */
  int chunk;             /* backward: rows per chunk (reduction length of the weight-grad GEMM) */
  float *x;              /* [B][T][I] inputs as the cell sees them (already x * dropout mask) */
  float *xm;             /* [B][I] input dropout mask (backward: dx *= xm) or 0;
                            F_KXMASK: [B][3][I], one mask per GRU gate z | r | h */
  float *hm;             /* [B][Up] recurrent dropout mask or 0;
                            F_KRMASK: [B][3][Up], one mask per GRU gate z | r | h */
  float *wf;             /* forward packed weights */
  float *wf2;            /* GRU: packed Uh for the candidate GEMM */
  float *wb;             /* backward packed [R^T | W^T] */
  float *wb2;            /* GRU: packed Uh^T */
  float *H;              /* [B][S][Up] h (slot 0 = initial state) */
  float *HM;             /* [B][S][Up] h * recurrent mask (the same buffer as H without mask) */
  float *C;              /* LSTM: [B][S][Up] carry state */
  float *G;              /* [B][T][Gp] gate activations saved for backward */
  float *dy;             /* [B][T][Up] per-step output gradients (returnSequences) or 0 */
  float *dh;             /* [B][Up] in: dL/dh_T (incl. last output grad), out: dL/dh_0 */
  float *dc;             /* LSTM [B][Up] in: dL/dc_T, out: dL/dc_0 */
  float *dx;             /* [B][T][I] out: dL/dx (if F_DX) */
  float *dw;             /* weight-gradient accumulator of this slice, [1+I+U][Gp] */
  float *scratch;        /* per-thread scratch, *_scratch_size() floats */
  float *Wraw, *Rraw, *braw; /* Keras layout weights (pack) or 0 bias */
  int nacc;                  /* unpack: number of accumulators to sum (1 or 2) */
  float *dw2;                /* unpack: second accumulator */
  float *gW, *gR, *gb;       /* unpack: Keras layout gradients */
  float *wbx;                /* GRU: backward packed W^T (dx), separate from wb (dh) */
} Args;

enum {
  F_BACK = 1,   /* goBackwards: step s reads time T-1-s */
  F_HARD = 2,   /* recurrentActivation hardSigmoid (else sigmoid) */
  F_SAVE = 4,   /* forward keeps gates for backward (training) */
  F_RMASK = 8,  /* recurrent dropout mask in hm, HM separate from H */
  F_XMASK = 16, /* input dropout mask in xm */
  F_DX = 32,    /* backward computes dL/dx */
  F_SEQ = 64,   /* backward reads per-step dy */
  /* GRU, Keras implementation 1 (what the engine's GRU does with recurrent dropout): one mask
     per gate, the update mixes the unmasked state. F_KXMASK only together with F_KRMASK. */
  F_KRMASK = 128, /* per-gate recurrent masks in hm ([B][3][Up]); HM is H */
  F_KXMASK = 256, /* per-gate input masks in xm ([B][3][I]); x is not pre-masked */
};

INLINE int ceil_div(int a, int b) { return (a + b - 1) / b; }

#endif

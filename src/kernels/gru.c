/*
 * Fused GRU (Keras 1 style, reset_after = false). Two dropout semantics:
 *
 * tfjs-layers (implementation 2; no dropout, inference, or input dropout alone):
 *   s  = h * hm                      (recurrent dropout mask; s = h without dropout)
 *   xz | xr | xh = (x*m) W + b       (gate order z, r, h; U columns each)
 *   z = ract(xz + s Rz), r = ract(xr + s Rr)
 *   hh = tanh(xh + (r * s) Rh)
 *   h' = z * s + (1 - z) * hh        (tfjs interpolates with the masked state, as here)
 *
 * Keras implementation 1 (F_KRMASK, F_KXMASK: what the engine's GRU does when recurrent
 * dropout is on, see patchGru in src/core/engine/build-model.ts): one mask per gate,
 *   xg = (x*m_g) W_g + b_g           (g = z, r, h; m_g = 1 without input dropout)
 *   z = ract(xz + (h*rm_z) Rz), r = ract(xr + (h*rm_r) Rr)
 *   hh = tanh(xh + (r * (h*rm_h)) Rh)
 *   h' = z * h + (1 - z) * hh        (the unmasked state)
 *
 * Internal gate rows are planar: [z (Up) | r (Up) | hh (Up)], Gp = 3 Up.
 */
#include "common.h"

INLINE int gru_nq2(const Args *a) { return ceil_div(a->Up, 16); }
/* panels of the dh GEMM (Up columns) and of the dx GEMM (I columns) */
INLINE int gru_nqh(const Args *a) { return ceil_div(a->Up, 16); }
INLINE int gru_nqx(const Args *a) { return ceil_div(a->I, 16); }

EXPORT(gru_scratch_size) int gru_scratch_size(const Args *a) {
  const int CH = a->chunk, Up = a->Up, Gp = 3 * Up, I = a->I, U = a->U;
  /* sized for the Keras-1 variant, which needs more than the tfjs one */
  const int fwd = 6 * Up + 2 * 16 * gru_nq2(a) + 4 * Up + 6 * I;
  const int bwd = CH * Gp + CH * Up + CH * 16 * gru_nq2(a) + 2 * CH * 16 * gru_nqh(a) +
                  3 * CH * 16 * gru_nqx(a) + (1 + 3 * I + 3 * U) * CH;
  return (fwd > bwd ? fwd : bwd) + 64;
}

INLINE void gru_fwd_rows(const Args *a, int b, const int NR) {
  const int T = a->T, I = a->I, U = a->U, Up = a->Up, S = a->S, P = Up >> 2, Gp = 3 * Up;
  const int K1 = 1 + I + U, fl = a->flags;
  const int back = fl & F_BACK, hard = fl & F_HARD, save = fl & F_SAVE, rmask = fl & F_RMASK;
  const int ring = S != T + 1;
  const int nq2 = gru_nq2(a), ld2 = 16 * nq2;
  float *const RS = a->scratch;   /* [2][Up]  r * s */
  float *const XH = RS + 2 * Up;  /* [2][Up]  x Wh + bh */
  float *const ZT = XH + 2 * Up;  /* [2][Up]  z */
  float *const OUT = ZT + 2 * Up; /* [2][ld2] (r * s) Rh */
  float *const H = a->H, *const HM = a->HM, *const G = a->G;
  const f4 one = splat(1.0f);
  for (int s = 0; s < T; s++) {
    const int tx = back ? T - 1 - s : s;
    const int ps = ring ? (s & 1) : s, ns = ring ? ((s + 1) & 1) : s + 1;
    const float *x0 = a->x + (b * T + tx) * I, *x1 = x0 + T * I;
    const float *h0 = HM + (b * S + ps) * Up, *h1 = h0 + S * Up;
    /* phase 1: z, r and the input part of the candidate */
    for (int p = 0; p < P; p++) {
      const float *w = a->wf + p * K1 * 12;
      f4 z0 = LD(w), r0 = LD(w + 4), c0 = LD(w + 8);
      f4 z1 = z0, r1 = r0, c1 = c0;
      w += 12;
      for (int k = 0; k < I; k++, w += 12) {
        f4 w0 = LD(w), w1 = LD(w + 4), w2 = LD(w + 8);
        f4 u = splat(x0[k]);
        z0 += u * w0; r0 += u * w1; c0 += u * w2;
        if (NR == 2) {
          f4 v = splat(x1[k]);
          z1 += v * w0; r1 += v * w1; c1 += v * w2;
        }
      }
      for (int k = 0; k < U; k++, w += 12) {
        f4 w0 = LD(w), w1 = LD(w + 4);
        f4 u = splat(h0[k]);
        z0 += u * w0; r0 += u * w1;
        if (NR == 2) {
          f4 v = splat(h1[k]);
          z1 += v * w0; r1 += v * w1;
        }
      }
      for (int r = 0; r < NR; r++) {
        const int row = b + r;
        f4 zz = v_ract(r ? z1 : z0, hard), rr = v_ract(r ? r1 : r0, hard);
        f4 sv = LD(HM + (row * S + ps) * Up + 4 * p);
        if (save) {
          float *g = G + (row * T + s) * Gp;
          ST(g + 4 * p, zz);
          ST(g + Up + 4 * p, rr);
        }
        ST(ZT + r * Up + 4 * p, zz);
        ST(RS + r * Up + 4 * p, rr * sv);
        ST(XH + r * Up + 4 * p, r ? c1 : c0);
      }
    }
    /* phase 2: candidate and state update */
    gemm_p1(RS, Up, NR, U, a->wf2, nq2, OUT, ld2);
    for (int r = 0; r < NR; r++) {
      const int row = b + r;
      for (int u = 0; u < Up; u += 4) {
        f4 hh = v_tanh(LD(OUT + r * ld2 + u) + LD(XH + r * Up + u));
        f4 zz = LD(ZT + r * Up + u), sv = LD(HM + (row * S + ps) * Up + u);
        f4 h = zz * sv + (one - zz) * hh;
        if (save) ST(G + (row * T + s) * Gp + 2 * Up + u, hh);
        ST(H + (row * S + ns) * Up + u, h);
        if (rmask) ST(HM + (row * S + ns) * Up + u, h * LD(a->hm + row * Up + u));
      }
    }
  }
}


/*
 * Forward, Keras implementation 1: rows b .. b+NR-1, all timesteps. XM: per-gate input masks.
 * The masked copies of the state entering the z and r products (h*rm_z, h*rm_r) are kept per
 * row in scratch and refreshed at every state update; x*m_g is formed once per step.
 */
INLINE void gru_fwd_rows_k(const Args *a, int b, const int NR, const int XM) {
  const int T = a->T, I = a->I, U = a->U, Up = a->Up, S = a->S, P = Up >> 2, Gp = 3 * Up;
  const int K1 = 1 + I + U, fl = a->flags;
  const int back = fl & F_BACK, hard = fl & F_HARD, save = fl & F_SAVE;
  const int ring = S != T + 1;
  const int nq2 = gru_nq2(a), ld2 = 16 * nq2;
  float *const RS = a->scratch;    /* [2][Up]  r * (h * rm_h) */
  float *const XH = RS + 2 * Up;   /* [2][Up]  x Wh + bh */
  float *const ZT = XH + 2 * Up;   /* [2][Up]  z */
  float *const OUT = ZT + 2 * Up;  /* [2][ld2] (r * h * rm_h) Rh */
  float *const HZ = OUT + 2 * ld2; /* [2][2][Up]  h * rm_z | h * rm_r */
  float *const XS = HZ + 4 * Up;   /* [2][3][I]  x * m_z | x * m_r | x * m_h */
  float *const H = a->H, *const G = a->G;
  const f4 one = splat(1.0f);
  for (int r = 0; r < NR; r++) {
    const float *h = H + (b + r) * S * Up, *m = a->hm + (b + r) * 3 * Up;
    for (int u = 0; u < Up; u += 4) {
      ST(HZ + r * 2 * Up + u, LD(h + u) * LD(m + u));
      ST(HZ + r * 2 * Up + Up + u, LD(h + u) * LD(m + Up + u));
    }
  }
  const float *const hz0 = HZ, *const hr0 = HZ + Up, *const hz1 = HZ + 2 * Up,
                     *const hr1 = HZ + 3 * Up;
  for (int s = 0; s < T; s++) {
    const int tx = back ? T - 1 - s : s;
    const int ps = ring ? (s & 1) : s, ns = ring ? ((s + 1) & 1) : s + 1;
    const float *x0 = a->x + (b * T + tx) * I, *x1 = x0 + T * I;
    if (XM) {
      for (int r = 0; r < NR; r++) {
        const float *xr = r ? x1 : x0, *m = a->xm + (b + r) * 3 * I;
        float *d = XS + r * 3 * I;
        for (int g = 0; g < 3; g++)
          for (int k = 0; k < I; k++) d[g * I + k] = xr[k] * m[g * I + k];
      }
    }
    const float *xz0 = XM ? XS : x0, *xr0 = XM ? XS + I : x0, *xh0 = XM ? XS + 2 * I : x0;
    const float *xz1 = XM ? XS + 3 * I : x1, *xr1 = XM ? XS + 4 * I : x1;
    const float *xh1 = XM ? XS + 5 * I : x1;
    /* phase 1: z, r and the input part of the candidate */
    for (int p = 0; p < P; p++) {
      const float *w = a->wf + p * K1 * 12;
      f4 z0 = LD(w), r0 = LD(w + 4), c0 = LD(w + 8);
      f4 z1 = z0, r1 = r0, c1 = c0;
      w += 12;
      for (int k = 0; k < I; k++, w += 12) {
        f4 w0 = LD(w), w1 = LD(w + 4), w2 = LD(w + 8);
        z0 += splat(xz0[k]) * w0; r0 += splat(xr0[k]) * w1; c0 += splat(xh0[k]) * w2;
        if (NR == 2) {
          z1 += splat(xz1[k]) * w0; r1 += splat(xr1[k]) * w1; c1 += splat(xh1[k]) * w2;
        }
      }
      for (int k = 0; k < U; k++, w += 12) {
        f4 w0 = LD(w), w1 = LD(w + 4);
        z0 += splat(hz0[k]) * w0; r0 += splat(hr0[k]) * w1;
        if (NR == 2) {
          z1 += splat(hz1[k]) * w0; r1 += splat(hr1[k]) * w1;
        }
      }
      for (int r = 0; r < NR; r++) {
        const int row = b + r;
        f4 zz = v_ract(r ? z1 : z0, hard), rr = v_ract(r ? r1 : r0, hard);
        f4 hv = LD(H + (row * S + ps) * Up + 4 * p);
        f4 mh = LD(a->hm + row * 3 * Up + 2 * Up + 4 * p);
        if (save) {
          float *g = G + (row * T + s) * Gp;
          ST(g + 4 * p, zz);
          ST(g + Up + 4 * p, rr);
        }
        ST(ZT + r * Up + 4 * p, zz);
        ST(RS + r * Up + 4 * p, rr * (hv * mh));
        ST(XH + r * Up + 4 * p, r ? c1 : c0);
      }
    }
    /* phase 2: candidate and state update (with the unmasked state) */
    gemm_p1(RS, Up, NR, U, a->wf2, nq2, OUT, ld2);
    for (int r = 0; r < NR; r++) {
      const int row = b + r;
      const float *m = a->hm + row * 3 * Up;
      for (int u = 0; u < Up; u += 4) {
        f4 hh = v_tanh(LD(OUT + r * ld2 + u) + LD(XH + r * Up + u));
        f4 zz = LD(ZT + r * Up + u), hv = LD(H + (row * S + ps) * Up + u);
        f4 h = zz * hv + (one - zz) * hh;
        if (save) ST(G + (row * T + s) * Gp + 2 * Up + u, hh);
        ST(H + (row * S + ns) * Up + u, h);
        ST(HZ + r * 2 * Up + u, h * LD(m + u));
        ST(HZ + r * 2 * Up + Up + u, h * LD(m + Up + u));
      }
    }
  }
}

EXPORT(gru_fwd) void gru_fwd(const Args *a) {
  const int B = a->B, S = a->S, Up = a->Up;
  if (a->flags & F_KRMASK) {
    int b = 0;
    if (a->flags & F_KXMASK) {
      for (; b + 2 <= B; b += 2) gru_fwd_rows_k(a, b, 2, 1);
      if (b < B) gru_fwd_rows_k(a, b, 1, 1);
    } else {
      for (; b + 2 <= B; b += 2) gru_fwd_rows_k(a, b, 2, 0);
      if (b < B) gru_fwd_rows_k(a, b, 1, 0);
    }
    return;
  }
  if (a->flags & F_RMASK) {
    for (int b = 0; b < B; b++)
      for (int u = 0; u < Up; u += 4)
        ST(a->HM + b * S * Up + u, LD(a->H + b * S * Up + u) * LD(a->hm + b * Up + u));
  }
  int b = 0;
  for (; b + 2 <= B; b += 2) gru_fwd_rows(a, b, 2);
  if (b < B) gru_fwd_rows(a, b, 1);
}


/*
 * Backward, Keras implementation 1 (F_KRMASK, optional F_KXMASK). With s = h (unmasked) and
 * per-gate masks rm_g (state) and m_g (input):
 *   dz_pre = dh (h - hh) ract'(z),  dhh_pre = dh (1 - z)(1 - hh^2)
 *   d(r * h rm_h) = dhh_pre Rh^T,   dr_pre = d(r * h rm_h) (h rm_h) ract'(r)
 *   dh_prev = dh z + d(r * h rm_h) r rm_h + (dz_pre Rz^T) rm_z + (dr_pre Rr^T) rm_r
 *   dx = sum_g (d_g W_g^T) m_g;  dW_g += (x m_g)^T d_g;  dRz += (h rm_z)^T dz_pre;
 *   dRr += (h rm_r)^T dr_pre;  dRh += (r h rm_h)^T dhh_pre;  db += d.
 */
__attribute__((noinline)) static void gru_bwd_k(const Args *a) {
  const int B = a->B, T = a->T, I = a->I, U = a->U, Up = a->Up, S = a->S;
  const int Gp = 3 * Up, CH = a->chunk, fl = a->flags;
  const int back = fl & F_BACK, hard = fl & F_HARD, xmask = fl & F_KXMASK;
  const int needdx = fl & F_DX, seq = fl & F_SEQ;
  const int ring = S != T + 1;
  const int nq2 = gru_nq2(a), ld2 = 16 * nq2;
  const int nqh = gru_nqh(a), ldo = 16 * nqh, nqx = gru_nqx(a), ldx = 16 * nqx;
  const int XR = xmask ? 3 : 1; /* sets of x rows in AT */
  float *const DZ = a->scratch;           /* [CH][Gp]  dz_pre | dr_pre | dhh_pre */
  float *const DS = DZ + CH * Gp;         /* [CH][Up]  dL/dh accumulated */
  float *const OUT2 = DS + CH * Up;       /* [CH][ld2] d(r * h rm_h) */
  float *const OUTZ = OUT2 + CH * ld2;    /* [CH][ldo] dz_pre Rz^T */
  float *const OUTR = OUTZ + CH * ldo;    /* [CH][ldo] dr_pre Rr^T */
  float *const OUTX = OUTR + CH * ldo;    /* [3][CH][ldx] d_g W_g^T (or [CH][ldx] summed) */
  float *const AT = OUTX + 3 * CH * ldx;  /* [1 + XR I + 3U][CH]  1 | x m_g | h rm_z | h rm_r | r h rm_h */
  float *const ATH = AT + (1 + XR * I) * CH;
  const f4 one = splat(1.0f);
  for (int b0 = 0; b0 < B; b0 += CH) {
    const int n = imin(CH, B - b0);
    float *const DH = a->dh + b0 * Up;
    for (int r = 0; r < n; r++) AT[r] = 1.0f;
    for (int s = T - 1; s >= 0; s--) {
      const int tx = back ? T - 1 - s : s;
      const int ps = ring ? (s & 1) : s;
      for (int r = 0; r < n; r++) {
        const int b = b0 + r;
        const float *g = a->G + (b * T + s) * Gp, *hp = a->H + (b * S + ps) * Up;
        const float *dyr = seq ? a->dy + (b * T + s) * Up : 0;
        float *dz = DZ + r * Gp, *ds = DS + r * Up, *dhr = DH + r * Up;
        for (int u = 0; u < Up; u += 4) {
          f4 dh = LD(dhr + u);
          if (seq) dh += LD(dyr + u);
          f4 zz = LD(g + u), hh = LD(g + 2 * Up + u), hv = LD(hp + u);
          ST(dz + u, dh * (hv - hh) * v_dract(zz, hard));
          ST(dz + 2 * Up + u, dh * (one - zz) * (one - hh * hh));
          ST(ds + u, dh * zz);
        }
      }
      /* d(r * h rm_h) = dhh_pre Rh^T */
      gemm_p1(DZ + 2 * Up, Gp, n, U, a->wb2, nq2, OUT2, ld2);
      for (int r = 0; r < n; r++) {
        const int b = b0 + r;
        const float *g = a->G + (b * T + s) * Gp, *hp = a->H + (b * S + ps) * Up;
        const float *mh = a->hm + b * 3 * Up + 2 * Up;
        float *dz = DZ + r * Gp, *ds = DS + r * Up;
        const float *o2 = OUT2 + r * ld2;
        for (int u = 0; u < Up; u += 4) {
          f4 drs = LD(o2 + u), rr = LD(g + Up + u), m = LD(mh + u);
          ST(dz + Up + u, drs * (LD(hp + u) * m) * v_dract(rr, hard));
          ST(ds + u, LD(ds + u) + drs * rr * m);
        }
      }
      /* dz_pre Rz^T and dr_pre Rr^T (rows 0 .. Up and Up .. 2 Up of the wb panels) */
      gemm_p1s(DZ, Gp, n, Up, a->wb, 2 * Up * 16, nqh, OUTZ, ldo);
      gemm_p1s(DZ + Up, Gp, n, Up, a->wb + Up * 16, 2 * Up * 16, nqh, OUTR, ldo);
      if (needdx) {
        if (xmask) {
          for (int g = 0; g < 3; g++)
            gemm_p1s(DZ + g * Up, Gp, n, Up, a->wbx + g * Up * 16, Gp * 16, nqx,
                     OUTX + g * CH * ldx, ldx);
        } else {
          gemm_p1(DZ, Gp, n, Gp, a->wbx, nqx, OUTX, ldx);
        }
      }
      for (int r = 0; r < n; r++) {
        const int b = b0 + r;
        const float *oz = OUTZ + r * ldo, *orr = OUTR + r * ldo, *ds = DS + r * Up;
        const float *m = a->hm + b * 3 * Up;
        float *dhr = DH + r * Up;
        for (int u = 0; u < Up; u += 4)
          ST(dhr + u, LD(ds + u) + LD(oz + u) * LD(m + u) + LD(orr + u) * LD(m + Up + u));
        if (needdx) {
          float *dx = a->dx + (b * T + tx) * I;
          const float *ox = OUTX + r * ldx;
          if (xmask) {
            const float *xm = a->xm + b * 3 * I;
            const float *ox1 = ox + CH * ldx, *ox2 = ox1 + CH * ldx;
            for (int i = 0; i < I; i++)
              dx[i] = ox[i] * xm[i] + ox1[i] * xm[I + i] + ox2[i] * xm[2 * I + i];
          } else {
            for (int i = 0; i < I; i++) dx[i] = ox[i];
          }
        }
      }
      /* weight gradients */
      for (int r = 0; r < n; r++) {
        const int b = b0 + r;
        const float *x = a->x + (b * T + tx) * I, *hp = a->H + (b * S + ps) * Up;
        const float *rg = a->G + (b * T + s) * Gp + Up, *m = a->hm + b * 3 * Up;
        if (xmask) {
          const float *xm = a->xm + b * 3 * I;
          for (int g = 0; g < 3; g++)
            for (int k = 0; k < I; k++) AT[(1 + g * I + k) * CH + r] = x[k] * xm[g * I + k];
        } else {
          for (int k = 0; k < I; k++) AT[(1 + k) * CH + r] = x[k];
        }
        for (int k = 0; k < U; k++) {
          ATH[k * CH + r] = hp[k] * m[k];
          ATH[(U + k) * CH + r] = hp[k] * m[Up + k];
          ATH[(2 * U + k) * CH + r] = rg[k] * (hp[k] * m[2 * Up + k]);
        }
      }
      if (xmask) {
        gemm_p2(AT, CH, n, 1, DZ, Gp, Gp, a->dw, Gp);
        for (int g = 0; g < 3; g++)
          gemm_p2(AT + (1 + g * I) * CH, CH, n, I, DZ + g * Up, Gp, Up, a->dw + Gp + g * Up, Gp);
      } else {
        gemm_p2(AT, CH, n, 1 + I, DZ, Gp, Gp, a->dw, Gp);
      }
      float *const dR = a->dw + (1 + I) * Gp;
      for (int g = 0; g < 3; g++)
        gemm_p2(ATH + g * U * CH, CH, n, U, DZ + g * Up, Gp, Up, dR + g * Up, Gp);
      if (s % FLUSH_EVERY == 0) flush_tiny(DH, n * Up);
    }
  }
}

EXPORT(gru_bwd) void gru_bwd(const Args *a) {
  if (a->flags & F_KRMASK) {
    gru_bwd_k(a);
    return;
  }
  const int B = a->B, T = a->T, I = a->I, U = a->U, Up = a->Up, S = a->S;
  const int Gp = 3 * Up, CH = a->chunk, fl = a->flags;
  const int back = fl & F_BACK, hard = fl & F_HARD, rmask = fl & F_RMASK, xmask = fl & F_XMASK;
  const int needdx = fl & F_DX, seq = fl & F_SEQ;
  const int ring = S != T + 1;
  const int nq2 = gru_nq2(a), ld2 = 16 * nq2;
  const int nqh = gru_nqh(a), ldo = 16 * nqh, nqx = gru_nqx(a), ldx = 16 * nqx;
  float *const DZ = a->scratch;       /* [CH][Gp]  dz_pre | dr_pre | dhh_pre */
  float *const DS = DZ + CH * Gp;     /* [CH][Up]  dL/ds accumulated */
  float *const OUT2 = DS + CH * Up;   /* [CH][ld2] d(r*s) */
  float *const OUT = OUT2 + CH * ld2; /* [CH][ldo] ds from the z, r gates */
  float *const OUTX = OUT + CH * ldo; /* [CH][ldx] dx */
  float *const AT = OUTX + CH * ldx;  /* [1 + I + 2U][CH]  1 | x | s | r*s */
  const f4 one = splat(1.0f);
  for (int b0 = 0; b0 < B; b0 += CH) {
    const int n = imin(CH, B - b0);
    float *const DH = a->dh + b0 * Up;
    for (int r = 0; r < n; r++) AT[r] = 1.0f;
    for (int s = T - 1; s >= 0; s--) {
      const int tx = back ? T - 1 - s : s;
      const int ps = ring ? (s & 1) : s;
      for (int r = 0; r < n; r++) {
        const int b = b0 + r;
        const float *g = a->G + (b * T + s) * Gp, *sp = a->HM + (b * S + ps) * Up;
        const float *dyr = seq ? a->dy + (b * T + s) * Up : 0;
        float *dz = DZ + r * Gp, *ds = DS + r * Up, *dhr = DH + r * Up;
        for (int u = 0; u < Up; u += 4) {
          f4 dh = LD(dhr + u);
          if (seq) dh += LD(dyr + u);
          f4 zz = LD(g + u), hh = LD(g + 2 * Up + u), sv = LD(sp + u);
          ST(dz + u, dh * (sv - hh) * v_dract(zz, hard));
          ST(dz + 2 * Up + u, dh * (one - zz) * (one - hh * hh));
          ST(ds + u, dh * zz);
        }
      }
      /* d(r*s) = dhh_pre Rh^T */
      gemm_p1(DZ + 2 * Up, Gp, n, U, a->wb2, nq2, OUT2, ld2);
      for (int r = 0; r < n; r++) {
        const int b = b0 + r;
        const float *g = a->G + (b * T + s) * Gp, *sp = a->HM + (b * S + ps) * Up;
        float *dz = DZ + r * Gp, *ds = DS + r * Up;
        const float *o2 = OUT2 + r * ld2;
        for (int u = 0; u < Up; u += 4) {
          f4 drs = LD(o2 + u), rr = LD(g + Up + u);
          ST(dz + Up + u, drs * LD(sp + u) * v_dract(rr, hard));
          ST(ds + u, LD(ds + u) + drs * rr);
        }
      }
      /* ds_zr = [dz_pre | dr_pre] [Rz Rr]^T ; dx = [dz_pre | dr_pre | dhh_pre] W^T */
      gemm_p1(DZ, Gp, n, 2 * Up, a->wb, nqh, OUT, ldo);
      if (needdx) gemm_p1(DZ, Gp, n, Gp, a->wbx, nqx, OUTX, ldx);
      for (int r = 0; r < n; r++) {
        const int b = b0 + r;
        const float *o = OUT + r * ldo, *ox = OUTX + r * ldx, *ds = DS + r * Up;
        float *dhr = DH + r * Up;
        if (rmask) {
          for (int u = 0; u < Up; u += 4)
            ST(dhr + u, (LD(o + u) + LD(ds + u)) * LD(a->hm + b * Up + u));
        } else {
          for (int u = 0; u < Up; u += 4) ST(dhr + u, LD(o + u) + LD(ds + u));
        }
        if (needdx) {
          float *dx = a->dx + (b * T + tx) * I;
          if (xmask) {
            const float *m = a->xm + b * I;
            for (int i = 0; i < I; i++) dx[i] = ox[i] * m[i];
          } else {
            for (int i = 0; i < I; i++) dx[i] = ox[i];
          }
        }
      }
      /* weight gradients */
      for (int r = 0; r < n; r++) {
        const int b = b0 + r;
        const float *x = a->x + (b * T + tx) * I, *sp = a->HM + (b * S + ps) * Up;
        const float *rg = a->G + (b * T + s) * Gp + Up;
        for (int k = 0; k < I; k++) AT[(1 + k) * CH + r] = x[k];
        for (int k = 0; k < U; k++) {
          AT[(1 + I + k) * CH + r] = sp[k];
          AT[(1 + I + U + k) * CH + r] = sp[k] * rg[k];
        }
      }
      gemm_p2(AT, CH, n, 1 + I, DZ, Gp, Gp, a->dw, Gp);
      gemm_p2(AT + (1 + I) * CH, CH, n, U, DZ, Gp, 2 * Up, a->dw + (1 + I) * Gp, Gp);
      gemm_p2(AT + (1 + I + U) * CH, CH, n, U, DZ + 2 * Up, Gp, Up,
              a->dw + (1 + I) * Gp + 2 * Up, Gp);
      if (s % FLUSH_EVERY == 0) flush_tiny(DH, n * Up);
    }
  }
}

/*
 * Pack Keras-layout weights (W [I][3U], R [U][3U], b [3U]):
 *   wf : P panels of [1 + I + U][12]: row 0 bias (z r h), W rows (z r h), R rows (z r, unused h)
 *   wf2: ceil(Up/16) panels of [U][16]: Rh
 *   wb : ceil(Up/16) panels of [2 Up][16]: rows planar (z|r), columns Rz,Rr^T (dh)
 *   wbx: ceil(I/16) panels of [Gp][16]: rows planar (z|r|hh), columns W^T (dx)
 *   wb2: ceil(Up/16) panels of [U][16]: Rh^T
 */
EXPORT(gru_pack) void gru_pack(const Args *a) {
  const int I = a->I, U = a->U, Up = a->Up, P = Up >> 2, Gp = 3 * Up, K1 = 1 + I + U;
  const int G3 = 3 * U;
  for (int p = 0; p < P; p++) {
    float *w = a->wf + p * K1 * 12;
    for (int g = 0; g < 3; g++)
      for (int l = 0; l < 4; l++) {
        const int u = 4 * p + l, col = g * U + u, o = 4 * g + l, ok = u < U;
        w[o] = ok && a->braw ? a->braw[col] : 0.0f;
        for (int k = 0; k < I; k++) w[(1 + k) * 12 + o] = ok ? a->Wraw[k * G3 + col] : 0.0f;
        for (int k = 0; k < U; k++)
          w[(1 + I + k) * 12 + o] = ok && g < 2 ? a->Rraw[k * G3 + col] : 0.0f;
      }
  }
  const int nq2 = ceil_div(Up, 16);
  for (int q = 0; q < nq2; q++) {
    float *w = a->wf2 + q * U * 16, *wt = a->wb2 + q * U * 16;
    for (int k = 0; k < U; k++)
      for (int c = 0; c < 16; c++) {
        const int n = 16 * q + c;
        w[k * 16 + c] = n < U ? a->Rraw[k * G3 + 2 * U + n] : 0.0f;
        wt[k * 16 + c] = n < U ? a->Rraw[n * G3 + 2 * U + k] : 0.0f;
      }
  }
  const int nqh = ceil_div(Up, 16);
  for (int q = 0; q < nqh; q++) {
    float *w = a->wb + q * 2 * Up * 16;
    for (int j = 0; j < 2 * Up; j++) {
      const int g = j / Up, u = j - g * Up, col = g * U + u;
      for (int c = 0; c < 16; c++) {
        const int n = 16 * q + c;
        w[j * 16 + c] = u < U && n < U ? a->Rraw[n * G3 + col] : 0.0f;
      }
    }
  }
  const int nqx = ceil_div(I, 16);
  for (int q = 0; q < nqx; q++) {
    float *w = a->wbx + q * Gp * 16;
    for (int j = 0; j < Gp; j++) {
      const int g = j / Up, u = j - g * Up, col = g * U + u;
      for (int c = 0; c < 16; c++) {
        const int i = 16 * q + c;
        w[j * 16 + c] = u < U && i < I ? a->Wraw[i * G3 + col] : 0.0f;
      }
    }
  }
}

EXPORT(gru_unpack) void gru_unpack(const Args *a) {
  const int I = a->I, U = a->U, Up = a->Up, Gp = 3 * Up, G3 = 3 * U;
  for (int j = 0; j < Gp; j++) {
    const int g = j / Up, u = j - g * Up;
    if (u >= U) continue;
    const int col = g * U + u;
    for (int k = 0; k < 1 + I + U; k++) {
      float v = a->dw[k * Gp + j];
      if (a->nacc > 1) v += a->dw2[k * Gp + j];
      if (k == 0) {
        if (a->gb) a->gb[col] = v;
      } else if (k <= I) {
        a->gW[(k - 1) * G3 + col] = v;
      } else {
        a->gR[(k - 1 - I) * G3 + col] = v;
      }
    }
  }
}

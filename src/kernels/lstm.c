/*
 * Fused LSTM: whole-sequence forward and backpropagation through time in one call each.
 *
 * Keras / tfjs-layers semantics (implementation 2):
 *   z = (x*m) W + (h*hm) R + b, split i | f | c | o (each U columns)
 *   i = ract(z_i), f = ract(z_f), g = tanh(z_c), o = ract(z_o)
 *   c' = f c + i g,  h' = o tanh(c')
 * where m / hm are the (single) input / recurrent dropout masks, ract = sigmoid or hardSigmoid.
 *
 * Internal gate layout ("panel-interleaved"): units are grouped in panels of 4; a row of Gp = 4 Up
 * floats is [panel p][gate i,f,g,o][4 lanes], so one panel's 16 columns hold all four gates of
 * four units and the pointwise update runs on the GEMM accumulators without a round trip.
 */
#include "common.h"

/* Gate nonlinearities and state update of one (row, panel): z holds i f c o pre-activations. */
INLINE void lstm_cell(const f4 *z, f4 cprev, int hard, f4 *gates, f4 *c) {
  f4 t[4];
  if (hard) {
    t[0] = z[2];
    v_tanh_n(t, 1);
    gates[0] = v_hard_sigmoid(z[0]);
    gates[1] = v_hard_sigmoid(z[1]);
    gates[2] = t[0];
    gates[3] = v_hard_sigmoid(z[3]);
  } else {
    const f4 h = splat(0.5f);
    t[0] = h * z[0]; t[1] = h * z[1]; t[2] = z[2]; t[3] = h * z[3];
    v_tanh_n(t, 4);
    gates[0] = h + h * t[0];
    gates[1] = h + h * t[1];
    gates[2] = t[2];
    gates[3] = h + h * t[3];
  }
  *c = gates[1] * cprev + gates[0] * gates[2];
}

/* Forward: rows b .. b+NR-1 of this slice, all timesteps (rows are independent). */
INLINE void lstm_fwd_rows(const Args *a, int b, const int NR) {
  const int T = a->T, I = a->I, U = a->U, Up = a->Up, S = a->S, P = Up >> 2, Gp = 4 * Up;
  const int K1 = 1 + I + U, fl = a->flags;
  const int back = fl & F_BACK, hard = fl & F_HARD, save = fl & F_SAVE, rmask = fl & F_RMASK;
  const int ring = S != T + 1;
  float *const H = a->H, *const HM = a->HM, *const Cs = a->C, *const G = a->G;
  float *const Z = a->scratch; /* [NR][Gp] pre-activations of this step */
  for (int s = 0; s < T; s++) {
    const int tx = back ? T - 1 - s : s;
    const int ps = ring ? (s & 1) : s, ns = ring ? ((s + 1) & 1) : s + 1;
    const float *x0 = a->x + (b * T + tx) * I, *x1 = x0 + T * I;
    const float *h0 = HM + (b * S + ps) * Up, *h1 = h0 + S * Up;
    /* GEMM: z = [1, x, h] [b; W; R] for every panel */
    for (int p = 0; p < P; p++) {
      const float *w = a->wf + p * K1 * 16;
      f4 zi0 = LD(w), zf0 = LD(w + 4), zg0 = LD(w + 8), zo0 = LD(w + 12);
      f4 zi1 = zi0, zf1 = zf0, zg1 = zg0, zo1 = zo0;
      w += 16;
      for (int k = 0; k < I; k++, w += 16) {
        f4 w0 = LD(w), w1 = LD(w + 4), w2 = LD(w + 8), w3 = LD(w + 12);
        f4 u = splat(x0[k]);
        zi0 += u * w0; zf0 += u * w1; zg0 += u * w2; zo0 += u * w3;
        if (NR == 2) {
          f4 v = splat(x1[k]);
          zi1 += v * w0; zf1 += v * w1; zg1 += v * w2; zo1 += v * w3;
        }
      }
      for (int k = 0; k < U; k++, w += 16) {
        f4 w0 = LD(w), w1 = LD(w + 4), w2 = LD(w + 8), w3 = LD(w + 12);
        f4 u = splat(h0[k]);
        zi0 += u * w0; zf0 += u * w1; zg0 += u * w2; zo0 += u * w3;
        if (NR == 2) {
          f4 v = splat(h1[k]);
          zi1 += v * w0; zf1 += v * w1; zg1 += v * w2; zo1 += v * w3;
        }
      }
      float *z = Z + 16 * p;
      ST(z, zi0); ST(z + 4, zf0); ST(z + 8, zg0); ST(z + 12, zo0);
      if (NR == 2) { ST(z + Gp, zi1); ST(z + Gp + 4, zf1); ST(z + Gp + 8, zg1); ST(z + Gp + 12, zo1); }
    }
    /* pointwise, two (row, panel) items at a time so their tanh chains overlap */
    for (int it = 0; it < NR * P; it += 2) {
      /* always two items (constant trip counts keep everything in registers); an odd last item
         is computed twice and stored once */
      const int n2 = it + 1 < NR * P ? 2 : 1;
      f4 gates[2][4], c[2], th[2];
      int row[2], p4[2];
      for (int m = 0; m < 2; m++) {
        const int item = m < n2 ? it + m : it;
        const int r = item >= P, p = item - r * P; /* NR <= 2 */
        row[m] = b + r;
        p4[m] = 4 * p;
        const float *z = Z + r * Gp + 16 * p;
        f4 zz[4] = {LD(z), LD(z + 4), LD(z + 8), LD(z + 12)};
        lstm_cell(zz, LD(Cs + (row[m] * S + ps) * Up + p4[m]), hard, gates[m], &c[m]);
        th[m] = c[m];
      }
      v_tanh_n(th, 2);
      for (int m = 0; m < 2; m++) {
        if (m >= n2) break;
        const int o = (row[m] * S + ns) * Up + p4[m];
        f4 h = gates[m][3] * th[m];
        ST(Cs + o, c[m]);
        ST(H + o, h);
        if (rmask) ST(HM + o, h * LD(a->hm + row[m] * Up + p4[m]));
        if (save) {
          float *g = G + (row[m] * T + s) * Gp + 4 * p4[m];
          ST(g, gates[m][0]); ST(g + 4, gates[m][1]); ST(g + 8, gates[m][2]); ST(g + 12, gates[m][3]);
        }
      }
    }
  }
}

EXPORT(lstm_fwd) void lstm_fwd(const Args *a) {
  const int B = a->B, S = a->S, Up = a->Up;
  if (a->flags & F_RMASK) {
    for (int b = 0; b < B; b++)
      for (int u = 0; u < Up; u += 4)
        ST(a->HM + b * S * Up + u, LD(a->H + b * S * Up + u) * LD(a->hm + b * Up + u));
  }
  int b = 0;
  for (; b + 2 <= B; b += 2) lstm_fwd_rows(a, b, 2);
  if (b < B) lstm_fwd_rows(a, b, 1);
}

INLINE int lstm_nqb(const Args *a) {
  return ceil_div(a->Up + ((a->flags & F_DX) ? a->I : 0), 16);
}

EXPORT(lstm_scratch_size) int lstm_scratch_size(const Args *a) {
  const int CH = a->chunk, Gp = 4 * a->Up, K1 = 1 + a->I + a->U;
  const int bwd = CH * Gp + CH * 16 * lstm_nqb(a) + K1 * CH;
  const int fwd = 2 * Gp;
  return (bwd > fwd ? bwd : fwd) + 64;
}

EXPORT(lstm_bwd) void lstm_bwd(const Args *a) {
  const int B = a->B, T = a->T, I = a->I, U = a->U, Up = a->Up, S = a->S, P = Up >> 2;
  const int Gp = 4 * Up, K1 = 1 + I + U, CH = a->chunk, fl = a->flags;
  const int back = fl & F_BACK, hard = fl & F_HARD, rmask = fl & F_RMASK, xmask = fl & F_XMASK;
  const int needdx = fl & F_DX, seq = fl & F_SEQ;
  const int ring = S != T + 1;
  const int nqb = lstm_nqb(a), ldo = 16 * nqb;
  float *const DZ = a->scratch;
  float *const OUT = DZ + CH * Gp;
  float *const AT = OUT + CH * ldo;
  const f4 one = splat(1.0f);
  for (int b0 = 0; b0 < B; b0 += CH) {
    const int n = imin(CH, B - b0);
    float *const DH = a->dh + b0 * Up, *const DC = a->dc + b0 * Up;
    for (int r = 0; r < n; r++) AT[r] = 1.0f;
    for (int s = T - 1; s >= 0; s--) {
      const int tx = back ? T - 1 - s : s;
      const int ps = ring ? (s & 1) : s, ns = ring ? ((s + 1) & 1) : s + 1;
      /* pointwise: dZ for every gate, carry gradient */
      for (int r = 0; r < n; r++) {
        const int b = b0 + r;
        const float *g = a->G + (b * T + s) * Gp;
        const float *cn = a->C + (b * S + ns) * Up, *cp = a->C + (b * S + ps) * Up;
        const float *dyr = seq ? a->dy + (b * T + s) * Up : 0;
        float *dz = DZ + r * Gp, *dhr = DH + r * Up, *dcr = DC + r * Up;
        for (int p0 = 0; p0 < P; p0 += 4) {
          const int np = imin(4, P - p0);
          f4 thv[4];
          for (int m = 0; m < np; m++) thv[m] = LD(cn + 4 * (p0 + m));
          if (np == 4) v_tanh_n(thv, 4);
          else for (int m = 0; m < np; m++) v_tanh_n(thv + m, 1);
          for (int m = 0; m < np; m++) {
            const int p = p0 + m;
            f4 dh = LD(dhr + 4 * p);
            if (seq) dh += LD(dyr + 4 * p);
            f4 ii = LD(g + 16 * p), ff = LD(g + 16 * p + 4), gg = LD(g + 16 * p + 8),
               oo = LD(g + 16 * p + 12);
            f4 th = thv[m];
            f4 dc = LD(dcr + 4 * p) + dh * oo * (one - th * th);
            ST(dz + 16 * p, dc * gg * v_dract(ii, hard));
            ST(dz + 16 * p + 4, dc * LD(cp + 4 * p) * v_dract(ff, hard));
            ST(dz + 16 * p + 8, dc * ii * (one - gg * gg));
            ST(dz + 16 * p + 12, dh * th * v_dract(oo, hard));
            ST(dcr + 4 * p, dc * ff);
          }
        }
      }
      /* [dh_prev | dx] = dZ [R^T | W^T] */
      gemm_p1(DZ, Gp, n, Gp, a->wb, nqb, OUT, ldo);
      for (int r = 0; r < n; r++) {
        const int b = b0 + r;
        const float *o = OUT + r * ldo;
        float *dhr = DH + r * Up;
        if (rmask) {
          for (int u = 0; u < Up; u += 4) ST(dhr + u, LD(o + u) * LD(a->hm + b * Up + u));
        } else {
          for (int u = 0; u < Up; u += 4) ST(dhr + u, LD(o + u));
        }
        if (needdx) {
          float *dx = a->dx + (b * T + tx) * I;
          if (xmask) {
            const float *m = a->xm + b * I;
            for (int i = 0; i < I; i++) dx[i] = o[Up + i] * m[i];
          } else {
            for (int i = 0; i < I; i++) dx[i] = o[Up + i];
          }
        }
      }
      /* weight gradients: dW += [1, x, h*hm]^T dZ */
      for (int r = 0; r < n; r++) {
        const int b = b0 + r;
        const float *x = a->x + (b * T + tx) * I, *h = a->HM + (b * S + ps) * Up;
        for (int k = 0; k < I; k++) AT[(1 + k) * CH + r] = x[k];
        for (int k = 0; k < U; k++) AT[(1 + I + k) * CH + r] = h[k];
      }
      gemm_p2(AT, CH, n, K1, DZ, Gp, Gp, a->dw, Gp);
      if (s % FLUSH_EVERY == 0) {
        flush_tiny(DH, n * Up);
        flush_tiny(DC, n * Up);
      }
    }
  }
}

/*
 * Pack Keras-layout weights (W [I][4U], R [U][4U], b [4U] or none) into
 *   wf: P panels of [1 + I + U][16]  (row 0 bias, then W rows, then R rows)
 *   wb: ceil((Up + I) / 16) panels of [Gp][16], columns [R^T (Up) | W^T (I)]
 */
EXPORT(lstm_pack) void lstm_pack(const Args *a) {
  const int I = a->I, U = a->U, Up = a->Up, P = Up >> 2, Gp = 4 * Up, K1 = 1 + I + U;
  const int G4 = 4 * U;
  for (int p = 0; p < P; p++) {
    float *w = a->wf + p * K1 * 16;
    for (int g = 0; g < 4; g++)
      for (int l = 0; l < 4; l++) {
        const int u = 4 * p + l, col = g * U + u, o = 4 * g + l;
        const int ok = u < U;
        w[o] = ok && a->braw ? a->braw[col] : 0.0f;
        for (int k = 0; k < I; k++) w[(1 + k) * 16 + o] = ok ? a->Wraw[k * G4 + col] : 0.0f;
        for (int k = 0; k < U; k++) w[(1 + I + k) * 16 + o] = ok ? a->Rraw[k * G4 + col] : 0.0f;
      }
  }
  const int nq = ceil_div(Up + I, 16);
  for (int q = 0; q < nq; q++) {
    float *w = a->wb + q * Gp * 16;
    for (int j = 0; j < Gp; j++) {
      const int p = j >> 4, g = (j >> 2) & 3, l = j & 3, u = 4 * p + l;
      const int col = g * U + u, ok = u < U;
      for (int c = 0; c < 16; c++) {
        const int n = 16 * q + c;
        float v = 0.0f;
        if (ok) {
          if (n < U) v = a->Rraw[n * G4 + col];
          else if (n >= Up && n < Up + I) v = a->Wraw[(n - Up) * G4 + col];
        }
        w[j * 16 + c] = v;
      }
    }
  }
}

/* Sum the weight-gradient accumulators ([1+I+U][Gp], panel-interleaved) into Keras layout. */
EXPORT(lstm_unpack) void lstm_unpack(const Args *a) {
  const int I = a->I, U = a->U, Up = a->Up, Gp = 4 * Up, G4 = 4 * U;
  for (int j = 0; j < Gp; j++) {
    const int p = j >> 4, g = (j >> 2) & 3, l = j & 3, u = 4 * p + l;
    if (u >= U) continue;
    const int col = g * U + u;
    for (int k = 0; k < 1 + I + U; k++) {
      float v = a->dw[k * Gp + j];
      if (a->nacc > 1) v += a->dw2[k * Gp + j];
      if (k == 0) {
        if (a->gb) a->gb[col] = v;
      } else if (k <= I) {
        a->gW[(k - 1) * G4 + col] = v;
      } else {
        a->gR[(k - 1 - I) * G4 + col] = v;
      }
    }
  }
}

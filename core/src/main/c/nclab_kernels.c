/*
 * nclab's native kernels for the full-batch UFM step (nclab.linalg.NativeKernels; docs/linalg.md).
 *
 * Why native: Java has no prefetch instruction. On the 2-core machine this project is measured on, the reads of H
 * and the multiply-adds of the step do not overlap when the rows are only loaded (a load that misses stalls the
 * core's window), so the step cost the products' time plus the time to read H twice. A prefetch instruction never
 * stalls: issued a few rows ahead it lets the memory reads run under the arithmetic.
 *
 * Layout (the Java side checks every range before calling): W is k rows of d doubles from x[wOff], H rows of d
 * doubles from x[hOff], all row-major; logits/coefficients are rows of k doubles. Every loop runs in a fixed order
 * (results depend only on the shapes and the ranges the caller passes, never on timing).
 *
 * The SIMD functions carry target("avx2,fma"); the file itself is compiled for plain x86-64, so that
 * NativeKernels.supported() can run (and answer false) on a processor without AVX2 or FMA.
 */
#include <jni.h>
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define SIMD __attribute__((target("avx2,fma")))
#define INLINE static inline __attribute__((always_inline))

/* Rows of H ahead of the current pair that the logits prefetch (16 KB at d = 512). */
#define ROWS_AHEAD 4
/* Doubles of H per block of the row step: about 192 KB, so a block and the one prefetched during it fit in L2. */
#define BLOCK_DOUBLES 24576

/* Releases an array taken by GetPrimitiveArrayCritical (p null: not taken); mode 0 writes back, JNI_ABORT not. */
static void releaseCritical(JNIEnv *env, jarray a, void *p, jint mode) {
    if (p) {
        (*env)->ReleasePrimitiveArrayCritical(env, a, p, mode);
    }
}

JNIEXPORT jboolean JNICALL Java_nclab_linalg_NativeKernels_supported(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? JNI_TRUE : JNI_FALSE;
}

/*
 * Whether GetPrimitiveArrayCritical gives this JVM's array itself rather than a copy. The two halves of a step write
 * disjoint rows of the same array from two threads at once: with copies, each copy written back would undo the other
 * half's rows. HotSpot's collectors give the array itself; a JVM that copies does not get the kernels.
 */
JNIEXPORT jboolean JNICALL Java_nclab_linalg_NativeKernels_criticalIsDirect(JNIEnv *env, jclass cls, jdoubleArray a) {
    (void) cls;
    jboolean copy = JNI_TRUE;
    void *p = (*env)->GetPrimitiveArrayCritical(env, a, &copy);
    if (p == 0) {
        return JNI_FALSE;
    }
    (*env)->ReleasePrimitiveArrayCritical(env, a, p, JNI_ABORT);
    return copy ? JNI_FALSE : JNI_TRUE;
}

/* Prefetches column t's cache line of the two rows from pf (the pair ROWS_AHEAD below), within [.., pfEnd). */
INLINE void prefetchPair(const double *pf, int d, long t, const double *pfEnd) {
    if (pf + t < pfEnd) {
        _mm_prefetch((const char *) (pf + t), _MM_HINT_T0);
    }
    if (pf + d + t < pfEnd) {
        _mm_prefetch((const char *) (pf + d + t), _MM_HINT_T0);
    }
}

/* Prefetches the line at pf when it lies before pfEnd; returns where the next prefetch starts. */
INLINE const double *prefetchNext(const double *pf, const double *pfEnd) {
    if (pf < pfEnd) {
        _mm_prefetch((const char *) pf, _MM_HINT_T0);
        return pf + 8;
    }
    return pf;
}

INLINE SIMD double hsum(__m256d v) {
    __m128d lo = _mm256_castpd256_pd128(v);
    __m128d hi = _mm256_extractf128_pd(v, 1);
    double a = _mm_cvtsd_f64(lo) + _mm_cvtsd_f64(_mm_unpackhi_pd(lo, lo));
    double b = _mm_cvtsd_f64(hi) + _mm_cvtsd_f64(_mm_unpackhi_pd(hi, hi));
    return a + b;
}

/*
 * Logits of R (1 or 2) rows against CW (1..5) rows of W: z[r*k + c] = h_r . w_c. With pf != 0 the same cache line
 * of the two rows from pf is prefetched every second vector. h2 (when not null) receives the rows' squared norms.
 */
INLINE SIMD void dots(int R, int CW, const double *h, int d, const double *w, long ldw, double *z, int k,
                      const double *pf, const double *pfEnd, double *h2) {
    __m256d s[2][5];
    __m256d n0 = _mm256_setzero_pd(), n1 = _mm256_setzero_pd();
    for (int r = 0; r < R; r++) {
        for (int c = 0; c < CW; c++) {
            s[r][c] = _mm256_setzero_pd();
        }
    }
    int full = d & ~3;
    for (int t = 0; t < full; t += 4) {
        if (pf && (t & 7) == 0) {
            prefetchPair(pf, d, t, pfEnd);
        }
        __m256d p = _mm256_loadu_pd(h + t);
        __m256d q = R == 2 ? _mm256_loadu_pd(h + d + t) : p;
        if (h2) {
            n0 = _mm256_fmadd_pd(p, p, n0);
            if (R == 2) {
                n1 = _mm256_fmadd_pd(q, q, n1);
            }
        }
        for (int c = 0; c < CW; c++) {
            __m256d u = _mm256_loadu_pd(w + (long) c * ldw + t);
            s[0][c] = _mm256_fmadd_pd(p, u, s[0][c]);
            if (R == 2) {
                s[1][c] = _mm256_fmadd_pd(q, u, s[1][c]);
            }
        }
    }
    for (int r = 0; r < R; r++) {
        const double *hr = h + (long) r * d;
        for (int c = 0; c < CW; c++) {
            double v = hsum(s[r][c]);
            for (int t = full; t < d; t++) {
                v = fma(hr[t], w[(long) c * ldw + t], v);
            }
            z[(long) r * k + c] = v;
        }
    }
    if (h2) {
        double a = hsum(n0), b = hsum(n1);
        for (int t = full; t < d; t++) {
            a = fma(h[t], h[t], a);
            if (R == 2) {
                b = fma(h[d + t], h[d + t], b);
            }
        }
        h2[0] += a;
        if (R == 2) {
            h2[1] += b;
        }
    }
}

/* Lanes l >= a (head) or l < a (tail) all ones, the others zero: the valid lanes of a chunk loaded from p - a. */
INLINE SIMD __m256d headLanes(int a) {
    return _mm256_castsi256_pd(_mm256_cmpgt_epi64(_mm256_set_epi64x(3, 2, 1, 0), _mm256_set1_epi64x(a - 1)));
}

INLINE SIMD __m256d tailLanes(int a) {
    return _mm256_castsi256_pd(_mm256_cmpgt_epi64(_mm256_set1_epi64x(a), _mm256_set_epi64x(3, 2, 1, 0)));
}

/* Lane r of the result is lane (r + a) mod 4 of v (a = 1, 2, 3; 0: v). */
INLINE SIMD __m256d rotateLanes(__m256d v, int a) {
    switch (a) {
        case 1: return _mm256_permute4x64_pd(v, 0x39);
        case 2: return _mm256_permute4x64_pd(v, 0x4E);
        case 3: return _mm256_permute4x64_pd(v, 0x93);
        default: return v;
    }
}

/* One chunk of dotsAligned: the loads from h + t, h + d + t and the W rows at t, masked by m when masked. */
INLINE SIMD void chunk(int R, int CW, const double *h, int d, const double *w, long ldw, long t, int masked, __m256d m,
                       __m256d s[2][5], __m256d *n0, __m256d *n1, int norms) {
    __m256d p = _mm256_load_pd(h + t);
    __m256d q = R == 2 ? _mm256_load_pd(h + d + t) : p;
    if (masked) {
        p = _mm256_and_pd(p, m);
        q = _mm256_and_pd(q, m);
    }
    if (norms) {
        *n0 = _mm256_fmadd_pd(p, p, *n0);
        if (R == 2) {
            *n1 = _mm256_fmadd_pd(q, q, *n1);
        }
    }
    for (int c = 0; c < CW; c++) {
        __m256d u = _mm256_load_pd(w + (long) c * ldw + t);
        if (masked) {
            u = _mm256_and_pd(u, m);
        }
        s[0][c] = _mm256_fmadd_pd(p, u, s[0][c]);
        if (R == 2) {
            s[1][c] = _mm256_fmadd_pd(q, u, s[1][c]);
        }
    }
}

/*
 * dots for d a multiple of 4 with h and w both a doubles past a 32-byte boundary (a = 1, 2, 3), giving dots' bits
 * with aligned loads only: the chunks start at h - a, so lane l holds the columns of residue l - a mod 4, with the
 * columns outside the row masked to +0 in the first and last chunk (a product 0 * 0 added to +0 or to a sum changes
 * no bit); the lanes are rotated back to residue order before the same horizontal sum. An aligned chunk with one
 * column of the row lies in the row's page, so the masked reads never fault. Measured: the logits 25 % faster than
 * with half the loads split across cache lines (a Java array's data is only 8-byte aligned).
 */
INLINE SIMD void dotsAligned(int R, int CW, const double *h, int d, const double *w, long ldw, double *z, int k, int a,
                             const double *pf, const double *pfEnd, double *h2) {
    __m256d s[2][5];
    __m256d n0 = _mm256_setzero_pd(), n1 = _mm256_setzero_pd();
    for (int r = 0; r < R; r++) {
        for (int c = 0; c < CW; c++) {
            s[r][c] = _mm256_setzero_pd();
        }
    }
    const double *h0 = h - a;
    const double *w0 = w - a;
    int norms = h2 != 0;
    chunk(R, CW, h0, d, w0, ldw, 0, 1, headLanes(a), s, &n0, &n1, norms);
    for (long t = 4; t < d; t += 4) {
        if (pf && (t & 7) == 0) {
            prefetchPair(pf, d, t, pfEnd);
        }
        chunk(R, CW, h0, d, w0, ldw, t, 0, n0, s, &n0, &n1, norms);
    }
    chunk(R, CW, h0, d, w0, ldw, d, 1, tailLanes(a), s, &n0, &n1, norms);
    for (int r = 0; r < R; r++) {
        for (int c = 0; c < CW; c++) {
            z[(long) r * k + c] = hsum(rotateLanes(s[r][c], a));
        }
    }
    if (norms) {
        h2[0] += hsum(rotateLanes(n0, a));
        if (R == 2) {
            h2[1] += hsum(rotateLanes(n1, a));
        }
    }
}

/* dots, or dotsAligned where the rows lie a = 1..3 doubles past a 32-byte boundary: the same bits either way. */
INLINE SIMD void dotsAt(int R, int CW, int a, const double *h, int d, const double *w, long ldw, double *z, int k,
                        const double *pf, const double *pfEnd, double *h2) {
    if (a == 0) {
        dots(R, CW, h, d, w, ldw, z, k, pf, pfEnd, h2);
    } else {
        dotsAligned(R, CW, h, d, w, ldw, z, k, a, pf, pfEnd, h2);
    }
}

/* The logits of R rows (1 or 2) against the CW (1..5) rows of W from wc. */
INLINE SIMD void classLogits(int R, int cw, const double *h, int d, const double *wc, long ldw, double *z, int k,
                             int a, const double *pf, const double *pfEnd, double *h2) {
    switch (cw) {
        case 5: dotsAt(R, 5, a, h, d, wc, ldw, z, k, pf, pfEnd, h2); break;
        case 4: dotsAt(R, 4, a, h, d, wc, ldw, z, k, pf, pfEnd, h2); break;
        case 3: dotsAt(R, 3, a, h, d, wc, ldw, z, k, pf, pfEnd, h2); break;
        case 2: dotsAt(R, 2, a, h, d, wc, ldw, z, k, pf, pfEnd, h2); break;
        default: dotsAt(R, 1, a, h, d, wc, ldw, z, k, pf, pfEnd, h2); break;
    }
}

/*
 * z = H W^T for rows of H (rows x d) and W (k x d); returns the sum of the rows' squared norms. Rows in chunks of
 * about BLOCK_DOUBLES doubles (an even number of rows); within a chunk, classes five at a time, each over all the
 * chunk's row pairs, so those five rows of W stay in L1 while the chunk's rows come from L2: row pair by row pair
 * over all classes, the whole of W (40 KB at k = 10, d = 512) came from L2 for each pair, and the logits were bound
 * by that traffic. The first five classes gather h2 and prefetch ROWS_AHEAD rows ahead. Each z entry and each row's
 * norm is the same chain as row by row, so the bits do not depend on the chunks.
 */
static SIMD double logits(const double *h, long rows, int d, const double *w, long ldw, int k, double *z) {
    const double *end = h + rows * d;
    double h2[2] = {0, 0};
    /* dotsAligned where every row of H and W lies a doubles past a 32-byte boundary (the same a for all) */
    int a = (int) (((uintptr_t) h >> 3) & 3);
    if (d % 4 != 0 || a != (int) (((uintptr_t) w >> 3) & 3) || ((uintptr_t) h & 7) != 0) {
        a = 0;
    }
    long chunk = (BLOCK_DOUBLES / d) & ~1L;
    if (chunk < 2) {
        chunk = 2;
    }
    for (long i0 = 0; i0 < rows; i0 += chunk) {
        long i1 = rows - i0 < chunk ? rows : i0 + chunk;
        for (int c = 0; c < k;) {
            int cw = k - c >= 5 ? 5 : k - c;
            const double *wc = w + (long) c * ldw;
            double *n = c == 0 ? h2 : 0;
            long i = i0;
            for (; i + 1 < i1; i += 2) {
                const double *row = h + i * d;
                classLogits(2, cw, row, d, wc, ldw, z + i * k + c, k, a, c == 0 ? row + (long) ROWS_AHEAD * d : 0,
                            end, n);
            }
            if (i < i1) {
                classLogits(1, cw, h + i * d, d, wc, ldw, z + i * k + c, k, a, 0, end, n);
            }
            c += cw;
        }
    }
    return h2[0] + h2[1];
}

/*
 * acc[c*d + j] += sum over the rows r of g[r*k + c] * h_r[j], for CW classes from c0 and the 8 (V = 2) or 4 (V = 1)
 * columns from j; one cache line of pf (up to pfEnd) prefetched per row.
 */
INLINE SIMD const double *gradTile(int CW, int V, const double *g, int k, int c0, const double *h, long rows, int d,
                                   int j, double *acc, const double *pf, const double *pfEnd) {
    __m256d a[5][2];
    for (int c = 0; c < CW; c++) {
        a[c][0] = _mm256_setzero_pd();
        a[c][1] = _mm256_setzero_pd();
    }
    for (long r = 0; r < rows; r++) {
        pf = prefetchNext(pf, pfEnd);
        const double *hr = h + r * d + j;
        __m256d x0 = _mm256_loadu_pd(hr);
        __m256d x1 = V == 2 ? _mm256_loadu_pd(hr + 4) : x0;
        for (int c = 0; c < CW; c++) {
            __m256d b = _mm256_broadcast_sd(g + r * k + c0 + c);
            a[c][0] = _mm256_fmadd_pd(b, x0, a[c][0]);
            if (V == 2) {
                a[c][1] = _mm256_fmadd_pd(b, x1, a[c][1]);
            }
        }
    }
    for (int c = 0; c < CW; c++) {
        double *o = acc + (long) (c0 + c) * d + j;
        _mm256_storeu_pd(o, _mm256_add_pd(_mm256_loadu_pd(o), a[c][0]));
        if (V == 2) {
            _mm256_storeu_pd(o + 4, _mm256_add_pd(_mm256_loadu_pd(o + 4), a[c][1]));
        }
    }
    return pf;
}

/* gradTile for two columns (128-bit vectors): the same chains, for the columns left beside the 64-byte cuts. */
INLINE SIMD const double *gradTile2(int CW, const double *g, int k, int c0, const double *h, long rows, int d, int j,
                                    double *acc, const double *pf, const double *pfEnd) {
    __m128d a[5];
    for (int c = 0; c < CW; c++) {
        a[c] = _mm_setzero_pd();
    }
    for (long r = 0; r < rows; r++) {
        pf = prefetchNext(pf, pfEnd);
        __m128d x0 = _mm_loadu_pd(h + r * d + j);
        for (int c = 0; c < CW; c++) {
            a[c] = _mm_fmadd_pd(_mm_set1_pd(g[r * k + c0 + c]), x0, a[c]);
        }
    }
    for (int c = 0; c < CW; c++) {
        double *o = acc + (long) (c0 + c) * d + j;
        _mm_storeu_pd(o, _mm_add_pd(_mm_loadu_pd(o), a[c]));
    }
    return pf;
}

/* gradTile for one column: CW independent scalar chains (one chain at a time would wait on each fma's latency). */
INLINE SIMD const double *gradTile1(int CW, const double *g, int k, int c0, const double *h, long rows, int d, int j,
                                    double *acc, const double *pf, const double *pfEnd) {
    double a[5] = {0, 0, 0, 0, 0};
    for (long r = 0; r < rows; r++) {
        pf = prefetchNext(pf, pfEnd);
        double x = h[r * d + j];
        for (int c = 0; c < CW; c++) {
            a[c] = fma(g[r * k + c0 + c], x, a[c]);
        }
    }
    for (int c = 0; c < CW; c++) {
        acc[(long) (c0 + c) * d + j] += a[c];
    }
    return pf;
}

/* The tile of CW classes over VK (8, 4, 2 or 1) columns from j. */
INLINE SIMD const double *gradTileOf(int CW, int VK, const double *g, int k, int c0, const double *h, long rows,
                                     int d, int j, double *acc, const double *pf, const double *pfEnd) {
    switch (VK) {
        case 8: return gradTile(CW, 2, g, k, c0, h, rows, d, j, acc, pf, pfEnd);
        case 4: return gradTile(CW, 1, g, k, c0, h, rows, d, j, acc, pf, pfEnd);
        case 2: return gradTile2(CW, g, k, c0, h, rows, d, j, acc, pf, pfEnd);
        default: return gradTile1(CW, g, k, c0, h, rows, d, j, acc, pf, pfEnd);
    }
}

/* All k classes, five at a time, over VK columns from j. */
INLINE SIMD const double *gradColumns(int VK, const double *g, int k, const double *h, long rows, int d, int j,
                                      double *acc, const double *pf, const double *pfEnd) {
    for (int c = 0; c < k;) {
        int cw = k - c >= 5 ? 5 : k - c;
        switch (cw) {
            case 5: pf = gradTileOf(5, VK, g, k, c, h, rows, d, j, acc, pf, pfEnd); break;
            case 4: pf = gradTileOf(4, VK, g, k, c, h, rows, d, j, acc, pf, pfEnd); break;
            case 3: pf = gradTileOf(3, VK, g, k, c, h, rows, d, j, acc, pf, pfEnd); break;
            case 2: pf = gradTileOf(2, VK, g, k, c, h, rows, d, j, acc, pf, pfEnd); break;
            default: pf = gradTileOf(1, VK, g, k, c, h, rows, d, j, acc, pf, pfEnd); break;
        }
        c += cw;
    }
    return pf;
}

/*
 * Columns [ja, jb) of acc += G^T H: eight at a time, then four, two, one. Each entry is the same chain (fused
 * multiply-adds over the rows in order from 0, then one add into acc) whichever way the columns are cut.
 */
static SIMD const double *gradRange(const double *g, int k, const double *h, long rows, int d, int ja, int jb,
                                    double *acc, const double *pf, const double *pfEnd) {
    int j = ja;
    for (; j + 8 <= jb; j += 8) {
        pf = gradColumns(8, g, k, h, rows, d, j, acc, pf, pfEnd);
    }
    if (j + 4 <= jb) {
        pf = gradColumns(4, g, k, h, rows, d, j, acc, pf, pfEnd);
        j += 4;
    }
    if (j + 2 <= jb) {
        pf = gradColumns(2, g, k, h, rows, d, j, acc, pf, pfEnd);
        j += 2;
    }
    if (j < jb) {
        pf = gradColumns(1, g, k, h, rows, d, j, acc, pf, pfEnd);
    }
    return pf;
}

/*
 * Columns before the first 64-byte boundary of h's first row: an eight-column tile that starts on a cache line
 * touches one line per row instead of two (measured: the row step 1.4x faster than with the rows 16 bytes past a line).
 * The cut changes no bits (see gradRange and stepRange), so the results do not depend on where the array lies.
 */
static int columnsToLine(const double *h, int d) {
    int head = (int) ((8 - (((uintptr_t) h >> 3) & 7)) & 7);
    return head < d ? head : d;
}

/* acc += G^T H over a block of rows (G rows x k, H rows x d), prefetching [pf, pfEnd) on the way. */
static SIMD void gradBlock(const double *g, int k, const double *h, long rows, int d, double *acc, const double *pf,
                           const double *pfEnd) {
    int head = columnsToLine(h, d);
    pf = gradRange(g, k, h, rows, d, 0, head, acc, pf, pfEnd);
    pf = gradRange(g, k, h, rows, d, head, d, acc, pf, pfEnd);
    for (; pf < pfEnd; pf += 8) {
        _mm_prefetch((const char *) pf, _MM_HINT_T0);
    }
}

/* h_r <- P(keep*h_r + alpha * sum_c g[r*k + c] w_c) for R (1..6) rows and the 8 (V = 2) or 4 columns from j. */
INLINE SIMD void stepTile(int R, int V, const double *g, int k, double *h, int d, int j, const double *w, long ldw,
                          double alpha, double keep, int clamp) {
    __m256d s[6][2];
    for (int r = 0; r < R; r++) {
        s[r][0] = _mm256_setzero_pd();
        s[r][1] = _mm256_setzero_pd();
    }
    for (int c = 0; c < k; c++) {
        __m256d w0 = _mm256_loadu_pd(w + (long) c * ldw + j);
        __m256d w1 = V == 2 ? _mm256_loadu_pd(w + (long) c * ldw + j + 4) : w0;
        for (int r = 0; r < R; r++) {
            __m256d b = _mm256_broadcast_sd(g + (long) r * k + c);
            s[r][0] = _mm256_fmadd_pd(b, w0, s[r][0]);
            if (V == 2) {
                s[r][1] = _mm256_fmadd_pd(b, w1, s[r][1]);
            }
        }
    }
    __m256d kp = _mm256_set1_pd(keep), al = _mm256_set1_pd(alpha), zero = _mm256_setzero_pd();
    for (int r = 0; r < R; r++) {
        for (int v = 0; v < V; v++) {
            double *o = h + (long) r * d + j + 4 * v;
            __m256d y = _mm256_fmadd_pd(al, s[r][v], _mm256_mul_pd(kp, _mm256_loadu_pd(o)));
            if (clamp) { /* y < 0 ? 0 : y, as the Java projection (max would also turn -0 and NaN into +0) */
                y = _mm256_blendv_pd(y, zero, _mm256_cmp_pd(y, zero, _CMP_LT_OQ));
            }
            _mm256_storeu_pd(o, y);
        }
    }
}

/* stepTile for two columns (128-bit vectors). */
INLINE SIMD void stepTile2(int R, const double *g, int k, double *h, int d, int j, const double *w, long ldw,
                           double alpha, double keep, int clamp) {
    __m128d s[6];
    for (int r = 0; r < R; r++) {
        s[r] = _mm_setzero_pd();
    }
    for (int c = 0; c < k; c++) {
        __m128d w0 = _mm_loadu_pd(w + (long) c * ldw + j);
        for (int r = 0; r < R; r++) {
            s[r] = _mm_fmadd_pd(_mm_set1_pd(g[(long) r * k + c]), w0, s[r]);
        }
    }
    __m128d kp = _mm_set1_pd(keep), al = _mm_set1_pd(alpha), zero = _mm_setzero_pd();
    for (int r = 0; r < R; r++) {
        double *o = h + (long) r * d + j;
        __m128d y = _mm_fmadd_pd(al, s[r], _mm_mul_pd(kp, _mm_loadu_pd(o)));
        if (clamp) {
            y = _mm_blendv_pd(y, zero, _mm_cmp_pd(y, zero, _CMP_LT_OQ));
        }
        _mm_storeu_pd(o, y);
    }
}

/* stepTile for one column: R independent scalar chains. */
INLINE SIMD void stepTile1(int R, const double *g, int k, double *h, int d, int j, const double *w, long ldw,
                           double alpha, double keep, int clamp) {
    double s[6] = {0, 0, 0, 0, 0, 0};
    for (int c = 0; c < k; c++) {
        double wc = w[(long) c * ldw + j];
        for (int r = 0; r < R; r++) {
            s[r] = fma(g[(long) r * k + c], wc, s[r]);
        }
    }
    for (int r = 0; r < R; r++) {
        double *o = h + (long) r * d + j;
        double y = fma(alpha, s[r], keep * *o);
        *o = clamp && y < 0 ? 0 : y;
    }
}

/*
 * Columns [ja, jb) of R rows' step: eight at a time, then four, two, one; each entry is the same chain (fused
 * multiply-adds over the classes in order from 0, then alpha*s + keep*h fused) whichever way they are cut.
 */
INLINE SIMD void stepRange(int R, const double *g, int k, double *h, int d, int ja, int jb, const double *w, long ldw,
                           double alpha, double keep, int clamp) {
    int j = ja;
    for (; j + 8 <= jb; j += 8) {
        stepTile(R, 2, g, k, h, d, j, w, ldw, alpha, keep, clamp);
    }
    if (j + 4 <= jb) {
        stepTile(R, 1, g, k, h, d, j, w, ldw, alpha, keep, clamp);
        j += 4;
    }
    if (j + 2 <= jb) {
        stepTile2(R, g, k, h, d, j, w, ldw, alpha, keep, clamp);
        j += 2;
    }
    if (j < jb) {
        stepTile1(R, g, k, h, d, j, w, ldw, alpha, keep, clamp);
    }
}

INLINE SIMD void stepRowsOfTile(int R, const double *g, int k, double *h, int d, int head, const double *w, long ldw,
                                double alpha, double keep, int clamp) {
    stepRange(R, g, k, h, d, 0, head, w, ldw, alpha, keep, clamp);
    stepRange(R, g, k, h, d, head, d, w, ldw, alpha, keep, clamp);
}

/* The row step of a block: six rows at a time, then the rest one at a time. */
static SIMD void stepBlock(const double *g, int k, double *h, long rows, int d, const double *w, long ldw,
                           double alpha, double keep, int clamp) {
    int head = columnsToLine(h, d);
    long r = 0;
    for (; r + 6 <= rows; r += 6) {
        stepRowsOfTile(6, g + r * k, k, h + r * d, d, head, w, ldw, alpha, keep, clamp);
    }
    for (; r < rows; r++) {
        stepRowsOfTile(1, g + r * k, k, h + r * d, d, head, w, ldw, alpha, keep, clamp);
    }
}

/* Rows of H per block of stepRows and onePassBlocks (NativeKernels.blockRows on the Java side). */
INLINE long rowsPerBlock(int d) {
    return BLOCK_DOUBLES / d > 0 ? BLOCK_DOUBLES / d : 1;
}

/*
 * Block by block from the last: acc += G_blk^T H_blk (old rows, the block before prefetched), then the block's rows
 * stepped in place. From the last block because the logits pass that precedes it ends there: the blocks it read
 * last are still in L2 and L3 (measured: the step's median 8-10 % faster than walking the blocks forward again).
 * The first block prefetches the `ahead` rows before h (the block a one-pass caller takes next; 0: none).
 */
static SIMD void stepRows(const double *g, double *h, long rows, int d, const double *w, long ldw, int k,
                          double alpha, double keep, int clamp, double *acc, long ahead) {
    long block = rowsPerBlock(d);
    long blocks = (rows + block - 1) / block;
    for (long b = blocks - 1; b >= 0; b--) {
        long r0 = b * block;
        long n = rows - r0 < block ? rows - r0 : block;
        double *hb = h + r0 * d;
        const double *prev = b > 0 ? hb - block * d : hb - ahead * d;
        gradBlock(g + r0 * k, k, hb, n, d, acc, prev, hb);
        stepBlock(g + r0 * k, k, hb, n, d, w, ldw, alpha, keep, clamp);
    }
}

/*
 * W (k rows of d doubles from w) copied into *buf with its rows WEIGHT_PAD doubles further apart (*ldw = d +
 * WEIGHT_PAD), the copy starting 2048 bytes past h modulo 4096: the same 32-byte alignment as H's rows (dotsAligned)
 * and the same place in a cache line, half an L1 way away from H's lines. Why: in x, W's rows lie d doubles apart
 * and right before H, so at d a multiple of 512 the ten rows of W and all rows of H fall into one L1 set at each
 * column, more lines than its eight ways, and the logits and the row step reloaded W from L2 (measured at (512, 10,
 * 5000): the one-pass step 7-10 % faster with the copy). The values are copied, not changed: every product keeps its
 * bits. Returns w itself, with *ldw = d and *buf = 0, when no memory is left. Free *buf after use.
 */
#define WEIGHT_PAD 8
static const double *paddedWeights(const double *w, int k, int d, const double *h, long *ldw, void **buf) {
    long stride = (long) d + WEIGHT_PAD;
    char *raw = malloc((size_t) k * stride * sizeof(double) + 4096);
    *buf = raw;
    if (raw == 0) {
        *ldw = d;
        return w;
    }
    uintptr_t target = ((uintptr_t) h + 2048) & 4095;
    double *copy = (double *) (raw + ((target - ((uintptr_t) raw & 4095)) & 4095));
    for (int c = 0; c < k; c++) {
        for (int j = 0; j < d; j++) {
            copy[(long) c * stride + j] = w[(long) c * d + j];
        }
    }
    *ldw = stride;
    return copy;
}

/*
 * e^x for x <= 0 (NaN kept, below EXP_FLOOR 0): the operations of nclab.linalg.VectorRowKernels.expNonPositive and
 * exp1, constant for constant, so that the native softmax gives the Java softmax's probabilities bit for bit.
 */
#define EXP_LOG2E 1.4426950408889634
#define EXP_MAGIC 6755399441055744.0
#define EXP_FLOOR (-708.0)
#define EXP_LN2_HI 6.93147180369123816490e-01
#define EXP_LN2_LO 1.90821492927058770002e-10
static const double EXP_COEF[14] = {1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040,
                                    1.0 / 40320, 1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600,
                                    1.0 / 6227020800.0};

INLINE SIMD __m256d expVector(__m256d x) {
    const __m256d magic = _mm256_set1_pd(EXP_MAGIC), floor = _mm256_set1_pd(EXP_FLOOR);
    __m256d xc = _mm256_max_pd(x, floor);
    __m256d t = _mm256_fmadd_pd(xc, _mm256_set1_pd(EXP_LOG2E), magic);
    __m256d n = _mm256_sub_pd(t, magic);
    __m256d r = _mm256_fmadd_pd(n, _mm256_set1_pd(-EXP_LN2_HI), xc);
    r = _mm256_fmadd_pd(n, _mm256_set1_pd(-EXP_LN2_LO), r);
    __m256d p = _mm256_fmadd_pd(_mm256_set1_pd(EXP_COEF[13]), r, _mm256_set1_pd(EXP_COEF[12]));
    for (int q = 11; q >= 0; q--) {
        p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(EXP_COEF[q]));
    }
    __m256i scale = _mm256_slli_epi64(_mm256_sub_epi64(_mm256_castpd_si256(t), _mm256_castpd_si256(magic)), 52);
    __m256d e = _mm256_castsi256_pd(_mm256_add_epi64(_mm256_castpd_si256(p), scale));
    e = _mm256_blendv_pd(e, _mm256_setzero_pd(), _mm256_cmp_pd(x, floor, _CMP_LT_OQ));
    return _mm256_blendv_pd(e, x, _mm256_cmp_pd(x, x, _CMP_UNORD_Q));
}

static SIMD double expScalar(double x) {
    if (x != x) {
        return x;
    }
    if (x < EXP_FLOOR) {
        return 0.0;
    }
    double t = fma(x, EXP_LOG2E, EXP_MAGIC);
    double n = t - EXP_MAGIC;
    double r = fma(n, -EXP_LN2_HI, x);
    r = fma(n, -EXP_LN2_LO, r);
    double p = fma(EXP_COEF[13], r, EXP_COEF[12]);
    for (int q = 11; q >= 0; q--) {
        p = fma(p, r, EXP_COEF[q]);
    }
    union { double d; int64_t i; } tb = {t}, mb = {EXP_MAGIC}, pb = {p};
    pb.i += (int64_t) ((uint64_t) (tb.i - mb.i) << 52);
    return pb.d;
}

/*
 * The softmax of nclab.model.UfmSgdKernel, natively: rows of k logits in z (bias b added when b != 0) become
 * scale * (softmax - e_y); returns sum over the rows of CE = log sum_c e^(z_c - max) - (z_y - max). Same three passes
 * and order as the Java code (shift by the row maximum, exponentiate all rows, normalise; the log of the product of
 * up to 16 row sums at a time), so the probabilities are its bits; the log is the C library's.
 */
static SIMD double softmaxRows(double *z, long rows, int k, const double *b, const int *labels, double scale) {
    double ce = 0;
    for (long t = 0; t < rows; t++) {
        double *o = z + t * k;
        double max = -INFINITY;
        for (int c = 0; c < k; c++) {
            double v = b ? o[c] + b[c] : o[c];
            o[c] = v;
            if (v > max) {
                max = v;
            }
        }
        for (int c = 0; c < k; c++) {
            o[c] -= max;
        }
        ce -= o[labels[t]];
    }
    long all = rows * k, j = 0;
    for (; j + 4 <= all; j += 4) {
        _mm256_storeu_pd(z + j, expVector(_mm256_loadu_pd(z + j)));
    }
    for (; j < all; j++) {
        z[j] = expScalar(z[j]);
    }
    double product = 1;
    for (long t = 0; t < rows; t++) {
        double *o = z + t * k;
        double sum = 0;
        for (int c = 0; c < k; c++) {
            sum += o[c];
        }
        product *= sum;
        if ((t & 15) == 15 || t == rows - 1) {
            ce += log(product);
            product = 1;
        }
        double inv = scale / sum;
        for (int c = 0; c < k; c++) {
            o[c] *= inv;
        }
        o[labels[t]] -= scale;
    }
    return ce;
}

/*
 * The one-pass step over rows [0, rows) of H, block by block (as stepRows) from the last: the block's logits into
 * its rows of g and Σ‖h‖² into blockH2[i], its softmax (softmaxRows) and Σ CE into blockCe[i], then its ∇W share
 * into acc and its rows stepped (stepRows, prefetching the block taken next). Each block sees exactly the calls a
 * caller making them one block at a time makes, so the bits are the same.
 */
static SIMD void onePassBlocks(double *g, double *h, long rows, int d, const double *w, long ldw, int k,
                               const double *b, const int *labels, double scale, double alpha, double keep, int clamp,
                               double *acc, double *blockH2, double *blockCe) {
    long block = rowsPerBlock(d);
    long blocks = (rows + block - 1) / block;
    for (long i = blocks - 1; i >= 0; i--) {
        long r0 = i * block;
        long n = rows - r0 < block ? rows - r0 : block;
        double *gb = g + r0 * k;
        double *hb = h + r0 * d;
        blockH2[i] = logits(hb, n, d, w, ldw, k, gb);
        blockCe[i] = softmaxRows(gb, n, k, b, labels + r0, scale);
        stepRows(gb, hb, n, d, w, ldw, k, alpha, keep, clamp, acc, i > 0 ? block : 0);
    }
}

JNIEXPORT jdouble JNICALL Java_nclab_linalg_NativeKernels_softmax0(JNIEnv *env, jclass cls, jdoubleArray z, jint zOff,
                                                                   jint rows, jint k, jdoubleArray x, jint bOff,
                                                                   jintArray labels, jint lOff, jdouble scale) {
    (void) cls;
    double *zs = (*env)->GetPrimitiveArrayCritical(env, z, 0);
    double *xs = bOff >= 0 ? (*env)->GetPrimitiveArrayCritical(env, x, 0) : 0;
    int *ls = (*env)->GetPrimitiveArrayCritical(env, labels, 0);
    double ce = 0;
    if (zs && ls && (bOff < 0 || xs)) {
        ce = softmaxRows(zs + zOff, rows, k, bOff >= 0 ? xs + bOff : 0, ls + lOff, scale);
    }
    releaseCritical(env, labels, ls, JNI_ABORT);
    releaseCritical(env, x, xs, JNI_ABORT);
    releaseCritical(env, z, zs, 0);
    return ce;
}

JNIEXPORT jdouble JNICALL Java_nclab_linalg_NativeKernels_logits0(JNIEnv *env, jclass cls, jdoubleArray x, jint wOff,
                                                                  jint hOff, jint rows, jint k, jint d, jdoubleArray z,
                                                                  jint zOff) {
    (void) cls;
    double *xs = (*env)->GetPrimitiveArrayCritical(env, x, 0);
    double *zs = (*env)->GetPrimitiveArrayCritical(env, z, 0);
    double h2 = 0;
    if (xs && zs) {
        h2 = logits(xs + hOff, rows, d, xs + wOff, d, k, zs + zOff);
    }
    releaseCritical(env, z, zs, 0);
    releaseCritical(env, x, xs, JNI_ABORT); /* x only read */
    return h2;
}

JNIEXPORT void JNICALL Java_nclab_linalg_NativeKernels_stepRows0(JNIEnv *env, jclass cls, jdoubleArray g, jint gOff,
                                                                 jdoubleArray x, jint wOff, jint hOff, jint rows,
                                                                 jint k, jint d, jdouble alpha, jdouble keep,
                                                                 jboolean clamp, jdoubleArray acc, jint accOff,
                                                                 jint ahead) {
    (void) cls;
    double *gs = (*env)->GetPrimitiveArrayCritical(env, g, 0);
    double *xs = (*env)->GetPrimitiveArrayCritical(env, x, 0);
    double *as = (*env)->GetPrimitiveArrayCritical(env, acc, 0);
    if (gs && xs && as) {
        void *buf;
        long ldw;
        const double *w = paddedWeights(xs + wOff, k, d, xs + hOff, &ldw, &buf);
        stepRows(gs + gOff, xs + hOff, rows, d, w, ldw, k, alpha, keep, clamp == JNI_TRUE, as + accOff, ahead);
        free(buf);
    }
    releaseCritical(env, acc, as, 0);
    releaseCritical(env, x, xs, 0);
    releaseCritical(env, g, gs, JNI_ABORT);
}

JNIEXPORT void JNICALL Java_nclab_linalg_NativeKernels_onePassBlocks0(JNIEnv *env, jclass cls, jdoubleArray g,
                                                                     jint gOff, jdoubleArray x, jint wOff, jint bOff,
                                                                     jint hOff, jint rows, jint k, jint d,
                                                                     jintArray labels, jint lOff, jdouble scale,
                                                                     jdouble alpha, jdouble keep, jboolean clamp,
                                                                     jdoubleArray acc, jint accOff,
                                                                     jdoubleArray blockH2, jdoubleArray blockCe,
                                                                     jint blockOff) {
    (void) cls;
    double *gs = (*env)->GetPrimitiveArrayCritical(env, g, 0);
    double *xs = (*env)->GetPrimitiveArrayCritical(env, x, 0);
    int *ls = (*env)->GetPrimitiveArrayCritical(env, labels, 0);
    double *as = (*env)->GetPrimitiveArrayCritical(env, acc, 0);
    double *hs = (*env)->GetPrimitiveArrayCritical(env, blockH2, 0);
    double *cs = (*env)->GetPrimitiveArrayCritical(env, blockCe, 0);
    if (gs && xs && ls && as && hs && cs) {
        void *buf;
        long ldw;
        const double *w = paddedWeights(xs + wOff, k, d, xs + hOff, &ldw, &buf);
        onePassBlocks(gs + gOff, xs + hOff, rows, d, w, ldw, k, bOff >= 0 ? xs + bOff : 0, ls + lOff, scale, alpha,
                      keep, clamp == JNI_TRUE, as + accOff, hs + blockOff, cs + blockOff);
        free(buf);
    }
    releaseCritical(env, blockCe, cs, 0);
    releaseCritical(env, blockH2, hs, 0);
    releaseCritical(env, acc, as, 0);
    releaseCritical(env, labels, ls, JNI_ABORT);
    releaseCritical(env, x, xs, 0);
    releaseCritical(env, g, gs, 0);
}

/*
 * The register-only peak of fused multiply-adds on one and on two threads (docs/linalg.md, issue 3's floor figure):
 * twelve independent chains of 256-bit FMAs per thread, enough to keep both FMA pipes of a core busy whatever their
 * latency. Prints the rate in double-precision multiply-adds per second and the time the full-batch step's 79.4 M
 * multiply-adds at (d, K, N) = (512, 10, 5000) would take at that rate. Built and run by bench/fma_peak.sh.
 */
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

#define F(a) a = _mm256_fmadd_pd(a, m, c)

__attribute__((target("avx2,fma"))) static double chains(long iters) {
    __m256d m = _mm256_set1_pd(0.999999), c = _mm256_set1_pd(1e-9);
    __m256d a0 = _mm256_set1_pd(1), a1 = _mm256_set1_pd(2), a2 = _mm256_set1_pd(3), a3 = _mm256_set1_pd(4);
    __m256d a4 = _mm256_set1_pd(5), a5 = _mm256_set1_pd(6), a6 = _mm256_set1_pd(7), a7 = _mm256_set1_pd(8);
    __m256d a8 = _mm256_set1_pd(9), a9 = _mm256_set1_pd(10), a10 = _mm256_set1_pd(11), a11 = _mm256_set1_pd(12);
    for (long k = 0; k < iters; k++) {
        F(a0); F(a1); F(a2); F(a3); F(a4); F(a5); F(a6); F(a7); F(a8); F(a9); F(a10); F(a11);
    }
    __m256d s = _mm256_add_pd(_mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3)),
                              _mm256_add_pd(_mm256_add_pd(a4, a5), _mm256_add_pd(a6, a7)));
    s = _mm256_add_pd(s, _mm256_add_pd(_mm256_add_pd(a8, a9), _mm256_add_pd(a10, a11)));
    double v[4];
    _mm256_storeu_pd(v, s);
    return v[0] + v[1] + v[2] + v[3];
}

int main(void) {
    const long iters = 20000000;
    const double stepFmas = 79.4e6;
    for (int threads = 1; threads <= 2; threads++) {
        double best = 1e9;
        for (int round = 0; round < 7; round++) {
            double start = now(), sum = 0;
#pragma omp parallel num_threads(threads) reduction(+ : sum)
            sum += chains(iters);
            double elapsed = now() - start;
            best = elapsed < best ? elapsed : best;
            if (sum == 42) {
                printf("(never)\n");
            }
        }
        double rate = threads * iters * 12.0 * 4 / best;
        printf("%d thread%s: %.1f G multiply-adds/s; the (512, 10, 5000) step's 79.4 M: %.2f ms at this rate\n",
               threads, threads == 1 ? " " : "s", rate / 1e9, stepFmas / rate * 1e3);
    }
    return 0;
}

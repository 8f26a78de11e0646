package nclab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import nclab.data.ClassSizes;
import nclab.linalg.Linalg;
import nclab.linalg.Svd;
import nclab.metrics.GeometryDistance;
import nclab.model.UfmObjective;
import nclab.theory.ClassGeometry;
import nclab.theory.Etf;
import nclab.theory.ReluUfmGeometry;
import nclab.theory.SeliGeometry;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The optimisers, run from random initialisations, land on what the theory predicts. */
class UfmSolverTheoryTest {
    private static double[] gd(UfmObjective f, long seed, double lr, int steps) {
        double[] x = f.initialPoint(new SplittableRandom(seed));
        GradientDescent gd = new GradientDescent(f, LearningRateSchedule.constant(lr));
        for (int t = 0; t < steps; t++) {
            gd.step(x);
        }
        return x;
    }

    /** Class means (K×d) of the feature rows. */
    private static double[][] classMeans(UfmObjective f, double[] x) {
        int k = f.sizes().k();
        int d = f.dimension();
        double[][] m = new double[k][d];
        for (int i = 0; i < f.samples(); i++) {
            int c = f.label(i);
            for (int j = 0; j < d; j++) {
                m[c][j] += x[f.sampleOffset(i) + j] / f.sizes().count(c);
            }
        }
        return m;
    }

    /** max over samples of ‖h_i − μ_{y_i}‖. */
    private static double withinClassSpread(UfmObjective f, double[] x) {
        double[][] m = classMeans(f, x);
        double worst = 0;
        for (int i = 0; i < f.samples(); i++) {
            double s = 0;
            for (int j = 0; j < f.dimension(); j++) {
                double e = x[f.sampleOffset(i) + j] - m[f.label(i)][j];
                s += e * e;
            }
            worst = Math.max(worst, Math.sqrt(s));
        }
        return worst;
    }

    private static ClassGeometry geometry(UfmObjective f, double[] x) {
        return ClassGeometry.fromVectors(f.layout().get(x, "W"), classMeans(f, x));
    }

    /**
     * Balanced regularised UFM: the global minimiser is a simplex ETF (seed 001 Cor. 1; Zhu et al. 2021)
     * whose scale solves a 1-D problem derived here independently: with ‖w_k‖ = a, ‖h_i‖ = c and ETF angles
     * the margin is p·K/(K−1) for p = ac, and minimising λ_W K a² + λ_H N c² at fixed p gives
     * g(p) = log(1 + (K−1)e^{−pK/(K−1)}) + p·√(λ_Wλ_H K N), convex in p; then a² = p√(λ_H N/(λ_W K)).
     */
    @Test
    void balancedRidgeUfmReachesTheEtfWithTheOptimalNorms() {
        int k = 4;
        ClassSizes sizes = ClassSizes.balanced(k, 8);
        double lw = 5e-3;
        double lh = 2e-3;
        UfmObjective f = new UfmObjective(sizes, 6, lw, lh, false, false);
        double[] x = gd(f, 1, 1.0, 20_000);
        int n = 32;
        double rate = Math.sqrt(lw * lh * k * n);
        // bisection on g'(p) = −K e^{−pK/(K−1)} / (1 + (K−1)e^{−pK/(K−1)}) + rate
        double lo = 0;
        double hi = 100;
        for (int it = 0; it < 200; it++) {
            double p = 0.5 * (lo + hi);
            double e = Math.exp(-p * k / (k - 1.0));
            if (-k * e / (1 + (k - 1) * e) + rate < 0) {
                lo = p;
            } else {
                hi = p;
            }
        }
        double p = 0.5 * (lo + hi);
        double fStar = Math.log1p((k - 1) * Math.exp(-p * k / (k - 1.0))) + p * rate;
        double w2 = p * Math.sqrt(lh * n / (lw * k));
        double h2 = p * Math.sqrt(lw * k / (lh * n));
        ClassGeometry g = geometry(f, x);
        assertEquals(fStar, f.value(x), 1e-10);
        for (int c = 0; c < k; c++) {
            assertEquals(w2, g.classifierGram()[c][c], 1e-7 * w2);
            assertEquals(h2, g.meanGram()[c][c], 1e-7 * h2);
            for (int j = 0; j < k; j++) {
                if (j != c) {
                    assertEquals(-1.0 / (k - 1), g.classifierCosines()[c][j], 1e-7);
                    assertEquals(-1.0 / (k - 1), g.meanCosines()[c][j], 1e-7);
                }
            }
        }
        assertTrue(withinClassSpread(f, x) < 1e-7);
        GeometryDistance.Distances etf = GeometryDistance.Distances.between(g, Etf.of(sizes).geometry());
        assertTrue(etf.classifier() < 1e-7 && etf.embedding() < 1e-7 && etf.logits() < 1e-7, etf.toString());
    }

    /**
     * Seed 001 reference point P1 (pitfalls.md): n = [100,100,20,20], λ_W = λ_H = 1e−3, d = 8, init scale
     * 1.0, projected GD with lr 1 reaches Theorem 1's global minimiser ({@link ReluUfmGeometry}).
     */
    @Test
    void nonNegativeUfmReachesTheoremOneOfSeed001() {
        ClassSizes sizes = ClassSizes.of(100, 100, 20, 20);
        UfmObjective f = new UfmObjective(sizes, 8, 1e-3, 1e-3, false, true);
        ReluUfmGeometry theory = ReluUfmGeometry.of(sizes, 1e-3, 1e-3);
        double[] x = gd(f, 0, 1.0, 60_000);
        double[][] m = classMeans(f, x);
        double[][] w = f.layout().get(x, "W");
        assertEquals(theory.objective(), f.value(x), 1e-9);
        double[] h2 = theory.featureNormsSquared();
        double[] mk = theory.m();
        for (int c = 0; c < 4; c++) {
            double norm2 = 0;
            for (double v : m[c]) {
                norm2 += v * v;
            }
            assertEquals(h2[c], norm2, 1e-8, "‖h_k‖² (eq. 9) of class " + c);
            for (int l = 0; l < 4; l++) {
                double logit = 0;
                double dot = 0;
                for (int j = 0; j < 8; j++) {
                    logit += w[l][j] * m[c][j];
                    dot += m[l][j] * m[c][j];
                }
                assertEquals(l == c ? 3 * mk[c] / 4 : -mk[c] / 4, logit, 1e-8, "logit (eqs. 11-12) " + l + "," + c);
                if (l != c) {
                    assertEquals(0.0, dot, 1e-10, "orthogonal means (Thm 1b)");
                }
            }
        }
        for (int j = 0; j < 8; j++) {
            double s = 0;
            for (int c = 0; c < 4; c++) {
                s += w[c][j];
            }
            assertEquals(0.0, s, 1e-8, "Σ_k w_k = 0 (eq. 10)");
        }
        assertTrue(withinClassSpread(f, x) < 1e-8);
        GeometryDistance.Distances dist = GeometryDistance.Distances.between(geometry(f, x), theory.geometry());
        assertTrue(dist.classifier() < 1e-8 && dist.embedding() < 1e-8 && dist.logits() < 1e-8, dist.toString());
    }

    /**
     * Imbalanced ridge UFM (seed 000 Theorem 2, eqs. 7–8): the sample logits Z = W Hᵀ (K×N) found by GD
     * must solve the convex problem min_Z (1/N)L(Z) + λ̃‖Z‖_*, λ̃ = √(λ_Wλ_H). This is certified here
     * independently through its KKT conditions (Lemma D.1): with G = (P − Y)/N and Z = UΣVᵀ,
     * −GV = λ̃U, −GᵀU = λ̃V and ‖G‖₂ ≤ λ̃; and the factors satisfy eq. 8:
     * WWᵀ = √(λ_H/λ_W)·UΣUᵀ, HHᵀ = √(λ_W/λ_H)·VΣVᵀ.
     */
    @Test
    void imbalancedRidgeUfmSolvesTheNuclearNormProblem() {
        ClassSizes sizes = ClassSizes.of(10, 10, 2, 2);
        double lw = 2e-3;
        double lh = 8e-3;
        UfmObjective f = new UfmObjective(sizes, 6, lw, lh, false, false);
        double[] x = gd(f, 3, 1.0, 40_000);
        int k = 4;
        int n = 24;
        double[][] w = f.layout().get(x, "W");
        double[][] h = f.layout().get(x, "H");
        DMatrixRMaj z = Linalg.multiplyTransB(Linalg.matrix(w), Linalg.matrix(h)); // K×N
        double[][] g = new double[k][n];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, z.get(c, i));
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(z.get(c, i) - max);
            }
            for (int c = 0; c < k; c++) {
                g[c][i] = (Math.exp(z.get(c, i) - max) / sum - (c == f.label(i) ? 1 : 0)) / n;
            }
        }
        double lt = Math.sqrt(lw * lh);
        Svd svd = Linalg.svd(z);
        int r = svd.rank(1e-8);
        double[] gs = Linalg.singularValues(Linalg.matrix(g));
        DMatrixRMaj gm = Linalg.matrix(g);
        DMatrixRMaj gv = Linalg.multiply(gm, svd.v());
        DMatrixRMaj gtu = Linalg.multiplyTransA(gm, svd.u());
        double kkt = 0;
        for (int j = 0; j < r; j++) {
            for (int c = 0; c < k; c++) {
                kkt = Math.max(kkt, Math.abs(gv.get(c, j) + lt * svd.u().get(c, j)));
            }
            for (int i = 0; i < n; i++) {
                kkt = Math.max(kkt, Math.abs(gtu.get(i, j) + lt * svd.v().get(i, j)));
            }
        }
        double nuclear = 0;
        for (int j = 0; j < r; j++) {
            nuclear += svd.s()[j];
        }
        double relaxed = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, z.get(c, i));
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(z.get(c, i) - max);
            }
            relaxed += (max + Math.log(sum) - z.get(f.label(i), i)) / n;
        }
        relaxed += lt * nuclear;
        assertEquals(3, r, "rank K−1 (λ small: Lemma D.4 regime)");
        assertTrue(kkt < 1e-9, "KKT residual " + kkt);
        assertTrue(gs[0] <= lt * (1 + 1e-8), "‖G‖₂ = " + gs[0] + " > λ̃ = " + lt);
        assertEquals(relaxed, f.value(x), 1e-10, "UFM value = convex value (balanced factorisation)");
        // eq. 8 (with unequal λ): WWᵀ = √(λ_H/λ_W) UΣUᵀ
        DMatrixRMaj wwt = Linalg.multiplyTransB(Linalg.matrix(w), Linalg.matrix(w));
        double scale = Math.sqrt(lh / lw);
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double expected = 0;
                for (int j = 0; j < r; j++) {
                    expected += svd.u().get(a, j) * svd.s()[j] * svd.u().get(b, j);
                }
                assertEquals(scale * expected, wwt.get(a, b), 1e-8);
            }
        }
        // Remark 4.1: Σ_k w_k = 0; Prop. 1: NOT SELI at finite λ for imbalanced K > 2
        for (int j = 0; j < 6; j++) {
            double s = 0;
            for (int c = 0; c < k; c++) {
                s += w[c][j];
            }
            assertEquals(0.0, s, 1e-9);
        }
        double seli = GeometryDistance.Distances.between(geometry(f, x), SeliGeometry.of(sizes).geometry()).classifier();
        assertTrue(seli > 1e-3, "Prop. 1: ridge solution is not SELI, distance " + seli);
    }

    /**
     * Unregularised CE (seed 000 Sec. 4, Fig. 5): the iterates diverge in norm but their direction tends to
     * the UF-SVM solution, whose class-level logits are ∝ I − 11ᵀ/K for every imbalance (SEL matrix) and
     * whose classifier and mean Grams are SELI's. Convergence is logarithmically slow (spec 000 §7.3); the
     * bounds below are what 10⁵ steps reach (full-batch GD: logits 0.157, classifiers 0.161, means 0.161;
     * SELI's own distance to ETF is 0.39 for the classifiers).
     */
    @Test
    void unregularisedGradientDescentApproachesTheSelDirection() {
        ClassSizes sizes = ClassSizes.step(4, 10, 0.5, 1);
        UfmObjective f = new UfmObjective(sizes, 10, 0, 0, 0, false, false, 0.1);
        double[] x = f.initialPoint(new SplittableRandom(5));
        assertApproachesSeli(f, x, new GradientDescent(f, LearningRateSchedule.constant(0.4)), 0.17);
    }

    /** The same with SGD, batch 4, lr 0.4 (Fig. 5's optimiser), 10⁵ steps ≈ 17 000 epochs of N = 22 (reaches 0.168 / 0.176 / 0.171). */
    @Test
    void unregularisedSgdApproachesTheSelDirection() {
        ClassSizes sizes = ClassSizes.step(4, 10, 0.5, 1);
        UfmObjective f = new UfmObjective(sizes, 10, 0, 0, 0, false, false, 0.1);
        double[] x = f.initialPoint(new SplittableRandom(6));
        assertApproachesSeli(f, x, new Sgd(f, 4, 11, LearningRateSchedule.constant(0.4)), 0.19);
    }

    private static void assertApproachesSeli(UfmObjective f, double[] x, Optimizer opt, double bound) {
        SeliGeometry seli = SeliGeometry.of(f.sizes());
        ClassGeometry etf = Etf.of(f.sizes()).geometry();
        long[] checkpoints = {1_000, 10_000, 100_000};
        GeometryDistance.Distances previous = null;
        double previousNorm = 0;
        for (long c : checkpoints) {
            while (opt.steps() < c) {
                opt.step(x);
            }
            ClassGeometry g = geometry(f, x);
            GeometryDistance.Distances ds = GeometryDistance.Distances.between(g, seli.geometry());
            GeometryDistance.Distances de = GeometryDistance.Distances.between(g, etf);
            double norm = Math.sqrt(java.util.Arrays.stream(x).map(v -> v * v).sum());
            if (previous != null) {
                assertTrue(ds.logits() < previous.logits(), "logit distance must decrease: " + ds + " after " + previous);
                assertTrue(ds.classifier() < previous.classifier(), "classifier distance must decrease");
                assertTrue(ds.embedding() < previous.embedding(), "embedding distance must decrease");
                assertTrue(norm > previousNorm, "norms diverge without regularisation");
            }
            assertTrue(ds.classifier() < de.classifier() - 0.2, "SELI must beat ETF for the classifiers: " + ds + " vs " + de);
            previous = ds;
            previousNorm = norm;
        }
        assertTrue(previous.logits() < bound && previous.classifier() < bound && previous.embedding() < bound,
                "after 1e5 steps: " + previous);
    }
}

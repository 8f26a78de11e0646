package nclab.model;

import nclab.linalg.BlockProducts;

/**
 * The fused minibatch SGD step of {@link UfmObjective} ({@link FusedSgdObjective}): logits, softmax cross-entropy,
 * gradients and the (momentum) update of W, b and the batch rows h_i in one pass over the batch rows and W, into
 * preallocated scratch (W is K×d, the batch B×d), so that nothing is written before the optimiser's divergence
 * checks. Same mathematics as {@link UfmObjective#batchValueAndGradient}: with p_t = softmax(W h_t + b) and
 * g_t = (p_t − e_{y_t})/B, ∇W = Σ_t g_t h_tᵀ + λ_W W, ∇b = Σ_t g_t + λ_b b, ∇h_i = Σ_{t: visit of i} (Wᵀg_t + (Nλ_H/B) h_i).
 * Logits use 2×4 register tiles (two rows, four classes); the gradients are axpy-shaped loops over d that the JIT
 * vectorises; all sums run in a fixed order (deterministic). Not thread-safe; allocates only when a batch larger
 * than every earlier one arrives.
 */
final class UfmSgdKernel {
    private final int k;
    private final int d;
    private final int offH;
    private final int offB;
    private final boolean bias;
    private final boolean nonNegative;
    private final double lambdaW;
    private final double lambdaB;
    private final double lambdaH;
    private final int n;
    private final int[] labels;
    /** Full-batch products (null: the blocked Java pass). */
    private final BlockProducts products;
    /** Second half of the full-batch rows (products path): its ∇W share, the sums, the thread that runs it. */
    private double[] secondW;
    private double[] sums;
    private java.util.concurrent.ExecutorService helper;
    /** Gradient, then candidate, of W (K×d) and its velocity. */
    private final double[] newW;
    private final double[] newWv;
    private final double[] newB;
    private final double[] newBv;
    /** Whether the gradient pass already turned newW / newRows into candidates (fused update). */
    private boolean wDone;
    /** The batch 0..N−1 of the full-batch gradient (allocated on first use). */
    private int[] all;
    private boolean rowsDone;
    /** Distinct-sample bookkeeping: stamp[i] == call ⇔ sample i has slot slotOf[i] in this batch. */
    private final long[] stamp;
    private final int[] slotOf;
    private long call;
    /** Per visit: logits, then g_t (B×K); slot of the visit; per slot: flat row offset, gradient/candidate row. */
    private double[] g = new double[0];
    private int[] visitSlot = new int[0];
    private boolean[] visitFirst = new boolean[0];
    private int[] slotOffset = new int[0];
    private double[] newRows = new double[0];
    private double[] newRowsV = new double[0];
    private int slots;
    private boolean finite;
    private boolean prepared;

    UfmSgdKernel(int k, int d, int n, int offH, int offB, boolean bias, boolean nonNegative, double lambdaW,
                 double lambdaH, double lambdaB, int[] labels) {
        this(k, d, n, offH, offB, bias, nonNegative, lambdaW, lambdaH, lambdaB, labels, null);
    }

    /**
     * @param products the matrix products for the full-batch pass, or null for the blocked Java pass (the
     *                 minibatch step always uses the Java tiles)
     */
    UfmSgdKernel(int k, int d, int n, int offH, int offB, boolean bias, boolean nonNegative, double lambdaW,
                 double lambdaH, double lambdaB, int[] labels, BlockProducts products) {
        this.products = products;
        this.k = k;
        this.d = d;
        this.n = n;
        this.offH = offH;
        this.offB = offB;
        this.bias = bias;
        this.nonNegative = nonNegative;
        this.lambdaW = lambdaW;
        this.lambdaH = lambdaH;
        this.lambdaB = lambdaB;
        this.labels = labels;
        this.newW = new double[k * d];
        this.newWv = new double[k * d];
        this.newB = new double[k];
        this.newBv = new double[k];
        this.stamp = new long[n];
        this.slotOf = new int[n];
    }

    double prepare(double[] x, double[] v, int[] batch, int from, int to, double eta, double mu, boolean nesterov) {
        if (from < 0 || to > batch.length || from >= to) { // no message built on the hot path
            throw new IllegalArgumentException("empty or out-of-range batch [" + from + ", " + to + ") of " + batch.length);
        }
        int m = to - from;
        ensureCapacity(m);
        long c0 = ++call;
        int s = 0;
        for (int t = 0; t < m; t++) {
            int i = batch[from + t];
            visitFirst[t] = stamp[i] != c0;
            if (stamp[i] != c0) {
                stamp[i] = c0;
                slotOf[i] = s;
                slotOffset[s] = offH + i * d;
                s++;
            }
            visitSlot[t] = slotOf[i];
        }
        slots = s;
        double invB = 1.0 / m;
        double rowRidge = lambdaH * n * invB;
        double value = logits(x, batch, from, m) * invB;
        if (rowRidge != 0) {
            double h2 = 0;
            for (int t = 0; t < m; t++) {
                h2 += dot(x, offH + batch[from + t] * d, x, offH + batch[from + t] * d, d);
            }
            value += 0.5 * rowRidge * h2;
        }
        if (lambdaW != 0) {
            value += 0.5 * lambdaW * dot(x, 0, x, 0, k * d);
        }
        if (bias && lambdaB != 0) {
            value += 0.5 * lambdaB * dot(x, offB, x, offB, k);
        }
        wDone = false;
        rowsDone = false;
        weightGradients(x, v, batch, from, m, eta);
        rowGradients(x, v, m, rowRidge, eta);
        finite = candidates(x, v, eta, mu, nesterov) == 0.0;
        prepared = true;
        return value;
    }

    boolean usesProducts() {
        return products != null;
    }

    boolean finite() {
        return finite;
    }

    void commit(double[] x, double[] v) {
        if (!prepared) {
            throw new IllegalStateException("commitSgdStep without a prepared step");
        }
        prepared = false;
        System.arraycopy(newW, 0, x, 0, k * d);
        if (bias) {
            System.arraycopy(newB, 0, x, offB, k);
        }
        if (v != null) {
            System.arraycopy(newWv, 0, v, 0, k * d);
            if (bias) {
                System.arraycopy(newBv, 0, v, offB, k);
            }
        }
        for (int s = 0; s < slots; s++) {
            int o = slotOffset[s];
            int r = s * d;
            if (nonNegative) { // projection onto H ≥ 0, as UfmObjective.projectBatch
                for (int j = 0; j < d; j++) {
                    double c = newRows[r + j];
                    x[o + j] = c < 0 ? 0 : c;
                }
            } else {
                System.arraycopy(newRows, r, x, o, d);
            }
            if (v != null) {
                System.arraycopy(newRowsV, r, v, o, d);
            }
        }
    }

    private void ensureCapacity(int m) {
        if (g.length < m * k) {
            g = new double[m * k];
        }
        if (visitSlot.length < m) {
            visitSlot = new int[m];
            visitFirst = new boolean[m];
            slotOffset = new int[m];
            newRows = new double[m * d];
            newRowsV = new double[m * d];
        }
    }

    /** Fills g (m×K) with the logits, then turns each row into g_t = (softmax − e_y)/m; returns Σ_t CE_t. */
    private double logits(double[] x, int[] batch, int from, int m) {
        int t = 0;
        for (; t + 1 < m; t += 2) {
            int h0 = offH + batch[from + t] * d;
            int h1 = offH + batch[from + t + 1] * d;
            int c = 0;
            for (; c + 3 < k; c += 4) {
                tile2x4(x, h0, h1, c, t);
            }
            for (; c < k; c++) {
                g[t * k + c] = dot(x, c * d, x, h0, d);
                g[(t + 1) * k + c] = dot(x, c * d, x, h1, d);
            }
        }
        if (t < m) {
            int h0 = offH + batch[from + t] * d;
            int c = 0;
            for (; c + 3 < k; c += 4) {
                tile1x4(x, h0, c, t);
            }
            for (; c < k; c++) {
                g[t * k + c] = dot(x, c * d, x, h0, d);
            }
        }
        return softmaxRows(x, batch, from, m);
    }

    /** Turns the logits in g (m×K, bias not yet added) into g_t = (softmax − e_y)/m; returns Σ_t CE_t. */
    private double softmaxRows(double[] x, int[] batch, int from, int m) {
        double invB = 1.0 / m;
        double ce = 0;
        for (int t = 0; t < m; t++) {
            int o = t * k;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double s = bias ? g[o + c] + x[offB + c] : g[o + c];
                g[o + c] = s;
                if (s > max) {
                    max = s;
                }
            }
            int y = labels[batch[from + t]];
            double zy = g[o + y];
            double sum = 0;
            for (int c = 0; c < k; c++) {
                double e = Math.exp(g[o + c] - max);
                g[o + c] = e;
                sum += e;
            }
            double inv = 1.0 / sum;
            for (int c = 0; c < k; c++) {
                g[o + c] = g[o + c] * inv * invB;
            }
            g[o + y] -= invB;
            ce += max + Math.log(sum) - zy;
        }
        return ce;
    }

    /** Logits of rows h0, h1 (visits t, t+1) against classes c..c+3: eight independent FMA chains over d. */
    private void tile2x4(double[] x, int h0, int h1, int c, int t) {
        int w0 = c * d;
        int w1 = w0 + d;
        int w2 = w1 + d;
        int w3 = w2 + d;
        double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        for (int j = 0; j < d; j++) {
            double a = x[h0 + j];
            double b = x[h1 + j];
            double u = x[w0 + j];
            s00 = Math.fma(a, u, s00);
            s10 = Math.fma(b, u, s10);
            u = x[w1 + j];
            s01 = Math.fma(a, u, s01);
            s11 = Math.fma(b, u, s11);
            u = x[w2 + j];
            s02 = Math.fma(a, u, s02);
            s12 = Math.fma(b, u, s12);
            u = x[w3 + j];
            s03 = Math.fma(a, u, s03);
            s13 = Math.fma(b, u, s13);
        }
        int o = t * k + c;
        g[o] = s00;
        g[o + 1] = s01;
        g[o + 2] = s02;
        g[o + 3] = s03;
        o += k;
        g[o] = s10;
        g[o + 1] = s11;
        g[o + 2] = s12;
        g[o + 3] = s13;
    }

    private void tile1x4(double[] x, int h0, int c, int t) {
        int w0 = c * d;
        int w1 = w0 + d;
        int w2 = w1 + d;
        int w3 = w2 + d;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int j = 0; j < d; j++) {
            double a = x[h0 + j];
            s0 = Math.fma(a, x[w0 + j], s0);
            s1 = Math.fma(a, x[w1 + j], s1);
            s2 = Math.fma(a, x[w2 + j], s2);
            s3 = Math.fma(a, x[w3 + j], s3);
        }
        int o = t * k + c;
        g[o] = s0;
        g[o + 1] = s1;
        g[o + 2] = s2;
        g[o + 3] = s3;
    }

    /**
     * The full-batch value f(x) and gradient (overwriting grad), same mathematics as the minibatch step with the
     * batch of all N samples: first the logits and softmax of every sample (2×4 tiles), then one pass over H in
     * blocks of four samples that adds their share of ∇W (one read-modify-write of ∇W per block) and sets their
     * ∇h_i = Wᵀg_i + λ_H h_i while the rows are in cache.
     */
    double fullValueAndGradient(double[] x, double[] grad) {
        if (products != null) {
            return fullValueAndGradientByProducts(x, grad);
        }
        if (all == null) {
            all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
        }
        if (g.length < n * k) {
            g = new double[n * k];
        }
        double value = logits(x, all, 0, n) / n;
        int kd = k * d;
        double lw = lambdaW;
        for (int i = 0; i < kd; i++) {
            grad[i] = lw * x[i];
        }
        if (lambdaW != 0) {
            value += 0.5 * lambdaW * dot(x, 0, x, 0, kd);
        }
        if (bias) {
            for (int c = 0; c < k; c++) {
                double s = lambdaB * x[offB + c];
                for (int t = 0; t < n; t++) {
                    s += g[t * k + c];
                }
                grad[offB + c] = s;
            }
            if (lambdaB != 0) {
                value += 0.5 * lambdaB * dot(x, offB, x, offB, k);
            }
        }
        double h2 = 0;
        int t = 0;
        for (; t + 3 < n; t += 4) {
            int h0 = offH + t * d;
            int h1 = h0 + d;
            int h2o = h1 + d;
            int h3 = h2o + d;
            for (int c = 0; c < k; c++) {
                int w = c * d;
                double g0 = g[t * k + c];
                double g1 = g[(t + 1) * k + c];
                double g2 = g[(t + 2) * k + c];
                double g3 = g[(t + 3) * k + c];
                for (int j = 0; j < d; j++) {
                    double a = Math.fma(g0, x[h0 + j], grad[w + j]);
                    a = Math.fma(g1, x[h1 + j], a);
                    a = Math.fma(g2, x[h2o + j], a);
                    grad[w + j] = Math.fma(g3, x[h3 + j], a);
                }
            }
            for (int u = t; u < t + 4; u++) {
                h2 += fullRowGradient(x, grad, u);
            }
        }
        for (; t < n; t++) {
            int h0 = offH + t * d;
            for (int c = 0; c < k; c++) {
                int w = c * d;
                double g0 = g[t * k + c];
                for (int j = 0; j < d; j++) {
                    grad[w + j] = Math.fma(g0, x[h0 + j], grad[w + j]);
                }
            }
            h2 += fullRowGradient(x, grad, t);
        }
        return value + 0.5 * lambdaH * h2;
    }

    /**
     * The full-batch value and gradient as three matrix products ({@link BlockProducts}, native dgemm when
     * loaded), one block of rows of H at a time so that the block stays in cache for all three: logits
     * Z_blk = H_blk Wᵀ, then G_blk = (softmax(Z_blk + b) − Y_blk)/N row by row, ∇W += G_blkᵀ H_blk, ∇H_blk =
     * λ_H H_blk + G_blk W. Blocks of {@link BlockProducts#rowsPerCall} rows in increasing order (one single-threaded
     * dgemm per product and block): a fixed, shape-determined order, so the result is bit-reproducible. Same
     * mathematics as the blocked Java pass, another summation order.
     */
    private double fullValueAndGradientByProducts(double[] x, double[] grad) {
        if (g.length < n * k) {
            g = new double[n * k];
        }
        int kd = k * d;
        double lw = lambdaW;
        for (int i = 0; i < kd; i++) {
            grad[i] = lw * x[i];
        }
        int step = BlockProducts.rowsPerCall(k, d);
        int blocks = (n + step - 1) / step;
        int split = Math.min(n, (blocks + 1) / 2 * step); // rows of the first half: a whole number of blocks
        if (split < n) {
            if (secondW == null) {
                secondW = new double[kd];
                sums = new double[4];
                helper = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "nclab-ufm-products");
                    t.setDaemon(true);
                    return t;
                });
            }
            java.util.Arrays.fill(secondW, 0.0);
            java.util.concurrent.Future<?> second = helper.submit(() -> productBlocks(x, grad, secondW, 0, split, n, step,
                    sums, 2));
            productBlocks(x, grad, grad, 0, 0, split, step, sums, 0);
            try {
                second.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while computing the gradient", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("gradient block failed", e.getCause());
            }
            for (int i = 0; i < kd; i++) {
                grad[i] += secondW[i];
            }
        } else {
            if (sums == null) {
                sums = new double[4];
            }
            productBlocks(x, grad, grad, 0, 0, n, step, sums, 0);
            sums[2] = 0;
            sums[3] = 0;
        }
        double invN = 1.0 / n;
        double ce = sums[0] + sums[2];
        double h2 = sums[1] + sums[3];
        double value = ce * invN;
        if (lambdaW != 0) {
            value += 0.5 * lambdaW * dot(x, 0, x, 0, kd);
        }
        if (bias) {
            for (int c = 0; c < k; c++) {
                double s = lambdaB * x[offB + c];
                for (int t = 0; t < n; t++) {
                    s += g[t * k + c];
                }
                grad[offB + c] = s;
            }
            if (lambdaB != 0) {
                value += 0.5 * lambdaB * dot(x, offB, x, offB, k);
            }
        }
        return value + 0.5 * lambdaH * h2;
    }

    /**
     * Rows from ≤ t &lt; to in blocks of {@code step}: logits, softmax, ∇W share added to wAcc (from offset wOff),
     * ∇h_t = λ_H h_t + Wᵀ g_t; stores Σ CE_t and Σ‖h_t‖² (when λ_H ≠ 0) in sums[at], sums[at + 1].
     */
    private void productBlocks(double[] x, double[] grad, double[] wAcc, int wOff, int from, int to, int step,
                               double[] sums, int at) {
        double lh = lambdaH;
        double invN = 1.0 / n;
        double ce = 0;
        double h2 = 0;
        for (int t0 = from; t0 < to; t0 += step) {
            int rows = Math.min(step, to - t0);
            int h0 = offH + t0 * d;
            products.multiplyTransB(x, h0, rows, x, 0, k, d, g, t0 * k);
            ce += softmaxFullRows(x, t0, t0 + rows, invN);
            products.multiplyTransAAdd(g, t0 * k, rows, k, x, h0, d, wAcc, wOff);
            int end = h0 + rows * d;
            for (int j = h0; j < end; j++) {
                grad[j] = lh * x[j];
            }
            if (lh != 0) {
                for (int h = h0; h < end; h += d) {
                    h2 += dot(x, h, x, h, d);
                }
            }
            products.multiplyAdd(g, t0 * k, rows, k, x, 0, d, grad, h0);
        }
        sums[at] = ce;
        sums[at + 1] = h2;
    }

    /** Rows t0 ≤ t &lt; t1 of g: logits (bias not yet added) → g_t = (softmax − e_{y_t})·invN; returns Σ CE_t. */
    private double softmaxFullRows(double[] x, int t0, int t1, double invN) {
        double ce = 0;
        for (int t = t0; t < t1; t++) {
            int o = t * k;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double s = bias ? g[o + c] + x[offB + c] : g[o + c];
                g[o + c] = s;
                if (s > max) {
                    max = s;
                }
            }
            int y = labels[t];
            double zy = g[o + y];
            double sum = 0;
            for (int c = 0; c < k; c++) {
                double e = Math.exp(g[o + c] - max);
                g[o + c] = e;
                sum += e;
            }
            double inv = 1.0 / sum;
            for (int c = 0; c < k; c++) {
                g[o + c] = g[o + c] * inv * invN;
            }
            g[o + y] -= invN;
            ce += max + Math.log(sum) - zy;
        }
        return ce;
    }

    /** Sets ∇h_t = Σ_c g_tc w_c + λ_H h_t (classes in blocks of four); returns ‖h_t‖² when λ_H ≠ 0, else 0. */
    private double fullRowGradient(double[] x, double[] grad, int t) {
        int h = offH + t * d;
        int o = t * k;
        double lh = lambdaH;
        int c = 0;
        if (k >= 4) {
            double g0 = g[o];
            double g1 = g[o + 1];
            double g2 = g[o + 2];
            double g3 = g[o + 3];
            int w1 = d;
            int w2 = 2 * d;
            int w3 = 3 * d;
            for (int j = 0; j < d; j++) {
                double a = Math.fma(g0, x[j], lh * x[h + j]);
                a = Math.fma(g1, x[w1 + j], a);
                a = Math.fma(g2, x[w2 + j], a);
                grad[h + j] = Math.fma(g3, x[w3 + j], a);
            }
            c = 4;
        } else {
            for (int j = 0; j < d; j++) {
                grad[h + j] = lh * x[h + j];
            }
        }
        addClasses(x, o, c, grad, h);
        return lh != 0 ? dot(x, h, x, h, d) : 0.0;
    }

    /** newW := ∇W = Σ_t g_t h_tᵀ + λ_W W (visits in blocks of four), newB := ∇b. */
    private void weightGradients(double[] x, double[] v, int[] batch, int from, int m, double eta) {
        wDone = m == 4 && v == null;
        for (int c = 0; c < k; c++) {
            int w = c * d;
            int t = 0;
            if (m >= 4) {
                int h0 = offH + batch[from] * d;
                int h1 = offH + batch[from + 1] * d;
                int h2 = offH + batch[from + 2] * d;
                int h3 = offH + batch[from + 3] * d;
                double g0 = g[c];
                double g1 = g[k + c];
                double g2 = g[2 * k + c];
                double g3 = g[3 * k + c];
                double lw = lambdaW;
                if (m == 4 && v == null) { // the whole gradient in one block: fuse the update
                    for (int j = 0; j < d; j++) {
                        double xw = x[w + j];
                        double a = Math.fma(g0, x[h0 + j], lw * xw);
                        a = Math.fma(g1, x[h1 + j], a);
                        a = Math.fma(g2, x[h2 + j], a);
                        newW[w + j] = xw - eta * Math.fma(g3, x[h3 + j], a);
                    }
                    continue;
                }
                for (int j = 0; j < d; j++) {
                    double a = Math.fma(g0, x[h0 + j], lw * x[w + j]);
                    a = Math.fma(g1, x[h1 + j], a);
                    a = Math.fma(g2, x[h2 + j], a);
                    newW[w + j] = Math.fma(g3, x[h3 + j], a);
                }
                t = 4;
            } else {
                double lw = lambdaW;
                for (int j = 0; j < d; j++) {
                    newW[w + j] = lw * x[w + j];
                }
            }
            for (; t + 3 < m; t += 4) {
                int h0 = offH + batch[from + t] * d;
                int h1 = offH + batch[from + t + 1] * d;
                int h2 = offH + batch[from + t + 2] * d;
                int h3 = offH + batch[from + t + 3] * d;
                double g0 = g[t * k + c];
                double g1 = g[(t + 1) * k + c];
                double g2 = g[(t + 2) * k + c];
                double g3 = g[(t + 3) * k + c];
                for (int j = 0; j < d; j++) {
                    double a = Math.fma(g0, x[h0 + j], newW[w + j]);
                    a = Math.fma(g1, x[h1 + j], a);
                    a = Math.fma(g2, x[h2 + j], a);
                    newW[w + j] = Math.fma(g3, x[h3 + j], a);
                }
            }
            for (; t < m; t++) {
                int h0 = offH + batch[from + t] * d;
                double g0 = g[t * k + c];
                for (int j = 0; j < d; j++) {
                    newW[w + j] = Math.fma(g0, x[h0 + j], newW[w + j]);
                }
            }
        }
        if (bias) {
            for (int c = 0; c < k; c++) {
                double s = lambdaB * x[offB + c];
                for (int t = 0; t < m; t++) {
                    s += g[t * k + c];
                }
                newB[c] = s;
            }
        }
    }

    /** newRows[slot] := ∇h_i = Σ over the visits of i of (Wᵀ g_t + rowRidge·h_i) (classes in blocks of four). */
    private void rowGradients(double[] x, double[] v, int m, double rowRidge, double eta) {
        boolean fuseRows = k == 4 && slots == m && v == null;
        rowsDone = fuseRows;
        for (int t = 0; t < m; t++) {
            int s = visitSlot[t];
            int r = s * d;
            int h = slotOffset[s];
            boolean first = visitFirst[t];
            int o = t * k;
            int c = 0;
            if (fuseRows) { // ∇h_i complete in one block of four classes: write the new row
                double g0 = g[o];
                double g1 = g[o + 1];
                double g2 = g[o + 2];
                double g3 = g[o + 3];
                int w1 = d;
                int w2 = 2 * d;
                int w3 = 3 * d;
                for (int j = 0; j < d; j++) {
                    double xh = x[h + j];
                    double a = Math.fma(g0, x[j], rowRidge * xh);
                    a = Math.fma(g1, x[w1 + j], a);
                    a = Math.fma(g2, x[w2 + j], a);
                    newRows[r + j] = xh - eta * Math.fma(g3, x[w3 + j], a);
                }
                continue;
            }
            if (k >= 4) {
                double g0 = g[o];
                double g1 = g[o + 1];
                double g2 = g[o + 2];
                double g3 = g[o + 3];
                int w1 = d;
                int w2 = 2 * d;
                int w3 = 3 * d;
                if (first) {
                    for (int j = 0; j < d; j++) {
                        double a = Math.fma(g0, x[j], rowRidge * x[h + j]);
                        a = Math.fma(g1, x[w1 + j], a);
                        a = Math.fma(g2, x[w2 + j], a);
                        newRows[r + j] = Math.fma(g3, x[w3 + j], a);
                    }
                } else {
                    for (int j = 0; j < d; j++) {
                        double a = Math.fma(g0, x[j], Math.fma(rowRidge, x[h + j], newRows[r + j]));
                        a = Math.fma(g1, x[w1 + j], a);
                        a = Math.fma(g2, x[w2 + j], a);
                        newRows[r + j] = Math.fma(g3, x[w3 + j], a);
                    }
                }
                c = 4;
            } else if (first) {
                for (int j = 0; j < d; j++) {
                    newRows[r + j] = rowRidge * x[h + j];
                }
            } else {
                for (int j = 0; j < d; j++) {
                    newRows[r + j] = Math.fma(rowRidge, x[h + j], newRows[r + j]);
                }
            }
            addClasses(x, o, c, newRows, r);
        }
    }

    /** Turns the gradients in newW/newB/newRows into the new values (and velocities); returns their probe. */
    private double candidates(double[] x, double[] v, double eta, double mu, boolean nesterov) {
        double p = 0;
        if (!wDone) {
            update(x, v, 0, newW, newWv, 0, k * d, eta, mu, nesterov);
        }
        if (!rowsDone) {
            for (int s = 0; s < slots; s++) {
                update(x, v, slotOffset[s], newRows, newRowsV, s * d, d, eta, mu, nesterov);
            }
        }
        p += probe(newW, k * d) + probe(newRows, slots * d);
        if (v != null) {
            p += probe(newWv, k * d) + probe(newRowsV, slots * d);
        }
        if (bias) {
            for (int c = 0; c < k; c++) {
                int i = offB + c;
                double gc = newB[c];
                double nx;
                if (v == null) {
                    nx = x[i] - eta * gc;
                } else {
                    double vn = mu * v[i] + gc;
                    newBv[c] = vn;
                    nx = nesterov ? x[i] - eta * (gc + mu * vn) : x[i] - eta * vn;
                    p += vn * 0.0;
                }
                newB[c] = nx;
                p += nx * 0.0;
            }
        }
        return p;
    }

    /**
     * Σ a[0..len)·0 with eight independent sums: 0 when every entry is finite, NaN otherwise (any order gives the
     * same verdict).
     */
    /**
     * dst[r..r+d) += Σ_{c' ≥ c} g[o + c'] w_{c'} (classes in blocks of four, then one by one, each entry one
     * chain of fused multiply-adds in class order): the rest of a row gradient Σ_c g_tc w_c after its first block.
     */
    private void addClasses(double[] x, int o, int c, double[] dst, int r) {
        for (; c + 3 < k; c += 4) {
            double g0 = g[o + c];
            double g1 = g[o + c + 1];
            double g2 = g[o + c + 2];
            double g3 = g[o + c + 3];
            int w0 = c * d;
            int w1 = w0 + d;
            int w2 = w1 + d;
            int w3 = w2 + d;
            for (int j = 0; j < d; j++) {
                double a = Math.fma(g0, x[w0 + j], dst[r + j]);
                a = Math.fma(g1, x[w1 + j], a);
                a = Math.fma(g2, x[w2 + j], a);
                dst[r + j] = Math.fma(g3, x[w3 + j], a);
            }
        }
        for (; c < k; c++) {
            double g0 = g[o + c];
            int w0 = c * d;
            for (int j = 0; j < d; j++) {
                dst[r + j] = Math.fma(g0, x[w0 + j], dst[r + j]);
            }
        }
    }

    private static double probe(double[] a, int len) {
        double p0 = 0, p1 = 0, p2 = 0, p3 = 0, p4 = 0, p5 = 0, p6 = 0, p7 = 0;
        int j = 0;
        for (; j + 7 < len; j += 8) {
            p0 += a[j] * 0.0;
            p1 += a[j + 1] * 0.0;
            p2 += a[j + 2] * 0.0;
            p3 += a[j + 3] * 0.0;
            p4 += a[j + 4] * 0.0;
            p5 += a[j + 5] * 0.0;
            p6 += a[j + 6] * 0.0;
            p7 += a[j + 7] * 0.0;
        }
        for (; j < len; j++) {
            p0 += a[j] * 0.0;
        }
        return ((p0 + p1) + (p2 + p3)) + ((p4 + p5) + (p6 + p7));
    }

    /** For len entries: gradient buf[b..], parameter x[o..]: buf := new parameter, vbuf := new velocity. */
    private static void update(double[] x, double[] v, int o, double[] buf, double[] vbuf, int b, int len, double eta,
                               double mu, boolean nesterov) {
        if (v == null) {
            for (int j = 0; j < len; j++) {
                buf[b + j] = x[o + j] - eta * buf[b + j];
            }
        } else if (nesterov) {
            for (int j = 0; j < len; j++) {
                double gr = buf[b + j];
                double vn = mu * v[o + j] + gr;
                vbuf[b + j] = vn;
                buf[b + j] = x[o + j] - eta * (gr + mu * vn);
            }
        } else {
            for (int j = 0; j < len; j++) {
                double vn = mu * v[o + j] + buf[b + j];
                vbuf[b + j] = vn;
                buf[b + j] = x[o + j] - eta * vn;
            }
        }
    }

    /** Σ_j a[ao+j]·b[bo+j], four independent FMA chains (fixed order). */
    private static double dot(double[] a, int ao, double[] b, int bo, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 3 < len; j += 4) {
            s0 = Math.fma(a[ao + j], b[bo + j], s0);
            s1 = Math.fma(a[ao + j + 1], b[bo + j + 1], s1);
            s2 = Math.fma(a[ao + j + 2], b[bo + j + 2], s2);
            s3 = Math.fma(a[ao + j + 3], b[bo + j + 3], s3);
        }
        for (; j < len; j++) {
            s0 = Math.fma(a[ao + j], b[bo + j], s0);
        }
        return (s0 + s1) + (s2 + s3);
    }
}

package nclab.optim;

import nclab.data.ClassSizes;

/**
 * A K×m logit-matrix variable X whose column j stands for {@code multiplicity[j]} identical samples of class
 * {@code label[j]} with logit vector x_j/√multiplicity[j] (see {@link ConvexForm}). Class level: m = K,
 * multiplicity n_k; full: m = N, multiplicity 1. Row-major flat storage, index c·m + j.
 */
final class ColumnProblem {
    final ClassSizes sizes;
    final ConvexForm form;
    final int k;
    final int m;
    final int[] label;
    final double[] multiplicity;
    final double[] scale; // √multiplicity

    private ColumnProblem(ClassSizes sizes, ConvexForm form, int[] label, double[] multiplicity) {
        this.sizes = sizes;
        this.form = form;
        this.k = sizes.k();
        this.m = label.length;
        this.label = label;
        this.multiplicity = multiplicity;
        this.scale = new double[m];
        for (int j = 0; j < m; j++) {
            scale[j] = Math.sqrt(multiplicity[j]);
        }
    }

    static ColumnProblem of(ClassSizes sizes, ConvexForm form) {
        int k = sizes.k();
        if (form == ConvexForm.CLASS_LEVEL) {
            int[] label = new int[k];
            double[] mult = new double[k];
            for (int c = 0; c < k; c++) {
                label[c] = c;
                mult[c] = sizes.count(c);
            }
            return new ColumnProblem(sizes, form, label, mult);
        }
        long total = sizes.total();
        if (total > 1_000_000) {
            throw new nclab.InvalidInputException("the full K×N form is for verification only; N = " + total
                    + " is too large (use the class-level form)");
        }
        int n = (int) total;
        int[] label = new int[n];
        double[] mult = new double[n];
        int i = 0;
        for (int c = 0; c < k; c++) {
            for (int r = 0; r < sizes.count(c); r++) {
                label[i] = c;
                mult[i] = 1;
                i++;
            }
        }
        return new ColumnProblem(sizes, form, label, mult);
    }

    int size() {
        return k * m;
    }

    /**
     * f(X) = Σ_j m_j CE(x_j/√m_j, y_j) (CE(z, y) = logsumexp(z) − z_y); when {@code grad} is not null it receives
     * ∇f, column j = √m_j (softmax(x_j/√m_j) − e_{y_j}). Uses {@code work} (length K) as scratch.
     */
    double lossAndGradient(double[] x, double[] grad, double[] work) {
        double f = 0;
        for (int j = 0; j < m; j++) {
            double s = scale[j];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                work[c] = x[c * m + j] / s;
                max = Math.max(max, work[c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                work[c] = Math.exp(work[c] - max);
                sum += work[c];
            }
            int y = label[j];
            f += multiplicity[j] * (max + Math.log(sum) - x[y * m + j] / s);
            if (grad != null) {
                for (int c = 0; c < k; c++) {
                    grad[c * m + j] = s * (work[c] / sum - (c == y ? 1 : 0));
                }
            }
        }
        return f;
    }

    /**
     * Σ_j m_j·Entropy(p_j) with p_j = t·softmax(x_j/√m_j) + (1 − t)e_{y_j}: the Fenchel dual objective of
     * min f(X) + λ‖X‖_* at the dual point t·∇f(X) (feasible when t‖∇f(X)‖_op ≤ λ).
     */
    double dualEntropy(double[] x, double t, double[] work) {
        double d = 0;
        for (int j = 0; j < m; j++) {
            double s = scale[j];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                work[c] = x[c * m + j] / s;
                max = Math.max(max, work[c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                work[c] = Math.exp(work[c] - max);
                sum += work[c];
            }
            double h = 0;
            for (int c = 0; c < k; c++) {
                double p = t * work[c] / sum + (c == label[j] ? 1 - t : 0);
                if (p > 0) {
                    h -= p * Math.log(p);
                }
            }
            d += multiplicity[j] * h;
        }
        return d;
    }

    /** min over columns j and classes c ≠ y_j of (x_{y_j,j} − x_{c,j})/√m_j (the smallest sample margin). */
    double minMargin(double[] x) {
        double min = Double.POSITIVE_INFINITY;
        for (int j = 0; j < m; j++) {
            int y = label[j];
            for (int c = 0; c < k; c++) {
                if (c != y) {
                    min = Math.min(min, (x[y * m + j] - x[c * m + j]) / scale[j]);
                }
            }
        }
        return min;
    }

    /** The K×N logit matrix Z represented by X (column i = x_j/√m_j for the column j holding sample i). */
    double[][] logits(double[] x) {
        int n = (int) sizes.total();
        double[][] z = new double[k][n];
        int i = 0;
        for (int j = 0; j < m; j++) {
            int copies = (int) multiplicity[j];
            for (int r = 0; r < copies; r++) {
                for (int c = 0; c < k; c++) {
                    z[c][i] = x[c * m + j] / scale[j];
                }
                i++;
            }
        }
        return z;
    }

    /** Class-level logits C[c][l] = average over samples i of class l of Z[c][i] (K×K). */
    double[][] classLogits(double[] x) {
        double[][] out = new double[k][k];
        for (int j = 0; j < m; j++) {
            int y = label[j];
            double w = multiplicity[j] / sizes.count(y) / scale[j];
            for (int c = 0; c < k; c++) {
                out[c][y] += w * x[c * m + j];
            }
        }
        return out;
    }

    static double[][] toRows(double[] x, int rows, int cols) {
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(x, i * cols, out[i], 0, cols);
        }
        return out;
    }

    static double[] flatten(double[][] a) {
        int cols = a[0].length;
        double[] out = new double[a.length * cols];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, out, i * cols, cols);
        }
        return out;
    }
}

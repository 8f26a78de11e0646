package nclab.experiment;

import java.util.SplittableRandom;

import nclab.model.Objective;
import nclab.model.ParameterLayout;

/**
 * Test-only objective: the ridge-regularised cross-entropy UFM
 * f = (1/N) Σ_i CE(W h_i + b, y_i) + (λ_W/2)‖W‖² + (λ_H/2)‖H‖², with labels in class order.
 */
final class TinyUfm implements Objective {
    private final ParameterLayout layout;
    private final int[] labels;
    private final int k;
    private final int d;
    private final double lambdaW;
    private final double lambdaH;
    private final double scale;
    private final boolean bias;
    private final double[] z;

    TinyUfm(int[] labels, int k, int d, double lambdaW, double lambdaH, boolean bias, double scale) {
        this.labels = labels.clone();
        this.k = k;
        this.d = d;
        this.lambdaW = lambdaW;
        this.lambdaH = lambdaH;
        this.bias = bias;
        this.scale = scale;
        ParameterLayout.Builder b = ParameterLayout.builder().add("W", k, d).add("H", labels.length, d);
        if (bias) {
            b.add("b", k, 1);
        }
        this.layout = b.build();
        this.z = new double[k];
    }

    @Override
    public String model() {
        return "test-ufm";
    }

    @Override
    public ParameterLayout layout() {
        return layout;
    }

    @Override
    public double valueAndGradient(double[] x, double[] grad) {
        int n = labels.length;
        int wOff = 0;
        int hOff = layout.block("H").offset();
        int bOff = bias ? layout.block("b").offset() : -1;
        java.util.Arrays.fill(grad, 0);
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double s = bias ? x[bOff + c] : 0;
                for (int j = 0; j < d; j++) {
                    s += x[wOff + c * d + j] * x[hOff + i * d + j];
                }
                z[c] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(z[c] - max);
            }
            loss += (Math.log(sum) + max - z[labels[i]]) / n;
            for (int c = 0; c < k; c++) {
                double g = (Math.exp(z[c] - max) / sum - (c == labels[i] ? 1 : 0)) / n;
                for (int j = 0; j < d; j++) {
                    grad[wOff + c * d + j] += g * x[hOff + i * d + j];
                    grad[hOff + i * d + j] += g * x[wOff + c * d + j];
                }
                if (bias) {
                    grad[bOff + c] += g;
                }
            }
        }
        double rw = 0;
        for (int t = 0; t < k * d; t++) {
            rw += x[t] * x[t];
            grad[t] += lambdaW * x[t];
        }
        double rh = 0;
        for (int t = hOff; t < hOff + n * d; t++) {
            rh += x[t] * x[t];
            grad[t] += lambdaH * x[t];
        }
        return loss + 0.5 * lambdaW * rw + 0.5 * lambdaH * rh;
    }

    @Override
    public double[] initialPoint(SplittableRandom random) {
        double[] x = new double[layout.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = scale * gaussian(random);
        }
        return x;
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }
}

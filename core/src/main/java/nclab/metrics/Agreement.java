package nclab.metrics;

/**
 * One pass over the features comparing three labels per sample: the true label, the classifier's
 * prediction argmax_k (w_kᵀh + b_k) and the nearest class centre argmin_k ‖h − μ_k‖ (NC4, Papyan et al. 2020).
 * Ties go to the smallest class index.
 */
record Agreement(int rows, int agreeing, int correct, int[] correctPerClass) {

    static Agreement scan(FeatureRows h, int[] labels, double[][] w, double[] bias, double[][] means) {
        int k = w.length;
        int[] counts = new int[3];
        int[] perClass = new int[k];
        h.scan((row, x) -> {
            int pred = 0;
            double best = Double.NEGATIVE_INFINITY;
            int ncc = 0;
            double nearest = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double z = CollapseMetrics.dot(w[c], x) + (bias == null ? 0 : bias[c]);
                if (z > best) {
                    best = z;
                    pred = c;
                }
                double dist = 0;
                double[] mu = means[c];
                for (int j = 0; j < x.length; j++) {
                    double e = x[j] - mu[j];
                    dist += e * e;
                }
                if (dist < nearest) {
                    nearest = dist;
                    ncc = c;
                }
            }
            counts[0]++;
            if (pred == ncc) {
                counts[1]++;
            }
            if (pred == labels[row]) {
                counts[2]++;
                perClass[pred]++;
            }
        });
        return new Agreement(counts[0], counts[1], counts[2], perClass);
    }

    double agree() {
        return agreeing / (double) rows;
    }

    double accuracy() {
        return correct / (double) rows;
    }

    /** Accuracy restricted to the samples of the given classes; NaN when there are none. */
    double accuracy(int[] classes, int[] classCounts) {
        long right = 0;
        long total = 0;
        for (int c : classes) {
            right += correctPerClass[c];
            total += classCounts[c];
        }
        return total == 0 ? Double.NaN : right / (double) total;
    }
}

package nclab.metrics;

/**
 * Counts from comparing three labels per sample: the true label, the classifier's prediction
 * argmax_k (w_kᵀh + b_k) and the nearest class centre argmin_k ‖h − μ_k‖ (NC4, Papyan et al. 2020).
 * Ties go to the smallest class index. Counted in the fused second pass of {@link CollapseScan}.
 */
record Agreement(int rows, int agreeing, int correct, int[] correctPerClass) {

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

package nclab.optim;

/**
 * Which variable a convex logit-matrix solver works on (seed 000, eqs. 5 and 7).
 *
 * <p>Both problems are convex and invariant under permutations of the samples within a class (a column
 * permutation leaves ‖Z‖_* and the per-sample losses/margins unchanged). Averaging any minimiser over those
 * permutations therefore gives a minimiser whose columns are equal within each class, and by Lemma D.1 the
 * minimiser of (7) is unique, so it is class-constant itself. Writing Z = C·Y (C K×K, Y the K×N one-hot
 * labels) and D = diag(√n_1..√n_K), the rows of D⁻¹Y are orthonormal, so ‖Z‖_* = ‖C·D‖_*: with X := C·D the
 * problems become K×K nuclear-norm problems in which column k carries weight n_k and logits x_k/√n_k.
 */
public enum ConvexForm {
    /** K×K variable X = C·diag(√n): one column per class, class weights n_k (fast, any N). */
    CLASS_LEVEL,
    /** The full K×N logit matrix Z, one column per sample (for verification of the reduction). */
    FULL
}

package nclab.theory;

/**
 * The minimum over the scale t ≥ 0 of the reduced deep-UFM loss ℓ_M(t) = fit(t) + reg(t) of one logit
 * pattern M (seed 002, Lemma 1 / App. B.3; see {@link LogitPattern}).
 *
 * @param scale       optimal scale t* (0 when the zero solution is optimal: collapse)
 * @param loss        ℓ_M(t*)
 * @param fit         mean cross-entropy g(Z) at t* (Eq. 2)
 * @param regularizer ((L+1)λ/2)·Σ_i (t*·σ_i)^{2/(L+1)} at t*
 */
public record ScaleOptimum(double scale, double loss, double fit, double regularizer) {
}

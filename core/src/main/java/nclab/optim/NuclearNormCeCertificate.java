package nclab.optim;

/**
 * Optimality certificate of a point Z for the nuclear-norm-regularised cross-entropy (seed 000 eq. 7),
 * F(Z) = L(Z) + λ‖Z‖_* with L the summed CE and G = ∇L(Z). All values are in the units of eq. (7)
 * (summed loss); divide by N for the mean-loss form.
 * <ul>
 *   <li><b>Duality gap</b> F(Z) − D(Θ) ≥ F(Z) − F* ≥ 0, with the Fenchel dual
 *       D(Θ) = −L*(Θ) over ‖Θ‖_op ≤ λ at Θ = t·G, t = min(1, λ/‖G‖_op). The conjugate of CE(·, y) is the
 *       negative entropy of p = θ + e_y on the simplex, so D = Σ_i Entropy(t·softmax(z_i) + (1 − t)e_{y_i}).
 *       This is a rigorous bound on suboptimality.</li>
 *   <li><b>Subgradient optimality</b> −G ∈ λ∂‖Z‖_* ⇔ ‖G‖_op ≤ λ and ⟨G, Z⟩ = −λ‖Z‖_* (Lemma D.1):
 *       {@code spectralViolation} = max(0, ‖G‖_op − λ) and {@code complementarityViolation} =
 *       |λ‖Z‖_* + ⟨G, Z⟩|.</li>
 *   <li><b>Prox-gradient mapping</b> ‖Z − SVT_{tλ}(Z − tG)‖_F / t at the solver's step t = 2 (= 1/Lipschitz,
 *       the CE Hessian diag(a) − aaᵀ has norm ≤ 1/2 by Gershgorin); zero exactly at the minimiser.</li>
 * </ul>
 *
 * @param primalObjective          F(Z)
 * @param dualObjective            D(t·G)
 * @param dualityGap               F(Z) − D(t·G)
 * @param gradientSpectralNorm     ‖G‖_op (equals λ at a non-zero minimiser)
 * @param spectralViolation        max(0, ‖G‖_op − λ)
 * @param complementarityViolation |λ‖Z‖_* + ⟨G, Z⟩|
 * @param proxGradientNorm         prox-gradient mapping norm
 */
public record NuclearNormCeCertificate(double primalObjective, double dualObjective, double dualityGap,
                                       double gradientSpectralNorm, double spectralViolation,
                                       double complementarityViolation, double proxGradientNorm) {
}

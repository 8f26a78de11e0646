package nclab.theory;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import nclab.data.ClassSizes;
import nclab.linalg.Linalg;

/**
 * Theorem 4.4 of seed 004 (Liu, arXiv 2411.17278, Sec. 4.3, Definition 4.1, Theorems B.1/B.2): the
 * singular values κ of the centred target Ŷ = (I − n1ᵀ/N)·D for a grouped imbalance.
 *
 * <p>Sort the class sizes non-increasingly; group j (j = 1..m) holds ℓ_j classes of size N_j, with
 * N_1 &gt; N_2 &gt; … &gt; N_m and N = Σ ℓ_j N_j. With the (non-symmetric) m×m matrix
 * <pre>
 *   G_ij = √N_j · (δ_ij − N_i·√(ℓ_i ℓ_j)/N),       singular values σ̂_1 ≥ … ≥ σ̂_m,
 * </pre>
 * the singular values of Ŷ, in decreasing order, are, for j = 1..m, ℓ_j − 1 copies of √N_j followed by
 * σ̂_j. They interlace strictly: 0 = σ̂_m &lt; √N_m &lt; σ̂_{m−1} &lt; √N_{m−1} &lt; … &lt; √N_2 &lt; σ̂_1 &lt; √N_1,
 * which gives the bracket estimates {@link #lowerBounds()} / {@link #upperBounds()}.
 * Explicit forms: m = 2: σ̂_1 = √(N_1N_2(ℓ_1+ℓ_2)/N); m = 3: σ̂_1², σ̂_2² are the roots of
 * λ² − αλ + β with α = [N_1(N_2ℓ_2+N_3ℓ_3) + N_2(N_1ℓ_1+N_3ℓ_3) + N_3(N_1ℓ_1+N_2ℓ_2)]/N and
 * β = N_1N_2N_3(ℓ_1+ℓ_2+ℓ_3)/N.
 *
 * @param groupSizes           N_1 &gt; … &gt; N_m
 * @param groupCounts          ℓ_1..ℓ_m
 * @param groupSingularValues  σ̂_1 ≥ … ≥ σ̂_m (σ̂_m = 0), from an SVD of G
 * @param singularValues       the K singular values of Ŷ assembled as above (decreasing)
 */
public record GroupedTargetSpectrum(int[] groupSizes, int[] groupCounts, double[] groupSingularValues,
                                    double[] singularValues) {
    public GroupedTargetSpectrum {
        groupSizes = groupSizes.clone();
        groupCounts = groupCounts.clone();
        groupSingularValues = groupSingularValues.clone();
        singularValues = singularValues.clone();
    }

    /** Groups the class sizes and evaluates Theorem 4.4. */
    public static GroupedTargetSpectrum of(ClassSizes sizes) {
        TreeMap<Integer, Integer> groups = new TreeMap<>((x, y) -> Integer.compare(y, x));
        for (int c : sizes.counts()) {
            groups.merge(c, 1, Integer::sum);
        }
        int m = groups.size();
        int[] big = new int[m];
        int[] ell = new int[m];
        int j = 0;
        for (Map.Entry<Integer, Integer> e : groups.entrySet()) {
            big[j] = e.getKey();
            ell[j] = e.getValue();
            j++;
        }
        double[] sHat = Linalg.singularValues(Linalg.matrix(gMatrix(big, ell)));
        double cut = LExtendedTarget.ZERO_REL_TOL * Math.max(sHat[0], Math.sqrt(big[0]));
        for (int i = 0; i < m; i++) {
            if (sHat[i] <= cut) {
                sHat[i] = 0;
            }
        }
        double[] kappa = new double[sizes.k()];
        int pos = 0;
        for (int g = 0; g < m; g++) {
            for (int c = 0; c < ell[g] - 1; c++) {
                kappa[pos++] = Math.sqrt(big[g]);
            }
            kappa[pos++] = sHat[g];
        }
        return new GroupedTargetSpectrum(big, ell, sHat, kappa);
    }

    /** G_ij = √N_j (δ_ij − N_i √(ℓ_iℓ_j)/N). */
    public static double[][] gMatrix(int[] groupSizes, int[] groupCounts) {
        int m = groupSizes.length;
        double n = 0;
        for (int g = 0; g < m; g++) {
            n += (double) groupSizes[g] * groupCounts[g];
        }
        double[][] gm = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                gm[i][j] = Math.sqrt(groupSizes[j])
                        * ((i == j ? 1.0 : 0.0) - groupSizes[i] * Math.sqrt((double) groupCounts[i] * groupCounts[j]) / n);
            }
        }
        return gm;
    }

    public int groups() {
        return groupSizes.length;
    }

    private double total() {
        double n = 0;
        for (int g = 0; g < groupSizes.length; g++) {
            n += (double) groupSizes[g] * groupCounts[g];
        }
        return n;
    }

    /** Interlacing lower bounds: √N_{j+1} for σ̂_j, j &lt; m, and 0 for σ̂_m. */
    public double[] lowerBounds() {
        int m = groups();
        double[] lo = new double[m];
        for (int j = 0; j < m - 1; j++) {
            lo[j] = Math.sqrt(groupSizes[j + 1]);
        }
        return lo;
    }

    /** Interlacing upper bounds: √N_j for σ̂_j, j &lt; m, and 0 for σ̂_m (which is exactly 0). */
    public double[] upperBounds() {
        int m = groups();
        double[] hi = new double[m];
        for (int j = 0; j < m - 1; j++) {
            hi[j] = Math.sqrt(groupSizes[j]);
        }
        return hi;
    }

    /**
     * The paper's explicit σ̂ for m ≤ 3 (decreasing, last entry 0); {@code null} for m &gt; 3, where only the
     * SVD of G (and the interlacing bracket) is available.
     */
    public double[] explicitGroupSingularValues() {
        int m = groups();
        double n = total();
        double[] big = Arrays.stream(groupSizes).asDoubleStream().toArray();
        double[] ell = Arrays.stream(groupCounts).asDoubleStream().toArray();
        switch (m) {
            case 1:
                return new double[] {0};
            case 2:
                return new double[] {Math.sqrt(big[0] * big[1] * (ell[0] + ell[1]) / n), 0};
            case 3: {
                double alpha = (big[0] * (big[1] * ell[1] + big[2] * ell[2]) + big[1] * (big[0] * ell[0] + big[2] * ell[2])
                        + big[2] * (big[0] * ell[0] + big[1] * ell[1])) / n;
                double beta = big[0] * big[1] * big[2] * (ell[0] + ell[1] + ell[2]) / n;
                double disc = Math.sqrt(Math.max(0, alpha * alpha - 4 * beta));
                double r1 = 0.5 * (alpha + disc);
                double r2 = beta / r1; // product of the roots, avoids cancellation
                return new double[] {Math.sqrt(r1), Math.sqrt(r2), 0};
            }
            default:
                return null;
        }
    }

    /** JSON-friendly summary (the {@code theorem44} entry of {@link LExtendedGeometry#details()}). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("groupSizes", groupSizes.clone());
        m.put("groupCounts", groupCounts.clone());
        m.put("groupSingularValues", groupSingularValues.clone());
        m.put("lowerBounds", lowerBounds());
        m.put("upperBounds", upperBounds());
        double[] explicit = explicitGroupSingularValues();
        if (explicit != null) {
            m.put("explicitGroupSingularValues", explicit);
        }
        m.put("singularValues", singularValues.clone());
        return m;
    }

    @Override
    public int[] groupSizes() {
        return groupSizes.clone();
    }

    @Override
    public int[] groupCounts() {
        return groupCounts.clone();
    }

    @Override
    public double[] groupSingularValues() {
        return groupSingularValues.clone();
    }

    @Override
    public double[] singularValues() {
        return singularValues.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupedTargetSpectrum s && Arrays.equals(groupSizes, s.groupSizes)
                && Arrays.equals(groupCounts, s.groupCounts) && Arrays.equals(groupSingularValues, s.groupSingularValues);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(groupSizes) * 31 + Arrays.hashCode(groupCounts);
    }

    @Override
    public String toString() {
        return "GroupedTargetSpectrum[N=" + Arrays.toString(groupSizes) + ", l=" + Arrays.toString(groupCounts)
                + ", sigmaHat=" + Arrays.toString(groupSingularValues) + "]";
    }
}

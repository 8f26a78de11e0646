package nclab.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;

/**
 * How a run config gives its class sizes, kept in the form the user wrote so that the resolved
 * {@code config.yaml} reads like the input. Forms (the config key, then the {@link ClassSizes} factory):
 * <ul>
 *   <li>{@code sizes: [n1, n2, ...]} — explicit counts ({@link ClassSizes#of});</li>
 *   <li>{@code step: [K, R, rho, nmin]} — (R, ρ)-STEP imbalance of seed 000 Definition 1
 *       ({@link ClassSizes#step});</li>
 *   <li>{@code majority: [KA, KB, nA, R]} — K_A majority classes of n_A and K_B minority classes of n_A/R,
 *       seed 003 ({@link ClassSizes#majorityMinority});</li>
 *   <li>{@code long_tail: [K, nmax, R]} — exponential long tail ({@link ClassSizes#longTail}).</li>
 * </ul>
 *
 * @param form   the config key: {@code sizes}, {@code step}, {@code majority} or {@code long_tail}
 * @param values the numbers as given
 */
public record SizesSpec(String form, double[] values) {
    /** The config keys that give class sizes, in the order they are documented. */
    public static final List<String> FORMS = List.of("sizes", "step", "majority", "long_tail");

    public SizesSpec {
        InvalidInputException.require(FORMS.contains(form), "unknown class-size form '" + form + "', expected one of " + FORMS);
        values = values.clone();
        int expected = switch (form) {
            case "step", "majority" -> 4;
            case "long_tail" -> 3;
            default -> -1;
        };
        InvalidInputException.require(expected < 0 || values.length == expected,
                form + " expects " + expected + " numbers (" + shape(form) + "), got " + values.length);
        toClassSizes(form, values); // validates
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    /** The class sizes this spec defines. */
    public ClassSizes toClassSizes() {
        return toClassSizes(form, values);
    }

    private static ClassSizes toClassSizes(String form, double[] v) {
        return switch (form) {
            case "sizes" -> ClassSizes.of(Arrays.stream(v).mapToInt(x -> whole("sizes", x)).toArray());
            case "step" -> ClassSizes.step(whole("step K", v[0]), v[1], v[2], whole("step nmin", v[3]));
            case "majority" -> ClassSizes.majorityMinority(whole("majority KA", v[0]), whole("majority KB", v[1]),
                    whole("majority nA", v[2]), v[3]);
            default -> ClassSizes.longTail(whole("long_tail K", v[0]), whole("long_tail nmax", v[1]), v[2]);
        };
    }

    /** What the numbers of a form mean, for messages. */
    static String shape(String form) {
        return switch (form) {
            case "step" -> "K, R, rho, nmin";
            case "majority" -> "KA, KB, nA, R";
            case "long_tail" -> "K, nmax, R";
            default -> "n1, n2, ...";
        };
    }

    /** The values as YAML-friendly numbers: whole numbers as Long, others as Double. */
    public List<Number> yamlValues() {
        List<Number> out = new ArrayList<>();
        for (double x : values) {
            out.add(x == Math.rint(x) && Math.abs(x) < 1e15 ? (Number) (long) x : (Number) x);
        }
        return out;
    }

    private static int whole(String what, double x) {
        InvalidInputException.require(x == Math.rint(x) && Math.abs(x) <= Integer.MAX_VALUE,
                what + " must be a whole number, got " + x);
        return (int) x;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SizesSpec s && s.form.equals(form) && Arrays.equals(s.values, values);
    }

    @Override
    public int hashCode() {
        return form.hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return form + " " + Arrays.toString(values);
    }
}

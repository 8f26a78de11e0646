package nclab.cli;

import java.util.Arrays;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import picocli.CommandLine.Option;

/**
 * The mutually exclusive ways of giving class sizes on the command line; picocli reports a second one
 * as a usage error.
 */
final class ClassSizesOptions {
    @Option(names = "--sizes", paramLabel = "N1,N2,...", description = "explicit class sizes, e.g. 50,50,5,5")
    String sizes;

    @Option(names = "--step", paramLabel = "K,R,RHO,NMIN",
            description = "(R,rho)-STEP imbalance (SELI Def. 1): (1-rho)*K majority classes of R*nmin samples first, then rho*K minority classes of nmin")
    String step;

    @Option(names = "--majority", paramLabel = "KA,KB,NA,R",
            description = "KA majority classes of NA samples and KB minority classes of NA/R (Layer-Peeled Model)")
    String majority;

    @Option(names = "--long-tail", paramLabel = "K,NMAX,R", description = "exponential long tail from NMAX down to NMAX/R")
    String longTail;

    ClassSizes toClassSizes() {
        if (sizes != null) {
            double[] v = numbers("--sizes", sizes, -1, "N1,N2,...");
            return ClassSizes.of(Arrays.stream(v).mapToInt(x -> whole("--sizes", x)).toArray());
        }
        if (step != null) {
            double[] v = numbers("--step", step, 4, "K,R,RHO,NMIN");
            return ClassSizes.step(whole("--step K", v[0]), v[1], v[2], whole("--step NMIN", v[3]));
        }
        if (majority != null) {
            double[] v = numbers("--majority", majority, 4, "KA,KB,NA,R");
            return ClassSizes.majorityMinority(whole("--majority KA", v[0]), whole("--majority KB", v[1]),
                    whole("--majority NA", v[2]), v[3]);
        }
        if (longTail != null) {
            double[] v = numbers("--long-tail", longTail, 3, "K,NMAX,R");
            return ClassSizes.longTail(whole("--long-tail K", v[0]), whole("--long-tail NMAX", v[1]), v[2]);
        }
        throw new InvalidInputException("class sizes are required: give --sizes, --step, --majority or --long-tail");
    }

    static double[] numbers(String option, String text, int expected, String form) {
        String[] parts = text.split(",", -1);
        if (expected > 0 && parts.length != expected) {
            throw new InvalidInputException(option + " expects " + form + " (" + expected
                    + " comma-separated numbers), got '" + text + "'");
        }
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new InvalidInputException(option + ": '" + parts[i].trim() + "' is not a number (in '" + text + "')");
            }
        }
        return v;
    }

    static int whole(String what, double x) {
        if (x != Math.rint(x) || Math.abs(x) > Integer.MAX_VALUE) {
            throw new InvalidInputException(what + " must be a whole number, got " + x);
        }
        return (int) x;
    }
}

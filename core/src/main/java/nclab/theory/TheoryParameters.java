package nclab.theory;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;

/**
 * Everything a {@code nclab theory} call may pass to a model. Optional values are {@code null} when not
 * given; each model takes what it needs through the {@code require…} accessors, which fail with a
 * message naming the missing command-line option.
 *
 * @param sizes      class sizes n_1..n_K
 * @param lambdaW    ridge strength on the classifier W (--lambda-w)
 * @param lambdaH    ridge strength on the features H (--lambda-h)
 * @param lambda     single regularisation strength (--lambda), e.g. the deep UFM of seed 002
 * @param eW         Layer-Peeled classifier energy E_W (--ew)
 * @param eH         Layer-Peeled feature energy E_H (--eh)
 * @param oversample oversampling rate w_r ≥ 1 of the minority classes (--oversample)
 * @param layers     number of layers L (--layers)
 * @param bias       whether the model has a bias (--bias)
 */
public record TheoryParameters(ClassSizes sizes, Double lambdaW, Double lambdaH, Double lambda,
                               Double eW, Double eH, Double oversample, Integer layers, boolean bias) {
    public TheoryParameters {
        InvalidInputException.require(sizes != null, "class sizes are required (--sizes, --step or --majority)");
    }

    /** Only class sizes given. */
    public static TheoryParameters of(ClassSizes sizes) {
        return new TheoryParameters(sizes, null, null, null, null, null, null, null, false);
    }

    public double requireLambdaW() {
        return positive(lambdaW, "--lambda-w");
    }

    public double requireLambdaH() {
        return positive(lambdaH, "--lambda-h");
    }

    public double requireLambda() {
        return positive(lambda, "--lambda");
    }

    public double eWOr(double fallback) {
        return eW == null ? fallback : InvalidInputException.requirePositive("--ew", eW);
    }

    public double eHOr(double fallback) {
        return eH == null ? fallback : InvalidInputException.requirePositive("--eh", eH);
    }

    public double oversampleOr(double fallback) {
        if (oversample == null) {
            return fallback;
        }
        InvalidInputException.require(Double.isFinite(oversample) && oversample >= 1,
                "--oversample must be a rate >= 1, got " + oversample);
        return oversample;
    }

    public int layersOr(int fallback) {
        if (layers == null) {
            return fallback;
        }
        InvalidInputException.require(layers >= 1, "--layers must be >= 1, got " + layers);
        return layers;
    }

    private static double positive(Double value, String option) {
        InvalidInputException.require(value != null, "this model needs " + option);
        return InvalidInputException.requirePositive(option, value);
    }
}

package nclab.experiment;

import java.util.ArrayList;
import java.util.List;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.metrics.Centring;
import nclab.model.DeepUfmObjective;
import nclab.model.LExtendedObjective;
import nclab.model.LayerPeeledObjective;
import nclab.model.Objective;
import nclab.model.ParameterLayout;
import nclab.model.StochasticObjective;
import nclab.model.UfmObjective;
import nclab.optim.Adam;
import nclab.optim.DivergenceGuard;
import nclab.optim.GradientDescent;
import nclab.optim.LearningRateSchedule;
import nclab.optim.Momentum;
import nclab.optim.Sgd;
import nclab.theory.DeepUfmGeometry;
import nclab.theory.Etf;
import nclab.theory.LExtendedGeometry;
import nclab.theory.LayerPeeledGeometry;
import nclab.theory.ReluUfmGeometry;
import nclab.theory.SeliGeometry;
import nclab.theory.TheoryParameters;

/**
 * The models and optimisers {@code nclab solve} offers, and the predicted geometries each run is compared
 * with at every logged step (columns {@code dist_<model>_…} of metrics.csv):
 * <ul>
 *   <li>{@code ufm} — UFM with ridge CE, optional bias and non-negative features (seed 000 eq. 1, seed 001
 *       eq. 4): ETF, SELI; plus {@code relu-ufm} when features are non-negative and both λ's are positive;</li>
 *   <li>{@code lpm} — Layer-Peeled Model (seed 003 eqs. 7, 18): ETF, SELI, {@code lpm};</li>
 *   <li>{@code deep-ufm} — deep UFM with CE, linear or ReLU (seed 002 eq. 1): ETF, SELI, {@code deep-ufm};
 *       metrics read the features after the first L−1 layers and the last layer W_L;</li>
 *   <li>{@code lext} — L-extended UFM with MSE (seed 004 eq. 4.3): ETF, SELI, {@code lext}; metrics read H and
 *       the product classifier W_L⋯W_1.</li>
 * </ul>
 * Optimisers: {@code gd} (full batch, heavy-ball momentum), {@code sgd} (minibatch, order from (seed, epoch)),
 * {@code adam} (full batch). Schedule milestones are given in epochs and converted to steps here.
 */
public final class StandardRegistry {
    private StandardRegistry() {
    }

    /** A fresh registry with every available model and optimiser. */
    public static ModelRegistry create() {
        return new ModelRegistry()
                .model(UfmObjective.MODEL, new Ufm())
                .model("lpm", new Lpm())
                .model("deep-ufm", new DeepUfm())
                .model("lext", new LExtended())
                .optimizer("gd", (c, o) -> new GradientDescent(o, schedule(c), momentum(c), DivergenceGuard.DEFAULT))
                .optimizer("sgd", (c, o) -> new Sgd(stochastic(c, o), c.batch(), c.replacement(), c.seed(), schedule(c),
                        momentum(c), DivergenceGuard.DEFAULT))
                .optimizer("adam", (c, o) -> new Adam(o, schedule(c)));
    }

    static LearningRateSchedule schedule(SolveConfig c) {
        return switch (c.schedule()) {
            case "step" -> {
                long[] epochs = c.milestones();
                long[] steps = new long[epochs.length];
                for (int i = 0; i < epochs.length; i++) {
                    steps[i] = epochs[i] * c.stepsPerEpoch();
                }
                yield LearningRateSchedule.step(c.lr(), steps, c.gamma());
            }
            case "cosine" -> LearningRateSchedule.cosine(c.lr(), c.totalSteps(), 0);
            default -> LearningRateSchedule.constant(c.lr());
        };
    }

    private static Momentum momentum(SolveConfig c) {
        return c.momentum() > 0 ? Momentum.heavyBall(c.momentum()) : Momentum.none();
    }

    private static StochasticObjective stochastic(SolveConfig c, Objective o) {
        if (o instanceof StochasticObjective s) {
            return s;
        }
        throw new InvalidInputException("optimizer sgd needs a model with minibatches; model " + c.model() + " has none");
    }

    private static double orZero(Double v) {
        return v == null ? 0 : v;
    }

    private static void noInitScale(SolveConfig c) {
        InvalidInputException.require(c.initScale() == null,
                "init_scale is not supported for model " + c.model() + " (it uses the initialisation of its paper)");
    }

    private static List<TheoryTarget> balancedReferences(ClassSizes sizes) {
        List<TheoryTarget> t = new ArrayList<>();
        TheoryParameters p = TheoryParameters.of(sizes);
        t.add(new TheoryTarget(Etf.predict(p), Centring.CLASS_BALANCED));
        t.add(new TheoryTarget(SeliGeometry.predict(p), Centring.CLASS_BALANCED));
        return t;
    }

    /** UFM with ridge CE (optionally bias, non-negative features). */
    private static final class Ufm implements ModelFactory {
        @Override
        public void validate(SolveConfig c) {
            InvalidInputException.require(c.layers() == 1, "model ufm has one layer; use model deep-ufm for layers = " + c.layers());
        }

        @Override
        public ModelSetup setup(SolveConfig c) {
            ClassSizes sizes = c.classSizes();
            double scale = c.initScale() == null ? UfmObjective.DEFAULT_INIT_SCALE : c.initScale();
            UfmObjective o = new UfmObjective(sizes, c.d(), orZero(c.lambdaW()), orZero(c.lambdaH()), 0, c.bias(),
                    c.nonNegative(), scale);
            List<TheoryTarget> targets = balancedReferences(sizes);
            if (c.nonNegative() && orZero(c.lambdaW()) > 0 && orZero(c.lambdaH()) > 0) {
                targets.add(new TheoryTarget(ReluUfmGeometry.of(sizes, c.lambdaW(), c.lambdaH()), Centring.NONE));
            }
            return new ModelSetup(o, ModelSetup.orderedLabels(sizes.counts()), LastLayer.fromLayout(o.layout()), targets);
        }
    }

    /** Layer-Peeled Model with its two constraints and oversampling. */
    private static final class Lpm implements ModelFactory {
        @Override
        public void validate(SolveConfig c) {
            noInitScale(c);
            c.requireDimensionAtLeastKMinus1();
        }

        @Override
        public ModelSetup setup(SolveConfig c) {
            ClassSizes sizes = c.classSizes();
            TheoryParameters p = c.theoryParameters();
            LayerPeeledObjective o = new LayerPeeledObjective(sizes, c.d(), p.eWOr(1), p.eHOr(5), p.oversampleOr(1));
            List<TheoryTarget> targets = balancedReferences(sizes);
            targets.add(new TheoryTarget(LayerPeeledGeometry.solve(sizes, o.eW(), o.eH(), o.oversample()), Centring.NONE));
            return new ModelSetup(o, ModelSetup.orderedLabels(sizes.counts()), LastLayer.fromLayout(o.layout()), targets);
        }
    }

    /** Deep UFM, linear or ReLU. */
    private static final class DeepUfm implements ModelFactory {
        @Override
        public void validate(SolveConfig c) {
            c.requirePositive("lambda", c.lambda());
        }

        @Override
        public ModelSetup setup(SolveConfig c) {
            ClassSizes sizes = c.classSizes();
            DeepUfmObjective o = new DeepUfmObjective(sizes, c.d(), c.layers(), c.lambda(),
                    c.relu() ? DeepUfmObjective.Activation.RELU : DeepUfmObjective.Activation.LINEAR,
                    c.initScale() == null ? 1 : c.initScale());
            List<TheoryTarget> targets = balancedReferences(sizes);
            targets.add(new TheoryTarget(DeepUfmGeometry.of(sizes, c.layers(), c.lambda()), Centring.NONE));
            return new ModelSetup(o, ModelSetup.orderedLabels(sizes.counts()),
                    new DeepLastLayer(o.layout(), c.layers(), c.relu()), targets);
        }
    }

    /** L-extended UFM with MSE, with or without bias. */
    private static final class LExtended implements ModelFactory {
        @Override
        public void validate(SolveConfig c) {
            noInitScale(c);
            c.requirePositive("lambda_w", c.lambdaW());
            c.requirePositive("lambda_h", c.lambdaH());
        }

        @Override
        public ModelSetup setup(SolveConfig c) {
            ClassSizes sizes = c.classSizes();
            LExtendedObjective o = new LExtendedObjective(sizes, c.d(), c.layers(), c.lambdaW(), c.lambdaH(), c.bias());
            List<TheoryTarget> targets = balancedReferences(sizes);
            targets.add(new TheoryTarget(LExtendedGeometry.of(sizes, c.layers(), c.lambdaW(), c.lambdaH(), c.bias()),
                    Centring.NONE));
            LastLayer standard = LastLayer.fromLayout(o.layout());
            LastLayer product = new LastLayer() {
                @Override
                public double[][] features(double[] x) {
                    return standard.features(x);
                }

                @Override
                public double[][] classifier(double[] x) {
                    return o.product(x);
                }

                @Override
                public double[] bias(double[] x) {
                    return standard.bias(x);
                }
            };
            return new ModelSetup(o, ModelSetup.orderedLabels(sizes.counts()), product, targets);
        }
    }

    /**
     * Last layer of the deep UFM: features h_L = σ(W_{L−1} ⋯ σ(W_1 h_1)) (σ = identity for the linear model,
     * h_1 itself not rectified, as in {@link DeepUfmObjective}), classifier W_L, no bias.
     */
    record DeepLastLayer(ParameterLayout layout, int layers, boolean relu) implements LastLayer {
        @Override
        public double[][] features(double[] x) {
            double[][] h = layout.get(x, "H");
            for (int l = 1; l < layers; l++) {
                h = nclab.model.LayerForward.apply(h, layout.get(x, "W" + l), relu);
            }
            return h;
        }

        @Override
        public double[][] classifier(double[] x) {
            return layout.get(x, "W" + layers);
        }

        @Override
        public double[] bias(double[] x) {
            return null;
        }
    }
}

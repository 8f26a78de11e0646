package nclab.experiment;

import java.util.List;

import nclab.metrics.Centring;
import nclab.theory.Etf;
import nclab.theory.SeliGeometry;

/** Test-only registry: model {@code test-ufm} ({@link TinyUfm}, needs d ≥ K−1) and optimiser {@code gd} ({@link MomentumGd}). */
final class TestModels {
    private TestModels() {
    }

    static ModelRegistry registry() {
        return new ModelRegistry()
                .model("test-ufm", new ModelFactory() {
                    @Override
                    public void validate(SolveConfig config) {
                        config.requireDimensionAtLeastKMinus1();
                    }

                    @Override
                    public ModelSetup setup(SolveConfig c) {
                        int[] labels = ModelSetup.orderedLabels(c.classSizes().counts());
                        TinyUfm f = new TinyUfm(labels, c.classSizes().k(), c.d(),
                                c.requirePositive("lambda_w", c.lambdaW()), c.requirePositive("lambda_h", c.lambdaH()),
                                c.bias(), c.initScale() == null ? 0.5 : c.initScale());
                        return new ModelSetup(f, labels, LastLayer.fromLayout(f.layout()), List.of(
                                new TheoryTarget(Etf.predict(c.theoryParameters()), Centring.CLASS_BALANCED),
                                new TheoryTarget(SeliGeometry.predict(c.theoryParameters()), Centring.CLASS_BALANCED)));
                    }
                })
                .optimizer("gd", (c, objective) -> new MomentumGd(objective, c.lr(), c.momentum()));
    }
}

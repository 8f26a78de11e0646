package nclab.dl.train;

import java.util.List;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The updates against the formulas evaluated by hand in double, for f(θ) = ½‖θ − c‖² (gradient θ − c). */
class ParameterUpdaterTest {
    private static final float[] START = {1.0f, -2.0f, 0.5f};
    private static final float[] C = {0.25f, 1.0f, -1.0f};

    @Test
    void sgdWithMomentumAndDecayMatchesPyTorchFormula() {
        double lr = 0.1;
        double mu = 0.9;
        double wd = 0.01;
        double[] theta = {1.0, -2.0, 0.5};
        double[] v = new double[3];
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = parameter(m);
            ParameterUpdater u = new ParameterUpdater("sgd", mu, List.of(new ParameterUpdater.Slot("p", p, wd)), m);
            for (int step = 0; step < 5; step++) {
                backward(p, m);
                try (NDManager s = m.newSubManager()) {
                    u.step(lr, s);
                }
                for (int i = 0; i < 3; i++) {
                    double g = (theta[i] - C[i]) + wd * theta[i];
                    v[i] = mu * v[i] + g;
                    theta[i] -= lr * v[i];
                }
            }
            assertClose(theta, p.getArray().toFloatArray());
        }
    }

    @Test
    void adamMatchesKingmaBaFormula() {
        double lr = 0.05;
        double[] theta = {1.0, -2.0, 0.5};
        double[] mm = new double[3];
        double[] vv = new double[3];
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = parameter(m);
            ParameterUpdater u = new ParameterUpdater("adam", 0, List.of(new ParameterUpdater.Slot("p", p, 0)), m);
            for (int t = 1; t <= 4; t++) {
                backward(p, m);
                try (NDManager s = m.newSubManager()) {
                    u.step(lr, s);
                }
                for (int i = 0; i < 3; i++) {
                    double g = theta[i] - C[i];
                    mm[i] = 0.9 * mm[i] + 0.1 * g;
                    vv[i] = 0.999 * vv[i] + 0.001 * g * g;
                    double mHat = mm[i] / (1 - Math.pow(0.9, t));
                    double vHat = vv[i] / (1 - Math.pow(0.999, t));
                    theta[i] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
                }
            }
            assertClose(theta, p.getArray().toFloatArray());
            assertEquals(4, u.steps());
        }
    }

    @Test
    void stateRestoresExactly() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = parameter(m);
            ParameterUpdater a = new ParameterUpdater("adam", 0, List.of(new ParameterUpdater.Slot("p", p, 1e-3)), m);
            for (int t = 0; t < 3; t++) {
                backward(p, m);
                try (NDManager s = m.newSubManager()) {
                    a.step(0.01, s);
                }
            }
            Parameter q = parameter(m);
            q.getArray().set(p.getArray().toFloatArray());
            ParameterUpdater b = new ParameterUpdater("adam", 0, List.of(new ParameterUpdater.Slot("p", q, 1e-3)), m);
            b.restore(a.state());
            backward(p, m);
            backward(q, m);
            try (NDManager s = m.newSubManager()) {
                a.step(0.01, s);
                b.step(0.01, s);
            }
            assertArrayEquals(p.getArray().toFloatArray(), q.getArray().toFloatArray());
        }
    }

    private static Parameter parameter(NDManager m) {
        Parameter p = Parameter.builder().setName("p").setType(Parameter.Type.WEIGHT).build();
        NDArray a = m.create(START.clone());
        a.setRequiresGradient(true);
        p.setArray(a);
        return p;
    }

    /** Leaves ∇ ½‖θ − c‖² = θ − c on the parameter. */
    private static void backward(Parameter p, NDManager m) {
        try (NDManager s = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray diff = p.getArray().sub(s.create(C));
            gc.backward(diff.square().sum().mul(0.5));
        }
    }

    private static void assertClose(double[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), "entry " + i);
        }
    }
}

package nclab.dl.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import nclab.InvalidInputException;

/**
 * First-order updates of a network's parameters with per-parameter weight decay, written out so that the whole
 * optimiser state can be checkpointed and restored exactly (DJL's built-in optimisers keep theirs private).
 * With g the minibatch gradient of parameter θ and wd its decay (L2, added to the gradient as in PyTorch):
 * <ul>
 *   <li>SGD with heavy-ball momentum μ (PyTorch {@code torch.optim.SGD}): v ← μv + (g + wd·θ), θ ← θ − η v;</li>
 *   <li>Adam (Kingma–Ba, PyTorch defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8): with ĝ = g + wd·θ,
 *       m ← β₁m + (1−β₁)ĝ, v ← β₂v + (1−β₂)ĝ², θ ← θ − η·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε).</li>
 * </ul>
 * Parameters that take no gradient (batch-norm running statistics) are left to their block.
 */
public final class ParameterUpdater {
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPS = 1e-8;

    /** One trained parameter, its checkpoint name and its weight decay. */
    public record Slot(String name, Parameter parameter, double decay) {
    }

    private final boolean adam;
    private final double momentum;
    private final List<Slot> slots;
    private final List<NDArray> first = new ArrayList<>();
    private final List<NDArray> second = new ArrayList<>();
    private long t;

    /**
     * @param optimizer {@code sgd} or {@code adam}
     * @param momentum  SGD momentum in [0, 1) (ignored by Adam)
     * @param slots     the trained parameters (requiring gradients), in a fixed order
     * @param manager   owns the optimiser state arrays
     */
    public ParameterUpdater(String optimizer, double momentum, List<Slot> slots, NDManager manager) {
        InvalidInputException.require(optimizer.equals("sgd") || optimizer.equals("adam"),
                "optimizer must be sgd or adam, got '" + optimizer + "'");
        this.adam = optimizer.equals("adam");
        this.momentum = momentum;
        this.slots = List.copyOf(slots);
        for (Slot s : slots) {
            NDArray p = s.parameter().getArray();
            first.add(manager.zeros(p.getShape(), DataType.FLOAT32));
            second.add(adam ? manager.zeros(p.getShape(), DataType.FLOAT32) : null);
        }
    }

    /** The trained parameters in update order. */
    public List<Slot> slots() {
        return slots;
    }

    /**
     * Applies one update with learning rate {@code lr} from the gradients the last backward pass left on the
     * parameters, then zeroes those gradients. Temporaries are freed before returning ({@link NDScope}: results of
     * operations on a parameter or state array would otherwise belong to that array's long-lived manager).
     */
    public void step(double lr, NDManager scratch) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            update(lr, scratch);
        }
    }

    private void update(double lr, NDManager scratch) {
        t++;
        double bias1 = 1 - Math.pow(BETA1, t);
        double bias2 = 1 - Math.pow(BETA2, t);
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            NDArray p = s.parameter().getArray();
            NDArray g = p.getGradient(); // a view of the accumulated gradient, updated in place below
            g.attach(scratch);
            if (s.decay() != 0) {
                g.addi(p.mul((float) s.decay())); // ĝ = g + wd·θ
            }
            if (adam) {
                NDArray m = first.get(i);
                NDArray v = second.get(i);
                m.muli((float) BETA1).addi(g.mul((float) (1 - BETA1)));
                v.muli((float) BETA2).addi(g.square().muli((float) (1 - BETA2)));
                NDArray denom = v.div((float) bias2).sqrt().addi((float) EPS);
                p.subi(m.div(denom).muli((float) (lr / bias1)));
            } else if (momentum > 0) {
                NDArray v = first.get(i);
                v.muli((float) momentum).addi(g);
                p.subi(v.mul((float) lr));
            } else {
                p.subi(g.mul((float) lr));
            }
            JniUtils.zeroGrad((PtNDArray) p); // ready for the next backward pass (gradients accumulate)
        }
    }

    /** Updates applied so far. */
    public long steps() {
        return t;
    }

    /** The optimiser state as named float64 arrays (exact: every entry is a float32). */
    public Map<String, double[]> state() {
        Map<String, double[]> out = new LinkedHashMap<>();
        out.put("t", new double[] {t});
        for (int i = 0; i < slots.size(); i++) {
            if (adam || momentum > 0) {
                out.put("m." + slots.get(i).name(), toDouble(first.get(i).toFloatArray()));
            }
            if (adam) {
                out.put("v." + slots.get(i).name(), toDouble(second.get(i).toFloatArray()));
            }
        }
        return out;
    }

    /** Restores a state written by {@link #state()} for the same parameters. */
    public void restore(Map<String, double[]> state) {
        double[] tt = state.get("t");
        InvalidInputException.require(tt != null && tt.length == 1, "checkpoint has no optimiser step count");
        t = (long) tt[0];
        for (int i = 0; i < slots.size(); i++) {
            if (adam || momentum > 0) {
                set(first.get(i), state, "m." + slots.get(i).name());
            }
            if (adam) {
                set(second.get(i), state, "v." + slots.get(i).name());
            }
        }
    }

    private static void set(NDArray target, Map<String, double[]> state, String key) {
        double[] v = state.get(key);
        InvalidInputException.require(v != null && v.length == target.size(),
                "checkpoint optimiser state '" + key + "' is missing or has the wrong size");
        target.set(toFloat(v));
    }

    static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    static float[] toFloat(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}

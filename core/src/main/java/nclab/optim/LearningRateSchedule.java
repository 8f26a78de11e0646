package nclab.optim;

import java.util.Arrays;

import nclab.InvalidInputException;

/**
 * Learning rate η_t as a function of the 0-based step index t (a pure function, so a resumed run needs no
 * schedule state). Epoch-based schedules are expressed in steps by the caller (epoch e starts at step
 * e·⌈N/B⌉).
 */
public interface LearningRateSchedule {
    /** η_t for step t ≥ 0. */
    double rate(long step);

    /** η_t = η. */
    static LearningRateSchedule constant(double lr) {
        return new Constant(lr);
    }

    /** η_t = η·γ^{#{m ∈ milestones : m ≤ t}} (PyTorch MultiStepLR; seed 000 Sec. 5.3 uses γ = 0.1). */
    static LearningRateSchedule step(double lr, long[] milestones, double gamma) {
        return new Step(lr, milestones, gamma);
    }

    /** η_t = η_min + (η − η_min)(1 + cos(π·min(t, T)/T))/2 (cosine annealing over T steps, then η_min). */
    static LearningRateSchedule cosine(double lr, long totalSteps, double minLr) {
        return new Cosine(lr, totalSteps, minLr);
    }

    /** Constant rate. */
    record Constant(double lr) implements LearningRateSchedule {
        public Constant {
            InvalidInputException.requirePositive("lr", lr);
        }

        @Override
        public double rate(long step) {
            return lr;
        }
    }

    /** Multiplies the rate by {@code gamma} at each milestone step (milestones strictly increasing, ≥ 1). */
    record Step(double lr, long[] milestones, double gamma) implements LearningRateSchedule {
        public Step {
            InvalidInputException.requirePositive("lr", lr);
            InvalidInputException.requirePositive("gamma", gamma);
            InvalidInputException.require(milestones != null, "milestones are required");
            milestones = milestones.clone();
            for (int i = 0; i < milestones.length; i++) {
                InvalidInputException.require(milestones[i] >= 1 && (i == 0 || milestones[i] > milestones[i - 1]),
                        "milestones must be increasing steps >= 1, got " + Arrays.toString(milestones));
            }
        }

        @Override
        public long[] milestones() {
            return milestones.clone();
        }

        @Override
        public double rate(long step) {
            double r = lr;
            for (long m : milestones) {
                if (m <= step) {
                    r *= gamma;
                }
            }
            return r;
        }
    }

    /** Cosine annealing from {@code lr} to {@code minLr} over {@code totalSteps}. */
    record Cosine(double lr, long totalSteps, double minLr) implements LearningRateSchedule {
        public Cosine {
            InvalidInputException.requirePositive("lr", lr);
            InvalidInputException.require(totalSteps >= 1, "totalSteps must be >= 1, got " + totalSteps);
            InvalidInputException.requireNonNegative("minLr", minLr);
            InvalidInputException.require(minLr <= lr, "minLr = " + minLr + " must not exceed lr = " + lr);
        }

        @Override
        public double rate(long step) {
            double t = Math.min(step, totalSteps);
            return minLr + (lr - minLr) * 0.5 * (1.0 + Math.cos(Math.PI * t / totalSteps));
        }
    }
}

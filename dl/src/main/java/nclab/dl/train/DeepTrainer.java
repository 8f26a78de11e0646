package nclab.dl.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import nclab.InvalidInputException;
import nclab.dl.data.EpochOrder;
import nclab.dl.net.ClassifierNet;
import nclab.dl.net.NetworkSpec;
import nclab.experiment.Checkpoint;
import nclab.experiment.LogSchedule;
import nclab.experiment.MetricsLog;
import nclab.experiment.Provenance;
import nclab.experiment.RunDirectory;
import nclab.experiment.RunDiverged;
import nclab.io.Npy;
import nclab.io.Npz;
import nclab.optim.LearningRateSchedule;

/**
 * Trains a network of {@link ClassifierNet} on the data of a {@link TrainConfig} by minibatch SGD or Adam
 * ({@link ParameterUpdater}), logging {@link EpochMetrics} after each logged epoch (log-spaced by default, epoch 0
 * = the initialisation included), with the run directory of {@code nclab solve}: {@code config.yaml},
 * {@code provenance.json}, {@code metrics.csv}, {@code checkpoint.npz} (parameters, optimiser state, epochs
 * done; written at the first epoch end {@code checkpoint_seconds} after the last), {@code summary.json}; at the
 * end {@code final.npz} (every parameter) and, for {@code nclab analyze}, {@code features.npy} (N×d float32
 * classifier inputs of the final network), {@code labels.npy}, {@code W.npy} and {@code b.npy}.
 *
 * <p>Reproducible: the subset, the initialisation ({@link Engine#setRandomSeed}) and the minibatch order of
 * epoch e ({@link EpochOrder}, from (seed, e) alone) follow from the seed, so a run resumed from a checkpoint
 * repeats the uninterrupted run's numbers. A loss that turns NaN/Inf stops the run ({@link RunDiverged}) with the
 * last checkpoint kept.
 */
public final class DeepTrainer {
    private final TrainConfig config;
    private final RunDirectory run;
    private final TrainProgress.Listener progress;

    public DeepTrainer(TrainConfig config, RunDirectory run, TrainProgress.Listener progress) {
        this.config = config;
        this.run = run;
        this.progress = progress;
    }

    /** Starts a new run in an empty run directory. */
    public static Map<String, Object> start(TrainConfig config, Path dir, TrainProgress.Listener progress) {
        RunDirectory run = RunDirectory.create(dir);
        config.withOut(dir.toString()).write(run.file(RunDirectory.CONFIG));
        Map<String, Object> provenance = Provenance.of(config.seed(), config.model());
        provenance.put("djl_version", Engine.getDjlVersion());
        provenance.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        provenance.put("device", Engine.getInstance().defaultDevice().toString());
        run.writeProvenance(provenance);
        return new DeepTrainer(config, run, progress).train();
    }

    /** Continues the run in {@code dir} from its checkpoint (or from the start when it has none). */
    public static Map<String, Object> resume(Path dir, TrainProgress.Listener progress) {
        RunDirectory run = RunDirectory.open(dir);
        if (run.finished()) {
            return run.readSummary();
        }
        TrainConfig config = TrainConfig.read(run.file(RunDirectory.CONFIG));
        Map<String, Object> provenance = run.readProvenance();
        @SuppressWarnings("unchecked")
        List<Object> resumed = provenance.get("resumed") instanceof List<?> l ? new ArrayList<>((List<Object>) l) : new ArrayList<>();
        resumed.add(Provenance.resumption(run.readCheckpoint().map(Checkpoint::step).orElse(0L)));
        provenance.put("resumed", resumed);
        run.writeProvenance(provenance);
        return new DeepTrainer(config, run, progress).train();
    }

    /** The network a config describes, for data of the given shape. */
    public static ClassifierNet network(TrainConfig c, int classes, int channels, int height, int width) {
        NetworkSpec spec = new NetworkSpec(c.model(), c.depth(), c.width(), c.batchNorm(), c.bias(), c.headLayers(),
                c.headActivation(), c.widthMultiplier());
        return ClassifierNet.build(spec, classes, channels, height, width);
    }

    private Map<String, Object> train() {
        long startNanos = System.nanoTime();
        TrainData data = TrainData.load(config);
        int n = data.train().size();
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierNet net = network(config, data.train().classes(), data.train().channels(), data.train().height(),
                    data.train().width());
            net.initialize(manager, config.seed());
            List<Parameter> all = net.parameters();
            ParameterUpdater updater = new ParameterUpdater(config.optimizer(), config.momentum(), slots(net), manager);
            LogSchedule schedule = config.logEvery() != null ? LogSchedule.every(config.epochs(), config.logEvery())
                    : LogSchedule.logSpaced(config.epochs(), config.logPoints());
            LearningRateSchedule lr = learningRate();
            int startEpoch = 0;
            double elapsedBefore = 0;
            MetricsLog log;
            var checkpoint = run.readCheckpoint();
            if (checkpoint.isPresent()) {
                Checkpoint cp = checkpoint.get();
                restore(all, cp.x());
                updater.restore(cp.optimizerState());
                startEpoch = Math.toIntExact(cp.step());
                elapsedBefore = cp.elapsedSeconds();
                log = MetricsLog.resume(run.file(RunDirectory.METRICS), cp.rows());
            } else {
                log = MetricsLog.create(run.file(RunDirectory.METRICS));
            }
            ParameterStore ps = new ParameterStore(manager, false);
            double trainSeconds = 0;
            double metricSeconds = 0;
            double lastLoss = Double.NaN;
            double lastAcc = Double.NaN;
            long lastCheckpoint = System.nanoTime();
            long lastReport = 0;
            long runStart = System.nanoTime();
            if (startEpoch == 0 && schedule.size() > 0 && schedule.step(0) == 0) {
                long t0 = System.nanoTime();
                log.append(row(net, data, manager, 0, Double.NaN, lr.rate(0), trainSeconds, metricSeconds));
                metricSeconds += (System.nanoTime() - t0) * 1e-9;
            }
            int batch = Math.min(config.batch(), n);
            // the last good state, kept in memory and written as the checkpoint if the next epoch diverges
            Checkpoint lastGood = new Checkpoint(flatten(all), updater.state(), startEpoch, log.rows(), elapsedBefore);
            for (int epoch = startEpoch; epoch < config.epochs(); epoch++) {
                long e0 = System.nanoTime();
                int[] order = EpochOrder.permutation(n, config.seed(), epoch);
                double rate = lr.rate(epoch);
                double lossSum = 0;
                long correct = 0;
                int seen = 0;
                for (int from = 0; from < n; from += batch) {
                    int to = Math.min(n, from + batch);
                    // every array of the batch, including results of operations on parameters (which DJL would
                    // otherwise give to the parameters' manager and keep until the run ends), is freed at the end
                    try (NDManager scratch = manager.newSubManager(); NDScope scope = new NDScope()) {
                        scope.suppressNotUsedWarning();
                        NDArray x = Batches.images(data.train(), order, from, to, data.normalization(), scratch);
                        NDArray y = Batches.labels(data.train(), order, from, to, scratch);
                        float batchLoss;
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            ClassifierNet.Forward f = net.forward(ps, x, true);
                            NDArray loss = Losses.loss(config.loss(), f.logits(), y, data.train().classes());
                            if (config.lambdaH() > 0) {
                                loss = loss.add(f.features().square().sum(new int[] {1}).mean().mul((float) (config.lambdaH() / 2)));
                            }
                            gc.backward(loss);
                            batchLoss = loss.getFloat();
                            correct += f.logits().argMax(1).eq(y).sum().toType(ai.djl.ndarray.types.DataType.INT64, false).getLong();
                        }
                        updater.step(rate, scratch);
                        lossSum += (double) batchLoss * (to - from);
                        seen += to - from;
                    }
                    long now = System.nanoTime();
                    if (now - lastReport > 500_000_000L) {
                        lastReport = now;
                        double done = epoch + seen / (double) n;
                        double spent = (now - runStart) * 1e-9;
                        double eta = spent / (done - startEpoch) * (config.epochs() - done);
                        progress.report(new TrainProgress(done, config.epochs(), lossSum / seen, correct / (double) seen, eta, false));
                    }
                }
                double epochLoss = lossSum / n;
                trainSeconds += (System.nanoTime() - e0) * 1e-9;
                lastLoss = epochLoss;
                lastAcc = correct / (double) n;
                if (!Double.isFinite(epochLoss)) {
                    run.writeCheckpoint(lastGood);
                    Map<String, Object> summary = summary("diverged", "training loss became " + epochLoss + " in epoch "
                            + (epoch + 1) + "; checkpoint.npz holds the state after epoch " + lastGood.step()
                            + " (try a smaller lr)", epoch, log,
                            elapsedBefore + (System.nanoTime() - runStart) * 1e-9, trainSeconds, metricSeconds);
                    run.writeSummary(summary);
                    throw new RunDiverged((String) summary.get("message"));
                }
                int done = epoch + 1;
                if (schedule.indexAfter(done - 1) < schedule.size() && schedule.step(schedule.indexAfter(done - 1)) == done) {
                    long t0 = System.nanoTime();
                    log.append(row(net, data, manager, done, epochLoss, rate, trainSeconds, metricSeconds));
                    metricSeconds += (System.nanoTime() - t0) * 1e-9;
                }
                double elapsed = elapsedBefore + (System.nanoTime() - runStart) * 1e-9;
                if (done < config.epochs()) {
                    lastGood = new Checkpoint(flatten(all), updater.state(), done, log.rows(), elapsed);
                    if ((System.nanoTime() - lastCheckpoint) * 1e-9 >= config.checkpointSeconds()) {
                        run.writeCheckpoint(lastGood);
                        lastCheckpoint = System.nanoTime();
                    }
                }
                if (done < config.epochs()) {
                    double spent = (System.nanoTime() - runStart) * 1e-9;
                    progress.report(new TrainProgress(done, config.epochs(), epochLoss, lastAcc,
                            spent / (done - startEpoch) * (config.epochs() - done), false));
                }
            }
            double elapsed = elapsedBefore + (System.nanoTime() - runStart) * 1e-9;
            writeFinal(net, all, data, manager);
            Map<String, Object> summary = summary("completed", "trained " + config.epochs() + " epochs",
                    config.epochs(), log, elapsed, trainSeconds, metricSeconds);
            run.writeSummary(summary);
            run.deleteCheckpoint();
            progress.report(new TrainProgress(config.epochs(), config.epochs(), lastLoss, lastAcc, 0, true));
            summary.put("setup_seconds", (runStart - startNanos) * 1e-9);
            return summary;
        }
    }

    private Map<String, Object> row(ClassifierNet net, TrainData data, NDManager manager, int epoch, double loss,
                                    double rate, double trainSeconds, double metricSeconds) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", epoch);
        row.put("lr", rate);
        row.put("loss", loss);
        FeaturePass train = FeaturePass.run(net, data.train(), data.normalization(), manager, config.headLayers() > 0);
        FeaturePass test = FeaturePass.run(net, data.test(), data.normalization(), manager, false);
        boolean ridge = config.lambdaH() > 0 && config.classifierDecay() > 0;
        // The training loss adds (λ_h/2)·mean_i ‖h_i‖², i.e. (λ_h/N)/2·‖H‖_F² over the whole set, while the UFMs of
        // seeds 001 and 004 penalise (λ_H/2)·‖H‖_F²: their λ_H is λ_h/N.
        double ufmLambdaH = config.lambdaH() / data.sizes().total();
        row.putAll(EpochMetrics.columns(train, data.train().labels(), test, data.test().labels(), data.sizes(),
                net.classifierWeights(), net.classifierBias(), net.headWeights(),
                ridge ? config.classifierDecay() : null, ridge ? ufmLambdaH : null));
        row.put("seconds_train", trainSeconds);
        row.put("seconds_metrics", metricSeconds);
        return row;
    }

    private Map<String, Object> summary(String status, String message, int epochs, MetricsLog log, double elapsed,
                                        double trainSeconds, double metricSeconds) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("status", status);
        s.put("message", message);
        s.put("epochs", epochs);
        s.put("wall_seconds", elapsed);
        s.put("train_seconds_this_session", trainSeconds);
        s.put("metric_seconds_this_session", metricSeconds);
        s.put("metric_share_this_session", metricSeconds / Math.max(1e-12, trainSeconds + metricSeconds));
        s.put("final", log.lastRow());
        return s;
    }

    private LearningRateSchedule learningRate() {
        return switch (config.schedule()) {
            case "step" -> new LearningRateSchedule.Step(config.lr(), config.milestones(), config.gamma());
            case "cosine" -> new LearningRateSchedule.Cosine(config.lr(), config.epochs(), 0.0);
            default -> new LearningRateSchedule.Constant(config.lr());
        };
    }

    private List<ParameterUpdater.Slot> slots(ClassifierNet net) {
        List<ParameterUpdater.Slot> out = new ArrayList<>();
        net.namedParameters().forEach((name, p) -> {
            if (p.requiresGradient()) {
                double decay = net.isClassifierParameter(p) ? config.classifierDecay() : config.weightDecay();
                out.add(new ParameterUpdater.Slot(name, p, decay));
            }
        });
        return out;
    }

    static double[] flatten(List<Parameter> params) {
        long total = 0;
        for (Parameter p : params) {
            total += p.getArray().size();
        }
        double[] x = new double[Math.toIntExact(total)];
        int at = 0;
        for (Parameter p : params) {
            float[] v = p.getArray().toFloatArray();
            for (float f : v) {
                x[at++] = f;
            }
        }
        return x;
    }

    static void restore(List<Parameter> params, double[] x) {
        int at = 0;
        for (Parameter p : params) {
            NDArray a = p.getArray();
            int size = Math.toIntExact(a.size());
            if (at + size > x.length) {
                throw new InvalidInputException("checkpoint does not match the network: it holds " + x.length
                        + " parameter values");
            }
            a.set(ParameterUpdater.toFloat(java.util.Arrays.copyOfRange(x, at, at + size)));
            at += size;
        }
        if (at != x.length) {
            throw new InvalidInputException("checkpoint does not match the network: it holds " + x.length
                    + " parameter values, the network " + at);
        }
    }

    private void writeFinal(ClassifierNet net, List<Parameter> all, TrainData data, NDManager manager) {
        Map<String, Object> params = new LinkedHashMap<>();
        net.namedParameters().forEach((name, p) -> params.put(name, ParameterUpdater.toDouble(p.getArray().toFloatArray())));
        Npz.write(run.file(RunDirectory.FINAL), params);
        FeaturePass pass = FeaturePass.run(net, data.train(), data.normalization(), manager, false);
        Npy.writeFloat32(run.file("features.npy"), pass.features());
        Npy.write(run.file("labels.npy"), data.train().labels());
        Npy.write(run.file("W.npy"), net.classifierWeights());
        if (net.classifierBias() != null) {
            Npy.write(run.file("b.npy"), net.classifierBias());
        }
    }
}

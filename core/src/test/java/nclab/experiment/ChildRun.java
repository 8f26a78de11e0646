package nclab.experiment;

import java.nio.file.Path;

/** Test-only entry point for a child JVM: {@code ChildRun CONFIG.yaml DIR} starts a run of the test registry. */
public final class ChildRun {
    private ChildRun() {
    }

    public static void main(String[] args) {
        new SolveRunner(TestModels.registry()).start(SolveConfig.read(Path.of(args[0])), Path.of(args[1]));
    }
}

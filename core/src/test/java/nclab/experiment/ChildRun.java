package nclab.experiment;

import java.nio.file.Path;

/**
 * Test-only entry point for a child JVM: {@code ChildRun CONFIG.yaml DIR [standard]} starts a run of the test
 * registry, or of the real {@link StandardRegistry} when the third argument is {@code standard}.
 */
public final class ChildRun {
    private ChildRun() {
    }

    public static void main(String[] args) {
        ModelRegistry registry = args.length > 2 && args[2].equals("standard") ? StandardRegistry.create() : TestModels.registry();
        new SolveRunner(registry).start(SolveConfig.read(Path.of(args[0])), Path.of(args[1]));
    }
}

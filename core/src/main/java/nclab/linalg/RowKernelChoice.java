package nclab.linalg;

/** Chooses {@link RowKernels#best()} once per JVM: the vector kernels when their module is loaded and allowed. */
final class RowKernelChoice {
    static final RowKernels BEST = choose();

    private RowKernelChoice() {
    }

    private static RowKernels choose() {
        if (!Boolean.parseBoolean(System.getProperty("nclab.simd", "true")) || !RowKernels.vectorModuleLoaded()) {
            return ScalarRowKernels.INSTANCE;
        }
        try {
            return (RowKernels) Class.forName("nclab.linalg.VectorRowKernels").getDeclaredField("INSTANCE").get(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return ScalarRowKernels.INSTANCE;
        }
    }
}

package nclab.linalg;

/**
 * Chooses {@link RowKernels#best()}, {@link FourClassKernels#best()} and {@link ProductKernels#best()} once per JVM:
 * the vector kernels when their module is loaded and allowed ({@code -Dnclab.simd} not {@code false}), else the
 * scalar ones.
 */
final class RowKernelChoice {
    static final RowKernels BEST = vectorAllowed() ? load("nclab.linalg.VectorRowKernels", RowKernels.class,
            ScalarRowKernels.INSTANCE) : ScalarRowKernels.INSTANCE;
    static final FourClassKernels FOUR_CLASS = BEST != ScalarRowKernels.INSTANCE
            ? load("nclab.linalg.VectorFourClassKernels", FourClassKernels.class, ScalarFourClassKernels.INSTANCE)
            : ScalarFourClassKernels.INSTANCE;
    static final ProductKernels PRODUCTS = BEST != ScalarRowKernels.INSTANCE
            ? load("nclab.linalg.VectorProductKernels", ProductKernels.class, ScalarProductKernels.INSTANCE)
            : ScalarProductKernels.INSTANCE;

    private RowKernelChoice() {
    }

    private static boolean vectorAllowed() {
        return Boolean.parseBoolean(System.getProperty("nclab.simd", "true")) && RowKernels.vectorModuleLoaded();
    }

    private static <T> T load(String className, Class<T> type, T fallback) {
        try {
            return type.cast(Class.forName(className).getDeclaredField("INSTANCE").get(null));
        } catch (ReflectiveOperationException | LinkageError e) {
            return fallback;
        }
    }
}

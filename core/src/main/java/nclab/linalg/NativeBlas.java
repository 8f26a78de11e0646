package nclab.linalg;

import java.lang.reflect.Method;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Loads the system's native BLAS (OpenBLAS here, through dev.ludovic.netlib's JNI binding) once per JVM, on a
 * background daemon thread, for {@link BlockProducts}.
 *
 * <p>Why in the background: loading the binding takes about 0.08 s of a cold JVM, so {@code analyze} starts it
 * before reading its inputs and its first pass over the features, and waits for it only when its second pass
 * needs the products. The binding's class ({@code dev.ludovic.netlib.blas.JNIBLAS}) is found by reflection and
 * instantiated directly, so netlib's own loader prints no warning about the Java implementations it would
 * otherwise also try. A loaded binding is checked with one 1×1×1 dgemm (2·3 must give 6) before it is used.
 *
 * <p>Fallback: without a native library, with a binding that cannot load or fails the check, or with the
 * system property {@code -Dnclab.nativeBlas=false}, {@link #get()} answers null and {@link BlockProducts} uses
 * its Java kernel.
 */
public final class NativeBlas {
    private static final Object LOCK = new Object();
    private static Thread loader;
    private static volatile BLAS blas;

    private NativeBlas() {
    }

    /**
     * Starts loading the native binding on a daemon thread (once per JVM; later calls, and every call when
     * {@code nclab.nativeBlas} is {@code false}, do nothing).
     */
    public static void startLoading() {
        synchronized (LOCK) {
            if (loader != null || !Boolean.parseBoolean(System.getProperty("nclab.nativeBlas", "true"))) {
                return;
            }
            loader = new Thread(NativeBlas::load, "nclab-blas-loader");
            loader.setDaemon(true);
            loader.start();
        }
    }

    private static void load() {
        try {
            Class<?> jni = Class.forName("dev.ludovic.netlib.blas.JNIBLAS");
            Method instance = jni.getMethod("getInstance");
            instance.setAccessible(true);
            BLAS loaded = (BLAS) instance.invoke(null);
            double[] probe = new double[1];
            loaded.dgemm("T", "N", 1, 1, 1, 1.0, new double[] {2}, 1, new double[] {3}, 1, 0.0, probe, 1);
            if (probe[0] == 6) {
                blas = loaded;
            }
        } catch (Throwable missing) { // no native library, or a binding that cannot load: use the Java kernel
            blas = null;
        }
    }

    /**
     * The loaded binding after waiting for the loader, or null when there is none (loading never started,
     * failed, or the waiting thread was interrupted).
     */
    static BLAS get() {
        Thread t;
        synchronized (LOCK) {
            t = loader;
        }
        if (t == null) {
            return null;
        }
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        return blas;
    }
}

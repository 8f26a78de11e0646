package nclab.experiment;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The facts {@code provenance.json} records about where and how a run was made: seed, nclab version (jar
 * manifest, else {@code development}), Java version and vendor, OS, host name, available cores, maximum
 * heap, which solver kernels run (Java vector or scalar, nclab's native kernels, a native BLAS: each gives other last
 * bits), the git commit of the working directory ({@code git rev-parse HEAD}, else {@code unknown}) and the
 * start time (ISO-8601 UTC). A resumed run appends an entry to {@code resumes}.
 */
public final class Provenance {
    private Provenance() {
    }

    /** Facts for a run starting now. */
    public static Map<String, Object> of(SolveConfig config) {
        return of(config.seed(), config.model());
    }

    /** Facts for a run of {@code model} with {@code seed} starting now. */
    public static Map<String, Object> of(long seed, String model) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed);
        m.put("model", model);
        m.put("nclab_version", version());
        m.put("java_version", System.getProperty("java.version"));
        m.put("java_vendor", System.getProperty("java.vendor"));
        m.put("java_vm", System.getProperty("java.vm.name"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("host", host());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        m.put("solver_kernels", nclab.linalg.RowKernels.best().name());
        m.put("native_kernels", nclab.linalg.NativeKernels.available());
        m.put("native_blas", nativeBlas());
        m.put("git_commit", gitCommit());
        m.put("start_time", Instant.now().toString());
        return m;
    }

    /** Facts of one resumption, from {@code step}. */
    public static Map<String, Object> resumption(long step) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", Instant.now().toString());
        m.put("from_step", step);
        m.put("host", host());
        m.put("git_commit", gitCommit());
        m.put("java_version", System.getProperty("java.version"));
        m.put("solver_kernels", nclab.linalg.RowKernels.best().name());
        m.put("native_kernels", nclab.linalg.NativeKernels.available());
        m.put("native_blas", nativeBlas());
        return m;
    }

    /** Whether the products run on a native BLAS (waits for its loader, ≈ 0.1 s in a cold JVM). */
    static boolean nativeBlas() {
        nclab.linalg.NativeBlas.startLoading();
        return nclab.linalg.BlockProducts.best().isNative();
    }

    /** nclab version from the jar manifest, or {@code development}. */
    public static String version() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "unknown" : env;
        }
    }

    /** {@code git rev-parse HEAD} in the working directory, or {@code unknown}. */
    static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String line;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                line = r.readLine();
            }
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unknown";
            }
            return p.exitValue() == 0 && line != null && line.matches("[0-9a-f]{7,64}") ? line : "unknown";
        } catch (Exception e) {
            return "unknown";
        }
    }
}

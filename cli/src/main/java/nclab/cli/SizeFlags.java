package nclab.cli;

import java.util.Map;

import picocli.CommandLine.Option;

/** The class-size flags shared by {@code solve} and {@code train}, as config keys (a picocli mixin). */
final class SizeFlags {
    @Option(names = "--sizes", paramLabel = "N1,N2,...", description = "explicit class sizes") String sizes;
    @Option(names = "--step", paramLabel = "K,R,RHO,NMIN", description = "(R,rho)-STEP imbalance (SELI Def. 1)") String step;
    @Option(names = "--majority", paramLabel = "KA,KB,NA,R", description = "KA classes of NA, KB classes of NA/R") String majority;
    @Option(names = "--long-tail", paramLabel = "K,NMAX,R", description = "exponential long tail") String longTail;

    /** Puts the given flags under their config keys. */
    void putInto(Map<String, Object> m) {
        ConfigFlags.put(m, "sizes", sizes);
        ConfigFlags.put(m, "step", step);
        ConfigFlags.put(m, "majority", majority);
        ConfigFlags.put(m, "long_tail", longTail);
    }
}

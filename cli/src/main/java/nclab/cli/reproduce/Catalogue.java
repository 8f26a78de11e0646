package nclab.cli.reproduce;

import java.util.List;
import java.util.Optional;

/** The reproductions {@code nclab reproduce} knows, in the order {@code --list} prints them. */
public final class Catalogue {
    private Catalogue() {
    }

    /** All reproductions. */
    public static List<Reproduction> all() {
        return List.of(
                // seed 000
                new SeliGeometryVsR(), new SeliRegularizationPath(), new SeliUfmSgd(), new SeliDeepStep(),
                // seed 001
                new ReluUfmVsTheorem1(), new ReluUfmMlp(),
                // seed 002
                new DeepUfmDncVsLowRank(), new DeepUfmPrevalence(), new DeepUfmRelu(), new DeepUfmNetworkHead(),
                // seed 003
                new LpmMinorityCosineVsR(), new LpmDeepMinorityCollapse(), new LpmTestAccuracy(), new LpmOversampling(),
                // seed 004
                new LextGdVsTheorems(), new LextThresholds(), new LextNetworkHead());
    }

    /** Their ids. */
    public static List<String> ids(List<Reproduction> reproductions) {
        return reproductions.stream().map(Reproduction::id).toList();
    }

    /** The reproduction with this id, if any. */
    public static Optional<Reproduction> find(List<Reproduction> reproductions, String id) {
        return reproductions.stream().filter(r -> r.id().equals(id)).findFirst();
    }
}

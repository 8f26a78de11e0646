package nclab.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.function.Function;
import java.util.stream.Collectors;

import nclab.InvalidInputException;
import nclab.theory.DeepUfmGeometry;
import nclab.theory.Etf;
import nclab.theory.GeometryPrediction;
import nclab.theory.LExtendedGeometry;
import nclab.theory.LayerPeeledGeometry;
import nclab.theory.ReluUfmGeometry;
import nclab.theory.SeliGeometry;
import nclab.theory.TheoryParameters;

/** The predicted geometries {@code nclab theory} knows, by their command-line id. */
enum TheoryModel {
    ETF("etf", "balanced reference: simplex equiangular tight frame", Etf::predict),
    SELI("seli", "seed 000, Thrampoulidis et al.: SELI geometry of the UF-SVM (SEL matrix SVD)", SeliGeometry::predict),
    RELU_UFM("relu-ufm", "seed 001, Dang et al.: ReLU UFM with CE (needs --lambda-w, --lambda-h)", ReluUfmGeometry::predict),
    LPM("lpm", "seed 003, Fang et al.: Layer-Peeled Model (--ew, --eh, --oversample)", LayerPeeledGeometry::predict),
    LEXT("lext", "seed 004, Liu: L-extended UFM, MSE (--layers, --lambda-w, --lambda-h, --bias)", LExtendedGeometry::predict),
    DEEP_UFM("deep-ufm", "seed 002, Garrod & Keating: deep UFM with CE (--layers, --lambda)", DeepUfmGeometry::predict);

    final String id;
    final String description;
    private final Function<TheoryParameters, ? extends GeometryPrediction> predictor;

    TheoryModel(String id, String description, Function<TheoryParameters, ? extends GeometryPrediction> predictor) {
        this.id = id;
        this.description = description;
        this.predictor = predictor;
    }

    GeometryPrediction predict(TheoryParameters parameters) {
        return predictor.apply(parameters);
    }

    static TheoryModel byId(String id) {
        for (TheoryModel m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        throw new InvalidInputException("unknown model '" + id + "'; choose one of " + ids());
    }

    static String ids() {
        return Arrays.stream(values()).map(m -> m.id).collect(Collectors.joining(", "));
    }

    /** Completion candidates for picocli's usage help. */
    static final class Ids implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(values()).map(m -> m.id).iterator();
        }
    }
}

package nclab.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nclab.InvalidInputException;

/**
 * Named row-major matrix blocks packed into one flat {@code double[]} parameter vector, so optimisers see
 * a vector and models, metrics and files see matrices. Conventions: classifier {@code W} is K×d, features
 * {@code H} are N×d (one row per sample, like {@link nclab.metrics.FeatureRows}), bias {@code b} is K×1;
 * deep models number their layers {@code W1..WL} (W1 acts first on H).
 *
 * @param blocks blocks in storage order; offsets are consecutive from 0
 */
public record ParameterLayout(List<Block> blocks) {
    /** One matrix block: {@code rows×cols} entries starting at {@code offset}, row-major. */
    public record Block(String name, int offset, int rows, int cols) {
        public int size() {
            return rows * cols;
        }

        /** Index of entry (i, j) in the flat vector. */
        public int index(int i, int j) {
            return offset + i * cols + j;
        }
    }

    public ParameterLayout {
        blocks = List.copyOf(blocks);
        int expected = 0;
        for (Block b : blocks) {
            InvalidInputException.require(b.offset() == expected, "block " + b.name() + " must start at " + expected);
            expected += b.size();
        }
    }

    /** Builds a layout from (name, rows, cols) triples in order. */
    public static Builder builder() {
        return new Builder();
    }

    /** Incremental construction of a layout. */
    public static final class Builder {
        private final List<Block> blocks = new ArrayList<>();
        private int offset;

        public Builder add(String name, int rows, int cols) {
            InvalidInputException.require(rows >= 1 && cols >= 1, "block " + name + " must be at least 1x1, got " + rows + "x" + cols);
            blocks.add(new Block(name, offset, rows, cols));
            offset += rows * cols;
            return this;
        }

        public ParameterLayout build() {
            return new ParameterLayout(blocks);
        }
    }

    /** Total number of parameters. */
    public int size() {
        return blocks.isEmpty() ? 0 : blocks.get(blocks.size() - 1).offset() + blocks.get(blocks.size() - 1).size();
    }

    public boolean has(String name) {
        return blocks.stream().anyMatch(b -> b.name().equals(name));
    }

    public Block block(String name) {
        return blocks.stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no parameter block '" + name + "' in " + names()));
    }

    public List<String> names() {
        return blocks.stream().map(Block::name).toList();
    }

    /** Copy of one block as a rows×cols matrix. */
    public double[][] get(double[] x, String name) {
        Block b = block(name);
        double[][] m = new double[b.rows()][b.cols()];
        for (int i = 0; i < b.rows(); i++) {
            System.arraycopy(x, b.offset() + i * b.cols(), m[i], 0, b.cols());
        }
        return m;
    }

    /** Writes a rows×cols matrix into its block. */
    public void set(double[] x, String name, double[][] m) {
        Block b = block(name);
        InvalidInputException.require(m.length == b.rows(), "block " + name + " needs " + b.rows() + " rows, got " + m.length);
        for (int i = 0; i < b.rows(); i++) {
            InvalidInputException.require(m[i].length == b.cols(), "block " + name + " needs " + b.cols() + " columns");
            System.arraycopy(m[i], 0, x, b.offset() + i * b.cols(), b.cols());
        }
    }

    /** Every block as a matrix, in order (for npz files). */
    public Map<String, double[][]> unpack(double[] x) {
        Map<String, double[][]> m = new LinkedHashMap<>();
        for (Block b : blocks) {
            m.put(b.name(), get(x, b.name()));
        }
        return m;
    }
}

package nclab.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import nclab.metrics.CollapseScan.Float32Rows;
import nclab.metrics.CollapseScan.FloatBlockVisitor;

/**
 * Runs one pass of {@link CollapseScan} over the features in chunks of {@value CollapseScan#CHUNK_ROWS} rows
 * (read in blocks of {@value CollapseScan#BLOCK_ROWS}), each chunk into its own accumulator. The caller adds
 * the accumulators in chunk order, so the result is bit-identical whatever the number of threads.
 */
final class ChunkedScan {
    private ChunkedScan() {
    }

    /** An accumulator of one chunk that takes double or float32 blocks. */
    interface Accumulator extends FeatureRows.BlockVisitor, FloatBlockVisitor {
    }

    /**
     * Feeds every chunk of rows to its own accumulator and returns the accumulators in chunk order. Chunks
     * run on up to {@code availableProcessors} threads when the source supports range scans; otherwise one
     * sequential scan routes each block to its chunk's accumulator (blocks never straddle chunks, so both
     * ways see the same blocks).
     */
    static <A extends Accumulator> List<A> overChunks(FeatureRows h, IntFunction<A> accumulator) {
        int n = h.rows();
        int chunks = (n + CollapseScan.CHUNK_ROWS - 1) / CollapseScan.CHUNK_ROWS;
        List<A> parts = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            parts.add(accumulator.apply(c));
        }
        int threads = Math.min(chunks, Runtime.getRuntime().availableProcessors());
        if (!h.supportsRangeScan() || threads <= 1) {
            h.scanBlocks(0, n, CollapseScan.BLOCK_ROWS, (first, count, block) ->
                    ((FeatureRows.BlockVisitor) parts.get(first / CollapseScan.CHUNK_ROWS)).visit(first, count, block));
            return parts;
        }
        AtomicInteger next = new AtomicInteger();
        Throwable[] failure = new Throwable[threads];
        Float32Rows floats = h instanceof Float32Rows f && f.storedAsFloat32() ? f : null;
        Runnable worker = () -> {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                int from = c * CollapseScan.CHUNK_ROWS;
                int to = Math.min(n, (c + 1) * CollapseScan.CHUNK_ROWS);
                if (floats != null) {
                    floats.scanFloatBlocks(from, to, CollapseScan.BLOCK_ROWS, parts.get(c));
                } else {
                    h.scanBlocks(from, to, CollapseScan.BLOCK_ROWS, (FeatureRows.BlockVisitor) parts.get(c));
                }
            }
        };
        Thread[] pool = new Thread[threads - 1];
        for (int t = 0; t < pool.length; t++) {
            int slot = t + 1;
            pool[t] = new Thread(() -> {
                try {
                    worker.run();
                } catch (Throwable e) {
                    failure[slot] = e;
                    next.set(chunks); // stop the others early
                }
            }, "nclab-scan-" + slot);
            pool[t].setDaemon(true);
            pool[t].start();
        }
        try {
            worker.run();
        } catch (Throwable e) {
            failure[0] = e;
            next.set(chunks);
        }
        for (Thread t : pool) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while scanning features", e);
            }
        }
        for (Throwable e : failure) {
            if (e instanceof RuntimeException re) {
                throw re;
            }
            if (e instanceof Error err) {
                throw err;
            }
        }
        return parts;
    }
}

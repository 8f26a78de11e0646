/**
 * File formats for exchanging arrays and results with NumPy/PyTorch users: {@code .npy}
 * ({@link nclab.io.Npy}, {@link nclab.io.NpyArray}, memory-mapped {@link nclab.io.NpyFeatureRows}),
 * {@code .npz} ({@link nclab.io.Npz}), JSON ({@link nclab.io.Json}) and CSV ({@link nclab.io.CsvWriter}),
 * all written atomically ({@link nclab.io.AtomicFiles}). Malformed input raises
 * {@link nclab.InvalidInputException} with a message naming the file and the defect.
 */
package nclab.io;

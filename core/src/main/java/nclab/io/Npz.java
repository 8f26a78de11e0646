package nclab.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import nclab.InvalidInputException;

/**
 * Reads and writes NumPy {@code .npz} archives ({@code np.savez} / {@code np.savez_compressed}): a zip
 * file with one {@code name.npy} entry per array, stored or deflated.
 */
public final class Npz {
    /** Fixed entry timestamp (the zip epoch), so that the same arrays always give the same bytes. */
    private static final java.time.LocalDateTime ENTRY_TIME = java.time.LocalDateTime.of(1980, 1, 1, 0, 0);


    private Npz() {
    }

    /**
     * Reads every array of an archive, keyed by entry name without the {@code .npy} suffix, in archive
     * order. Entries that are not {@code .npy} files are rejected.
     *
     * @throws InvalidInputException naming the file (and the entry) for a missing file, a file that is
     *                               not a zip archive, or a malformed entry
     */
    public static Map<String, NpyArray> read(Path file) {
        String source = file.toString();
        Npy.requireReadableFile(file);
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (entry.isDirectory()) {
                    continue;
                }
                String name = entry.getName();
                String entrySource = source + ":" + name;
                InvalidInputException.require(name.endsWith(".npy"),
                        entrySource + ": not a .npy entry (an .npz archive holds only name.npy entries)");
                InvalidInputException.require(entry.getSize() < Integer.MAX_VALUE - 16,
                        entrySource + ": entry too large to load into memory (" + entry.getSize() + " bytes)");
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                } catch (ZipException e) {
                    throw new InvalidInputException(entrySource + ": corrupt archive entry (" + e.getMessage() + ")", e);
                }
                arrays.put(name.substring(0, name.length() - 4), Npy.parse(entrySource, bytes));
            }
        } catch (ZipException e) {
            throw new InvalidInputException(source + ": not a valid .npz (zip) archive (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
        return Collections.unmodifiableMap(arrays);
    }

    /**
     * Atomically writes an archive (deflated, like {@code np.savez_compressed}) with one entry per map
     * key, in the map's iteration order. Values may be {@code double[][]} (float64 matrix),
     * {@code double[]} (float64 vector), {@code int[]} or {@code long[]} (int64 vector) or
     * {@link NpyArray}.
     *
     * @throws IllegalArgumentException for an unsupported value type or an empty or duplicate name
     */
    public static void write(Path file, Map<String, ?> arrays) {
        for (String name : arrays.keySet()) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("cannot write " + file + ": array names must be non-empty");
            }
        }
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.setLevel(6);
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            for (Map.Entry<String, ?> e : arrays.entrySet()) {
                buffer.reset();
                Npy.writeValue(buffer, e.getKey(), e.getValue());
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                entry.setMethod(ZipEntry.DEFLATED);
                entry.setTimeLocal(ENTRY_TIME);
                zip.putNextEntry(entry);
                buffer.writeTo(zip);
                zip.closeEntry();
            }
            zip.finish();
        });
    }
}

package nclab.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import nclab.io.AtomicFiles;
import nclab.io.Npz;

/**
 * Writes an {@code .npz} archive like {@link Npz#write} but byte-reproducibly: every zip entry carries the
 * fixed time 1980-01-01 00:00 instead of the current time, so the same arrays always give the same bytes
 * (a resumed run's {@code final.npz} equals an uninterrupted run's). Written atomically.
 */
final class StableNpz {
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private StableNpz() {
    }

    static void write(Path file, Map<String, ?> arrays) {
        Path dir = file.toAbsolutePath().getParent();
        Path temp;
        try {
            temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".raw");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        try {
            Npz.write(temp, arrays);
            AtomicFiles.write(file, out -> {
                ZipOutputStream zip = new ZipOutputStream(out);
                zip.setLevel(6);
                try (ZipInputStream in = new ZipInputStream(Files.newInputStream(temp))) {
                    for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                        byte[] bytes = in.readAllBytes();
                        ZipEntry copy = new ZipEntry(e.getName());
                        copy.setMethod(ZipEntry.DEFLATED);
                        copy.setTimeLocal(FIXED_TIME);
                        zip.putNextEntry(copy);
                        zip.write(bytes);
                        zip.closeEntry();
                    }
                }
                zip.finish();
            });
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort: hidden temporary file next to the target
            }
        }
    }
}

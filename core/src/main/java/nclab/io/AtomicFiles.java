package nclab.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import nclab.InvalidInputException;

/**
 * Writes files atomically: the content goes to a temporary file in the target's directory, is flushed
 * to disk, and is then moved over the target with {@link StandardCopyOption#ATOMIC_MOVE}. Readers see
 * either the old file or the complete new one, never a partial write; a failed write leaves the old
 * file untouched and no temporary file behind.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Writes the bytes of one stream into a file. */
    @FunctionalInterface
    public interface StreamWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Atomically replaces {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    /** Atomically replaces {@code target} with {@code text} encoded as UTF-8. */
    public static void writeString(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Atomically replaces {@code target} with what {@code writer} writes (buffered).
     *
     * @throws InvalidInputException if the target's directory does not exist or the target is a directory
     * @throws UncheckedIOException  on other I/O failures
     */
    public static void write(Path target, StreamWriter writer) {
        Path temp = createTemp(target);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16)) {
                writer.writeTo(out);
                out.flush();
                channel.force(true);
            }
            commit(temp, target);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    /** Creates an empty temporary file next to {@code target}. */
    static Path createTemp(Path target) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        InvalidInputException.require(dir != null && Files.isDirectory(dir),
                "cannot write " + target + ": directory " + dir + " does not exist");
        InvalidInputException.require(!Files.isDirectory(absolute), "cannot write " + target + ": it is a directory");
        try {
            return Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Moves a finished temporary file over {@code target}, atomically where the file system allows. */
    static void commit(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // best effort: the temporary file is hidden and named after the target
        }
    }
}

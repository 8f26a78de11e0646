package nclab;

/**
 * Raised for every input a user can get wrong: class sizes, dimensions, regularisation strengths,
 * file contents. The message always names the offending value (and the file, where there is one), so
 * the command line can print it as it is and exit with status 2.
 */
public class InvalidInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Throws with {@code message} unless {@code condition} holds. */
    public static void require(boolean condition, String message) {
        if (!condition) {
            throw new InvalidInputException(message);
        }
    }

    /** Requires a finite value; returns it. */
    public static double requireFinite(String name, double value) {
        require(Double.isFinite(value), name + " must be a finite number, got " + value);
        return value;
    }

    /** Requires a finite value &gt; 0; returns it. */
    public static double requirePositive(String name, double value) {
        require(Double.isFinite(value) && value > 0, name + " must be a finite number > 0, got " + value);
        return value;
    }

    /** Requires a finite value &ge; 0; returns it. */
    public static double requireNonNegative(String name, double value) {
        require(Double.isFinite(value) && value >= 0, name + " must be a finite number >= 0, got " + value);
        return value;
    }
}

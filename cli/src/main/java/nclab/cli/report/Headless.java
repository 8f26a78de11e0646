package nclab.cli.report;

/** Puts AWT in headless mode (no display needed for charts); must run before the first AWT call. */
final class Headless {
    private Headless() {
    }

    static void ensure() {
        System.setProperty("java.awt.headless", "true");
    }
}

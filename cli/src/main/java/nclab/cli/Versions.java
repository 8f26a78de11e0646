package nclab.cli;

import picocli.CommandLine;

/** Reports the nclab version (from the jar manifest when built, else "development") and the JVM. */
final class Versions implements CommandLine.IVersionProvider {
    static String nclabVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "nclab " + nclabVersion(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
        };
    }
}

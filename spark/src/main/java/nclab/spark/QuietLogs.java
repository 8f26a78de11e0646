package nclab.spark;

import java.net.URISyntaxException;
import java.net.URL;

import org.apache.logging.log4j.core.config.Configurator;

/**
 * Spark logs through log4j2 at INFO by default (dozens of lines per run). Unless the user configured log4j2
 * ({@code -Dlog4j2.configurationFile} or a {@code log4j2.properties}/{@code log4j2.xml} on the class path, as
 * {@code $SPARK_HOME/conf} is under spark-submit), nclab's sweep reconfigures it with
 * {@code nclab-spark-log4j2.properties}: warnings and errors to stderr.
 */
final class QuietLogs {
    static final String CONFIG = "nclab-spark-log4j2.properties";

    private QuietLogs() {
    }

    static void applyUnlessConfigured() {
        ClassLoader cl = QuietLogs.class.getClassLoader();
        if (System.getProperty("log4j2.configurationFile") != null || System.getProperty("log4j.configurationFile") != null
                || cl.getResource("log4j2.properties") != null || cl.getResource("log4j2.xml") != null
                || cl.getResource("log4j2-test.properties") != null) {
            return;
        }
        URL config = cl.getResource(CONFIG);
        if (config == null) {
            return;
        }
        try {
            Configurator.reconfigure(config.toURI());
        } catch (URISyntaxException | RuntimeException | LinkageError e) {
            // log4j-core absent or incompatible: Spark's own defaults apply
        }
    }
}

/**
 * {@code nclab sweep --engine spark}: Apache Spark schedules a sweep's runs. Spark only schedules: each Spark task is
 * one run, launched exactly as the local pool launches it (a child JVM of the nclab jar,
 * {@link nclab.sweep.ChildProcessLauncher}) into the shared sweep directory, and returns the run's summary as a row;
 * the driver collects the rows into the same table (results.csv, results.parquet). Entry points:
 * {@link nclab.spark.SparkSweepEngine} (found by the CLI through {@link java.util.ServiceLoader}) and
 * {@link nclab.spark.SparkSweepMain} (for {@code spark-submit} on a cluster).
 */
package nclab.spark;

package nclab.cli.report;

import java.util.List;

/**
 * What a report shows for one run: its data (settings, provenance, status), its plots and its checks.
 *
 * @param name   heading of the run (its directory by default)
 * @param run    the run's data
 * @param plots  rendered plots
 * @param checks checks of this run
 */
public record RunSection(String name, RunData run, List<Plot> plots, List<Check> checks) {
    public RunSection {
        plots = List.copyOf(plots);
        checks = List.copyOf(checks);
    }

    /** The standard section of a run: {@link Plots#standardPanels} and {@link Checks#standard}. */
    public static RunSection standard(RunData run) {
        return new RunSection(run.dir().toString(), run, Plots.standardPanels(run), Checks.standard(run));
    }

    /** Whether every check passes. */
    public boolean passes() {
        return checks.stream().allMatch(Check::pass);
    }
}

package nclab.cli;

import java.io.PrintWriter;

import nclab.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code nclab}: predicted neural-collapse geometry under class imbalance ({@code theory}), collapse
 * metrics of any network's features ({@code analyze}) and a guided tour ({@code demo}).
 *
 * <p>Exit codes: 0 success, 1 internal error, 2 bad arguments or bad input (the message, not a stack
 * trace, goes to stderr).
 */
@Command(name = "nclab", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = "Neural Collapse Lab: predict, compute and measure collapse geometry under class imbalance.",
        subcommands = {TheoryCommand.class, AnalyzeCommand.class, SolveCommand.class, TrainCommand.class, SweepCommand.class, nclab.cli.report.ReportCommand.class, nclab.cli.reproduce.ReproduceCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code of a sweep's child run whose sweep is gone (128 + SIGTERM, as if the sweep had stopped it). */
    public static final int PARENT_GONE = 143;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // a run started by nclab sweep (ChildProcessLauncher) stops when the sweep is gone, even after a SIGKILL
        nclab.sweep.ParentWatch.startFromSystemProperty(() -> {
            System.err.println("nclab: the sweep that started this run (pid " + System.getProperty(nclab.sweep.ParentWatch.PROPERTY)
                    + ") is gone; stopping (rerun the sweep to resume this run)");
            System.err.flush();
            Runtime.getRuntime().halt(PARENT_GONE);
        });
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line with the given streams and returns the exit code (used by tests too). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        Integer quick = QuickAnalyze.tryRun(args, out, err); // a plain analyze command line, without picocli's start-up
        if (quick != null) {
            out.flush();
            err.flush();
            return quick;
        }
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof InvalidInputException) {
                commandLine.getErr().println("nclab " + commandLine.getCommandName() + ": " + ex.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
            commandLine.getErr().println("nclab " + commandLine.getCommandName() + ": internal error: " + ex);
            ex.printStackTrace(commandLine.getErr());
            return CommandLine.ExitCode.SOFTWARE;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}

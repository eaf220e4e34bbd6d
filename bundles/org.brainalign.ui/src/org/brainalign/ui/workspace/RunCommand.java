package org.brainalign.ui.workspace;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.brainalign.workflow.FinetuneDriftExperiment;
import org.brainalign.engine.factortopy.TrainingConfig;
import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.RunInfo;
import org.brainalign.io.run.RunInput;

/**
 * A run command is the command line that redoes a run, read from its run.json (WORKBENCH.md: everything computed can
 * be redone from the command line with the command the UI shows): {@code brainalign fit} with the run's feature
 * store, subject, label and the settings it recorded, and {@code brainalign analyze} for its maps, tables and charts.
 * Training settings the command line has no option for are listed apart, when they differ from the defaults.
 */
public final class RunCommand {

    /** Characters a shell reads literally; any other makes an argument quoted. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=,+@%-]+");

    /** Settings the command line sets, by their run.json names; the rest keep the trainer's defaults. */
    private static final List<String> SET_BY_OPTIONS = List.of("seed", "max_epochs", "patience", "nan_policy");

    private RunCommand() {
    }

    /**
     * The arguments of the fit that made a run.
     *
     * @param run a run folder
     * @return "brainalign", "fit", then the options; empty when run.json lacks the feature store or the subject
     */
    public static Optional<List<String>> fit(RunFolder run) {
        RunInfo info = run.info();
        Optional<String> manifest = input(info, "features");
        Optional<String> subject = input(info, "subject");
        if (manifest.isEmpty() || subject.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> config = info.config();
        List<String> args = new ArrayList<>(List.of("brainalign", "fit", "--features",
                Path.of(manifest.get()).getParent().toString(), "--subject", subject.get(), "--out",
                run.folder().toString(), "--label", info.label()));
        option(args, "--epochs", config.get("max_epochs"));
        option(args, "--patience", config.get("patience"));
        option(args, "--seed", config.containsKey("seed") ? config.get("seed") : info.seed().orElse(null));
        option(args, "--test-fraction", info.split().get("test_fraction"));
        if (config.get("nan_policy") instanceof String nan) {
            option(args, "--nan", nan.startsWith("drop") ? "drop" : nan);
        }
        return Optional.of(args);
    }

    /**
     * The arguments of a fine-tuning drift experiment, every setting spelled out.
     *
     * @param o the experiment's settings
     * @return "brainalign", "experiment", "finetune-drift", then the options
     */
    public static List<String> experiment(FinetuneDriftExperiment.Options o) {
        // "auto" is what the command line assumes without a prefix, unless the path itself holds a colon
        String backbone = o.family().equals("auto") && !o.checkpoint().toString().contains(":")
                ? o.checkpoint().toString()
                : o.family() + ":" + o.checkpoint();
        return List.of("brainalign", "experiment", "finetune-drift", "--backbone", backbone, "--finetune-images",
                o.finetuneImages().toString(), "--subject", o.subject().toString(), "--out", o.folder().toString(),
                "--finetune-epochs", Integer.toString(o.finetuneEpochs()), "--lr", number(o.learningRate()),
                "--fit-epochs", Integer.toString(o.fitEpochs()), "--seed", Long.toString(o.seed()), "--threads",
                Integer.toString(o.threads()), "--device", o.device().name().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * @param value a finite number
     * @return its shortest decimal text that reads back as the same double, without an exponent (1e-4 is 0.0001)
     */
    public static String number(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /**
     * @param run a run folder
     * @return the arguments that write its maps, tables and charts again
     */
    public static List<String> analyze(RunFolder run) {
        return List.of("brainalign", "analyze", run.folder().toString());
    }

    /**
     * @param info a run's description
     * @return the training settings it recorded that differ from the defaults and that no command-line option sets,
     *         as "name=value"
     */
    public static List<String> unsettable(RunInfo info) {
        Map<String, String> defaults = TrainingConfig.builder().build().toMap();
        List<String> differing = new ArrayList<>();
        for (Map.Entry<String, Object> e : info.config().entrySet()) {
            String key = e.getKey();
            if (SET_BY_OPTIONS.contains(key) || !defaults.containsKey(key)) {
                continue;
            }
            String value = String.valueOf(e.getValue());
            if (!same(defaults.get(key), value)) {
                differing.add(key + "=" + value);
            }
        }
        return differing;
    }

    private static boolean same(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        try {
            return Double.parseDouble(a) == Double.parseDouble(b);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The text a run's properties show: the commands, one a line, quoted for a POSIX shell.
     *
     * @param run a run folder
     * @return the text
     */
    public static String text(RunFolder run) {
        StringBuilder b = new StringBuilder();
        Optional<List<String>> fit = fit(run);
        if (fit.isPresent()) {
            b.append(shell(fit.get())).append('\n');
            List<String> other = unsettable(run.info());
            if (!other.isEmpty()) {
                b.append("# also set when this run was made, with no option on the command line: ")
                        .append(String.join(", ", other)).append('\n');
            }
            b.append("# fit writes a new run folder: give --out a new folder to fit again beside this run\n");
        } else {
            b.append("# run.json records no feature store or subject, so the fit cannot be written as a command\n");
        }
        b.append(shell(analyze(run))).append('\n');
        return b.toString();
    }

    /**
     * @param args arguments
     * @return them as one line for a POSIX shell: plain arguments as they are, others in single quotes
     */
    public static String shell(List<String> args) {
        List<String> quoted = new ArrayList<>();
        for (String a : args) {
            quoted.add(!a.isEmpty() && PLAIN.matcher(a).matches() ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return String.join(" ", quoted);
    }

    private static Optional<String> input(RunInfo info, String role) {
        for (RunInput i : info.inputs()) {
            if (role.equals(i.role()) && i.path() != null) {
                return Optional.of(i.path());
            }
        }
        return Optional.empty();
    }

    private static void option(List<String> args, String name, Object value) {
        if (value == null) {
            return;
        }
        String text = value instanceof Double d && d == Math.rint(d) && !name.equals("--test-fraction")
                ? Long.toString(d.longValue())
                : String.valueOf(value);
        args.add(name);
        args.add(text);
    }
}

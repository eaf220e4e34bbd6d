package org.brainalign.workflow.command;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.brainalign.io.OutputTarget;

/**
 * The arguments of one command: positional values and {@code --name value} / {@code --flag} options. A command
 * declares which options take a value and which are flags; anything else is a usage error. Every option must be
 * consumed, so a misspelt option is reported rather than ignored.
 */
public final class Arguments {

    private final String command;
    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new LinkedHashMap<>();
    private final Set<String> consumed = new HashSet<>();

    private Arguments(String command) {
        this.command = command;
    }

    /**
     * Parses arguments.
     *
     * @param command the command name, for messages
     * @param args the arguments after the command name
     * @param valued names of options that take a value (without the leading dashes)
     * @param flags names of options that take none
     * @return the parsed arguments
     * @throws UsageException for an unknown option or a missing value
     */
    public static Arguments parse(String command, List<String> args, Set<String> valued, Set<String> flags)
            throws UsageException {
        Arguments a = new Arguments(command);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                a.positional.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (arg.startsWith("--") && arg.length() > 2) {
                String name = arg.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (flags.contains(name)) {
                    if (value != null) {
                        throw new UsageException(command + ": option --" + name + " takes no value");
                    }
                    a.options.put(name, "true");
                } else if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new UsageException(command + ": option --" + name + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    a.options.put(name, value);
                } else {
                    throw new UsageException(command + ": unknown option --" + name);
                }
            } else {
                a.positional.add(arg);
            }
        }
        return a;
    }

    /** @return the positional arguments, in order */
    public List<String> positional() {
        return List.copyOf(positional);
    }

    /**
     * @param name option name without dashes
     * @return whether the flag or option was given
     */
    public boolean has(String name) {
        consumed.add(name);
        return options.containsKey(name);
    }

    /**
     * @param name option name
     * @param fallback value when absent
     * @return the option's value or the fallback
     */
    public String get(String name, String fallback) {
        consumed.add(name);
        return options.getOrDefault(name, fallback);
    }

    /**
     * @param name option name
     * @return the option's value
     * @throws UsageException if it was not given
     */
    public String require(String name) throws UsageException {
        consumed.add(name);
        String v = options.get(name);
        if (v == null) {
            throw new UsageException(command + ": option --" + name + " is required");
        }
        return v;
    }

    /**
     * @param name option name
     * @param fallback value when absent
     * @param min smallest accepted value
     * @return the integer value
     * @throws UsageException if it is not an integer of at least min
     */
    public int getInt(String name, int fallback, int min) throws UsageException {
        String v = get(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min) {
                throw new UsageException(command + ": --" + name + " must be at least " + min + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " needs a whole number, got '" + v + "'");
        }
    }

    /**
     * @param name option name
     * @param fallback value when absent
     * @return the number
     * @throws UsageException if it is not a finite number
     */
    public double getDouble(String name, double fallback) throws UsageException {
        String v = get(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " needs a number, got '" + v + "'");
        }
    }

    /**
     * @param name option name
     * @param fallback value when absent
     * @return the whole number
     * @throws UsageException if it is not one
     */
    public long getLong(String name, long fallback) throws UsageException {
        String v = get(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " needs a whole number, got '" + v + "'");
        }
    }

    /**
     * @param name option name
     * @return the value as a path, or null when absent
     */
    public Path path(String name) {
        String v = get(name, null);
        return v == null ? null : Path.of(v);
    }

    /**
     * The output file an option names, checked by the policy every command shares ({@link OutputTarget}): never one
     * of the inputs, and an existing file only with --force (declare "force" among the command's flags).
     *
     * @param name the option naming the file
     * @param inputs the files and folders the command reads (nulls are skipped)
     * @return the output file
     * @throws UsageException if the option is missing
     * @throws IOException (an {@link org.brainalign.io.OutputRefusedException}) if the policy refuses the target
     */
    public Path outputFile(String name, Path... inputs) throws UsageException, IOException {
        Path target = Path.of(require(name));
        OutputTarget.checkFile(target, has("force"), present(inputs));
        return target;
    }

    /**
     * The output folder an option names, checked by the shared policy: neither holding nor inside an input, and not
     * empty only with --force.
     *
     * @param name the option naming the folder
     * @param inputs the files and folders the command reads (nulls are skipped)
     * @return the output folder
     * @throws UsageException if the option is missing
     * @throws IOException if the policy refuses the target
     */
    public Path outputFolder(String name, Path... inputs) throws UsageException, IOException {
        Path target = Path.of(require(name));
        OutputTarget.checkFolder(target, has("force"), present(inputs));
        return target;
    }

    private static List<Path> present(Path... paths) {
        List<Path> list = new ArrayList<>();
        for (Path p : paths) {
            if (p != null) {
                list.add(p);
            }
        }
        return list;
    }

    /**
     * @param count exact number of positional arguments the command takes
     * @param what their names, for the message
     * @throws UsageException if the count differs
     */
    public void expectPositional(int count, String what) throws UsageException {
        if (positional.size() != count) {
            throw new UsageException(command + ": expected " + (count == 0 ? "no arguments" : what) + ", got "
                    + (positional.isEmpty() ? "none" : String.join(" ", positional)));
        }
    }
}

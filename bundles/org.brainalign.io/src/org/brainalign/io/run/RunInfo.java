package org.brainalign.io.run;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Run info is the record of what made a run, kept in its run.json: a unique id, a label, when it was created and by
 * which software version, its inputs with their content hashes, the backbone, the training configuration, the seed,
 * the split of images into training and validation, the metrics reached and the time each phase took. The backbone,
 * configuration, split and metrics are free-form JSON objects (maps of strings, numbers, booleans, lists and maps),
 * because io knows no engine: the engine decides their keys. Read back from run.json, whole numbers are Longs and
 * other numbers Doubles; a NaN is stored and read back as null. Instances are immutable; change one through
 * {@link #toBuilder()}.
 */
public final class RunInfo {

    private final String id;
    private final String label;
    private final Instant created;
    private final String softwareVersion;
    private final List<RunInput> inputs;
    private final Map<String, Object> backbone;
    private final Map<String, Object> config;
    private final Long seed;
    private final Map<String, Object> split;
    private final Map<String, Object> metrics;
    private final Map<String, Double> timings;

    private RunInfo(Builder b) {
        this.id = b.id;
        this.label = b.label;
        this.created = b.created;
        this.softwareVersion = b.softwareVersion;
        this.inputs = List.copyOf(b.inputs);
        this.backbone = frozen(b.backbone);
        this.config = frozen(b.config);
        this.seed = b.seed;
        this.split = frozen(b.split);
        this.metrics = frozen(b.metrics);
        this.timings = Collections.unmodifiableMap(new LinkedHashMap<>(b.timings));
    }

    private static Map<String, Object> frozen(Map<String, Object> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /**
     * Starts the info of a new run: a fresh random id, created now.
     *
     * @param label the run's name, shown in tables and reports
     * @return the builder
     */
    public static Builder builder(String label) {
        return new Builder(UUID.randomUUID().toString(), label, Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    /** @return a builder holding this info, to change some of it */
    public Builder toBuilder() {
        Builder b = new Builder(id, label, created);
        b.softwareVersion = softwareVersion;
        b.inputs.addAll(inputs);
        b.backbone.putAll(backbone);
        b.config.putAll(config);
        b.seed = seed;
        b.split.putAll(split);
        b.metrics.putAll(metrics);
        b.timings.putAll(timings);
        return b;
    }

    /** @return the run's unique id */
    public String id() {
        return id;
    }

    /** @return the run's name */
    public String label() {
        return label;
    }

    /** @return when the run was created, to the second */
    public Instant created() {
        return created;
    }

    /** @return the version of the software that made the run */
    public String softwareVersion() {
        return softwareVersion;
    }

    /** @return the inputs, in the order recorded */
    public List<RunInput> inputs() {
        return inputs;
    }

    /** @return the backbone's description (unmodifiable) */
    public Map<String, Object> backbone() {
        return backbone;
    }

    /** @return the training configuration (unmodifiable) */
    public Map<String, Object> config() {
        return config;
    }

    /** @return the random seed, if one was recorded */
    public Optional<Long> seed() {
        return Optional.ofNullable(seed);
    }

    /** @return the split of images (unmodifiable) */
    public Map<String, Object> split() {
        return split;
    }

    /** @return the metrics (unmodifiable) */
    public Map<String, Object> metrics() {
        return metrics;
    }

    /** @return phase name to seconds taken (unmodifiable) */
    public Map<String, Double> timings() {
        return timings;
    }

    @Override
    public String toString() {
        return "RunInfo[" + label + ", " + id + "]";
    }

    /** Collects the fields of a run info; set* for what a run always has, put* and add* for entries. */
    public static final class Builder {

        private final String id;
        private String label;
        private final Instant created;
        private String softwareVersion = "unknown";
        private final List<RunInput> inputs = new ArrayList<>();
        private final Map<String, Object> backbone = new LinkedHashMap<>();
        private final Map<String, Object> config = new LinkedHashMap<>();
        private Long seed;
        private final Map<String, Object> split = new LinkedHashMap<>();
        private final Map<String, Object> metrics = new LinkedHashMap<>();
        private final Map<String, Double> timings = new LinkedHashMap<>();

        Builder(String id, String label, Instant created) {
            this.id = id;
            setLabel(label);
            this.created = created;
        }

        /**
         * Renames the run: the label is what tables, legends and the workbench call it; the id stays.
         *
         * @param newLabel the run's name, not blank
         * @return this builder
         */
        public Builder setLabel(String newLabel) {
            if (newLabel == null || newLabel.isBlank()) {
                throw new IllegalArgumentException("a run needs a label");
            }
            this.label = newLabel;
            return this;
        }

        /**
         * @param version the software version making the run
         * @return this builder
         */
        public Builder setSoftwareVersion(String version) {
            this.softwareVersion = version;
            return this;
        }

        /**
         * @param input an input the fit read
         * @return this builder
         */
        public Builder addInput(RunInput input) {
            inputs.add(input);
            return this;
        }

        /**
         * @param description the backbone's description, e.g. family, checkpoint, layers, width
         * @return this builder
         */
        public Builder setBackbone(Map<String, ?> description) {
            backbone.clear();
            backbone.putAll(description);
            return this;
        }

        /**
         * @param configuration the training configuration
         * @return this builder
         */
        public Builder setConfig(Map<String, ?> configuration) {
            config.clear();
            config.putAll(configuration);
            return this;
        }

        /**
         * @param value the random seed
         * @return this builder
         */
        public Builder setSeed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * @param description the split of images, e.g. training and validation counts
         * @return this builder
         */
        public Builder setSplit(Map<String, ?> description) {
            split.clear();
            split.putAll(description);
            return this;
        }

        /**
         * @param name a metric's name
         * @param value its value: a number, or a map or list of them
         * @return this builder
         */
        public Builder putMetric(String name, Object value) {
            metrics.put(name, value);
            return this;
        }

        /**
         * @param phase a phase of the run, e.g. "extract" or "fit"
         * @param seconds the time it took
         * @return this builder
         */
        public Builder putTiming(String phase, double seconds) {
            timings.put(phase, seconds);
            return this;
        }

        /** @return the run info */
        public RunInfo build() {
            return new RunInfo(this);
        }
    }

    // ------------------------------------------------------------------ JSON, for RunFolder

    Map<String, Object> toJsonMap() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("label", label);
        m.put("created", created.toString());
        m.put("software_version", softwareVersion);
        List<Object> in = new ArrayList<>();
        for (RunInput i : inputs) {
            LinkedHashMap<String, Object> o = new LinkedHashMap<>();
            o.put("role", i.role());
            o.put("path", i.path());
            o.put("sha256", i.sha256());
            o.put("bytes", i.bytes());
            in.add(o);
        }
        m.put("inputs", in);
        m.put("backbone", backbone);
        m.put("config", config);
        m.put("seed", seed);
        m.put("split", split);
        m.put("metrics", metrics);
        m.put("timings", timings);
        return m;
    }

    @SuppressWarnings("unchecked")
    static RunInfo fromJsonMap(Map<String, Object> m, String where) throws RunFolderException {
        try {
            String id = (String) require(m, "id", where);
            String label = (String) require(m, "label", where);
            Instant created = Instant.parse((String) require(m, "created", where));
            Builder b = new Builder(id, label, created);
            b.softwareVersion = String.valueOf(m.getOrDefault("software_version", "unknown"));
            for (Object o : (List<Object>) m.getOrDefault("inputs", List.of())) {
                Map<String, Object> i = (Map<String, Object>) o;
                b.inputs.add(new RunInput((String) i.get("role"), (String) i.get("path"), (String) i.get("sha256"),
                        ((Number) i.getOrDefault("bytes", 0L)).longValue()));
            }
            b.backbone.putAll((Map<String, Object>) m.getOrDefault("backbone", Map.of()));
            b.config.putAll((Map<String, Object>) m.getOrDefault("config", Map.of()));
            Object seed = m.get("seed");
            b.seed = seed == null ? null : ((Number) seed).longValue();
            b.split.putAll((Map<String, Object>) m.getOrDefault("split", Map.of()));
            b.metrics.putAll((Map<String, Object>) m.getOrDefault("metrics", Map.of()));
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m.getOrDefault("timings", Map.of()))
                    .entrySet()) {
                b.timings.put(e.getKey(), e.getValue() == null ? Double.NaN : ((Number) e.getValue()).doubleValue());
            }
            return b.build();
        } catch (ClassCastException | java.time.format.DateTimeParseException | IllegalArgumentException e) {
            throw new RunFolderException(where + " has a field of the wrong kind (" + e.getMessage() + ")", e);
        }
    }

    private static Object require(Map<String, Object> m, String key, String where) throws RunFolderException {
        Object v = m.get(key);
        if (v == null) {
            throw new RunFolderException(where + " has no '" + key + "' field");
        }
        return v;
    }
}

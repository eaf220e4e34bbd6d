package org.brainalign.core.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A label table names the integer labels of an atlas: value 1 is "V1v", 2 is "V1d", and so on. Label 0 (unlabelled)
 * and negative labels (NSD's -1, outside cortex) are normally absent. The order of entries is kept. Immutable.
 */
public final class LabelTable {

    private final Map<Integer, String> names;

    /**
     * @param names label to name, in the order wanted; names must be unique
     * @throws IllegalArgumentException if a name is blank or repeated
     */
    public LabelTable(Map<Integer, String> names) {
        LinkedHashMap<Integer, String> copy = new LinkedHashMap<>();
        java.util.HashSet<String> seen = new java.util.HashSet<>();
        for (Map.Entry<Integer, String> e : names.entrySet()) {
            if (e.getValue() == null || e.getValue().isBlank()) {
                throw new IllegalArgumentException("label " + e.getKey() + " has no name");
            }
            if (!seen.add(e.getValue())) {
                throw new IllegalArgumentException("the name " + e.getValue() + " is given to two labels");
            }
            copy.put(e.getKey(), e.getValue());
        }
        this.names = Collections.unmodifiableMap(copy);
    }

    /**
     * @param namesFromOne names of labels 1, 2, 3, ...; null or empty entries are skipped
     * @return the table
     */
    public static LabelTable ofSequence(String... namesFromOne) {
        LinkedHashMap<Integer, String> m = new LinkedHashMap<>();
        for (int i = 0; i < namesFromOne.length; i++) {
            if (namesFromOne[i] != null && !namesFromOne[i].isEmpty()) {
                m.put(i + 1, namesFromOne[i]);
            }
        }
        return new LabelTable(m);
    }

    /**
     * @param label a label value
     * @return its name, if the table has it
     */
    public Optional<String> name(int label) {
        return Optional.ofNullable(names.get(label));
    }

    /**
     * @param name a label name (exact, case-sensitive)
     * @return its label value, if the table has it
     */
    public OptionalInt label(String name) {
        for (Map.Entry<Integer, String> e : names.entrySet()) {
            if (e.getValue().equals(name)) {
                return OptionalInt.of(e.getKey());
            }
        }
        return OptionalInt.empty();
    }

    /** @return the label values, in table order */
    public int[] labels() {
        return names.keySet().stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return the number of entries */
    public int size() {
        return names.size();
    }

    /** @return label to name, in table order (unmodifiable) */
    public Map<Integer, String> asMap() {
        return names;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelTable t && names.equals(t.names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }

    @Override
    public String toString() {
        return "LabelTable" + names;
    }
}

package org.brainalign.sweep;

import java.time.Instant;
import java.util.Optional;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * One event in the life of one attempt at a store or a cell, as recorded in attempts/NAME.jsonl.
 *
 * @param attempt the attempt's id (unique per attempt, also across drivers)
 * @param sparkAttempt Spark's attempt number of the task (0 first), or -1 outside Spark
 * @param executor the executor that ran it ("driver" in local mode, "cell" for `sweep cell`)
 * @param host the host name
 * @param event started, published, discarded (another attempt published first) or failed
 * @param time when
 * @param message the failure's message, or empty
 */
public record AttemptEvent(String attempt, int sparkAttempt, String executor, String host, String event, Instant time,
        String message) {

    /** The attempt began work. */
    public static final String STARTED = "started";
    /** The attempt's result is the one under the final name. */
    public static final String PUBLISHED = "published";
    /** The attempt finished after another one had published; its result was deleted. */
    public static final String DISCARDED = "discarded";
    /** The attempt failed. */
    public static final String FAILED = "failed";

    /** @return the event as one JSON line */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("attempt", attempt);
        o.addProperty("spark_attempt", sparkAttempt);
        o.addProperty("executor", executor);
        o.addProperty("host", host);
        o.addProperty("event", event);
        o.addProperty("time", time.toString());
        if (!message.isEmpty()) {
            o.addProperty("message", message);
        }
        return o.toString();
    }

    /**
     * @param line one line of an attempts file
     * @return the event, or empty for a line cut short
     */
    public static Optional<AttemptEvent> parse(String line) {
        try {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            return Optional.of(new AttemptEvent(o.get("attempt").getAsString(), o.get("spark_attempt").getAsInt(),
                    o.get("executor").getAsString(), o.get("host").getAsString(), o.get("event").getAsString(),
                    Instant.parse(o.get("time").getAsString()), o.has("message")
                            ? o.get("message").getAsString()
                            : ""));
        } catch (JsonParseException | IllegalStateException | NullPointerException
                | java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
